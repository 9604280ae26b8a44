import { byAge, judgeStore, type StoreKey } from './store-match.js'
import type { StoreApi } from './vercel/store-api.js'
import type { CreateStoreBody, VercelStore } from './vercel/types.js'

export type FoundStore = VercelStore & { id: string }

export interface EnsureStoreResult {
  store: FoundStore
  created: boolean
  /** Other stores with the same key (from concurrent runs), oldest first. */
  duplicates: FoundStore[]
}

/** A failure of the store logic itself, not of a request. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StoreError'
  }
}

/**
 * Get or create: find the store with this key, or create it through the
 * direct endpoint. Where several stores share the key the oldest wins.
 */
export async function ensureStore(
  api: StoreApi,
  body: CreateStoreBody & { externalId: string }
): Promise<EnsureStoreResult> {
  const key = keyOf(body)
  const existing = await findStores(api, key)
  if (existing.length > 0) {
    return { store: existing[0], created: false, duplicates: existing.slice(1) }
  }
  const created = await api.createStore(body)
  if (created?.id) {
    return {
      store: { ...created, id: created.id },
      created: true,
      duplicates: []
    }
  }
  // The create response is not known to carry the id (the official schema
  // leaves it out), so the listing is the source of truth.
  const listed = await findStores(api, key)
  if (listed.length === 0) {
    throw new StoreError(
      `Vercel accepted the request to create store "${key.name}" but returned no store id, and the store is not listed yet; run the job again to pick it up.`
    )
  }
  return { store: listed[0], created: true, duplicates: listed.slice(1) }
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
      // The listing left out the product's id or slug: read the store itself.
      const full = await api.getStore(store.id)
      const confirmed = full && judgeStore({ ...store, ...full }, key)
      if (confirmed === 'match') matches.push(store)
      if (confirmed === 'unconfirmed' || confirmed === undefined) {
        throw new StoreError(
          `Store ${store.id} ("${store.name}") has this step's key, but Vercel does not say whether it is of product "${key.product}"; give "product" as the product's ${key.product.startsWith('iap_') ? 'slug' : 'iap_ id'} instead.`
        )
      }
    }
  }
  return matches.sort(byAge)
}

function keyOf(body: CreateStoreBody & { externalId: string }): StoreKey {
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
