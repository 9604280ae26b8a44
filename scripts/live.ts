/**
 * `npm run live`: runs the bundled action through a store's whole life
 * against the live Vercel API, records the shape of every answer, runs the
 * same life against the emulator, and reports where they differ and what the
 * API's open questions turned out to be. See CONTRIBUTING.md.
 *
 * Environment:
 *   VERCEL_TOKEN        a token of the team (required)
 *   VERCEL_TEAM         team id (team_…) or slug (required)
 *   VERCEL_INTEGRATION  an installed integration: slug or icfg_ id (required)
 *   VERCEL_PRODUCT      its product: id, slug or name (required)
 *   VERCEL_PROJECT      a project to connect the store to: id or name (required)
 *   VERCEL_METADATA     the product's metadata, as the action's input (optional)
 *   LIVE_API_URL        the target, default https://api.vercel.com
 *   LIVE_REPORT         the report's path, default reports/live-report.json
 *   LIVE_TIMEOUT        seconds each step may take, default 600
 */
import { randomInt } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { startEmulator } from '../emulator/index.ts'
import { compareShapes } from '../emulator/shapes.ts'
import type {
  RouteShape,
  ShapeDifference,
  StepShapes
} from '../emulator/shapes.ts'
import { runLife } from './live/life.ts'
import type { LifeResult, Target } from './live/life.ts'
import { startRecordingProxy } from './live/recording-proxy.ts'
import type { RecordingProxy } from './live/recording-proxy.ts'

const REQUIRED = [
  'VERCEL_TOKEN',
  'VERCEL_TEAM',
  'VERCEL_INTEGRATION',
  'VERCEL_PRODUCT',
  'VERCEL_PROJECT'
] as const

const missing = REQUIRED.filter((name) => !process.env[name]?.trim())
if (missing.length > 0) {
  console.error(
    `npm run live needs ${missing.join(', ')} set (a Vercel token, its team, an installed integration and product, and a project to connect to); see CONTRIBUTING.md.`
  )
  process.exit(2)
}
const env = process.env as Record<(typeof REQUIRED)[number], string> &
  NodeJS.ProcessEnv

const apiUrl = env.LIVE_API_URL?.trim() || 'https://api.vercel.com'
const reportPath = env.LIVE_REPORT?.trim() || 'reports/live-report.json'
const timeoutSeconds = Number(env.LIVE_TIMEOUT ?? 600)
// Unique per run, so that the check never touches anything it did not make;
// the marker also picks the check's own store out of a team's listing.
// Digits only: the same in the store's name and the variables' upper case.
const marker = String(randomInt(1e9, 1e10))
const key = `live-check-${marker}`
const envPrefix = `LIVE_${marker}_`
const target: Target = {
  token: env.VERCEL_TOKEN.trim(),
  team: env.VERCEL_TEAM.trim(),
  integration: env.VERCEL_INTEGRATION.trim(),
  product: env.VERCEL_PRODUCT.trim(),
  project: env.VERCEL_PROJECT.trim(),
  metadata: env.VERCEL_METADATA?.trim() || undefined
}

/** Names, ids and the token out of anything the report keeps. */
function redactFor(names: string[]): (text: string) => string {
  return (text) => {
    let redacted = text
    for (const name of names.filter((n) => n.length >= 3)) {
      redacted = redacted.split(name).join('<redacted>')
    }
    return redacted
      .replaceAll(key, '<key>')
      .replace(/\b[a-z]{2,6}_[A-Za-z0-9]{8,}\b/g, '<id>')
  }
}

async function life(
  name: 'live' | 'emulator',
  lifeTarget: Target,
  url: string,
  stepCount?: number
): Promise<{ result: LifeResult; proxy: RecordingProxy }> {
  const redact = redactFor([
    lifeTarget.token,
    lifeTarget.team,
    lifeTarget.project,
    envPrefix
  ])
  const proxy = await startRecordingProxy({ target: url, marker, redact })
  try {
    console.log(`── ${name}: ${name === 'live' ? url : 'in-process emulator'}`)
    const result = await runLife({
      target: lifeTarget,
      proxy,
      key,
      envPrefix,
      timeoutSeconds,
      redact,
      stepCount
    })
    for (const step of result.steps) {
      const outcome = step.exitCode === null ? 'probe' : `exit ${step.exitCode}`
      console.log(
        `   ${step.name.padEnd(24)} ${outcome}${step.error ? `: ${step.error}` : ''}`
      )
    }
    return { result, proxy }
  } finally {
    await proxy.close()
  }
}

