import { MockAgent, errors } from 'undici'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { VercelClient, isLoopback, Deadline } from '../src/vercel-client.ts'
import {
  parseRateLimitReset,
  parseRetryAfter,
  requestedWaitMs,
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
  MAX_RETRIES,
  backoffMs
} from '../src/retry.ts'
import {
  VercelAnswerTooLargeError,
  VercelApiError,
  VercelNetworkError,
  VercelResponseError,
  StepTimeoutError
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

const NOW = Date.parse('2026-11-26T10:00:00Z')

describe('Retry-After and X-RateLimit-Reset', () => {
  it.each([
    ['0', 0],
    ['2', 2_000],
    ['1.5', 1_500],
    ['Thu, 26 Nov 2026 10:00:30 GMT', 30_000],
    ['Thu, 26 Nov 2026 09:59:00 GMT', 0],
    ['soon', undefined],
    ['-3', undefined],
    ['', undefined],
    [undefined, undefined]
  ])('reads Retry-After %j as %j ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms)
  })

  it.each([
    [String(NOW / 1000 + 12), 12_000],
    [String(NOW / 1000 - 5), 0],
    ['12.5', undefined],
    ['tomorrow', undefined]
  ])('reads X-RateLimit-Reset %j as %j ms', (value, ms) => {
    expect(parseRateLimitReset(value, NOW)).toBe(ms)
  })

  it('prefers Retry-After, and reads X-RateLimit-Reset on a 429 only', () => {
    const reset = String(NOW / 1000 + 60)
    expect(
      requestedWaitMs(
        429,
        { 'retry-after': '3', 'x-ratelimit-reset': reset },
        NOW
      )
    ).toBe(3_000)
    expect(requestedWaitMs(429, { 'x-ratelimit-reset': reset }, NOW)).toBe(
      60_000
    )
    expect(
      requestedWaitMs(503, { 'x-ratelimit-reset': reset }, NOW)
    ).toBeUndefined()
    expect(requestedWaitMs(503, { 'retry-after': '1' }, NOW)).toBe(1_000)
  })
})

describe('backoff', () => {
  it('doubles its ceiling per retry up to the cap, with full jitter', () => {
    expect(backoffMs(1, () => 1)).toBe(BACKOFF_BASE_MS)
    expect(backoffMs(2, () => 1)).toBe(BACKOFF_BASE_MS * 2)
    expect(backoffMs(3, () => 0.5)).toBe(BACKOFF_BASE_MS * 2)
    expect(backoffMs(30, () => 1)).toBe(BACKOFF_CAP_MS)
    expect(backoffMs(4, () => 0)).toBe(0)
  })
})

