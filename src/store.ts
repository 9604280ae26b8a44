/**
 * The stores with the step's key: found in the listing (the key, the
 * product, the oldest first), read with their details, created through the
 * direct endpoint where there is none (a lost answer looked for in the
 * listing before any other create), and removed with their connections.
 */
import { setTimeout as delay } from 'node:timers/promises'
import {
  ActionError,
  VercelApiError,
  VercelNetworkError,
  VercelResponseError
} from './errors.ts'
import type { ConnectionApi, StoreApi } from './vercel-api.ts'
import type { CreateStoreBody, VercelStore } from './vercel-types.ts'

/** Creates in all, the first included, when their answers are lost. */
const MAX_CREATES = 3

/**
 * After a create whose answer was lost, the listing is read at once and then
 * again after each of these pauses before another create is sent: Vercel's
 * listing may lag behind a create it has committed, and each create it did
 * not need costs a store.
 */
const RELIST_PAUSES_MS: readonly number[] = [500, 1000, 2000]

export type FoundStore = VercelStore & { id: string }

/** A create request that always carries its idempotency key. */
export type KeyedCreateStoreBody = CreateStoreBody & { externalId: string }

export interface EnsureStoreResult {
  store: FoundStore
  created: boolean
  /** Other stores with the same key (from concurrent runs), oldest first. */
  duplicates: FoundStore[]
}

export interface CreateStoreOptions {
  /** The pauses before each listing again (default `RELIST_PAUSES_MS`). */
  relistPausesMs?: readonly number[]
  /** The time left in the step: no pause goes past it. */
  remainingMs?: () => number
  /** For tests: waits, as `setTimeout` would. */
  sleep?: (ms: number) => Promise<void>
}

/**
 * Creates the store through the direct endpoint, once `findStores` found
 * none with its key. Where the answer is lost the store may exist all the
 * same: the listing is read again before any other create.
 */
export async function createStore(
  api: StoreApi,
  createBody: KeyedCreateStoreBody,
  options: CreateStoreOptions = {}
): Promise<EnsureStoreResult> {
  const key = keyOf(createBody)
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
    sleep = (ms) => delay(ms)
  }: CreateStoreOptions
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
  return (await findStoresInListing(api, key)).matches
}

/**
 * The stores with this key, oldest first, and the installation's whole
 * listing they were found in, which other checks read at no cost.
 */
export async function findStoresInListing(
  api: StoreApi,
  key: StoreKey
): Promise<{ matches: FoundStore[]; listed: VercelStore[] }> {
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
  return { matches: matches.sort(byAge), listed }
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

/** What makes a store the one this step manages. */
export interface StoreKey {
  integrationConfigurationId: string
  /** `iap_…` id or slug, as the user gave it. */
  product: string
  name: string
  externalId: string
}

/**
 * `match`: this step's store. `other`: not ours. `unconfirmed`: the key
 * matches but the listing does not say which product the store is of.
 */
type Verdict = 'match' | 'other' | 'unconfirmed'

/**
 * A store is ours when it belongs to the same installation and product, and
 * its `externalId` equals the key, or, where the store carries no
 * `externalId` field, its name equals the name. A store of another product or
 * installation is never ours, whatever its name.
 */
export function judgeStore(store: VercelStore, key: StoreKey): Verdict {
  if (store.type !== undefined && store.type !== 'integration') return 'other'
  if (
    store.product?.integrationConfigurationId !== key.integrationConfigurationId
  ) {
    return 'other'
  }
  // Only where the field is absent does the name stand in for the key.
  const sameKey =
    store.externalId !== undefined
      ? store.externalId === key.externalId
      : store.name === key.name
  if (!sameKey) return 'other'
  return productOf(store, key.product)
}

/**
 * Whether a listed store is of the product given by id (`iap_…`) or slug,
 * compared by that field; `unconfirmed` where the listing leaves it out.
 */
export function productOf(
  store: VercelStore,
  productIdOrSlug: string
): Verdict {
  const field = productIdOrSlug.startsWith('iap_') ? 'id' : 'slug'
  const listed = store.product?.[field]
  if (listed === undefined) return 'unconfirmed'
  return listed === productIdOrSlug ? 'match' : 'other'
}

/** Whether a store's product is this one, by its id or by its slug. */
export function isSameProduct(
  listed: { id?: string; slug?: string },
  product: { id?: string; slug?: string }
): boolean {
  return (
    (listed.id !== undefined && listed.id === product.id) ||
    (listed.slug !== undefined && listed.slug === product.slug)
  )
}

/** Oldest first: by `createdAt`, then by id, so every run picks the same store. */
export function byAge(a: VercelStore, b: VercelStore): number {
  const age =
    (a.createdAt ?? Number.MAX_SAFE_INTEGER) -
    (b.createdAt ?? Number.MAX_SAFE_INTEGER)
  return age || (a.id ?? '').localeCompare(b.id ?? '')
}

export interface RemovedStore {
  id: string
  name: string
  /** The projects it was disconnected from, by name where Vercel gives one. */
  projects: string[]
}

/**
 * Deletes these stores (every one with the key, duplicates included, oldest
 * first). Vercel refuses to delete a store that projects are connected to, so each
 * is disconnected first.
 */
export async function removeStores(
  api: ConnectionApi,
  stores: FoundStore[],
  fallbackName: string,
  log: (line: string) => void = () => {}
): Promise<RemovedStore[]> {
  const removed: RemovedStore[] = []
  for (const store of stores) {
    const metadata = store.projectsMetadata
    const projects = (metadata ?? []).map(
      ({ name, projectId }) => name ?? projectId ?? 'unnamed project'
    )
    // Where the listing does not say, disconnecting costs one request more
    // than a refused delete would.
    if (!Array.isArray(metadata) || metadata.length > 0) {
      await api.disconnectAll(store.id)
      log(
        `Disconnected store ${store.id} from ${projects.length > 0 ? projects.join(', ') : 'its projects'}.`
      )
    }
    await api.deleteStore(store.id)
    log(`Deleted store ${store.name ?? ''} (${store.id}).`)
    removed.push({ id: store.id, name: store.name ?? fallbackName, projects })
  }
  return removed
}
