import { describe, expect, it, vi } from 'vitest'
import {
  needsProducts,
  resolveInstallation,
  resolvePlan,
  resolveProduct,
  type TargetInputs
} from '../src/resolve.ts'
import type { IntegrationApi } from '../src/vercel-api.ts'
import type {
  BillingPlan,
  IntegrationConfiguration
} from '../src/vercel-types.ts'

/** Installation, then product, as the action resolves them. */
async function resolveTarget(api: IntegrationApi, inputs: TargetInputs) {
  return resolveProduct(
    api,
    await resolveInstallation(api, inputs.integration),
    inputs
  )
}

const neonInstallation: IntegrationConfiguration = {
  id: 'icfg_neon',
  integrationId: 'oac_neon',
  slug: 'neon',
  installationType: 'marketplace',
  integration: { name: 'Neon' }
}

const plans: BillingPlan[] = [
  { id: 'bp_free', name: 'Free', type: 'subscription' },
  {
    id: 'bp_credits',
    name: 'Credits',
    type: 'prepayment',
    minimumAmount: '5',
    maximumAmount: '$20.50'
  },
  { id: 'bp_old', name: 'Old', type: 'subscription', disabled: true }
]

function fakeApi(installations = [neonInstallation]) {
  return {
    listInstallations: vi.fn(async () => installations),
    listProducts: vi.fn(async () => ({
      products: [
        {
          id: 'iap_pg',
          slug: 'postgres',
          name: 'Neon Postgres',
          primaryProtocol: 'storage',
          metadataSchema: {
            type: 'object',
            properties: { region: { type: 'string', enum: ['iad1'] } }
          }
        },
        {
          id: 'iap_ai',
          slug: 'ai',
          name: 'Neon AI',
          primaryProtocol: 'ai'
        }
      ],
      integration: { id: 'oac_neon', slug: 'neon', name: 'Neon' }
    })),
    listPlans: vi.fn(async () => plans)
  } satisfies IntegrationApi
}

const target = (extra: Partial<TargetInputs> = {}): TargetInputs => ({
  integration: 'icfg_neon',
  product: 'iap_pg',
  ...extra
})

describe('resolveTarget', () => {
  it('takes an icfg_ and iap_ pair as they are, with no request', async () => {
    const api = fakeApi()
    expect(await resolveTarget(api, target())).toEqual({
      integrationConfigurationId: 'icfg_neon',
      product: { id: 'iap_pg' },
      productIdOrSlug: 'iap_pg'
    })
    expect(api.listInstallations).not.toHaveBeenCalled()
    expect(api.listProducts).not.toHaveBeenCalled()
  })

  it.each(['postgres', 'Neon Postgres', 'neon postgres', 'iap_pg'])(
    'finds the product %j by slug, name or id, with the integration by slug',
    async (product) => {
      const api = fakeApi()
      const resolved = await resolveTarget(
        api,
        target({ integration: 'neon', product, metadata: {} })
      )
      expect(resolved).toMatchObject({
        integrationConfigurationId: 'icfg_neon',
        integration: { id: 'oac_neon', slug: 'neon', name: 'Neon' },
        product: { id: 'iap_pg', slug: 'postgres', name: 'Neon Postgres' },
        productIdOrSlug: 'postgres',
        metadata: {}
      })
      expect(api.listInstallations).toHaveBeenCalledWith('neon')
      expect(api.listProducts).toHaveBeenCalledWith('icfg_neon')
    }
  )

  it('lists only storage products when the product is unknown', async () => {
    await expect(
      resolveTarget(fakeApi(), target({ product: 'ai' }))
    ).rejects.toThrow(
      'Input "product" "ai" is not a storage product of installation icfg_neon; its products are postgres (Neon Postgres).'
    )
  })

  it('checks metadata against the product’s schema', async () => {
    await expect(
      resolveTarget(
        fakeApi(),
        target({ metadata: { region: 'fra1' }, metadataSyntax: 'lines' })
      )
    ).rejects.toThrow('Input "metadata" key "region" must be one of iad1')
  })
})

describe('resolveInstallation', () => {
  it('ignores other integrations, external and deleted installations', async () => {
    const api = fakeApi([
      neonInstallation,
      { ...neonInstallation, id: 'icfg_ext', installationType: 'external' },
      { ...neonInstallation, id: 'icfg_gone', deletedAt: 1 },
      { ...neonInstallation, id: 'icfg_other', slug: 'supabase' }
    ])
    expect(await resolveInstallation(api, 'neon')).toMatchObject({
      integrationConfigurationId: 'icfg_neon'
    })
  })
})

describe('needsProducts', () => {
  it.each([
    [target(), false],
    [target({ product: 'postgres' }), true],
    [target({ metadata: {} }), true],
    [target({ plan: 'bp_free' }), true]
  ])('%j: %s', (inputs, expected) => {
    expect(needsProducts(inputs)).toBe(expected)
  })
})

describe('resolvePlan', () => {
  const resolved = {
    integrationConfigurationId: 'icfg_neon',
    integration: { id: 'oac_neon' },
    product: { id: 'iap_pg', name: 'Neon Postgres' },
    productIdOrSlug: 'postgres',
    metadata: { region: 'iad1' }
  }

  it.each(['bp_free', 'free', 'FREE'])(
    'finds %s by id or name',
    async (plan) => {
      const api = fakeApi()
      expect((await resolvePlan(api, resolved, { plan })).id).toBe('bp_free')
      expect(api.listPlans).toHaveBeenCalledWith({
        integrationIdOrSlug: 'oac_neon',
        productIdOrSlug: 'iap_pg',
        integrationConfigurationId: 'icfg_neon',
        metadata: { region: 'iad1' }
      })
    }
  )

  it.each(['Old', 'Gold'])(
    'lists the plans that can be chosen for %s',
    async (plan) => {
      await expect(resolvePlan(fakeApi(), resolved, { plan })).rejects.toThrow(
        'choose one of: Free (bp_free, subscription, free); Credits (bp_credits, prepayment, prepaid $5 to $20.50).'
      )
    }
  )

  it('reads a prepayment plan’s bounds as dollars', async () => {
    const choose = (prepaymentAmountCents?: number) =>
      resolvePlan(fakeApi(), resolved, {
        plan: 'credits',
        prepaymentAmountCents
      })
    await expect(choose()).rejects.toThrow(
      'Input "prepayment-amount-cents" is required for the prepayment plan Credits (bp_credits): give an amount from 500 to 2050 cents'
    )
    await expect(choose(499)).rejects.toThrow('must be from 500 to 2050 cents')
    await expect(choose(2051)).rejects.toThrow('must be from 500 to 2050 cents')
    expect((await choose(2050)).id).toBe('bp_credits')
  })
})
