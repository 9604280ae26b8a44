import { createServer, request, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../emulator/index.ts'
import { runAction } from '../harness/run-action.ts'
import { SCENARIOS } from '../harness/scenarios.ts'

// The bundle carries only the parts of undici it uses (src/undici-parts):
// these runs prove that the proxy settings of a self-hosted runner still work.

let emulator: Emulator
let proxy: { url: string; seen: string[]; server: Server }

/** A forward proxy: tunnels CONNECT and relays plain requests. */
async function startProxy(): Promise<typeof proxy> {
  const seen: string[] = []
  const server = createServer((incoming, outgoing) => {
    seen.push(`${incoming.method} ${incoming.url}`)
    const forward = request(
      incoming.url ?? '',
      { method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(outgoing)
      }
    )
    incoming.pipe(forward)
  })
  server.on('connect', (incoming, socket, head) => {
    seen.push(`CONNECT ${incoming.url}`)
    const [host, port] = (incoming.url ?? '').split(':')
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(socket)
      socket.pipe(upstream)
    })
    upstream.on('error', () => socket.destroy())
    socket.on('error', () => upstream.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, seen, server }
}

beforeEach(async () => {
  emulator = await startEmulator()
  proxy = await startProxy()
})

afterEach(async () => {
  proxy.server.closeAllConnections()
  await new Promise((resolve) => proxy.server.close(resolve))
  await emulator.close()
})

describe('dist/index.js behind a proxy', () => {
  const scenario = SCENARIOS.reuseWithIds
  const emulatorHost = () => new URL(emulator.url).host

  it('sends its requests through HTTP_PROXY', async () => {
    const options = scenario.prepare(emulator)
    const result = await runAction({
      ...options,
      env: { ...options.env, HTTP_PROXY: proxy.url, NO_PROXY: '' }
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject(scenario.outputs)
    expect(emulator.count('GET /v1/storage/stores')).toBe(1)
    expect(proxy.seen.length).toBeGreaterThan(0)
    expect(proxy.seen.every((line) => line.includes(emulatorHost()))).toBe(true)
  })

  it('goes direct to a host in NO_PROXY', async () => {
    const options = scenario.prepare(emulator)
    const result = await runAction({
      ...options,
      env: { ...options.env, HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject(scenario.outputs)
    expect(emulator.count('GET /v1/storage/stores')).toBe(1)
    expect(proxy.seen).toEqual([])
  })
})
