/**
 * `npm run bench`: times dist/index.js against the emulator with a latency
 * injected per request, beside a plain `fetch` script making the same
 * requests (scripts/bench/baseline.mjs), and prints cold start, bundle size
 * and peak memory against the targets of issue 11 (the reuse path near
 * 1.2× the baseline: undici's public index costs start-up the baseline's
 * built-in fetch does not); then the README's three set-ups through a pull
 * request's life, beside another commit's bundle (scripts/bench/set-ups.ts).
 * A benchmark, not a test: nothing here passes or fails; `--json` prints
 * the figures as one object.
 *
 *   npm run bench -- [--latency-ms 50] [--runs 5] [--cold-runs 21] [--json]
 *     [--set-ups-only] [--compare main] [--set-up-latency-ms 100]
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { availableParallelism, cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startEmulator, type Emulator } from '../emulator/index.ts'
import { NEON_INSTALLATION } from '../emulator/seed.ts'
import { BUNDLE, runBundle } from '../harness/run-action.ts'
import { SCENARIOS, routeOf, type Scenario } from '../harness/scenarios.ts'
import { benchSetUps, bundleOf, median, setUpLines } from './bench/set-ups.ts'

interface Target {
  /** At most this ratio of the action's time to the baseline's. */
  ratio?: number
  /** At most this much time and memory over another scenario's. */
  addsOver?: { scenario: string; ms: number; mib: number }
}

interface BenchEntry {
  scenario: Scenario
  target: Target
}

const BENCH: BenchEntry[] = [
  { scenario: SCENARIOS.reuseWithIds, target: { ratio: 1.2 } },
  { scenario: SCENARIOS.createWithIds, target: { ratio: 1.2 } },
  { scenario: SCENARIOS.reuseWithSlugs, target: { ratio: 1.2 } },
  {
    scenario: SCENARIOS.lookupAmong10k,
    target: {
      addsOver: { scenario: SCENARIOS.reuseWithIds.name, ms: 50, mib: 64 }
    }
  }
]

const COLD_START_TARGET_MS = 60
const BASELINE = join(import.meta.dirname, 'bench', 'baseline.mjs')
const MAX_RSS_HOOK = join(import.meta.dirname, 'bench', 'max-rss.mjs')

const { values } = parseArgs({
  options: {
    'latency-ms': { type: 'string', default: '50' },
    runs: { type: 'string', default: '5' },
    'cold-runs': { type: 'string', default: '21' },
    json: { type: 'boolean', default: false },
    'set-ups-only': { type: 'boolean', default: false },
    compare: { type: 'string', default: 'main' },
    'set-up-latency-ms': { type: 'string', default: '100' }
  }
})
const latencyMs = integerOption('latency-ms', 0)
const runs = integerOption('runs', 1)
const coldRuns = integerOption('cold-runs', 1)
const setUpLatencyMs = integerOption('set-up-latency-ms', 1)

function integerOption(
  name: 'latency-ms' | 'runs' | 'cold-runs' | 'set-up-latency-ms',
  min: number
) {
  const value = Number(values[name])
  if (!Number.isInteger(value) || value < min) {
    console.error(
      `--${name} must be an integer ≥ ${min}, got "${values[name]}"`
    )
    process.exit(2)
  }
  return value
}

interface Sample {
  ms: number
  /** Peak RSS in MiB, from runs with the max-rss hook only. */
  mib?: number
  routes: string[]
}

/** Runs dist/index.js once on a fresh emulator in the scenario's state. */
async function actionSample(
  scenario: Scenario,
  measureMemory: boolean
): Promise<Sample> {
  return withEmulator(async (emulator) => {
    const options = scenario.prepare(emulator)
    return withMaxRss(measureMemory, async (env) => {
      const result = await runBundle({
        ...options,
        env: { ...options.env, ...env }
      })
      if (result.exitCode !== 0) {
        throw new Error(
          `${scenario.name}: the action exited with ${result.exitCode}:\n${result.stdout}${result.stderr}`
        )
      }
      return { ms: result.durationMs, routes: routesOf(emulator) }
    })
  })
}

