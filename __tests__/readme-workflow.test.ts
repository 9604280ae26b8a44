/**
 * The README's recommended workflow, run step by step in its own order
 * through dist/index.js against both emulators (issue 24): the store and the
 * branch's variables, then the migration, which must see the pull request's
 * own database, and only then the redeploy. The steps are read from the
 * README itself, so a change of order there is a change here.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { startEmulator, type Emulator } from '../emulator/index.ts'
import {
  startGitHubEmulator,
  type GitHubEmulator
} from '../emulator/github/index.ts'
import { runBundle, type RunResult } from '../harness/run-action.ts'

interface WorkflowStep {
  name?: string
  uses?: string
  run?: string
  if?: string
  with?: Record<string, string | boolean>
}

const README = readFileSync(
  join(import.meta.dirname, '..', 'README.md'),
  'utf8'
)

/** The first ```yaml block of the README: the recommended workflow. */
function recommendedWorkflow(): { steps: WorkflowStep[] } {
  const block = /```yaml\n([\s\S]*?)```/.exec(README)
  if (!block) throw new Error('README.md has no yaml block')
  const workflow = parse(block[1]) as {
    jobs: Record<string, { steps: WorkflowStep[] }>
  }
  const [job] = Object.values(workflow.jobs)
  return job
}

const WEB = 'prj_emuWeb0001'
const BRANCH = 'feature/orders'
const PULL_REQUEST = 1

let emulator: Emulator
let github: GitHubEmulator

beforeEach(async () => {
  ;[emulator, github] = await Promise.all([
    startEmulator(),
    startGitHubEmulator()
  ])
})

afterEach(async () => {
  await Promise.all([emulator.close(), github.close()])
})

/**
 * The value of an expression of the README's workflow for this event; one
 * the README did not use before fails the test, naming it.
 */
function evaluate(text: string, action: string): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
    switch (expression) {
      case 'secrets.VERCEL_TOKEN':
        return emulator.token
      case 'github.head_ref':
        return BRANCH
      case "github.event.action == 'closed' && 'absent' || 'present'":
        return action === 'closed' ? 'absent' : 'present'
      default:
        throw new Error(
          `the README uses an expression the test does not know: ${expression}`
        )
    }
  })
}

function runs(step: WorkflowStep, action: string): boolean {
  if (step.if === undefined) return true
  if (step.if === "github.event.action != 'closed'") return action !== 'closed'
  throw new Error(
    `the README uses a condition the test does not know: ${step.if}`
  )
}

/** The step's inputs, the README's names of things mapped to the emulator's. */
function inputsOf(step: WorkflowStep, action: string): Record<string, string> {
  const emulated: Record<string, string> = {
    'my-team': emulator.team.slug,
    web: 'web'
  }
  return Object.fromEntries(
    Object.entries(step.with ?? {}).map(([key, value]) => {
      const text = evaluate(String(value), action)
      return [key, emulated[text] ?? text]
    })
  )
}

interface StepRecord {
  step: string
  /** Where the emulator's request log stood when the step started. */
  requestsBefore: number
  result?: RunResult
  /** What the migration saw in the job's environment. */
  env?: Record<string, string>
}

/** Runs the job's steps in order for a `pull_request` event. */
async function runJob(action: string): Promise<StepRecord[]> {
  const { steps } = recommendedWorkflow()
  const records: StepRecord[] = []
  // What earlier steps put into GITHUB_ENV, as the runner hands it on.
  let jobEnv: Record<string, string> = {}
  for (const step of steps) {
    if (!runs(step, action)) continue
    const label = step.name ?? step.uses ?? step.run ?? '?'
    const record: StepRecord = {
      step: label,
      requestsBefore: emulator.requests.length
    }
    records.push(record)
    if (step.uses && /vercel-store-action@/.test(step.uses)) {
      record.result = await runBundle({
        inputs: {
          ...inputsOf(step, action),
          'api-url': emulator.url,
          'github-token': github.token
        },
        pullRequest: PULL_REQUEST,
        pullRequestAction: action,
        githubApiUrl: github.url,
        env: { ...jobEnv, GITHUB_HEAD_REF: BRANCH }
      })
      if (record.result.exitCode !== 0) {
        throw new Error(`${label} failed:
${record.result.stdout}`)
      }
      jobEnv = { ...jobEnv, ...record.result.exportedEnv }
    } else if (step.run?.includes('prisma migrate deploy')) {
      // The migration's stand-in: what Prisma would connect to.
      record.env = { ...jobEnv }
    }
  }
  return records
}

