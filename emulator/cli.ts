import { parseArgs } from 'node:util'
import { startEmulator } from './index.ts'

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    token: { type: 'string' },
    'list-external-id': { type: 'boolean', default: false },
    'create-omits-id': { type: 'boolean', default: false },
    'minimal-listing': { type: 'boolean', default: false },
    'page-size': { type: 'string' },
    'latency-ms': { type: 'string' }
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

const emulator = await startEmulator({
  port: numberOption('port', values.port ?? process.env.PORT) ?? 0,
  token: values.token,
  listIncludesExternalId: values['list-external-id'],
  createResponseOmitsId: values['create-omits-id'],
  minimalListing: values['minimal-listing'],
  pageSize: numberOption('page-size', values['page-size']),
  latencyMs: numberOption('latency-ms', values['latency-ms'])
})

const { neon, upstash } = emulator.installations
const products = (installation: typeof neon) =>
  installation.products.map((p) => `${p.id} (${p.slug})`).join(', ')

console.log(`Vercel API emulator listening on ${emulator.url}`)
console.log(`  token:   ${emulator.token}`)
console.log(`  team:    ${emulator.team.id} (slug ${emulator.team.slug})`)
console.log(`  neon:    ${neon.id} -> ${products(neon)}`)
console.log(`  upstash: ${upstash.id} -> ${products(upstash)}`)
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
