import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { SEED_PROJECTS, startEmulator } from './index.ts'
import { startGitHubEmulator } from './github/index.ts'
import type { Fault, ShapeReport } from './index.ts'

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    token: { type: 'string' },
    'list-external-id': { type: 'boolean', default: false },
    'create-omits-id': { type: 'boolean', default: false },
    'minimal-listing': { type: 'boolean', default: false },
    'page-size': { type: 'string' },
    'listing-lag': { type: 'string' },
    'latency-ms': { type: 'string' },
    'initializing-reads': { type: 'string' },
    'initializing-ms': { type: 'string' },
    'settle-to': { type: 'string' },
    'git-branch-filter': { type: 'string' },
    'deployment-build-ms': { type: 'string' },
    // {"GET /v1/storage/stores": [{"status": 503}, "reset"], …}
    faults: { type: 'string' },
    // Also start the GitHub emulator, with acme/web and one open pull request.
    github: { type: 'boolean', default: false },
    'github-port': { type: 'string' },
    // A live report (npm run live): answers shaped like the live API's.
    shapes: { type: 'string' }
  }
})

function numberOption(name: string, text: string | undefined) {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a non-negative integer, got "${text}"`)
    process.exit(2)
  }
  return value
}

function gitBranchFilter(text: string | undefined) {
  if (text === undefined || text === 'applies' || text === 'exact') return text
  console.error(`--git-branch-filter must be applies or exact, got "${text}"`)
  process.exit(2)
}

function settleTo(status: string | undefined) {
  if (!status) return undefined
  if (status === 'available') return { status }
  return {
    status,
    notification: {
      title: `Store ${status}`,
      level: 'error' as const,
      message: 'Set by the emulator flag --settle-to.'
    }
  }
}

const emulator = await startEmulator({
  port: numberOption('port', values.port ?? process.env.PORT) ?? 0,
  token: values.token,
  listIncludesExternalId: values['list-external-id'],
  createResponseOmitsId: values['create-omits-id'],
  minimalListing: values['minimal-listing'],
  pageSize: numberOption('page-size', values['page-size']),
  listingLag: numberOption('listing-lag', values['listing-lag']),
  latencyMs: numberOption('latency-ms', values['latency-ms']),
  initializingReads: numberOption(
    'initializing-reads',
    values['initializing-reads']
  ),
  initializingMs: numberOption('initializing-ms', values['initializing-ms']),
  settleTo: settleTo(values['settle-to']),
  gitBranchFilter: gitBranchFilter(values['git-branch-filter']),
  deploymentBuildMs: numberOption(
    'deployment-build-ms',
    values['deployment-build-ms']
  ),
  shapes: shapesOption(values.shapes)
})

function shapesOption(path: string | undefined): ShapeReport | undefined {
  if (path === undefined) return undefined
  try {
    const report = JSON.parse(readFileSync(path, 'utf8'))
    if (Array.isArray(report?.steps)) return report
  } catch (error) {
    console.error(`--shapes ${path}: ${(error as Error).message}`)
    process.exit(2)
  }
  console.error(`--shapes ${path} is not a live report (no "steps")`)
  process.exit(2)
}

for (const [route, faults] of Object.entries(faultsOption(values.faults))) {
  emulator.faults.add(route, ...faults)
}

function faultsOption(text: string | undefined): Record<string, Fault[]> {
  if (text === undefined) return {}
  try {
    const parsed = JSON.parse(text)
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      Object.values(parsed).every(Array.isArray)
    ) {
      return parsed
    }
  } catch {
    // Reported below.
  }
  console.error(
    `--faults must be a JSON object of route keys to lists of faults, got ${JSON.stringify(text)}`
  )
  process.exit(2)
}

const { neon, upstash } = emulator.installations
const products = (installation: typeof neon) =>
  installation.products.map((p) => `${p.id} (${p.slug})`).join(', ')

console.log(`Vercel API emulator listening on ${emulator.url}`)
console.log(`  token:   ${emulator.token}`)
console.log(`  team:    ${emulator.team.id} (slug ${emulator.team.slug})`)
console.log(`  neon:    ${neon.id} -> ${products(neon)}`)
console.log(`  upstash: ${upstash.id} -> ${products(upstash)}`)
for (const project of SEED_PROJECTS) {
  console.log(
    `  project: ${project.id} (${project.name}) in ${project.accountId}`
  )
}

const github = values.github
  ? await startGitHubEmulator({
      port: numberOption('github-port', values['github-port']) ?? 0
    })
  : undefined
if (github) {
  const pull = github.seedPull({ owner: 'acme', repo: 'web', head: 'feat-a' })
  console.log(`GitHub API emulator listening on ${github.url}`)
  console.log(`  token:           ${github.token}`)
  console.log(`  read-only token: ${github.readOnlyToken}`)
  console.log(`  app token:       ${github.appToken} (another app's bot)`)
  console.log(`  user token:      ${github.userToken}`)
  console.log(`  repository:      acme/web, pull request #${pull.number} open`)
}
if (values.shapes) {
  console.log(`  shapes:  answers shaped like ${values.shapes}`)
  // Keys the live API sent that no emulator answer has: printed as found.
  const reported = new Set<string>()
  setInterval(() => {
    for (const gap of emulator.shapeGaps()) {
      if (reported.has(gap)) continue
      reported.add(gap)
      console.log(`  shapes:  the live API also sent ${gap}; not emulated`)
    }
  }, 1000).unref()
}
console.log('Press Ctrl+C to stop.')

let stopping = false
async function stop(signal: string) {
  if (stopping) return
  stopping = true
  console.log(`\n${signal}: shutting down`)
  await Promise.all([emulator.close(), github?.close()])
  process.exit(0)
}
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))
