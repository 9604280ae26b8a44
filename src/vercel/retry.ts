/** How many times a request is sent again after the first attempt. */
export const MAX_RETRIES = 4
/** Backoff before retry n is random in [0, min(CAP, BASE × 2^(n-1))]: full jitter. */
export const BACKOFF_BASE_MS = 500
export const BACKOFF_CAP_MS = 8_000

export type Method = 'GET' | 'POST' | 'DELETE'

/**
 * Whether an answer may be retried. Reads and deletes are safe to repeat
 * (a repeated delete finds the store gone); a create is retried only on a
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