describe("the README's recommended workflow, through dist/index.js", () => {
  it('migrates the pull request’s own database before the preview is rebuilt, and the close leaves nothing', async () => {
    github.seedPull({ owner: 'acme', repo: 'web', head: BRANCH })
    // The Git integration's build of the first push, racing the workflow.
    emulator.seedDeployment({
      projectId: WEB,
      branch: BRANCH,
      state: 'BUILDING'
    })
    const before = emulator.envVars(WEB)
    const opened = await runJob('opened')
    expect(opened.map(({ step }) => step)).toEqual([
      'actions/checkout@v5',
      'actions/setup-node@v5',
      'npm ci',
      'vercel-store-action/vercel-store-action@v1',
      "Migrate the pull request's database",
      'Rebuild the preview on it'
    ])
    const [store] = emulator.stores()
    const branchValue = (key: string) =>
      emulator
        .envVars(WEB)
        .find(
          (variable) => variable.key === key && variable.gitBranch === BRANCH
        )?.value
    // The migration saw the pull request's own database, by the names
    // schema.prisma reads.
    const migration = opened.find(({ env }) => env !== undefined)
    expect(migration?.env?.DATABASE_URL).toBe(branchValue('DATABASE_URL'))
    expect(migration?.env?.DIRECT_URL).toBe(branchValue('DIRECT_URL'))
    expect(migration?.env?.DIRECT_URL).not.toBe(migration?.env?.DATABASE_URL)
    expect(
      emulator
        .envVars(WEB)
        .filter(({ contentHint }) => contentHint?.storeId === store.id)
        .map(({ value }) => value)
    ).toContain(migration?.env?.DATABASE_URL)
    // The cancel and the redeploy came after the migration, from the
    // second step of the action, once each.
    const at = (route: string) =>
      emulator.requests
        .map((request, index) => ({ ...request, index }))
        .filter((request) => request.route === route)
    const redeploys = at('POST /v13/deployments')
    const cancels = at('PATCH /v12/deployments/{id}/cancel')
    expect(redeploys).toHaveLength(1)
    expect(cancels).toHaveLength(1)
    const rebuild = opened.at(-1) as StepRecord
    expect(redeploys[0].index).toBeGreaterThanOrEqual(rebuild.requestsBefore)
    expect(cancels[0].index).toBeGreaterThanOrEqual(rebuild.requestsBefore)
    expect(redeploys[0].index).toBeGreaterThanOrEqual(
      migration?.requestsBefore ?? Number.POSITIVE_INFINITY
    )
    const storeStep = opened[3]
    expect(storeStep.result?.outputs['redeployed-deployment-id'] ?? '').toBe('')
    expect(storeStep.result?.outputs.created).toBe('true')
    expect(rebuild.result?.outputs['redeployed-deployment-id']).toMatch(/^dpl_/)
    // The first step made the store and wrote; the second wrote no variable.
    const writes = (from: number, to: number) =>
      emulator.requests
        .slice(from, to)
        .filter(({ route }) => route.includes('/env'))
        .filter(({ method }) => method !== 'GET')
    expect(writes(rebuild.requestsBefore, emulator.requests.length)).toEqual([])

    const closed = await runJob('closed')
    expect(closed.map(({ step }) => step)).toEqual([
      'vercel-store-action/vercel-store-action@v1'
    ])
    expect(closed[0].result?.outputs.deleted).toBe('true')
    expect(emulator.stores()).toEqual([])
    expect(emulator.envVars(WEB)).toEqual(before)
  })
})
