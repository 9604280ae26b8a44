import { setTimeout as wait } from 'node:timers/promises'
import { ActionError } from './action-error.js'
import { byAge, judgeStore, type StoreKey } from './store-match.js'
import {
  VercelApiError,
  VercelNetworkError,
  VercelResponseError
} from './vercel/errors.js'
import type { StoreApi } from './vercel/store-api.js'
import type { CreateStoreBody, VercelStore } from './vercel/types.js'

/** Creates in all, the first included, when their answers are lost. */
export const MAX_CREATES = 3

/**
 * After a create whose answer was lost, the listing is read at once and then
 * again after each of these pauses before another create is sent: Vercel's
 * listing may lag behind a create it has committed, and each create it did
 * not need costs a store.
 */
export const RELIST_PAUSES_MS: readonly number[] = [500, 1000, 2000]

export type FoundStore = VercelStore & { id: string }

/** A create request that always carries its idempotency key. */
export type KeyedCreateStoreBody = CreateStoreBody & { externalId: string }

export interface EnsureStoreResult {
  store: FoundStore
  created: boolean
  /** Other stores with the same key (from concurrent runs), oldest first. */
  duplicates: FoundStore[]
}

export interface EnsureStoreOptions {
  /** Completes the body once no store was found, e.g. looks up the plan. */
  prepareCreate?: (body: KeyedCreateStoreBody) => Promise<KeyedCreateStoreBody>
  /** The pauses before each listing again (default `RELIST_PAUSES_MS`). */
  relistPausesMs?: readonly number[]
  /** The time left in the step: no pause goes past it. */
  remainingMs?: () => number
  /** For tests: waits, as `setTimeout` would. */
  sleep?: (ms: number) => Promise<void>
}

/**
 * Get or create: find the store with this key, or create it through the
 * direct endpoint. Where several stores share the key the oldest wins.
 */
export async function ensureStore(
  api: StoreApi,
  body: KeyedCreateStoreBody,
  options: EnsureStoreOptions = {}
): Promise<EnsureStoreResult> {
  const { prepareCreate } = options
  const key = keyOf(body)
  const existing = await findStores(api, key)
  if (existing.length > 0) return oldestOf(existing, false)
  const createBody = prepareCreate ? await prepareCreate(body) : body
  let created: VercelStore | undefined
  for (let creates = 1; ; creates++) {
    try {
      created = await api.createStore(createBody)
      break
    } catch (error) {
      // A 2xx whose body could not be read: Vercel took the create, and
      // only the listing can say where the store is.
      if (error instanceof VercelResponseError) break
      if (!mayHaveCreated(error)) throw error
      // The store may exist although the answer was lost: never create again
      // without looking. `created` stays true: the store was absent when this
      // run looked, and is there after its create.
      const listed = await findAfterCreate(api, key, options)
      if (listed.length > 0) return oldestOf(listed, true)
      if (creates >= MAX_CREATES) {
        if (error instanceof Error) {
          error.message = `${error.message} (${creates} creates, and the store is not listed after any)`
        }
        throw error
      }
    }
  }
  if (created?.id) {
    return {
      store: { ...created, id: created.id },
      created: true,
      duplicates: []
    }
  }
  // The create response is not known to carry the id (the official schema
  // leaves it out), or could not be read: the listing is the source of truth.
  const listed = await findAfterCreate(api, key, options)
  if (listed.length === 0) {
    throw new ActionError(
      `Vercel accepted the request to create store "${key.name}" but returned no store id, and the store is not listed yet; run the job again to pick it up.`
    )
  }
  return oldestOf(listed, true)
}

/**
 * The stores of the key after a create that may have taken effect: listed at
 * once, and where none is listed yet, again after each pause that the
 * step's deadline leaves room for.
 */
async function findAfterCreate(
  api: StoreApi,
  key: StoreKey,
  {
    relistPausesMs = RELIST_PAUSES_MS,
    remainingMs = () => Number.POSITIVE_INFINITY,
    sleep = (ms) => wait(ms)
  }: EnsureStoreOptions
): Promise<FoundStore[]> {
  let listed = await findStores(api, key)
  for (const pause of relistPausesMs) {
    if (listed.length > 0 || pause >= remainingMs()) break
    await sleep(pause)
    listed = await findStores(api, key)
  }
  return listed
}

/** The oldest store is the step's; any others are duplicates. */
export function oldestOf(
  stores: FoundStore[],
  created: boolean
): EnsureStoreResult {
  const [store, ...duplicates] = stores
  return { store, created, duplicates }
}

/** Every store with this key, oldest first. */
export async function findStores(
  api: StoreApi,
  key: StoreKey
): Promise<FoundStore[]> {
  const listed = await api.listStores(key.integrationConfigurationId)
  const matches: FoundStore[] = []
  for (const store of listed.filter(hasId)) {
    const verdict = judgeStore(store, key)
    if (verdict === 'match') matches.push(store)
    if (verdict === 'unconfirmed') {
      const confirmed = await readToConfirm(api, store, key)
      if (confirmed) matches.push(confirmed)
    }
  }
  return matches.sort(byAge)
}

/**
 * The store with its secrets' names and its connections' prefixes and
 * variables. The listing may leave those out (the Vercel CLI's type of a
 * listed store has none of them): then one read fills them in.
 */
export async function withDetails(
  api: StoreApi,
  store: FoundStore
): Promise<FoundStore> {
  const connections = store.projectsMetadata
  const complete =
    store.secrets !== undefined &&
    connections != null &&
    connections.every(
      ({ envVarPrefix, environmentVariables }) =>
        envVarPrefix !== undefined && environmentVariables !== undefined
    )
  if (complete) return store
  return mergeRead(store, await api.getStore(store.id))
}

/** The store as a read shows it now; it must exist. */
export async function readStore(
  api: StoreApi,
  id: string
): Promise<FoundStore> {
  return mergeRead({ id }, await api.getStore(id))
}

/** A store's read over its listing, which may describe the product only in part. */
function mergeRead(
  store: FoundStore,
  read: VercelStore | undefined
): FoundStore {
  return {
    ...store,
    ...read,
    id: store.id,
    product: { ...store.product, ...read?.product }
  }
}

/**
 * Reads a store whose listing left out its product's id or slug, and returns
 * it if it is of the key's product.
 */
async function readToConfirm(
  api: StoreApi,
  store: FoundStore,
  key: StoreKey
): Promise<FoundStore | undefined> {
  const merged = mergeRead(store, await api.getStore(store.id))
  const verdict = judgeStore(merged, key)
  if (verdict === 'unconfirmed') {
    throw new ActionError(
      `Store ${store.id} ("${store.name}") has this step's key, but Vercel does not say whether it is of product "${key.product}"; give "product" as the product's ${key.product.startsWith('iap_') ? 'slug' : 'iap_ id'} instead.`
    )
  }
  return verdict === 'match' ? merged : undefined
}

/**
 * A failure after which the store may exist all the same: no answer, a
 * server error, or a conflict.
 */
function mayHaveCreated(error: unknown): boolean {
  return (
    error instanceof VercelNetworkError ||
    (error instanceof VercelApiError &&
      (error.status >= 500 || error.status === 409))
  )
}

export function keyOf(body: KeyedCreateStoreBody): StoreKey {
  return {
    integrationConfigurationId: body.integrationConfigurationId,
    product: body.integrationProductIdOrSlug,
    name: body.name,
    externalId: body.externalId
  }
}

function hasId(store: VercelStore): store is FoundStore {
  return typeof store.id === 'string' && store.id.length > 0
}
