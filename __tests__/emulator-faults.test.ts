import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator, type Emulator } from '../emulator/index.ts'

const TEAM_ID = 'team_emulator0000000000000001'
const LIST_PATH = `/v1/storage/stores?teamId=${TEAM_ID}`
const CREATE_PATH = `/v1/storage/stores/integration/direct?teamId=${TEAM_ID}`
const NEON = {
  name: 'db',
  integrationConfigurationId: 'icfg_emuNeon0001',
  integrationProductIdOrSlug: 'neon'
}

let emulator: Emulator

beforeEach(async () => {
  emulator = await startEmulator()
})

afterEach(async () => {
  await emulator.close()
})

function send(path: string, body?: unknown): Promise<Response> {
  return fetch(`${emulator.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${emulator.token}`,
      'content-type': 'application/json'
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
}

describe('emulator fault plans', () => {
  it('consumes one fault per request, in order, then answers normally', async () => {
    emulator.faults.add(
      ROUTES.listStores,
      { status: 503, headers: { 'retry-after': '7' } },
      'html-502'
    )
    expect(emulator.faults.pending()).toEqual({
      [ROUTES.listStores]: [
        { status: 503, headers: { 'retry-after': '7' } },
        'html-502'
      ]
    })
    const first = await send(LIST_PATH)
    expect(first.status).toBe(503)
    expect(first.headers.get('retry-after')).toBe('7')
    expect(await first.json()).toEqual({
      error: {
        code: 'internal_server_error',
        message: 'Injected fault: HTTP 503'
      }
    })
    const second = await send(LIST_PATH)
    expect(second.status).toBe(502)
    expect(await second.text()).toMatch(/^<!DOCTYPE html>/)
    expect((await send(LIST_PATH)).status).toBe(200)
    expect(emulator.faults.pending()).toEqual({})
    expect(
      emulator.requests.map(({ status, fault }) => ({ status, fault }))
    ).toEqual([
      { status: 503, fault: 'status 503' },
      { status: 502, fault: 'html-502' },
      { status: 200, fault: undefined }
    ])
  })

  it('commits a create, then drops the connection', async () => {
    emulator.faults.add(ROUTES.createStore, 'commit-then-drop')
    await expect(send(CREATE_PATH, NEON)).rejects.toThrow()
    expect(emulator.stores()).toHaveLength(1)
    expect(emulator.requests[0]).toMatchObject({
      route: ROUTES.createStore,
      status: 0,
      fault: 'commit-then-drop'
    })
  })

  it('resets before the route runs: no store', async () => {
    emulator.faults.add(ROUTES.createStore, 'reset')
    await expect(send(CREATE_PATH, NEON)).rejects.toThrow()
    expect(emulator.stores()).toHaveLength(0)
  })

  it.each([
    ['empty-body', ''],
    ['truncated-json', /^\{"store":\{.*[^}]$/],
    ['invalid-json', /^\{store:\{id:"store_/]
  ] as const)(
    'spoils the body of a 200 with %s, after the store is made',
    async (fault, body) => {
      emulator.faults.add(ROUTES.createStore, fault)
      const response = await send(CREATE_PATH, NEON)
      expect(response.status).toBe(200)
      const text = await response.text()
      expect(text).toMatch(body)
      expect(() => JSON.parse(text)).toThrow()
      expect(emulator.stores()).toHaveLength(1)
    }
  )

  it('leaves the id out of a create response', async () => {
    emulator.faults.add(ROUTES.createStore, 'omit-id')
    const { store } = (await (await send(CREATE_PATH, NEON)).json()) as {
      store: Record<string, unknown>
    }
    expect(store.name).toBe('db')
    expect(store).not.toHaveProperty('id')
  })

  it('works for any route key, and clears', async () => {
    emulator.faults.add('UNKNOWN', { status: 418 })
    emulator.faults.add(ROUTES.getStore, 'reset')
    expect((await send('/v9/nothing')).status).toBe(418)
    emulator.faults.clear()
    expect(emulator.faults.pending()).toEqual({})
    expect((await send('/v9/nothing')).status).toBe(404)
  })

  it('takes a plan from the command line', async () => {
    const cli = join(import.meta.dirname, '..', 'emulator', 'cli.ts')
    const child = execFile(process.execPath, [
      cli,
      '--faults',
      JSON.stringify({ [ROUTES.listStores]: [{ status: 429 }] })
    ])
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          const match = /listening on (\S+)/.exec(String(chunk))
          if (match) resolve(match[1])
        })
        child.once('exit', (code) => reject(new Error(`exited ${code}`)))
      })
      const response = await fetch(`${url}/v1/storage/stores`)
      expect(response.status).toBe(429)
      // The plan is spent: the next request is answered as ever (no token).
      expect((await fetch(`${url}/v1/storage/stores`)).status).toBe(403)
    } finally {
      child.kill()
    }
  })
})
