import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const map = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'dist', 'index.js.map'), 'utf8')
) as { sources: string[]; sourcesContent: string[] }

describe('dist/index.js', () => {
  it('holds one copy of undici: @actions/http-client uses ours (package.json overrides)', () => {
    const undiciCopies = new Set(
      map.sources
        .map((source) => /^(.*node_modules\/)undici\//.exec(source)?.[1])
        .filter((prefix) => prefix !== undefined)
    )
    expect([...undiciCopies]).toEqual(['.././node_modules/'])
  })

  it("imports undici through its index only, as ProxyAgent's CONNECT needs", () => {
    expect(map.sources).toContain('.././node_modules/undici/index.js')
    const deepImports = map.sources.flatMap((source, index) =>
      source.includes('node_modules/')
        ? []
        : [
            ...map.sourcesContent[index].matchAll(
              /(?:from\s*|require\(\s*|import\(\s*)['"](undici\/[^'"]*)['"]/g
            )
          ].map(([, specifier]) => specifier)
    )
    expect(deepImports).toEqual([])
  })
})