/** Runs the plain fetch script once on a fresh emulator in the same state. */
async function baselineSample(
  scenario: Scenario,
  measureMemory: boolean
): Promise<Sample> {
  return withEmulator(async (emulator) => {
    scenario.prepare(emulator)
    const plan = {
      apiUrl: emulator.url,
      token: emulator.token,
      storeName: scenario.storeName,
      roundTrips: scenario.roundTrips(emulator)
    }
    return withMaxRss(measureMemory, async (env) => {
      const run = await timeNode([BASELINE], {
        BENCH_PLAN: JSON.stringify(plan),
        ...env
      })
      if (run.exitCode !== 0) {
        throw new Error(`${scenario.name}: the baseline failed:\n${run.stderr}`)
      }
      const routes = routesOf(emulator)
      const planned = plan.roundTrips.flat().map(routeOf)
      if ([...routes].sort().join() !== planned.sort().join()) {
        throw new Error(
          `${scenario.name}: the baseline made ${routes.join(', ')}`
        )
      }
      return { ms: run.ms, routes }
    })
  })
}

async function withEmulator<T>(use: (emulator: Emulator) => Promise<T>) {
  const emulator = await startEmulator({ latencyMs })
  try {
    return await use(emulator)
  } finally {
    await emulator.close()
  }
}

/** Loads the max-rss hook into the child when asked, and reads what it wrote. */
async function withMaxRss(
  measure: boolean,
  run: (env: Record<string, string>) => Promise<Sample>
): Promise<Sample> {
  if (!measure) return run({})
  const dir = await mkdtemp(join(tmpdir(), 'vercel-store-bench-'))
  try {
    const file = join(dir, 'max-rss')
    const sample = await run({
      NODE_OPTIONS: `--import=${MAX_RSS_HOOK}`,
      BENCH_MAX_RSS_FILE: file
    })
    return { ...sample, mib: Number(await readFile(file, 'utf8')) / 1024 }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function routesOf(emulator: Emulator): string[] {
  const failed = emulator.requests.filter(({ status }) => status >= 400)
  if (failed.length > 0) {
    throw new Error(`Requests failed: ${JSON.stringify(failed)}`)
  }
  return emulator.requests.map(({ route }) => route)
}

function timeNode(
  args: string[],
  env: Record<string, string> = {}
): Promise<{ ms: number; exitCode: number | null; stderr: string }> {
  const started = performance.now()
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, _stdout, stderr) => {
        const ms = performance.now() - started
        const exitCode = error
          ? typeof error.code === 'number'
            ? error.code
            : null
          : 0
        resolve({ ms, exitCode, stderr })
      }
    )
  })
}

/** Alternates which goes first, so drift on a shared machine hits both. */
async function interleaved(
  times: number,
  first: () => Promise<Sample>,
  second: () => Promise<Sample>
): Promise<[Sample[], Sample[]]> {
  const a: Sample[] = []
  const b: Sample[] = []
  for (let i = 0; i < times; i++) {
    if (i % 2 === 0) {
      a.push(await first())
      b.push(await second())
    } else {
      b.push(await second())
      a.push(await first())
    }
  }
  return [a, b]
}

interface ScenarioResult {
  name: string
  requests: string[]
  /** The requests the scenario needs (what the baseline made). */
  neededRequests: string[]
  actionMs: number
  baselineMs: number
  ratio: number
  ratioMet?: boolean
  actionMaxRssMiB: number
  baselineMaxRssMiB: number
  target: Target
  samples: { actionMs: number[]; baselineMs: number[] }
}

