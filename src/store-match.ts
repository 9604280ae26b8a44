import type { VercelStore } from './vercel/types.js'

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
export type Verdict = 'match' | 'other' | 'unconfirmed'

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
  const field = key.product.startsWith('iap_') ? 'id' : 'slug'
  const product = store.product[field]
  if (product === undefined) return 'unconfirmed'
  return product === key.product ? 'match' : 'other'
}

/** Oldest first: by `createdAt`, then by id, so every run picks the same store. */
export function byAge(a: VercelStore, b: VercelStore): number {
  const age =
    (a.createdAt ?? Number.MAX_SAFE_INTEGER) -
    (b.createdAt ?? Number.MAX_SAFE_INTEGER)
  return age || (a.id ?? '').localeCompare(b.id ?? '')
}
