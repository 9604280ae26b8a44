import { parseArgs } from 'node:util'
import { SEED_PROJECTS, startEmulator } from './index.ts'
import type { Fault } from './index.ts'

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
    // {"GET /v1/storage/stores": [{"status": 503}, "reset"], …}
    faults: { type: 'string' }
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
  settleTo: settleTo(values['settle-to'])
})

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
console.log('Press Ctrl+C to stop.')

let stopping = false
async function stop(signal: string) {
  if (stopping) return
  stopping = true
  console.log(`\n${signal}: shutting down`)
  await emulator.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))