async function benchScenario(
  scenario: Scenario,
  target: Target
): Promise<ScenarioResult> {
  const [action, baseline] = await interleaved(
    runs,
    () => actionSample(scenario, false),
    () => baselineSample(scenario, false)
  )
  const [actionMemory, baselineMemory] = await interleaved(
    Math.min(runs, 3),
    () => actionSample(scenario, true),
    () => baselineSample(scenario, true)
  )
  const requests = action[0].routes
  if (action.some(({ routes }) => routes.join() !== requests.join())) {
    throw new Error(
      `${scenario.name}: the action's requests varied between runs`
    )
  }
  const actionMs = median(action.map(({ ms }) => ms))
  const baselineMs = median(baseline.map(({ ms }) => ms))
  return {
    name: scenario.name,
    requests,
    neededRequests: baseline[0].routes,
    actionMs,
    baselineMs,
    ratio: actionMs / baselineMs,
    ratioMet:
      target.ratio === undefined
        ? undefined
        : actionMs / baselineMs <= target.ratio,
    actionMaxRssMiB: median(actionMemory.map(({ mib }) => mib ?? NaN)),
    baselineMaxRssMiB: median(baselineMemory.map(({ mib }) => mib ?? NaN)),
    target,
    samples: {
      actionMs: action.map(({ ms }) => ms),
      baselineMs: baseline.map(({ ms }) => ms)
    }
  }
}

/** Start to exit of a run that fails its first input check, against bare node. */
async function coldStart() {
  const bundle: number[] = []
  const bare: number[] = []
  for (let i = 0; i < coldRuns; i++) {
    const result = await runBundle({})
    if (result.exitCode !== 1 || !result.stdout.includes('Input "token"')) {
      throw new Error(
        `cold start: expected the token input error, got:\n${result.stdout}`
      )
    }
    bundle.push(result.durationMs)
    bare.push((await timeNode(['-e', ''])).ms)
  }
  const bundleMs = median(bundle)
  const bareNodeMs = median(bare)
  return {
    bundleMs,
    bareNodeMs,
    overMs: bundleMs - bareNodeMs,
    targetOverMs: COLD_START_TARGET_MS,
    met: bundleMs - bareNodeMs <= COLD_START_TARGET_MS
  }
}

/**
 * The set-ups' lives, this bundle's beside the `--compare` commit's, up to
 * 3 times each (a set-up's life is some ten runs of the bundle).
 */
async function setUps() {
  const other = await bundleOf(values.compare)
  try {
    const [ours, theirs] = await benchSetUps(
      [BUNDLE, other.path],
      setUpLatencyMs,
      Math.min(runs, 3)
    )
    return { latencyMs: setUpLatencyMs, compare: values.compare, ours, theirs }
  } finally {
    await other.done()
  }
}

function printSetUps(figures: Awaited<ReturnType<typeof setUps>>): void {
  console.log(
    `\nThe README's set-ups, a pull request's life (Neon, ${NEON_INSTALLATION.products[0].secrets.length} variables; ids for the installation and product), at ${figures.latencyMs} ms an answer, median of ${Math.min(runs, 3)}; beside ${figures.compare}'s dist/index.js. A round trip starts where a request arrives with none other in flight; "writes" counts the requests other than reads on the push again.`
  )
  for (const line of setUpLines(
    figures.ours,
    figures.theirs,
    figures.compare
  )) {
    console.log(line)
  }
}

if (values['set-ups-only']) {
  const figures = await setUps()
  if (values.json) {
    console.log(JSON.stringify({ setUps: figures }, rounded, 2))
  } else {
    printSetUps(figures)
  }
  process.exit(0)
}

// First, while this process is small: a large parent forks more slowly.
const cold = await coldStart()
const results: ScenarioResult[] = []
for (const entry of BENCH) {
  results.push(await benchScenario(entry.scenario, entry.target))
  if (!values.json) console.error(`${entry.scenario.name}: done`)
}
const bundleBytes = (await stat(BUNDLE)).size
const setUpFigures = await setUps()

const additions = results.flatMap((result) => {
  const over = result.target.addsOver
  const base = over && results.find(({ name }) => name === over.scenario)
  if (!over || !base) return []
  const addsMs = result.actionMs - base.actionMs
  // The same growth in a plain fetch client: the server building and sending
  // the larger listing, and reading it. What is left is the action's own.
  const baselineAddsMs = result.baselineMs - base.baselineMs
  return [
    {
      scenario: result.name,
      over: base.name,
      addsMs,
      baselineAddsMs,
      actionOwnMs: addsMs - baselineAddsMs,
      addsMiB: result.actionMaxRssMiB - base.actionMaxRssMiB,
      baselineAddsMiB: result.baselineMaxRssMiB - base.baselineMaxRssMiB,
      targetMs: over.ms,
      targetMiB: over.mib,
      met: {
        ms: addsMs - baselineAddsMs <= over.ms,
        mib: result.actionMaxRssMiB - base.actionMaxRssMiB <= over.mib
      }
    }
  ]
})

