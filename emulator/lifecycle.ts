import { clock } from './clock.ts'
import type { StoreNotification, StoreRecord } from './stores.ts'

/**
 * How a new store becomes ready. Vercel answers a create while the partner
 * may still be provisioning; which status it reports then is unverified
 * (api-notes "Things to check" 5), so both knobs are off by default and new
 * stores are `available` at once.
 */
export interface LifecycleSettings {
  /** New stores start `initializing` and settle after this many GETs of the store. */
  initializingReads?: number
  /** New stores start `initializing` and settle this many ms after creation. */
  initializingMs?: number
  /** Where an initializing store settles; default `available`. */
  settleTo?: { status: string; notification?: StoreNotification }
}

const readsOf = new WeakMap<StoreRecord, number>()

/** The status a store created now starts in. */
export function initialStatus(settings: LifecycleSettings): string {
  return settings.initializingReads !== undefined ||
    settings.initializingMs !== undefined
    ? 'initializing'
    : 'available'
}

/** A GET of the store: counts towards readiness, then checks the clock. */
export function advanceOnRead(
  store: StoreRecord,
  settings: LifecycleSettings
): void {
  if (store.status !== 'initializing') return
  const reads = (readsOf.get(store) ?? 0) + 1
  readsOf.set(store, reads)
  if (
    settings.initializingReads !== undefined &&
    reads >= settings.initializingReads
  ) {
    settle(store, settings)
    return
  }
  advanceByTime(store, settings)
}

/** Any look at the store (a listing too) sees the time that has passed. */
export function advanceByTime(
  store: StoreRecord,
  settings: LifecycleSettings
): void {
  if (
    store.status === 'initializing' &&
    settings.initializingMs !== undefined &&
    clock.now() - store.createdAt >= settings.initializingMs
  ) {
    settle(store, settings)
  }
}

function settle(store: StoreRecord, settings: LifecycleSettings): void {
  const { status, notification } = settings.settleTo ?? {
    status: 'available'
  }
  store.status = status
  store.updatedAt = clock.now()
  if (notification) store.notification = structuredClone(notification)
}
