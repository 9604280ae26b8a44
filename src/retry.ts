/**
 * When the client sends a request again, and after how long: which answers
 * may be retried for each method, the jittered backoff, and the wait the
 * server asks for (`Retry-After`, `X-RateLimit-Reset`).
 */
import type { IncomingHttpHeaders } from 'node:http'

/** How many times a request is sent again after the first attempt. */
export const MAX_RETRIES = 4
/** Backoff before retry n is random in [0, min(CAP, BASE × 2^(n-1))]: full jitter. */
export const BACKOFF_BASE_MS = 500
export const BACKOFF_CAP_MS = 8_000

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

/**
 * Whether an answer may be retried. Reads, deletes and edits are safe to
 * repeat (a repeated delete finds the store gone, a repeated edit sets the
 * same value); a create is retried only on a
 * 429, which means Vercel did nothing: after a 5xx or a lost answer the store
 * may exist, and `store.ts` looks before it creates again.
 */
export function isRetryableStatus(method: Method, status: number): boolean {
  if (status === 429) return true
  return method !== 'POST' && status >= 500 && status <= 599
}

export function isRetryableNetworkError(method: Method): boolean {
  return method !== 'POST'
}

/**
 * Full jitter ("Exponential Backoff And Jitter", AWS Architecture Blog):
 * concurrent runs that failed together spread out instead of retrying in step.
 */
export function backoffMs(retry: number, random: () => number): number {
  const ceiling = Math.min(
    BACKOFF_CAP_MS,
    BACKOFF_BASE_MS * 2 ** Math.max(0, retry - 1)
  )
  return Math.round(random() * ceiling)
}

export function formatSeconds(ms: number): string {
  const seconds = ms / 1000
  return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`
}

/**
 * How long the server asks us to wait before the next request, in ms, or
 * undefined when it does not say. `Retry-After` (seconds or an HTTP date) is
 * read on any retryable answer; `X-RateLimit-Reset` (unix seconds) only on a
 * 429, since Vercel sends its rate-limit headers on every answer.
 */
export function requestedWaitMs(
  status: number,
  headers: IncomingHttpHeaders,
  now: number
): number | undefined {
  const retryAfter = parseRetryAfter(header(headers, 'retry-after'), now)
  if (retryAfter !== undefined) return retryAfter
  if (status !== 429) return undefined
  return parseRateLimitReset(header(headers, 'x-ratelimit-reset'), now)
}

/** `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT`. */
export function parseRetryAfter(
  value: string | undefined,
  now: number
): number | undefined {
  const text = value?.trim()
  if (!text) return undefined
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000
  // An HTTP date names its day and month; this keeps "-3" from passing for one.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** `X-RateLimit-Reset: 1795000000`: when the window resets, in unix seconds. */
export function parseRateLimitReset(
  value: string | undefined,
  now: number
): number | undefined {
  const text = value?.trim()
  if (!text || !/^\d+$/.test(text)) return undefined
  return Math.max(0, Number(text) * 1000 - now)
}

function header(
  headers: IncomingHttpHeaders,
  name: string
): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}
