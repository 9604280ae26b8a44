import { MockAgent, errors } from 'undici'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { VercelClient, isLoopback } from '../src/vercel-client.ts'
import {
  VercelAnswerTooLargeError,
  VercelApiError,
  VercelNetworkError,
  VercelResponseError
} from '../src/errors.ts'
import { VercelApi } from '../src/vercel-api.ts'

const ORIGIN = 'https://api.vercel.com'
const LIST = '/v1/storage/stores'

let agent: MockAgent
let client: VercelClient

beforeEach(() => {
  agent = new MockAgent()
  agent.disableNetConnect()
  client = new VercelClient({
    token: 'tok_123',
    apiUrl: ORIGIN,
    team: { slug: 'acme' },
    userAgent: 'vercel-store-action',
    dispatcher: agent,
    sleep: async () => {}
  })
})

afterEach(async () => {
  agent.assertNoPendingInterceptors()
  await agent.close()
})

const onPath = (prefix: string) => (path: string) => path.startsWith(prefix)

describe('VercelClient', () => {
  it('sends the token, the team scope, the query and a JSON body', async () => {
    let seen: { path: string; headers: unknown; body: unknown } | undefined
    agent
      .get(ORIGIN)
      .intercept({ path: onPath('/v1/x'), method: 'POST' })
      .reply((request) => {
        seen = {
          path: request.path,
          headers: request.headers,
          body: JSON.parse(String(request.body))
        }
        return { statusCode: 200, data: { ok: true } }
      })
    await expect(client.post('/v1/x', { a: 1 }, { b: 'c' })).resolves.toEqual({
      ok: true
    })
    expect(seen?.path).toBe('/v1/x?slug=acme&b=c')
    expect(seen?.headers).toMatchObject({
      authorization: 'Bearer tok_123',
      'content-type': 'application/json',
      'user-agent': 'vercel-store-action'
    })
    expect(seen?.body).toEqual({ a: 1 })
  })

  it.each([
    [
      403,
      '{"error":{"code":"forbidden","message":"Not authorized","invalidToken":true}}',
      'application/json',
      'GET /v1/x answered HTTP 403: forbidden "Not authorized"'
    ],
    [
      404,
      '{"err":{"code":"not_found","message":"Nope"}}',
      'application/json',
      'GET /v1/x answered HTTP 404: not_found "Nope"'
    ],
    [
      502,
      '<!DOCTYPE html><html><body>Bad gateway</body></html>',
      'text/html',
      'GET /v1/x answered HTTP 502: an HTML page (5 attempts)'
    ],
    [
      500,
      '',
      'text/plain',
      'GET /v1/x answered HTTP 500: an empty body (5 attempts)'
    ],
    [
      400,
      '{"message":"odd"}',
      'application/json',
      'GET /v1/x answered HTTP 400: a body that is not a Vercel error: "{\\"message\\":\\"odd\\"}"'
    ]
  ])(
    'describes an HTTP %i answer for a person',
    async (status, body, contentType, message) => {
      agent
        .get(ORIGIN)
        .intercept({ path: onPath('/v1/x'), method: 'GET' })
        .reply(status, body, { headers: { 'content-type': contentType } })
        .times(status >= 500 ? 5 : 1)
      const error = await client.get('/v1/x').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(VercelApiError)
      expect((error as Error).message).toBe(message)
      expect((error as VercelApiError).status).toBe(status)
    }
  )

  it('keeps the flags of Vercel’s error body', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: onPath('/v1/x'), method: 'GET' })
      .reply(403, { error: { code: 'forbidden', invalidToken: true } })
    const error = (await client.get('/v1/x').catch((e) => e)) as VercelApiError
    expect(error.body).toEqual({ code: 'forbidden', invalidToken: true })
  })

  it.each([
    ['<html>maintenance</html>', 'an HTML page instead of JSON'],
    ['', 'an empty body instead of JSON'],
    ['{"stores": [', 'with a truncated JSON body'],
    // Cut just after a number, where V8 names the end's position instead.
    ['{"store": {"createdAt": 17', 'with a truncated JSON body'],
    ['{"store": {"createdAt": -', 'with a truncated JSON body'],
    ['{stores: []}', 'with an invalid JSON body: "{stores: []}"']
  ])('reports a 200 with %j as such', async (body, problem) => {
    agent
      .get(ORIGIN)
      .intercept({ path: onPath('/v1/x'), method: 'GET' })
      .reply(200, body)
    const error = await client.get('/v1/x').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VercelResponseError)
    expect((error as Error).message).toContain(problem)
  })

  it('reads an empty answer to a DELETE as no body', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: onPath('/v1/x'), method: 'DELETE' })
      .reply(204, '')
    expect(await client.delete('/v1/x')).toBeUndefined()
  })

  it('reports a request that got no answer', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: onPath('/v1/x'), method: 'GET' })
      .replyWithError(
        Object.assign(new Error('other side closed'), {
          code: 'UND_ERR_SOCKET'
        })
      )
      .times(5)
    const error = await client.get('/v1/x').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VercelNetworkError)
    expect((error as Error).message).toBe(
      'GET /v1/x got no answer: UND_ERR_SOCKET: other side closed (5 attempts)'
    )
  })
})

