import { readFileSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../emulator/index.ts'
import {
  runBundle,
  type RunOptions,
  type RunResult
} from '../harness/run-action.ts'
import { SCENARIOS } from '../harness/scenarios.ts'

// The proxy settings of a self-hosted runner, through dist/index.js: https
// goes through HTTPS_PROXY's CONNECT tunnel, and a loopback api-url never
// goes through a proxy, so the token is not handed to one.

// A self-signed certificate for api.vercel.test, valid until 2126 (made once
// with `openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj
// /CN=api.vercel.test -addext subjectAltName=DNS:api.vercel.test`).
const TLS_DIR = join(import.meta.dirname, 'support', 'tls')
const CERTIFICATE = join(TLS_DIR, 'api.vercel.test.crt')
const KEY = join(TLS_DIR, 'api.vercel.test.key')
// A name only the test proxy resolves (to 127.0.0.1): a host that is not
// loopback to the action, and no request ever leaves the machine.
const API_HOST = 'api.vercel.test'

interface Proxy {
  url: string
  /** `CONNECT host:port`, or `METHOD url` of a request to relay. */
  seen: string[]
  /** The Authorization headers of the requests it was asked to relay. */
  authorizations: string[]
  server: Server
}

function errorLines({ stdout }: RunResult): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('::error::'))
}

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function emulatorFor(
  options: Parameters<typeof startEmulator>[0] = {}
): Promise<Emulator> {
  const emulator = await startEmulator(options)
  cleanups.push(() => emulator.close())
  return emulator
}

/**
 * A forward proxy on loopback. It tunnels CONNECT to api.vercel.test (to
 * 127.0.0.1) and relays plain requests to 127.0.0.1; any other host it
 * refuses, so nothing reaches the network.
 */
async function startProxy(): Promise<Proxy> {
  const seen: string[] = []
  const authorizations: string[] = []
  const server = createServer((incoming, outgoing) => {
    seen.push(`${incoming.method} ${incoming.url}`)
    if (incoming.headers.authorization) {
      authorizations.push(incoming.headers.authorization)
    }
    const target = new URL(incoming.url ?? '/', 'http://invalid')
    if (target.hostname !== '127.0.0.1') {
      outgoing.writeHead(502).end()
      return
    }
    const forward = request(
      target,
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
    if (host !== API_HOST) {
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
      return
    }
    const upstream = connect(Number(port), '127.0.0.1', () => {
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
  cleanups.push(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return { url: `http://127.0.0.1:${port}`, seen, authorizations, server }
}

describe('dist/index.js behind a proxy', () => {
  it('reaches an https api-url through the CONNECT tunnel of HTTPS_PROXY', async () => {
    const emulator = await emulatorFor({
      tls: { key: readFileSync(KEY), cert: readFileSync(CERTIFICATE) }
    })
    const proxy = await startProxy()
    const { port } = new URL(emulator.url)
    const base = SCENARIOS.createWithIds.prepare(emulator)
    const options: RunOptions = {
      ...base,
      inputs: { ...base.inputs, 'api-url': `https://${API_HOST}:${port}` },
      env: {
        HTTPS_PROXY: proxy.url,
        NO_PROXY: '',
        NODE_EXTRA_CA_CERTS: CERTIFICATE
      }
    }

    const created = await runBundle(options)
    expect(errorLines(created)).toEqual([])
    expect(created.exitCode).toBe(0)
    expect(created.outputs).toMatchObject(SCENARIOS.createWithIds.outputs)
    const reused = await runBundle(options)
    expect(reused.exitCode).toBe(0)
    expect(reused.outputs).toMatchObject({
      ...SCENARIOS.reuseWithIds.outputs,
      'store-id': created.outputs['store-id']
    })

    expect(emulator.counts()).toEqual({
      'GET /v1/storage/stores': 2,
      'POST /v1/storage/stores/integration/direct': 1
    })
    expect(proxy.seen.length).toBeGreaterThan(0)
    expect(new Set(proxy.seen)).toEqual(
      new Set([`CONNECT ${API_HOST}:${port}`])
    )
    // Inside the tunnel the token travels encrypted: the proxy never sees it.
    expect(proxy.authorizations).toEqual([])
  })

  it('caps an answer read through the tunnel as one read directly', async () => {
    const emulator = await emulatorFor({
      tls: { key: readFileSync(KEY), cert: readFileSync(CERTIFICATE) }
    })
    const proxy = await startProxy()
    emulator.faults.add('GET /v1/storage/stores', {
      status: 200,
      body: { stores: [], padding: 'x'.repeat(33 * 1024 * 1024) }
    })
    const { port } = new URL(emulator.url)
    const base = SCENARIOS.createWithIds.prepare(emulator)

    const result = await runBundle({
      ...base,
      inputs: { ...base.inputs, 'api-url': `https://${API_HOST}:${port}` },
      env: {
        HTTPS_PROXY: proxy.url,
        NO_PROXY: '',
        NODE_EXTRA_CA_CERTS: CERTIFICATE
      }
    })

    expect(result.exitCode).toBe(1)
    expect(errorLines(result)).toEqual([
      expect.stringMatching(
        /^::error::Vercel's answer to GET \/v1\/storage\/stores was larger than 32 MiB/
      )
    ])
    expect(emulator.counts()).toEqual({ 'GET /v1/storage/stores': 1 })
    expect(proxy.seen).toEqual([`CONNECT ${API_HOST}:${port}`])
  })

  it.each(['HTTP_PROXY', 'http_proxy'])(
    'goes direct to a loopback api-url, never giving the token to %s',
    async (variable) => {
      const emulator = await emulatorFor()
      const proxy = await startProxy()
      const scenario = SCENARIOS.reuseWithIds
      const options = scenario.prepare(emulator)
      expect(new URL(emulator.url).hostname).toBe('127.0.0.1')

      const result = await runBundle({
        ...options,
        env: { ...options.env, [variable]: proxy.url, NO_PROXY: '' }
      })

      expect(result.exitCode).toBe(0)
      expect(result.outputs).toMatchObject(scenario.outputs)
      expect(emulator.count('GET /v1/storage/stores')).toBe(1)
      expect(proxy.seen).toEqual([])
      expect(proxy.authorizations).toEqual([])
    }
  )
})