describe('VercelClient retries', () => {
  const ORIGIN = 'https://api.vercel.com'
  let agent: MockAgent
  let slept: number[]
  let warnings: string[]

  beforeEach(() => {
    agent = new MockAgent()
    agent.disableNetConnect()
    slept = []
    warnings = []
  })

  afterEach(async () => {
    agent.assertNoPendingInterceptors()
    await agent.close()
  })

  function client(deadline?: Deadline) {
    return new VercelClient({
      token: 'tok_123',
      apiUrl: ORIGIN,
      userAgent: 'test',
      dispatcher: agent,
      deadline,
      warn: (line) => warnings.push(line),
      sleep: async (ms) => {
        slept.push(ms)
      },
      random: () => 1
    })
  }

  function reply(
    method: string,
    status: number,
    headers: Record<string, string> = {}
  ) {
    agent
      .get(ORIGIN)
      .intercept({ path: '/v1/x', method })
      .reply(status, status < 300 ? { ok: true } : { error: { code: 'x' } }, {
        headers
      })
  }

  it('retries a read after 503, 429 and a reset, warning each time', async () => {
    reply('GET', 503)
    reply('GET', 429, { 'retry-after': '7' })
    agent
      .get(ORIGIN)
      .intercept({ path: '/v1/x', method: 'GET' })
      .replyWithError(
        Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
      )
    reply('GET', 200)
    await expect(client().get('/v1/x')).resolves.toEqual({ ok: true })
    expect(slept).toEqual([500, 7_000, 2_000])
    expect(warnings).toEqual([
      `GET /v1/x → 503; retry 1 of ${MAX_RETRIES} in 0.5 s`,
      `GET /v1/x → 429; retry 2 of ${MAX_RETRIES} in 7.0 s`,
      `GET /v1/x → ECONNRESET; retry 3 of ${MAX_RETRIES} in 2.0 s`
    ])
  })

  it('retries a delete on 502', async () => {
    reply('DELETE', 502)
    agent
      .get(ORIGIN)
      .intercept({ path: '/v1/x', method: 'DELETE' })
      .reply(204, '')
    await expect(client().delete('/v1/x')).resolves.toBeUndefined()
    expect(warnings).toHaveLength(1)
  })

  it('says how many attempts were made when retries run out', async () => {
    for (let n = 0; n <= MAX_RETRIES; n++) reply('GET', 500)
    const error = await client()
      .get('/v1/x')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VercelApiError)
    expect((error as Error).message).toBe(
      `GET /v1/x answered HTTP 500: x (${MAX_RETRIES + 1} attempts)`
    )
  })

  it.each([400, 401, 403, 404, 409])('does not retry a %i', async (status) => {
    reply('GET', status)
    await expect(client().get('/v1/x')).rejects.toThrow(`HTTP ${status}: x`)
    expect(warnings).toEqual([])
  })

  it('waits out a 429 on a create, which did nothing', async () => {
    reply('POST', 429, {
      'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3)
    })
    reply('POST', 200)
    await expect(client().post('/v1/x', {})).resolves.toEqual({ ok: true })
    expect(slept).toHaveLength(1)
    expect(slept[0]).toBeGreaterThan(2_000)
    expect(slept[0]).toBeLessThanOrEqual(4_000)
  })

  it.each([500, 502, 503, 504])(
    'never repeats a create after a %i',
    async (status) => {
      reply('POST', status)
      await expect(client().post('/v1/x', {})).rejects.toThrow(
        `POST /v1/x answered HTTP ${status}: x`
      )
      expect(slept).toEqual([])
    }
  )

  it('retries a connect timeout while the deadline is far', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: '/v1/x', method: 'GET' })
      .replyWithError(
        Object.assign(new Error('Connect Timeout Error'), {
          code: 'UND_ERR_CONNECT_TIMEOUT'
        })
      )
    reply('GET', 200)
    // 25 s left: less than a GET's own timeouts, far more than a connect's.
    await expect(client(new Deadline(25)).get('/v1/x')).resolves.toEqual({
      ok: true
    })
    expect(warnings).toEqual([
      expect.stringContaining(
        'GET /v1/x → UND_ERR_CONNECT_TIMEOUT; retry 1 of 4'
      )
    ])
  })

  it('never repeats a create after a reset', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: '/v1/x', method: 'POST' })
      .replyWithError(
        Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
      )
    await expect(client().post('/v1/x', {})).rejects.toThrow('got no answer')
    expect(slept).toEqual([])
  })

  it('fails at once when the wait asked for would pass the deadline', async () => {
    reply('GET', 429, { 'retry-after': '120' })
    const error = await client(new Deadline(60))
      .get('/v1/x')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StepTimeoutError)
    expect((error as Error).message).toMatch(
      /^GET \/v1\/x answered HTTP 429: x; Vercel asks to wait 120 s before trying again, more than the \d+ s left of the step's timeout \(60 s\)\. Raise "timeout"/
    )
    expect(slept).toEqual([])
  })

  it('fails at once when the backoff would pass the deadline', async () => {
    let now = 0
    const deadline = new Deadline(1, () => now)
    now = 800
    reply('GET', 503)
    await expect(client(deadline).get('/v1/x')).rejects.toThrow(
      "GET /v1/x answered HTTP 503: x; the next try would be in 0.5 s, more than the 0.2 s left of the step's timeout (1 s)."
    )
    expect(slept).toEqual([])
  })

  it('sends nothing once the deadline has passed', async () => {
    let now = 0
    const deadline = new Deadline(1, () => now)
    now = 1_000
    await expect(client(deadline).get('/v1/x')).rejects.toThrow(
      "The step's timeout (1 s) ran out while GET /v1/x"
    )
  })
})

describe('Deadline', () => {
  it('counts down from its seconds and stops at zero', () => {
    let now = 1_000
    const deadline = new Deadline(2, () => now)
    expect(deadline.at).toBe(3_000)
    expect(deadline.remainingMs()).toBe(2_000)
    now = 2_500
    expect(deadline.remainingMs()).toBe(500)
    expect(deadline.expired()).toBe(false)
    now = 4_000
    expect(deadline.remainingMs()).toBe(0)
    expect(deadline.expired()).toBe(true)
  })
})