describe('VercelApi.listStores', () => {
  const api = () => new VercelApi(client)
  const page = (stores: object[], next: number | null) => ({
    stores,
    pagination: { count: stores.length, next, prev: null }
  })

  it('follows pagination.next with until=', async () => {
    const pool = agent.get(ORIGIN)
    pool
      .intercept({
        path: `${LIST}?slug=acme&integrationConfigurationId=icfg_a`,
        method: 'GET'
      })
      .reply(200, page([{ id: 'store_1' }], 100))
    pool
      .intercept({
        path: `${LIST}?slug=acme&integrationConfigurationId=icfg_a&until=100`,
        method: 'GET'
      })
      .reply(200, page([{ id: 'store_2' }], null))
    await expect(api().listStores('icfg_a')).resolves.toEqual([
      { id: 'store_1' },
      { id: 'store_2' }
    ])
  })

  it.each([
    ['a bare array', []],
    ['no stores key', { data: [] }],
    ['stores that are no list', { stores: {} }]
  ])('fails on %s rather than take it for no stores', async (_, body) => {
    agent
      .get(ORIGIN)
      .intercept({ path: onPath(LIST), method: 'GET' })
      .reply(200, body)
    await expect(api().listStores('icfg_a')).rejects.toThrow(
      /^Vercel's answer to GET \/v1\/storage\/stores (is a list, not an object|has no "stores" \(a list\)|has "stores" as an object, not a list)$/
    )
  })

  it('fails on a cursor that repeats', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: onPath(LIST), method: 'GET' })
      .reply(200, page([], 5))
      .times(2)
    await expect(api().listStores('icfg_a')).rejects.toThrow(
      'with the same page cursor twice'
    )
  })
})

describe('answers over the size the client reads', () => {
  it('fail at once, naming the request, and are not retried', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: onPath(LIST) })
      .replyWithError(new errors.ResponseExceededMaxSizeError())
    const listing = client.get(LIST)
    await expect(listing).rejects.toBeInstanceOf(VercelAnswerTooLargeError)
    await expect(listing).rejects.toThrow(
      "Vercel's answer to GET /v1/storage/stores was larger than 32 MiB"
    )
  })
})

describe('isLoopback: hosts reached without a proxy', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['localhost', true],
    ['[::1]', true],
    ['api.vercel.com', false],
    ['127.0.0.1.nip.io', false],
    ['10.0.0.1', false],
    ['[::2]', false]
  ])('%s: %s', (hostname, loopback) => {
    expect(isLoopback(new URL(`http://${hostname}/`).hostname)).toBe(loopback)
  })
})

describe('VercelApi.prefetchStores', () => {
  function apiCounting(get: () => Promise<unknown>) {
    const calls = vi.fn(get)
    return {
      calls,
      api: new VercelApi({ get: calls } as unknown as VercelClient)
    }
  }

  it('sends the first listing at once and serves it once; later ones are fresh', async () => {
    const { calls, api } = apiCounting(async () => ({ stores: [] }))
    api.prefetchStores('icfg_neon')
    // Sent before anyone asks: it runs alongside the product lookup.
    expect(calls).toHaveBeenCalledTimes(1)
    await api.listStores('icfg_neon')
    expect(calls).toHaveBeenCalledTimes(1)
    await api.listStores('icfg_neon')
    expect(calls).toHaveBeenCalledTimes(2)
  })

  it('keeps a failed prefetch from going unhandled until it is asked for', async () => {
    const { api } = apiCounting(async () => {
      throw new Error('boom')
    })
    api.prefetchStores('icfg_neon')
    await new Promise((resolve) => setTimeout(resolve, 0))
    await expect(api.listStores('icfg_neon')).rejects.toThrow('boom')
  })
})
