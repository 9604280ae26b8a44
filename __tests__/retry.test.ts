import { MockAgent } from 'undici'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Deadline } from '../src/vercel-client.ts'
import { StepTimeoutError } from '../src/errors.ts'
import { VercelClient } from '../src/vercel-client.ts'
import { VercelApiError } from '../src/errors.ts'
import {
  parseRateLimitReset,
  parseRetryAfter,
  requestedWaitMs
} from '../src/vercel-client.ts'
import {
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
  MAX_RETRIES,
  backoffMs
} from '../src/vercel-client.ts'

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
