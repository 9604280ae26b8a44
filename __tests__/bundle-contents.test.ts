import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const map = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'dist', 'index.js.map'), 'utf8')
) as { sources: string[] }

describe('dist/index.js', () => {
  it('holds one copy of undici: @actions/http-client uses ours (package.json overrides)', () => {
    const undiciCopies = new Set(
      map.sources
        .map((source) => /^(.*node_modules\/)undici\//.exec(source)?.[1])
        .filter((prefix) => prefix !== undefined)
    )
    expect([...undiciCopies]).toEqual(['.././node_modules/'])
  })
})
