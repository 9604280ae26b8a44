import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator, type Emulator } from '../emulator/index.ts'
import {
  runAction,
  withoutMaskCommands,
  type RunOptions,
  type RunResult
} from '../harness/run-action.ts'
import { errorLine } from './support/run-result.ts'

const LIST = ROUTES.listStores
const CREATE = ROUTES.createStore
const CONFIGURATIONS = ROUTES.listConfigurations
const PRODUCTS = ROUTES.listProducts
const PLANS = ROUTES.listPlans

let emulator: Emulator

beforeEach(async () => {
  emulator = await startEmulator()
})

afterEach(async () => {
  await emulator.close()
})

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    token: emulator.token,
    team: emulator.team.slug,
    integration: 'neon',
    product: 'neon',
    'api-url': emulator.url,
    ...extra
  }
}

/** Runs the bundle; no run may show the token. */
async function run(
  extra: Record<string, string>,
  options: Omit<RunOptions, 'inputs'> = {}
): Promise<RunResult> {
  const result = await runAction({
    pullRequest: 42,
    ...options,
    inputs: inputs(extra)
  })
  expect(withoutMaskCommands(result.visible)).not.toContain(emulator.token)
  return result
}

/** The one error line of a failed run, which wrote nothing. */
function failure(result: RunResult): string {
  const line = errorLine(result)
  expect(emulator.count(CREATE)).toBe(0)
  expect(emulator.stores()).toEqual([])
  return line
}

function createBody(): Record<string, unknown> | undefined {
  return emulator.requests.find(({ route }) => route === CREATE)?.body as
    Record<string, unknown> | undefined
}