const report = {
  machine: {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version
  },
  settings: { latencyMs, runs, coldRuns },
  scenarios: results,
  additions,
  coldStart: cold,
  bundle: { path: 'dist/index.js', bytes: bundleBytes },
  setUps: setUpFigures
}

if (values.json) {
  console.log(JSON.stringify(report, rounded, 2))
} else {
  printTable()
}

/** Milliseconds and MiB to 0.1, ratios to 0.001. */
function rounded(key: string, value: unknown): unknown {
  if (typeof value !== 'number' || Number.isInteger(value)) return value
  return Number(value.toFixed(key === 'ratio' ? 3 : 1))
}

function printTable(): void {
  const ms = (value: number) => `${value.toFixed(1)} ms`
  const mib = (value: number) => `${value.toFixed(1)} MiB`
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED')
  const { machine } = report
  console.log(
    `Benchmark: ${latencyMs} ms latency per request, median of ${runs} runs (memory: ${Math.min(runs, 3)}); ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}`
  )
  console.log('Timings are wall time of a whole process, spawn to exit.\n')
  const rows = [
    [
      'scenario',
      'requests',
      'action',
      'baseline',
      'ratio',
      'target',
      'peak RSS (baseline)'
    ]
  ]
  for (const result of results) {
    const { ratio } = result.target
    rows.push([
      result.name,
      `${result.requests.length}: ${result.requests.join(', ')}`,
      ms(result.actionMs),
      ms(result.baselineMs),
      result.ratio.toFixed(2),
      ratio === undefined
        ? '(see below)'
        : `≤ ${ratio.toFixed(2)} ${verdict(result.ratio <= ratio)}`,
      `${mib(result.actionMaxRssMiB)} (${mib(result.baselineMaxRssMiB)})`
    ])
    // Requests sent together arrive in either order, so only which requests
    // were made is compared here; round-trips.test.ts checks their order.
    if (
      [...result.requests].sort().join() !==
      [...result.neededRequests].sort().join()
    ) {
      rows.push([
        '',
        `needed: ${result.neededRequests.join(', ')}`,
        '',
        '',
        '',
        '',
        ''
      ])
    }
  }
  const widths = rows[0].map((_, column) =>
    Math.max(...rows.map((row) => row[column].length))
  )
  for (const row of rows) {
    console.log(
      row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd()
    )
  }
  console.log()
  for (const addition of additions) {
    console.log(
      `${addition.scenario} adds over ${addition.over}: ${ms(addition.addsMs)}, of which the baseline adds ${ms(addition.baselineAddsMs)} too (the server building and sending the listing, and reading it) → the action's own: ${addition.actionOwnMs > 0 ? ms(addition.actionOwnMs) : `none (${ms(-addition.actionOwnMs)} less than the baseline's)`} (target ≤ ${addition.targetMs} ms, ${verdict(addition.actionOwnMs <= addition.targetMs)})`
    )
    console.log(
      `${addition.scenario} adds over ${addition.over}: ${mib(addition.addsMiB)} peak RSS (baseline: ${mib(addition.baselineAddsMiB)}) (target ≤ ${addition.targetMiB} MiB, ${verdict(addition.addsMiB <= addition.targetMiB)})`
    )
  }
  console.log(
    `cold start (to the first input error, median of ${coldRuns}): ${ms(cold.bundleMs)} against ${ms(cold.bareNodeMs)} for node -e "" → ${ms(cold.overMs)} over (target ≤ ${cold.targetOverMs} ms, ${verdict(cold.overMs <= cold.targetOverMs)})`
  )
  console.log(
    `dist/index.js: ${(bundleBytes / 1024 / 1024).toFixed(2)} MiB (${bundleBytes.toLocaleString('en')} bytes)`
  )
  printSetUps(setUpFigures)
}
