import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  cyclePath,
  importCycles,
  longestPath,
  readImportGraph
} from '../scripts/import-graph.ts'

const SRC = join(import.meta.dirname, '..', 'src')

/** Each cycle as a reader would walk it: `a.ts → b.ts → a.ts`. */
function cyclesOf(dir: string): string[] {
  const graph = readImportGraph(dir)
  return importCycles(graph).map((component) =>
    cyclePath(graph, component).join(' → ')
  )
}

describe('the import graph of src/', () => {
  it('has no import cycle, type-only imports included', () => {
    expect(cyclesOf(SRC), 'import cycles in src/').toEqual([])
  })
})

describe('scripts/import-graph.ts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'import-graph-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const write = (file: string, text: string) =>
    writeFileSync(join(dir, file), text)

  write(
    'flow.ts',
    "import { plan } from './plan.ts'\nexport const run = plan\n"
  )
  write(
    'plan.ts',
    "import type { Step } from './step.ts'\nexport const plan = (s: Step) => s\n"
  )
  // A type-only import back is a cycle too: the reader goes back to step.ts.
  write(
    'step.ts',
    "import { type run } from './flow.ts'\nexport type Step = typeof run\n"
  )
  write(
    'leaf.ts',
    "export type { Step } from './step.ts'\nexport const late = () => import('./leaf-two.ts')\n"
  )
  write('leaf-two.ts', 'export const two = 2\n')

  it('names a cycle made through a type-only import, file by file', () => {
    expect(cyclesOf(dir)).toEqual(['flow.ts → plan.ts → step.ts → flow.ts'])
  })

  it('follows re-exports and dynamic imports, and counts a cycle as one layer', () => {
    const graph = readImportGraph(dir)
    expect(graph.edges).toContainEqual({
      from: 'leaf.ts',
      to: 'leaf-two.ts',
      typeOnly: false
    })
    expect(graph.edges).toContainEqual({
      from: 'leaf.ts',
      to: 'step.ts',
      typeOnly: true
    })
    expect(longestPath(graph)).toEqual([
      ['leaf.ts'],
      ['flow.ts', 'plan.ts', 'step.ts']
    ])
  })
})
