import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator, type Emulator } from '../emulator/index.ts'

const TEAM_ID = 'team_emulator0000000000000001'
const OTHER_TEAM_ID = 'team_emulator0000000000000002'

// The official response schemas, from the vendored OpenAPI subset.
const spec = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '../emulator/openapi/vercel-openapi-subset.json'),
    'utf8'
  )
)
const ajv = new Ajv({ strict: false, allErrors: true })
function responseSchema(path: string) {
  const schema =
    spec.paths[path].get.responses['200'].content['application/json'].schema
  // The configurations schema is a oneOf of a plain item list and a list of
  // items with `integration`; the first branch does not forbid that field, so
  // every view=account answer matches both. Either branch is what is meant.
  return ajv.compile(
    schema.oneOf ? { ...schema, oneOf: undefined, anyOf: schema.oneOf } : schema
  )
}

/**
 * The official schema types minLength, maxLength and pattern as branded
 * objects (an artefact of its generator), where a JSON Schema has numbers
 * and strings: those three are left out of the comparison.
 */
function withoutBrandedKeywords(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body), (key, value) =>
    ['minLength', 'maxLength', 'pattern'].includes(key) ? undefined : value
  )
}
const validConfigurations = responseSchema('/v1/integrations/configurations')
const validProducts = responseSchema(
  '/v1/integrations/configuration/{id}/products'
)
const validPlans = responseSchema(
  '/v1/integrations/integration/{integrationIdOrSlug}/products/{productIdOrSlug}/plans'
)

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator()
})

afterAll(async () => {
  await emulator.close()
})

beforeEach(() => emulator.resetRequests())

async function get(path: string, teamId = TEAM_ID) {
  const separator = path.includes('?') ? '&' : '?'
  const response = await fetch(
    `${emulator.url}${path}${separator}teamId=${teamId}`,
    { headers: { authorization: `Bearer ${emulator.token}` } }
  )
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON under test
  return { status: response.status, body: (await response.json()) as any }
}