/**
 * The same forms the live run used (an id where it gave an id, a slug where
 * it gave a slug), so both lives send the same requests.
 */
function emulatorTarget(emulator: Awaited<ReturnType<typeof startEmulator>>) {
  const neon = emulator.installations.neon
  const project = emulator.projects().find((p) => p.name === 'web')
  return {
    token: emulator.token,
    team: target.team.startsWith('team_')
      ? emulator.team.id
      : emulator.team.slug,
    integration: target.integration.startsWith('icfg_') ? neon.id : 'neon',
    product: target.product.startsWith('iap_') ? neon.products[0].id : 'neon',
    project: target.project.startsWith('prj_') ? (project?.id ?? '') : 'web',
    metadata: target.metadata && 'region=iad1'
  }
}

const live = await life('live', target, apiUrl)
// A store that Vercel provisions answers `initializing` first (api-notes);
// the emulator's store answers so until its first read. The emulator goes
// as far as the live life went: only steps both ran can be compared.
const emulator = await startEmulator({ initializingReads: 1 })
let emulated: Awaited<ReturnType<typeof life>>
try {
  emulated = await life(
    'emulator',
    emulatorTarget(emulator),
    emulator.url,
    live.result.steps.length
  )
} finally {
  await emulator.close()
}

const stepNames = [
  ...new Set([
    ...live.result.steps.map(({ name }) => name),
    ...emulated.result.steps.map(({ name }) => name),
    'cleanup'
  ])
]
const steps: StepShapes[] = stepNames.map((name) => ({
  name,
  live: live.proxy.shapesOf(name),
  emulator: emulated.proxy.shapesOf(name)
}))
const differences = compareShapes(steps)
const questions = settle(steps, live.result)
const report = {
  version: 1,
  generatedAt: new Date().toISOString(),
  target: new URL(apiUrl).origin,
  key,
  lives: { live: live.result, emulator: emulated.result },
  questions,
  differences,
  steps
}
await mkdir(dirname(reportPath), { recursive: true })
await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`)

console.log(`\nOpen questions (${reportPath}):`)
for (const [question, answer] of Object.entries(questions)) {
  console.log(`   ${question}: ${JSON.stringify(answer)}`)
}
console.log(`\nDifferences between live and emulator: ${differences.length}`)
for (const difference of differences) console.log(`   ${describe(difference)}`)
const cleanupFailures = live.result.cleanup.failures
for (const failure of cleanupFailures) {
  console.error(`Cleanup: ${failure}; remove stores named ${key} by hand`)
}
const failed =
  live.result.steps.some(
    ({ exitCode }) => exitCode !== null && exitCode !== 0
  ) || cleanupFailures.length > 0
process.exitCode = failed ? 1 : 0

function describe(d: ShapeDifference): string {
  return `${d.step} · ${d.route} · ${d.path}: live ${d.live}, emulator ${d.emulator}`
}

/** The answers to api-notes' open questions that this run observed. */
function settle(all: StepShapes[], result: LifeResult) {
  const answers = (route: string, step?: string) =>
    all
      .filter(({ name }) => step === undefined || name === step)
      .flatMap(({ live: shapes }) => shapes)
      .filter((shape) => shape.route === route)
  const hasPath = (found: RouteShape[], path: string) =>
    found.length === 0 ? 'not seen' : found.some((s) => s.shape?.[path])
  const answer = (step: string, route: string) => {
    const [found] = answers(route, step)
    return found
      ? { statuses: found.statuses, errors: found.errors, shape: found.shape }
      : 'not sent'
  }
  return {
    externalIdInListing: hasPath(
      answers('GET /v1/storage/stores'),
      '$.stores[].externalId'
    ),
    externalIdInRead: hasPath(
      answers('GET /v1/storage/stores/{id}'),
      '$.store.externalId'
    ),
    externalIdInCreateAnswer: hasPath(
      answers('POST /v1/storage/stores/integration/direct'),
      '$.store.externalId'
    ),
    statusesSeen: result.statusesSeen,
    connect: answer('connect', 'POST /v1/storage/stores/{id}/connections'),
    secondConnect: answer(
      'second connect',
      'POST /v1/storage/stores/{id}/connections'
    ),
    deleteWhileConnected: answer(
      'delete while connected',
      'DELETE /v1/storage/stores/integration/{id}'
    ),
    disconnect: answer('absent', 'DELETE /v1/storage/stores/{id}/connections'),
    errors: all.flatMap(({ name, live: shapes }) =>
      shapes.flatMap(({ route, errors = [] }) =>
        errors.map((error) => ({ step: name, route, ...error }))
      )
    )
  }
}
