import { describe, expect, it } from 'vitest'
import { byAge, judgeStore, type StoreKey } from '../src/store.ts'
import type { VercelStore } from '../src/vercel-api.ts'

const key: StoreKey = {
  integrationConfigurationId: 'icfg_a',
  product: 'neon',
  name: 'web-pr-1',
  externalId: 'acme-web-pr-1'
}

const ours: VercelStore = {
  id: 'store_1',
  name: 'web-pr-1',
  type: 'integration',
  product: {
    id: 'iap_neon',
    slug: 'neon',
    integrationConfigurationId: 'icfg_a'
  }
}

describe('judgeStore', () => {
  it.each<[string, VercelStore, StoreKey, string]>([
    ['same name, no externalId field', ours, key, 'match'],
    [
      'same name, externalId null (set, not ours)',
      { ...ours, externalId: null },
      key,
      'other'
    ],
    [
      'same externalId, other name',
      { ...ours, name: 'x', externalId: 'acme-web-pr-1' },
      key,
      'match'
    ],
    [
      'same name, other externalId',
      { ...ours, externalId: 'other' },
      key,
      'other'
    ],
    ['other name', { ...ours, name: 'web-pr-2' }, key, 'other'],
    [
      'other installation',
      {
        ...ours,
        product: { ...ours.product, integrationConfigurationId: 'icfg_b' }
      },
      key,
      'other'
    ],
    [
      'other product slug',
      { ...ours, product: { ...ours.product, slug: 'neon-auth' } },
      key,
      'other'
    ],
    ['product by id', ours, { ...key, product: 'iap_neon' }, 'match'],
    ['other product id', ours, { ...key, product: 'iap_other' }, 'other'],
    ['a blob store', { ...ours, type: 'blob' }, key, 'other'],
    [
      'no product slug listed',
      { ...ours, product: { integrationConfigurationId: 'icfg_a' } },
      key,
      'unconfirmed'
    ],
    [
      'no product id listed',
      {
        ...ours,
        product: { slug: 'neon', integrationConfigurationId: 'icfg_a' }
      },
      { ...key, product: 'iap_neon' },
      'unconfirmed'
    ],
    ['no product at all', { ...ours, product: undefined }, key, 'other']
  ])('%s: %s', (_, store, storeKey, verdict) => {
    expect(judgeStore(store, storeKey)).toBe(verdict)
  })
})

describe('byAge', () => {
  it('sorts by createdAt, then id, with undated stores last', () => {
    const stores: VercelStore[] = [
      { id: 'store_c' },
      { id: 'store_b', createdAt: 2 },
      { id: 'store_z', createdAt: 1 },
      { id: 'store_a', createdAt: 2 }
    ]
    expect(stores.sort(byAge).map(({ id }) => id)).toEqual([
      'store_z',
      'store_a',
      'store_b',
      'store_c'
    ])
  })
})
