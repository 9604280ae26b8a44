import type { IncomingHttpHeaders } from 'node:http'

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