describe('names resolved to ids, through dist/index.js', () => {
  it('creates a Neon store from slugs, key=value metadata and a plan name', async () => {
    const result = await run({
      metadata: 'region=fra1\nauth=true',
      plan: 'launch',
      'payment-method': 'pm_123'
    })
    expect(result.exitCode).toBe(0)
    const [store] = emulator.stores()
    expect(result.outputs).toMatchObject({
      'store-id': store.id,
      created: 'true',
      'integration-configuration-id': 'icfg_emuNeon0001',
      'product-id': 'iap_emu_neon',
      'billing-plan-id': 'bp_emu_neon_launch'
    })
    expect(createBody()).toEqual({
      name: 'web-pr-42-86f279ce',
      integrationConfigurationId: 'icfg_emuNeon0001',
      integrationProductIdOrSlug: 'neon',
      externalId: 'acme/web#42',
      metadata: { region: 'fra1', auth: true },
      billingPlanId: 'bp_emu_neon_launch',
      paymentMethodId: 'pm_123'
    })
    expect(store.billingPlan.name).toBe('Launch')
    expect(store.metadata).toMatchObject({ region: 'fra1', auth: true })
    const [configurations, plans] = [CONFIGURATIONS, PLANS].map((route) =>
      emulator.requests.find((request) => request.route === route)
    )
    expect(configurations?.query).toEqual({
      view: 'account',
      installationType: 'marketplace',
      integrationIdOrSlug: 'neon',
      slug: 'acme'
    })
    expect(plans?.path).toBe(
      '/v1/integrations/integration/oac_emuNeon/products/iap_emu_neon/plans'
    )
    expect(plans?.query).toEqual({
      metadata: JSON.stringify({ region: 'fra1', auth: true }),
      integrationConfigurationId: 'icfg_emuNeon0001',
      slug: 'acme'
    })
    expect(emulator.counts()).toEqual({
      [CONFIGURATIONS]: 1,
      [PRODUCTS]: 1,
      [LIST]: 1,
      [PLANS]: 1,
      [CREATE]: 1
    })
  })

  it('creates an Upstash store by product name with typed key=value lists', async () => {
    const result = await run({
      integration: 'upstash',
      product: 'upstash for redis',
      metadata:
        '# regions\nprimaryRegion = iad1\nreadRegions=fra1, sin1\neviction=true\nbudget=25.5\n',
      plan: 'Pay as you go'
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['product-id']).toBe('iap_emu_upstash_kv')
    expect(createBody()).toMatchObject({
      integrationConfigurationId: 'icfg_emuUpstash0001',
      integrationProductIdOrSlug: 'upstash-kv',
      metadata: {
        primaryRegion: 'iad1',
        readRegions: ['fra1', 'sin1'],
        eviction: true,
        budget: 25.5
      },
      billingPlanId: 'bp_emu_upstash_pay_as_you_go'
    })
  })

  it('takes JSON metadata and a plan id, with the product given by id', async () => {
    const result = await run({
      product: 'iap_emu_upstash_vector',
      integration: 'icfg_emuUpstash0001',
      metadata: '{"dimensions": 768, "similarityFunction": "DOT_PRODUCT"}',
      plan: 'bp_emu_upstash_free'
    })
    expect(result.exitCode).toBe(0)
    expect(createBody()).toMatchObject({
      integrationProductIdOrSlug: 'upstash-vector',
      metadata: { dimensions: 768, similarityFunction: 'DOT_PRODUCT' },
      billingPlanId: 'bp_emu_upstash_free'
    })
    // An icfg_ id costs no lookup; metadata to check costs the products list.
    expect(emulator.count(CONFIGURATIONS)).toBe(0)
    expect(emulator.count(PRODUCTS)).toBe(1)
  })

  it('creates a prepayment-plan store with an amount within the plan’s bounds', async () => {
    const result = await run({
      plan: 'Credits',
      'prepayment-amount-cents': '2500'
    })
    expect(result.exitCode).toBe(0)
    expect(createBody()).toMatchObject({
      billingPlanId: 'bp_emu_neon_credits',
      prepaymentAmountCents: 2500
    })
    expect(emulator.stores()[0].billingPlan.type).toBe('prepayment')
  })

  it('reuses a store without asking for plans, though a plan is given', async () => {
    const seeded = emulator.seedStore({
      installationId: 'icfg_emuNeon0001',
      productIdOrSlug: 'neon',
      name: 'web-pr-42-86f279ce'
    })
    const result = await run({ plan: 'Launch', metadata: 'region=iad1' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['store-id']).toBe(seeded.id)
    expect(result.outputs.created).toBe('false')
    expect(emulator.counts()).toEqual({
      [CONFIGURATIONS]: 1,
      [PRODUCTS]: 1,
      [LIST]: 1
    })
  })
})

describe('request counts per path', () => {
  it.each([
    [
      'icfg_ and iap_ ids, nothing else',
      { integration: 'icfg_emuNeon0001', product: 'iap_emu_neon' },
      { [LIST]: 1, [CREATE]: 1 }
    ],
    [
      'an integration slug and a product id',
      { product: 'iap_emu_neon' },
      { [CONFIGURATIONS]: 1, [LIST]: 1, [CREATE]: 1 }
    ],
    [
      'an icfg_ id and a product slug',
      { integration: 'icfg_emuNeon0001' },
      { [PRODUCTS]: 1, [LIST]: 1, [CREATE]: 1 }
    ],
    [
      'ids and metadata',
      {
        integration: 'icfg_emuNeon0001',
        product: 'iap_emu_neon',
        metadata: 'region=iad1'
      },
      { [PRODUCTS]: 1, [LIST]: 1, [CREATE]: 1 }
    ],
    [
      'ids and a plan',
      {
        integration: 'icfg_emuNeon0001',
        product: 'iap_emu_neon',
        plan: 'Free'
      },
      { [PRODUCTS]: 1, [LIST]: 1, [PLANS]: 1, [CREATE]: 1 }
    ],
    [
      'slugs, metadata and a plan',
      { metadata: 'region=iad1', plan: 'free' },
      {
        [CONFIGURATIONS]: 1,
        [PRODUCTS]: 1,
        [LIST]: 1,
        [PLANS]: 1,
        [CREATE]: 1
      }
    ],
    [
      'an empty plan',
      { plan: '' },
      { [CONFIGURATIONS]: 1, [PRODUCTS]: 1, [LIST]: 1, [CREATE]: 1 }
    ]
  ])('%s', async (_, extra, counts) => {
    const result = await run(extra)
    expect(result.exitCode).toBe(0)
    expect(emulator.counts()).toEqual(counts)
  })
})

describe('concurrency', () => {
  it('lists the stores while the products are being fetched', async () => {
    // The emulator answers them only once both have arrived.
    emulator.options.hold = { routes: [LIST, PRODUCTS], until: 2 }
    const result = await run({ integration: 'icfg_emuNeon0001' })
    expect(result.exitCode).toBe(0)
    const [first, second] = emulator.requests
    expect([first.route, second.route].sort()).toEqual([LIST, PRODUCTS].sort())
    // One of them arrived while the other was being answered.
    expect([first.concurrent, second.concurrent]).toContain(1)
    // The create waits for both.
    expect(emulator.requests[2].route).toBe(CREATE)
    expect(emulator.requests[2].concurrent).toBeUndefined()
  })
})

describe('errors that list the valid choices', () => {
  it('lists what the team installed for an integration it has not, and builds no link from the value', async () => {
    const error = failure(await run({ integration: 'redis-cloud' }))
    expect(error).toMatch(
      /^::error::Input "integration" is "redis-cloud", which team "acme" has not installed from the Vercel Marketplace; it has installed "neon", "upstash", "supabase", "prisma": set "integration" to one of those, or install "redis-cloud" once from the Vercel Marketplace/
    )
    expect(error).not.toContain('http')
    expect(error).not.toContain('\n')
    // The second listing, of every installation, only on this failing path.
    expect(emulator.counts()).toEqual({ [CONFIGURATIONS]: 2 })
  })

  it('lists the installations of an integration installed twice', async () => {
    const error = failure(await run({ integration: 'supabase' }))
    expect(error).toContain('installed 2 times: set it to the id of one')
    expect(error).toContain('icfg_emuSupabase0001 (ready, created 2025-03-01)')
    expect(error).toContain('icfg_emuSupabase0002 (ready, created 2025-06-15)')
    expect(emulator.counts()).toEqual({ [CONFIGURATIONS]: 1 })
  })

  it('names an installation that is not the team’s', async () => {
    const error = failure(await run({ integration: 'icfg_globexNeon01' }))
    expect(error).toContain(
      'Input "integration" "icfg_globexNeon01" is not a Marketplace installation of this team'
    )
  })

  it('lists the installation’s products for an unknown product', async () => {
    const error = failure(
      await run({ integration: 'upstash', product: 'redis' })
    )
    expect(error).toContain(
      'Input "product" "redis" is not a storage product of installation icfg_emuUpstash0001; its products are upstash-kv (Upstash for Redis), upstash-vector (Upstash Vector).'
    )
    expect(emulator.count(PLANS)).toBe(0)
  })

  it.each([
    ['Gold', 'is not a plan of Neon Postgres'],
    ['scale (LEGACY)', 'is a plan that is no longer offered'],
    ['bp_emu_neon_scale_legacy', 'is a plan that is no longer offered']
  ])('lists the plans for plan %s', async (plan, problem) => {
    const error = failure(await run({ plan }))
    expect(error).toContain(`Input "plan" "${plan}" ${problem}`)
    expect(error).toContain(
      'choose one of: Free (bp_emu_neon_free, subscription, free); Launch (bp_emu_neon_launch, subscription, $19.00 / month); Credits (bp_emu_neon_credits, prepayment, prepaid $10.00 to $500.00).'
    )
    expect(error).not.toContain('Scale (legacy) (')
    expect(emulator.count(PLANS)).toBe(1)
  })

  it.each([
    ['', 'is required for the prepayment plan Credits'],
    ['999', 'must be from 1000 to 50000 cents ($10.00 to $500.00)'],
    ['50001', 'must be from 1000 to 50000 cents ($10.00 to $500.00)']
  ])(
    'checks a prepayment amount of "%s" against the plan',
    async (cents, message) => {
      const error = failure(
        await run({ plan: 'credits', 'prepayment-amount-cents': cents })
      )
      expect(error).toContain(`Input "prepayment-amount-cents" ${message}`)
    }
  )

  it.each([
    [
      'an unknown key',
      { metadata: 'regoin=iad1' },
      'key "regoin" is not a field of Neon Postgres; allowed: region, auth'
    ],
    [
      'a hidden key',
      { metadata: '{"projectId":"p-1"}' },
      'key "projectId" is not a field of Neon Postgres that can be set (the provider sets it); allowed: region, auth'
    ],
    [
      'a read-only key',
      {
        integration: 'upstash',
        product: 'upstash-kv',
        metadata: 'dbVersion=6'
      },
      'key "dbVersion" is not a field of Upstash for Redis that can be set (the provider sets it); allowed: primaryRegion, readRegions, eviction, budget'
    ],
    [
      'a value outside the region options',
      { metadata: 'region=us-east' },
      'key "region" must be one of iad1, cle1, pdx1, fra1, lhr1, sin1, syd1; got "us-east"'
    ],
    [
      'a list item outside the options',
      {
        integration: 'upstash',
        product: 'upstash-kv',
        metadata: 'readRegions=fra1,mars1'
      },
      'key "readRegions" item "mars1" must be one of iad1, cle1, pdx1, fra1, lhr1, sin1, syd1'
    ],
    [
      'a boolean that is not true or false',
      { metadata: 'auth=yes' },
      'key "auth" must be true or false; got "yes"'
    ],
    [
      'a JSON string where the schema wants a boolean',
      { metadata: '{"auth":"true"}' },
      'key "auth" must be true or false; got "true"'
    ],
    [
      'a number above the maximum',
      {
        integration: 'upstash',
        product: 'upstash-kv',
        metadata: 'budget=20000'
      },
      'key "budget" must be a number at least 0 and at most 10000; got 20000'
    ],
    [
      'a number that is not one',
      {
        integration: 'upstash',
        product: 'upstash-vector',
        metadata: 'dimensions=many'
      },
      'key "dimensions" must be a number at least 1 and at most 3072; got "many"'
    ],
    [
      'a string that breaks the pattern',
      {
        integration: 'prisma',
        product: 'Prisma Postgres',
        metadata: 'region=us-east-1\ndatabaseName=App-DB'
      },
      'key "databaseName" must be a string of 3 to 32 characters matching ^[a-z][a-z0-9_]*$; got "App-DB"'
    ],
    [
      'a string that is too short',
      {
        integration: 'prisma',
        product: 'prisma-postgres',
        metadata: 'region=us-east-1\ndatabaseName=ab'
      },
      'key "databaseName" must be a string of 3 to 32 characters'
    ],
    [
      'a required key without a default left out',
      {
        integration: 'prisma',
        product: 'prisma-postgres',
        metadata: 'databaseName=app'
      },
      'key "region" is required by Prisma Postgres and has no default: one of us-east-1, eu-west-3, ap-northeast-1'
    ]
  ])('rejects %s before any write', async (_, extra, message) => {
    const error = failure(await run(extra))
    expect(error).toContain(`Input "metadata" ${message}`)
    expect(emulator.count(PRODUCTS)).toBe(1)
    expect(emulator.count(PLANS)).toBe(0)
  })

  it('checks a required key without a default even when no metadata is given', async () => {
    const error = failure(
      await run({
        integration: 'prisma',
        product: 'prisma-postgres',
        metadata: '{}'
      })
    )
    expect(error).toContain('key "region" is required by Prisma Postgres')
  })

  it.each([
    [
      'metadata',
      { metadata: 'region' },
      'must be a JSON object or key=value lines; line 1'
    ],
    [
      'metadata',
      { metadata: 'region=iad1\nregion=fra1' },
      'gives key "region" twice'
    ],
    ['dry-run', { 'dry-run': 'yes' }, 'must be true or false; got "yes"']
  ])('rejects a bad %s before any request', async (input, extra, message) => {
    const error = failure(await run(extra))
    expect(error).toContain(`Input "${input}" ${message}`)
    expect(emulator.count()).toBe(0)
  })
})

describe('dry run', () => {
  it('reports the exact body it would create a store with, and writes nothing', async () => {
    const result = await run({
      'dry-run': 'true',
      metadata: 'region=fra1',
      plan: 'Launch',
      'payment-method': 'pm_123'
    })
    expect(result.exitCode).toBe(0)
    const body = {
      name: 'web-pr-42-86f279ce',
      integrationConfigurationId: 'icfg_emuNeon0001',
      integrationProductIdOrSlug: 'neon',
      externalId: 'acme/web#42',
      metadata: { region: 'fra1' },
      paymentMethodId: 'pm_123',
      billingPlanId: 'bp_emu_neon_launch'
    }
    expect(result.summary).toContain(
      'Dry run: would create Vercel store web-pr-42-86f279ce'
    )
    // What a reader sees: the summary's text with its entities decoded.
    const shown = result.summary
      .replaceAll(/&#(\d+);/g, (_, code: string) =>
        String.fromCharCode(Number(code))
      )
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&')
    expect(shown).toContain(JSON.stringify(body, null, 2))
    expect(result.stdout).toContain(
      'Dry run: would create store web-pr-42-86f279ce'
    )
    expect(result.stdout).toContain(JSON.stringify(body))
    expect(result.outputs).toEqual({
      'store-id': '',
      'store-name': 'web-pr-42-86f279ce',
      'external-id': 'acme/web#42',
      created: 'false',
      status: '',
      'integration-configuration-id': 'icfg_emuNeon0001',
      'product-id': 'iap_emu_neon',
      'billing-plan-id': 'bp_emu_neon_launch',
      'dashboard-url': '',
      'secret-names': '[]',
      deleted: 'false',
      'connected-project': '',
      'env-var-names': '[]'
    })
    expect(emulator.count(CREATE)).toBe(0)
    expect(emulator.stores()).toEqual([])
    expect(emulator.count(PLANS)).toBe(1)
  })

  it('reports the store it would reuse, with its outputs', async () => {
    const seeded = emulator.seedStore({
      installationId: 'icfg_emuNeon0001',
      productIdOrSlug: 'neon',
      name: 'web-pr-42-86f279ce'
    })
    const result = await run({ 'dry-run': 'true', plan: 'Launch' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({
      'store-id': seeded.id,
      created: 'false',
      status: 'available',
      'product-id': 'iap_emu_neon',
      'dashboard-url': `https://vercel.com/acme/~/stores/integration/${seeded.id}`
    })
    expect(result.summary).toContain(
      'Dry run: would reuse Vercel store web-pr-42-86f279ce'
    )
    expect(result.summary).not.toContain('Reused Vercel store')
    expect(result.stdout).toContain(
      `Dry run: would reuse store web-pr-42-86f279ce (${seeded.id})`
    )
    expect(emulator.counts()).toEqual({
      [CONFIGURATIONS]: 1,
      [PRODUCTS]: 1,
      [LIST]: 1
    })
  })

  it('fails on bad metadata as a real run would', async () => {
    const error = failure(
      await run({ 'dry-run': 'true', metadata: 'region=mars' })
    )
    expect(error).toContain('Input "metadata" key "region" must be one of')
  })

  it('names the project it would connect a new store to, and fails on one that does not exist', async () => {
    const result = await run({ 'dry-run': 'true', project: 'web' })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(
      'Would connect it to project web (prj_emuWeb0001).'
    )
    expect(result.summary).toContain(
      'A real run would connect it to project <code>web</code> (<code>prj_emuWeb0001</code>)'
    )
    expect(result.outputs['connected-project']).toBe('')
    expect(emulator.count('GET /v9/projects/{idOrName}')).toBe(1)

    const missing = failure(
      await run({ 'dry-run': 'true', project: 'no-such-project' })
    )
    expect(missing).toContain('Project "no-such-project" was not found')
    expect(emulator.count(CREATE)).toBe(0)
  })

  it('says a store it would reuse is connected already, and warns of duplicates', async () => {
    const [oldest, newer] = [1_000, 2_000].map((createdAt) =>
      emulator.seedStore({
        installationId: 'icfg_emuNeon0001',
        productIdOrSlug: 'neon',
        name: 'web-pr-42-86f279ce',
        createdAt
      })
    )
    emulator.connectStore(oldest.id, 'prj_emuWeb0001', ['preview'], 'PR42_')
    emulator.resetRequests()
    const result = await run({
      'dry-run': 'true',
      project: 'web',
      'env-prefix': 'PR42_'
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({
      'store-id': oldest.id,
      'connected-project': 'prj_emuWeb0001',
      'env-var-names': expect.stringContaining('"PR42_DATABASE_URL"')
    })
    expect(result.stdout).toContain(
      'It is already connected to project web (prj_emuWeb0001).'
    )
    expect(result.stdout).toMatch(
      new RegExp(`::warning::2 stores share the key .*${newer.id}`)
    )
    expect(result.summary).toContain(newer.id)
    expect(emulator.requests.every(({ method }) => method === 'GET')).toBe(true)
  })

  it('shows the keys of protocol settings, never their values', async () => {
    const result = await run(
      {
        'dry-run': 'true',
        'protocol-settings': '{"password": "hunter2-s3cret-value"}'
      },
      { secrets: ['hunter2-s3cret-value'] }
    )
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('"protocolSettings":{"password":"***"}')
  })

  it('names the stores state: absent would delete, and deletes none', async () => {
    const seeded = emulator.seedStore({
      installationId: 'icfg_emuNeon0001',
      productIdOrSlug: 'neon',
      name: 'web-pr-42-86f279ce'
    })
    const result = await run({ 'dry-run': 'true', state: 'absent' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({
      deleted: 'false',
      'store-id': seeded.id
    })
    expect(result.summary).toContain('Dry run: would delete one Vercel store')
    expect(emulator.stores()).toHaveLength(1)
    expect(emulator.requests.every(({ method }) => method === 'GET')).toBe(true)
  })
})
