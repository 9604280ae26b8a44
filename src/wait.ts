import { setTimeout as delay } from 'node:timers/promises'
import type { Deadline } from './deadline.js'
import { Inputs } from './constants.js'
import { ActionError } from './action-error.js'
import type { FoundStore } from './store.js'
import { StepTimeoutError } from './step-timeout.js'
import type { StoreApi } from './vercel/store-api.js'
import type { VercelStore } from './vercel/types.js'

/** Statuses a store does not leave by itself: waiting on them is pointless. */
export const END_STATUSES: readonly string[] = [
  'error',
  'suspended',
  'limits-exceeded-suspended',
  'limits-exceeded-suspended-store-count',
  'uninstalled'
]

export interface WaitOptions {
  sleep?: (ms: number) => Promise<void>
  /** 0 to 1; spreads the polls of runs that started together. */
  random?: () => number
  log?: (line: string) => void
}

const FIRST_PAUSE_MS = 1_000
const PAUSE_GROWTH = 1.5
const MAX_PAUSE_MS = 10_000

/**
 * Polls the store until it is `available`: at once, then after pauses that
 * grow from 1 s to 10 s, never past the step's deadline. A store the caller
 * already knows to be available costs no request.
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
  let pause = FIRST_PAUSE_MS
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
    const jittered = pause * (0.9 + 0.2 * random())
    const ms = Math.min(jittered, deadline.remainingMs())
    log(
      `Store ${current.id} is ${status ?? 'without a status'}; asking again in ${(ms / 1000).toFixed(1)} s.`
    )
    await sleep(ms)
    pause = Math.min(pause * PAUSE_GROWTH, MAX_PAUSE_MS)
  }
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
  return `Store ${describe(store)} is ${status}, which it will not leave by itself. ${reason}${where} Resolve it in the Vercel dashboard, or delete the store and run the job again.`
}

function describe(store: FoundStore): string {
  return store.name ? `"${store.name}" (${store.id})` : store.id
}
