/**
 * Writes dist/licenses.txt for every package in the bundle, chunks included.
 *
 * Why: ncc's `--license` writes one file per chunk under the same name, so
 * once @actions/github sits in a chunk of its own (loaded only for `comment`
 * and `state: prune`), the last chunk's list overwrites the main bundle's.
 * This lists the packages of every dist/*.js.map instead, in ncc's format:
 * name, license, text, a blank line.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const dist = join(root, 'dist')

const maps = (await readdir(dist)).filter((file) => file.endsWith('.js.map'))
const packageDirs = new Set<string>()
for (const file of maps) {
  const { sources } = JSON.parse(await readFile(join(dist, file), 'utf8')) as {
    sources: string[]
  }
  for (const source of sources) {
    // The innermost package of a path (`…/node_modules/@scope/name/…`).
    const match =
      /^(?:\.\.\/)*\.?\/?(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(
        source.replace(/^(\.\.\/)+\.\//, '')
      )
    if (match) packageDirs.add(match[1])
  }
}

const entries: { name: string; text: string }[] = []
for (const dir of packageDirs) {
  const manifest = JSON.parse(
    await readFile(join(root, dir, 'package.json'), 'utf8')
  ) as { name: string; license?: string }
  const licenseFile = (await readdir(join(root, dir))).find((file) =>
    /^(licen[cs]e|copying)(\.|$)/i.test(file)
  )
  const text = licenseFile
    ? (await readFile(join(root, dir, licenseFile), 'utf8')).trim()
    : ''
  if (entries.some((entry) => entry.name === manifest.name)) continue
  entries.push({
    name: manifest.name,
    text: `${manifest.name}\n${manifest.license ?? 'UNKNOWN'}\n${text}`
  })
}
entries.sort((a, b) => a.name.localeCompare(b.name))
await writeFile(
  join(dist, 'licenses.txt'),
  `${entries.map(({ text }) => text).join('\n\n')}\n`
)
