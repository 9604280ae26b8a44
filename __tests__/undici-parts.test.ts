import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import * as undici from 'undici'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
// @ts-expect-error: plain JavaScript, bundled in undici's place (tsconfig.json paths)
import * as parts from '../src/undici-parts/index.js'

const source = readFileSync(
  join(import.meta.dirname, '..', 'src', 'undici-parts', 'index.js'),
  'utf8'
)
const undiciFiles = [...source.matchAll(/from '(undici\/[^']+)'/g)].map(
  ([, specifier]) => specifier
)
const ORIGIN = 'https://api.example.com'

let agent: undici.MockAgent

beforeEach(() => {
  agent = new undici.MockAgent()
  agent.disableNetConnect()
})

afterEach(async () => {
  agent.assertNoPendingInterceptors()
  await agent.close()
})

describe("src/undici-parts (the bundle's undici)", () => {
  it("imports undici's internal files, which must exist where it looks", () => {
    const require = createRequire(import.meta.url)
    expect(undiciFiles.length).toBeGreaterThan(0)
    const missing = undiciFiles.filter((specifier) => {
      try {
        require.resolve(specifier)
        return false
      } catch {
        return true
      }
    })
    expect(
      missing,
      'undici moved its files: update src/undici-parts/index.js and the undici version in package.json'
    ).toEqual([])
  })

  it("exports undici's own classes", () => {
    expect(parts.EnvHttpProxyAgent).toBe(undici.EnvHttpProxyAgent)
    expect(parts.ProxyAgent).toBe(undici.ProxyAgent)
  })

  it('requests like undici: path, query, headers, body, status and body back', async () => {
    let seen: { method: string; headers: unknown; body: unknown } | undefined
    agent
      .get(ORIGIN)
      .intercept({ path: '/v1/things?teamId=t1', method: 'POST' })
      .reply(201, (options) => {
        seen = {
          method: options.method,
          headers: options.headers,
          body: options.body
        }
        return { id: 'x' }
      })
    const response = await parts.request(`${ORIGIN}/v1/things?teamId=t1`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}'
    })
    expect(response.statusCode).toBe(201)
    expect(await response.body.json()).toEqual({ id: 'x' })
    expect(seen).toEqual({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}'
    })
  })

  it('defaults the method as undici does (GET, or PUT with a body), and takes a path option', async () => {
    const methods: string[] = []
    agent
      .get(ORIGIN)
      .intercept({
        path: (path: string) => path.startsWith('/v1/'),
        method: /.*/
      })
      .reply(200, (options) => {
        methods.push(`${options.method} ${options.path}`)
        return ''
      })
      .times(3)
    for (const [url, options] of [
      [`${ORIGIN}/v1/a`, {}],
      [`${ORIGIN}/v1/b`, { body: 'x' }],
      [ORIGIN, { path: 'v1/c?q=1' }]
    ] as const) {
      const response = await parts.request(url, {
        ...options,
        dispatcher: agent
      })
      await response.body.text()
    }
    expect(methods).toEqual(['GET /v1/a', 'PUT /v1/b', 'GET /v1/c?q=1'])
  })

  it("uses undici's global dispatcher when given none", async () => {
    const previous = undici.getGlobalDispatcher()
    undici.setGlobalDispatcher(agent)
    try {
      agent.get(ORIGIN).intercept({ path: '/v1/global' }).reply(204, '')
      const response = await parts.request(`${ORIGIN}/v1/global`)
      expect(response.statusCode).toBe(204)
      await response.body.text()
    } finally {
      undici.setGlobalDispatcher(previous)
    }
  })

  it('throws on an invalid URL as undici does', () => {
    for (const request of [parts.request, undici.request]) {
      expect(() => request('not a url', { dispatcher: agent })).toThrow(
        /Invalid URL/
      )
    }
  })
})