async function create(body: Record<string, unknown>) {
  const response = await fetch(
    `${emulator.url}/v1/storage/stores/integration/direct?teamId=${TEAM_ID}`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${emulator.token}`,
        'content-type': 'application/json'
      },
      body: JSON.stringify({
        name: `s-${Math.random().toString(36).slice(2, 8)}`,
        integrationConfigurationId: 'icfg_emuNeon0001',
        integrationProductIdOrSlug: 'neon',
        ...body
      })
    }
  )
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON under test
  return { status: response.status, body: (await response.json()) as any }
}

describe('GET /v1/integrations/configurations', () => {
  it('requires view, as Vercel does', async () => {
    const { status, body } = await get('/v1/integrations/configurations')
    expect(status).toBe(400)
    expect(body.error.code).toBe('bad_request')
    expect(body.error.message).toContain('`view`')
  })

  it('returns the team’s installations of one integration, in the official shape', async () => {
    const { status, body } = await get(
      '/v1/integrations/configurations?view=account&integrationIdOrSlug=supabase'
    )
    expect(status).toBe(200)
    expect(validConfigurations(body)).toBe(true)
    expect(body.every((item: object) => 'integration' in item)).toBe(true)
    expect(body.map(({ id }: { id: string }) => id)).toEqual([
      'icfg_emuSupabase0001',
      'icfg_emuSupabase0002'
    ])
    expect(body[0]).toMatchObject({
      integrationId: 'oac_emuSupabase',
      slug: 'supabase',
      ownerId: TEAM_ID,
      installationType: 'marketplace',
      integration: { name: 'Supabase', isLegacy: false }
    })
    expect(emulator.count(ROUTES.listConfigurations)).toBe(1)
  })

  it('filters by integration id too, and lists nothing of an integration not installed', async () => {
    const byId = await get(
      '/v1/integrations/configurations?view=project&integrationIdOrSlug=oac_emuNeon'
    )
    expect(validConfigurations(byId.body)).toBe(true)
    expect(byId.body.map(({ id }: { id: string }) => id)).toEqual([
      'icfg_emuNeon0001'
    ])
    const none = await get(
      '/v1/integrations/configurations?view=account&integrationIdOrSlug=redis-cloud'
    )
    expect(none.body).toEqual([])
  })
})

describe('GET /v1/integrations/configuration/{id}/products', () => {
  it.each(['icfg_emuNeon0001', 'icfg_emuUpstash0001', 'icfg_emuPrisma0001'])(
    'returns the products of %s with their metadata schemas, in the official shape',
    async (id) => {
      const { status, body } = await get(
        `/v1/integrations/configuration/${id}/products`
      )
      expect(status).toBe(200)
      expect(validProducts(withoutBrandedKeywords(body))).toBe(true)
      expect(body.configuration).toEqual({ id })
      expect(body.products[0].metadataSchema.type).toBe('object')
      expect(emulator.count(ROUTES.listProducts)).toBe(1)
    }
  )

  it('gives Neon a region select and a hidden field', async () => {
    const { body } = await get(
      '/v1/integrations/configuration/icfg_emuNeon0001/products'
    )
    const [neon] = body.products
    expect(neon).toMatchObject({
      id: 'iap_emu_neon',
      slug: 'neon',
      name: 'Neon Postgres',
      primaryProtocol: 'storage'
    })
    expect(neon.metadataSchema.properties.region).toMatchObject({
      'ui:control': 'select',
      default: 'iad1'
    })
    expect(neon.metadataSchema.properties.projectId['ui:hidden']).toBe(true)
  })

  it('answers 404 for another team’s installation', async () => {
    const { status, body } = await get(
      '/v1/integrations/configuration/icfg_globexNeon01/products'
    )
    expect(status).toBe(404)
    expect(body.error.code).toBe('not_found')
  })
})

describe('GET …/integration/{integration}/products/{product}/plans', () => {
  it('returns plans of every kind, in the official shape', async () => {
    const { status, body } = await get(
      `/v1/integrations/integration/neon/products/neon/plans?metadata=${encodeURIComponent('{"region":"iad1"}')}`
    )
    expect(status).toBe(200)
    expect(validPlans(body)).toBe(true)
    expect(
      body.plans.map(
        ({ name, type, paymentMethodRequired, disabled }: never) => [
          name,
          type,
          paymentMethodRequired,
          disabled ?? false
        ]
      )
    ).toEqual([
      ['Free', 'subscription', false, false],
      ['Launch', 'subscription', true, false],
      ['Credits', 'prepayment', true, false],
      ['Scale (legacy)', 'subscription', true, true]
    ])
    expect(body.plans[2]).toMatchObject({
      minimumAmount: '10.00',
      maximumAmount: '500.00'
    })
    expect(emulator.count(ROUTES.listPlans)).toBe(1)
  })

  it('scopes the plans to one installation when asked', async () => {
    const { body } = await get(
      '/v1/integrations/integration/oac_emuSupabase/products/iap_emu_supabase/plans?integrationConfigurationId=icfg_emuSupabase0002'
    )
    expect(body.plans.map(({ id }: { id: string }) => id)).toEqual([
      'bp_emu_supabase2_free'
    ])
  })

  it('rejects metadata that is not a JSON object, and an unknown product', async () => {
    const bad = await get(
      '/v1/integrations/integration/neon/products/neon/plans?metadata=region'
    )
    expect(bad.status).toBe(400)
    const unknown = await get(
      '/v1/integrations/integration/neon/products/mysql/plans'
    )
    expect(unknown.status).toBe(404)
    const otherTeam = await get(
      '/v1/integrations/integration/neon/products/neon/plans',
      OTHER_TEAM_ID
    )
    expect(otherTeam.status).toBe(403)
  })
})

describe('POST /v1/storage/stores/integration/direct with plans and metadata', () => {
  it('applies the chosen plan and fills in the schema’s defaults', async () => {
    const { status, body } = await create({
      billingPlanId: 'bp_emu_neon_launch',
      metadata: { region: 'fra1' }
    })
    expect(status).toBe(200)
    expect(body.store.billingPlan).toMatchObject({
      id: 'bp_emu_neon_launch',
      name: 'Launch'
    })
    expect(body.store.metadata).toEqual({ region: 'fra1', auth: false })
  })

  it.each([
    [
      { metadata: { region: 'mars1' } },
      'Invalid request: `metadata.region` should be equal to one of the allowed values: iad1, cle1, pdx1, fra1, lhr1, sin1, syd1.'
    ],
    [
      { metadata: { auth: 'yes' } },
      'Invalid request: `metadata.auth` should be boolean.'
    ],
    [
      {
        integrationConfigurationId: 'icfg_emuPrisma0001',
        integrationProductIdOrSlug: 'prisma-postgres',
        metadata: {}
      },
      'Invalid request: `metadata` missing required property `region`.'
    ],
    [
      { billingPlanId: 'bp_emu_neon_scale_legacy' },
      'Billing plan bp_emu_neon_scale_legacy is not available'
    ],
    [
      { billingPlanId: 'bp_emu_neon_credits' },
      'Billing plan bp_emu_neon_credits is a prepayment plan: `prepaymentAmountCents` is required'
    ],
    [
      { billingPlanId: 'bp_emu_neon_credits', prepaymentAmountCents: 999 },
      '`prepaymentAmountCents` must be between 10.00 and 500.00 dollars for billing plan bp_emu_neon_credits'
    ]
  ])('rejects %j with a 400 like Vercel’s', async (extra, message) => {
    const { status, body } = await create(extra)
    expect(status).toBe(400)
    expect(body).toEqual({ error: { code: 'bad_request', message } })
  })

  it('accepts a prepayment within the plan’s bounds', async () => {
    const { status, body } = await create({
      billingPlanId: 'bp_emu_neon_credits',
      prepaymentAmountCents: 50_000
    })
    expect(status).toBe(200)
    expect(body.store.billingPlan.type).toBe('prepayment')
  })
})
