/**
 * The three set-ups of the README's "Does it fit your set-up?" table and
 * docs/set-ups.md, each through a pull request's life (opened, pushed again,
 * closed) by dist/index.js against the emulator at a latency per answer:
 * the requests, the round trips and the step's time of each run. Run for
 * this checkout's bundle and for another commit's (`main` by default:
 * today's), side by side, so that a change shows what it costs.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startEmulator, type Emulator } from '../../emulator/index.ts'
import type { RecordedRequest } from '../../emulator/server.ts'
import { runBundle, type RunOptions } from '../../harness/run-action.ts'

const run = promisify(execFile)

const BRANCH = 'feature/login'
const PULL_REQUEST = 42

interface SetUp {
  name: string
  /** The step's inputs and environment, as the set-up's workflow gives them. */
  step: (emulator: Emulator) => Pick<RunOptions, 'inputs' | 'env'>
  /** The Git integration builds every push: its build of the branch, now. */
  gitBuilds: boolean
}

const SET_UPS: SetUp[] = [
  {
    name: 'git-branch + redeploy',
    gitBuilds: true,
    step: (emulator) => ({
      inputs: {
        token: emulator.token,
        team: emulator.team.slug,
        ...neon(emulator),
        project: 'web',
        'git-branch': BRANCH,
        redeploy: 'true'
      }
    })
  },
  {
    name: 'git-branch',
    gitBuilds: false,
    step: (emulator) => ({
      inputs: { ...neon(emulator), 'git-branch': BRANCH },
      env: cliEnv(emulator)
    })
  },
  {
    name: 'export-env',
    gitBuilds: false,
    step: (emulator) => ({
      inputs: { ...neon(emulator), 'export-env': 'true' },
      env: cliEnv(emulator)
    })
  }
]

/**
 * Neon's installation and product by id, as the figures have always been
 * measured: the slugs of the set-ups' workflows add the installations' and
 * the products' listings to every run (2 requests, 1 round trip).
 */
function neon(emulator: Emulator): Record<string, string> {
  const { id, products } = emulator.installations.neon
  return { integration: id, product: products[0].id }
}

/** What the set-ups' workflows take from the Vercel CLI's variables. */
function cliEnv(emulator: Emulator): Record<string, string> {
  return {
    VERCEL_TOKEN: emulator.token,
    VERCEL_ORG_ID: emulator.team.id,
    VERCEL_PROJECT_ID:
      emulator.projects().find(({ name }) => name === 'web')?.id ?? 'web'
  }
}

export interface RunFigures {
  requests: number
  roundTrips: number
  ms: number
  /** What reached the API besides reads: none on a rerun. */
  writes: string[]
}

export interface SetUpFigures {
  name: string
  opened: RunFigures
  pushed: RunFigures
  closed: RunFigures
}

/**
 * A round trip starts wherever a request arrives with none other in flight:
 * those sent together arrive while the first is still being answered, as
 * each answer takes the latency.
 */
function figuresOf(requests: RecordedRequest[], ms: number): RunFigures {
  return {
    requests: requests.length,
    roundTrips: requests.filter(({ concurrent }) => !concurrent).length,
    ms,
    writes: requests
      .filter(({ method }) => method !== 'GET')
      .map(({ route }) => route)
  }
}

/** One set-up's pull request, opened, pushed again and closed. */
async function lifeOf(
  setUp: SetUp,
  bundlePath: string,
  latencyMs: number
): Promise<SetUpFigures> {
  const emulator = await startEmulator({ latencyMs })
  try {
    const once = async (action: string): Promise<RunFigures> => {
      const closing = action === 'closed'
      // The push the run is for: the Git integration has started its build.
      if (setUp.gitBuilds && !closing) {
        emulator.seedDeployment({
          projectId: 'web',
          branch: BRANCH,
          state: 'BUILDING'
        })
      }
      emulator.resetRequests()
      const { inputs, env } = setUp.step(emulator)
      const result = await runBundle({
        inputs: {
          'api-url': emulator.url,
          ...inputs,
          state: closing ? 'absent' : undefined
        },
        env: { GITHUB_HEAD_REF: BRANCH, ...env },
        pullRequest: PULL_REQUEST,
        pullRequestAction: action,
        bundle: true,
        bundlePath
      })
      if (result.exitCode !== 0) {
        throw new Error(
          `${setUp.name}: the run exited with ${result.exitCode}:\n${result.stdout}`
        )
      }
      return figuresOf(emulator.requests, result.durationMs)
    }
    const opened = await once('opened')
    const pushed = await once('synchronize')
    const closed = await once('closed')
    return { name: setUp.name, opened, pushed, closed }
  } finally {
    await emulator.close()
  }
}

/**
 * Every set-up's life with each bundle, `runs` times, the two taking turns
 * as the scenarios do; the median time of each run, and the requests of
 * the first (a set-up's requests never vary).
 */
export async function benchSetUps(
  bundles: [string, string],
  latencyMs: number,
  runs: number
): Promise<[SetUpFigures[], SetUpFigures[]]> {
  const ours: SetUpFigures[] = []
  const theirs: SetUpFigures[] = []
  for (const setUp of SET_UPS) {
    const samples: [SetUpFigures[], SetUpFigures[]] = [[], []]
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? [0, 1] : [1, 0]
      for (const which of order) {
        samples[which].push(await lifeOf(setUp, bundles[which], latencyMs))
      }
    }
    ours.push(medianLife(samples[0]))
    theirs.push(medianLife(samples[1]))
  }
  return [ours, theirs]
}

function medianLife(lives: SetUpFigures[]): SetUpFigures {
  const [first] = lives
  const runOf = (run: 'opened' | 'pushed' | 'closed'): RunFigures => ({
    ...first[run],
    ms: median(lives.map((life) => life[run].ms))
  })
  return {
    name: first.name,
    opened: runOf('opened'),
    pushed: runOf('pushed'),
    closed: runOf('closed')
  }
}

export function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * The bundle of another commit (`dist/`, committed with its source), in a
 * directory of its own; removed by `done`.
 */
export async function bundleOf(
  ref: string
): Promise<{ path: string; done: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'vercel-store-bench-ref-'))
  const archive = join(dir, 'dist.tar')
  await run('git', ['archive', '--output', archive, ref, 'dist'])
  await run('tar', ['-xf', archive, '-C', dir])
  return {
    path: join(dir, 'dist', 'index.js'),
    done: () => rm(dir, { recursive: true, force: true })
  }
}

/** The figures, this bundle's beside the other's, as a table's lines. */
export function setUpLines(
  ours: SetUpFigures[],
  theirs: SetUpFigures[],
  ref: string
): string[] {
  const rows = [
    [
      'set-up',
      'run',
      'requests',
      `(${ref})`,
      'round trips',
      `(${ref})`,
      'step time',
      `(${ref})`,
      'writes'
    ]
  ]
  for (const [index, setUp] of ours.entries()) {
    const other = theirs[index]
    for (const run of ['opened', 'pushed', 'closed'] as const) {
      const figures = setUp[run]
      const before = other[run]
      rows.push([
        run === 'opened' ? setUp.name : '',
        run === 'pushed' ? 'pushed again' : run,
        String(figures.requests),
        String(before.requests),
        String(figures.roundTrips),
        String(before.roundTrips),
        `${(figures.ms / 1000).toFixed(2)} s`,
        `${(before.ms / 1000).toFixed(2)} s`,
        run === 'pushed' ? String(figures.writes.length) : ''
      ])
    }
  }
  const widths = rows[0].map((_, column) =>
    Math.max(...rows.map((row) => row[column].length))
  )
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd()
  )
}
