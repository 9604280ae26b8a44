import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: plain JavaScript, bundled in undici's place (tsconfig.json paths)
import * as undiciParts from '../src/undici-parts/index.js'

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

  it("holds src/undici-parts in place of undici's index (tsconfig.json paths)", () => {
    expect(map.sources).toContain('.././src/undici-parts/index.js')
    expect(map.sources).not.toContain('.././node_modules/undici/index.js')
    expect(
      map.sources.filter((source) =>
        /node_modules\/undici\/lib\/(mock|cache|web\/(websocket|eventsource))\//.test(
          source
        )
      )
    ).toEqual([])
  })

  it('gets from src/undici-parts every name that a bundled module imports from undici', () => {
    const imported = map.sourcesContent.flatMap((content) =>
      [
        ...content.matchAll(
          /import\s*(\{[^}]*\}|[^'"]*?)\s*from\s*['"]undici['"]|require\(\s*['"]undici['"]\s*\)/g
        )
      ].flatMap(([statement, clause]) =>
        clause?.startsWith('{')
          ? clause
              .slice(1, -1)
              .split(',')
              .map((name) => name.trim().split(/\s+as\s+/)[0])
              .filter((name) => name !== '' && !name.startsWith('type '))
          : [statement]
      )
    )
    expect(imported.length).toBeGreaterThan(0)
    // A name missing here would be undefined at run time, with no build error.
    expect(
      imported.filter((name) => !(name in undiciParts)),
      'add these to src/undici-parts/index.js'
    ).toEqual([])
  })
})
