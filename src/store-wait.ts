/**
 * Waiting for a store to become `available`: polled about once a second,
 * never past the step's deadline, and a status the store will not leave by
 * itself (suspended, over its plan's limits) failed at once with Vercel's
 * reason and what frees it.
 */
import { setTimeout as delay } from 'node:timers/promises'
import { Inputs } from './constants.ts'
import { ActionError, StepTimeoutError } from './errors.ts'
import type { FoundStore } from './store.ts'
import type { StoreApi } from './vercel-api.ts'
import type { Deadline } from './vercel-client.ts'
import type { VercelStore } from './vercel-types.ts'

/** Statuses a store does not leave by itself: waiting on them is pointless. */
const END_STATUSES: readonly string[] = [
  'error',
  'suspended',
  'limits-exceeded-suspended',
  'limits-exceeded-suspended-store-count',
  'uninstalled'
]

interface WaitOptions {
  sleep?: (ms: number) => Promise<void>
  /** 0 to 1; spreads the polls of runs that started together. */
  random?: () => number
  log?: (line: string) => void
}

// One read a second at most, on average: the pause is 0.9 to 1 s, so the
// step goes on within a second of the store becoming available, and runs
// that started together spread their reads.
const POLL_MS = 1_000
const POLL_SPREAD = 0.1

/**
 * Polls the store until it is `available`: at once, then every 0.9 to 1 s,
 * never past the step's deadline. A store the caller already knows to be
 * available costs no request.
 */
export async function waitUntilAvailable(
  api: Pick<StoreApi, 'getStore'>,
  store: FoundStore,
  deadline: Deadline,
  {
    sleep = (ms) => delay(ms),
    random = Math.random,
    log = () => {}
  }: WaitOptions = {}
): Promise<FoundStore> {
  let current = store
  if (current.status === 'available') return current
  const remainingAtStart = deadline.remainingMs()
  const timedOut = () => {
    const waited = (remainingAtStart - deadline.remainingMs()) / 1000
    return new ActionError(
      `Store ${describe(current)} is still ${current.status ?? 'without a status'} after ${Math.round(waited)} s of waiting, and the step's ${deadline.seconds} s are up; raise "${Inputs.timeout}", or set "${Inputs.wait}" to false to go on without waiting.`
    )
  }
  for (;;) {
    if (deadline.expired()) throw timedOut()
    let read: VercelStore | undefined
    try {
      read = await api.getStore(store.id)
    } catch (error) {
      // The deadline ran out during a read: what matters is the last status.
      if (error instanceof StepTimeoutError) throw timedOut()
      throw error
    }
    current = { ...current, ...read, id: store.id }
    const status = current.status
    if (status === 'available') return current
    if (status && END_STATUSES.includes(status)) {
      throw new ActionError(endStateMessage(current, status))
    }
    const pause = POLL_MS * (1 - POLL_SPREAD * random())
    const ms = Math.min(pause, deadline.remainingMs())
    log(
      `Store ${current.id} is ${status ?? 'without a status'}; asking again in ${(ms / 1000).toFixed(1)} s.`
    )
    await sleep(ms)
  }
}

/**
 * The statuses a plan's limit puts a store in: the line names the limit and
 * what frees room under it.
 */
const LIMIT_STATUSES: Record<string, string> = {
  'limits-exceeded-suspended-store-count': `The team has more stores of this product than its plan allows: delete the stores of closed pull requests (a nightly "${Inputs.state}: prune"), set "${Inputs.maxStores}" under the plan's limit, or raise the plan.`,
  'limits-exceeded-suspended': `The store went past its plan's usage limits: raise the plan, or delete the stores of closed pull requests (a nightly "${Inputs.state}: prune") to free usage.`
}

function endStateMessage(store: FoundStore, status: string): string {
  const { title, message, href } = store.notification ?? {}
  const said = [title, message]
    .map((text) =>
      text
        ?.replace(/\s+/g, ' ')
        .trim()
        .replace(/[.\s]+$/, '')
    )
    .filter(Boolean)
    .join(': ')
  const reason = said ? `Vercel says: ${said}.` : 'Vercel gives no reason.'
  const where = href ? ` See ${href}.` : ''
  const next =
    LIMIT_STATUSES[status] ??
    'Resolve it in the Vercel dashboard, or delete the store and run the job again.'
  return `Store ${describe(store)} is ${status}, which it will not leave by itself. ${reason}${where} ${next}`
}

function describe(store: FoundStore): string {
  return store.name ? `"${store.name}" (${store.id})` : store.id
}
