import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../emulator/index.ts'
import {
  runAction,
  withoutMaskCommands,
  type RunOptions,
  type RunResult
} from '../harness/run-action.ts'

const LIST = 'GET /v1/storage/stores'
const CREATE = 'POST /v1/storage/stores/integration/direct'
const PRODUCTS = 'GET /v1/integrations/configuration/{id}/products'

let emulator: Emulator

beforeEach(async () => {
  emulator = await startEmulator()
})

afterEach(async () => {
  await emulator.close()
})

const neon = () => emulator.installations.neon
const upstash = () => emulator.installations.upstash

function neonInputs(): Record<string, string> {
  return {
    token: emulator.token,
    team: emulator.team.slug,
    integration: neon().id,
    product: 'neon',
    'api-url': emulator.url
  }
}

/** Runs the action in-process and checks what every run must hold: no token in sight. */
async function run(options: RunOptions): Promise<RunResult> {
  const result = await runAction(options)
  expect(withoutMaskCommands(result.visible)).not.toContain(emulator.token)
  expect(result.stdout).toContain(`::add-mask::${emulator.token}`)
  return result
}

function teamStores() {
  return emulator.stores().filter(({ teamId }) => teamId === emulator.team.id)
}

describe('get or create, run as the runner does', () => {
  it('creates a store on the first run and reuses it on the second', async () => {
    const first = await run({ inputs: neonInputs(), pullRequest: 42 })
    expect(first.exitCode).toBe(0)
    const [store] = teamStores()
    expect(first.outputs).toEqual({
      'store-id': store.id,
      'store-name': 'web-pr-42-86f279ce',
      'external-id': 'acme/web#42',
      created: 'true',
      status: 'available',
      'integration-configuration-id': neon().id,
      'product-id': 'iap_emu_neon',
      'billing-plan-id': store.billingPlan.id,
      'dashboard-url': `https://vercel.com/acme/~/stores/integration/${store.id}`,
      'secret-names': JSON.stringify(neon().products[0].secrets),
      deleted: 'false',
      'connected-project': '',
      'env-var-names': '[]'
    })
    expect(first.outputs['secret-names']).toContain('"DATABASE_URL"')
    expect(first.summary).toContain('Created Vercel store web-pr-42-86f279ce')
    expect(first.summary).toContain(
      `<a href="https://vercel.com/acme/~/stores/integration/${store.id}">web-pr-42-86f279ce</a>`
    )
    expect(store).toMatchObject({
      name: 'web-pr-42-86f279ce',
      externalId: 'acme/web#42'
    })

    const second = await run({ inputs: neonInputs(), pullRequest: 42 })
    expect(second.exitCode).toBe(0)
    expect(second.outputs['store-id']).toBe(store.id)
    expect(second.outputs.created).toBe('false')
    expect(second.summary).toContain('Reused Vercel store web-pr-42-86f279ce')
    expect(emulator.count(CREATE)).toBe(1)
    expect(emulator.count(LIST)).toBe(2)
    expect(teamStores()).toHaveLength(1)
  })

  it('sends a create body that Vercel’s schema accepts, with every optional field', async () => {
    const result = await run({
      inputs: {
        ...neonInputs(),
        name: 'custom-db',
        'external-id': 'ticket-1234',
        plan: neon().billingPlans[0].id,
        'payment-method': 'pm_123',
        'prepayment-amount-cents': '5000',
        metadata: '{"region":"fra1","auth":true}',
        'protocol-settings': '{"storage":{"x":true}}',
        source: 'external'
      }
    })
    expect(result.exitCode).toBe(0)
    const create = emulator.requests.find(({ route }) => route === CREATE)
    expect(create?.status).toBe(200)
    expect(create?.body).toEqual({
      name: 'custom-db',
      integrationConfigurationId: neon().id,
      integrationProductIdOrSlug: 'neon',
      externalId: 'ticket-1234',
      billingPlanId: neon().billingPlans[0].id,
      paymentMethodId: 'pm_123',
      prepaymentAmountCents: 5000,
      metadata: { region: 'fra1', auth: true },
      protocolSettings: { storage: { x: true } },
      source: 'external'
    })
    expect(create?.query).toEqual({ slug: 'acme' })
  })

  it('derives the name and key from the branch outside a pull request', async () => {
    const result = await run({ inputs: neonInputs() })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['store-name']).toBe('web-branch-main-accff954')
    expect(result.outputs['external-id']).toBe('acme/web@main')
  })

  it('takes the token and team from VERCEL_TOKEN and VERCEL_ORG_ID', async () => {
    const { token, team, ...inputs } = neonInputs()
    const result = await run({
      inputs,
      env: { VERCEL_TOKEN: token, VERCEL_ORG_ID: emulator.team.id },
      pullRequest: 7
    })
    expect(team).toBe('acme')
    expect(result.exitCode).toBe(0)
    expect(emulator.requests[0].query.teamId).toBe(emulator.team.id)
    // A team id gives no slug for the link: the dashboard fills in the team.
    expect(result.outputs['dashboard-url']).toBe(
      `https://vercel.com/d?to=${encodeURIComponent(`/[team]/~/stores/integration/${result.outputs['store-id']}`)}`
    )
  })

  it('lists again when the create response carries no store id', async () => {
    emulator.options.createResponseOmitsId = true
    const result = await run({ inputs: neonInputs(), pullRequest: 3 })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.created).toBe('true')
    expect(result.outputs['store-id']).toBe(teamStores()[0].id)
    expect(emulator.counts()).toEqual({
      [LIST]: 2,
      [CREATE]: 1,
      // The product is given by slug: checked against the products list.
      [PRODUCTS]: 1
    })
  })

  it('follows the listing’s pagination to find the store', async () => {
    emulator.options.pageSize = 2
    const ours = emulator.seedStore({
      installationId: neon().id,
      productIdOrSlug: 'neon',
      name: 'web-pr-5-86f279ce',
      createdAt: 1_000
    })
    for (let n = 0; n < 5; n++) {
      emulator.seedStore({
        installationId: neon().id,
        productIdOrSlug: 'neon',
        name: `other-${n}`
      })
    }
    const result = await run({ inputs: neonInputs(), pullRequest: 5 })
    expect(result.outputs['store-id']).toBe(ours.id)
    expect(result.outputs.created).toBe('false')
    expect(emulator.count(LIST)).toBe(3)
    expect(emulator.count(CREATE)).toBe(0)
  })
})

describe('matching a listed store to this step’s key', () => {
  it('matches on the name and product where listed stores carry no externalId', async () => {
    const seeded = emulator.seedStore({
      installationId: neon().id,
      productIdOrSlug: 'neon',
      name: 'web-pr-9-86f279ce',
      externalId: 'set-by-someone-else'
    })
    const result = await run({ inputs: neonInputs(), pullRequest: 9 })
    expect(result.outputs['store-id']).toBe(seeded.id)
    expect(result.outputs.created).toBe('false')
    expect(emulator.count(CREATE)).toBe(0)
  })

  it('matches on externalId where listed stores carry it, whatever the name', async () => {
    emulator.options.listIncludesExternalId = true
    const renamed = emulator.seedStore({
      installationId: neon().id,
      productIdOrSlug: 'neon',
      name: 'renamed-by-hand',
      externalId: 'acme/web#9'
    })
    const sameNameOtherKey = emulator.seedStore({
      installationId: neon().id,
      productIdOrSlug: 'neon',
      name: 'web-pr-9-86f279ce',
      externalId: 'someone-elses-key'
    })
    const result = await run({ inputs: neonInputs(), pullRequest: 9 })
    expect(result.outputs['store-id']).toBe(renamed.id)
    expect(result.outputs['store-id']).not.toBe(sameNameOtherKey.id)
    expect(emulator.count(CREATE)).toBe(0)
  })

  it('creates rather than reuse a same-named store of another product', async () => {
    const kv = emulator.seedStore({
      installationId: upstash().id,
      productIdOrSlug: 'upstash-kv',
      name: 'web-pr-11-86f279ce'
    })
    const result = await run({
      inputs: {
        ...neonInputs(),
        integration: upstash().id,
        product: 'upstash-vector'
      },
      pullRequest: 11
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.created).toBe('true')
    expect(result.outputs['store-id']).not.toBe(kv.id)
    expect(result.outputs['product-id']).toBe('iap_emu_upstash_vector')
    expect(emulator.count(CREATE)).toBe(1)
  })

  it('never returns a store of another product, even with the same externalId', async () => {
    emulator.options.listIncludesExternalId = true
    const kv = emulator.seedStore({
      installationId: upstash().id,
      productIdOrSlug: 'iap_emu_upstash_kv',
      name: 'web-pr-12-86f279ce',
      externalId: 'acme/web#12'
    })
    const result = await run({
      inputs: {
        ...neonInputs(),
        integration: upstash().id,
        product: 'iap_emu_upstash_vector'
      },
      pullRequest: 12
    })
    expect(result.outputs.created).toBe('true')
    expect(result.outputs['store-id']).not.toBe(kv.id)
  })

  it('never returns a store of another installation, nor one outside the team’s scope', async () => {
    emulator.seedStore({
      installationId: upstash().id,
      productIdOrSlug: 'upstash-kv',
      name: 'web-pr-13-86f279ce'
    })
    emulator.seedStore({
      teamId: emulator.otherTeam.id,
      installationId: 'icfg_globexNeon01',
      productIdOrSlug: 'neon',
      name: 'web-pr-13-86f279ce'
    })
    const result = await run({ inputs: neonInputs(), pullRequest: 13 })
    expect(result.outputs.created).toBe('true')
    expect(
      teamStores().filter(({ name }) => name === 'web-pr-13-86f279ce')
    ).toHaveLength(2)
  })

  it('gives two steps that name their stores two stores, wherever the key is read', async () => {
    for (const listIncludesExternalId of [false, true]) {
      emulator.options.listIncludesExternalId = listIncludesExternalId
      const ids = []
      for (const name of [
        `main-${listIncludesExternalId}`,
        `analytics-${listIncludesExternalId}`
      ]) {
        const result = await run({
          inputs: { ...neonInputs(), name },
          pullRequest: 15
        })
        expect(result.outputs).toMatchObject({
          'store-name': name,
          'external-id': `acme/web:${name}`,
          created: 'true'
        })
        ids.push(result.outputs['store-id'])
      }
      expect(new Set(ids).size).toBe(2)
    }
    expect(emulator.count(CREATE)).toBe(4)
  })

  describe('with a listing that carries only what the Vercel CLI reads', () => {
    beforeEach(() => {
      emulator.options.minimalListing = true
    })

    it('reads the store to learn its product id, then reuses it', async () => {
      const seeded = emulator.seedStore({
        installationId: neon().id,
        productIdOrSlug: 'neon',
        name: 'web-pr-16-86f279ce'
      })
      const result = await run({
        inputs: { ...neonInputs(), product: 'iap_emu_neon' },
        pullRequest: 16
      })
      expect(result.outputs).toMatchObject({
        'store-id': seeded.id,
        created: 'false',
        'product-id': 'iap_emu_neon'
      })
      expect(emulator.counts()).toEqual({
        [LIST]: 1,
        'GET /v1/storage/stores/{id}': 1
      })
    })

    it('matches a product slug, and reads the store once for the names of its secrets', async () => {
      const seeded = emulator.seedStore({
        installationId: neon().id,
        productIdOrSlug: 'neon',
        name: 'web-pr-17-86f279ce'
      })
      const result = await run({ inputs: neonInputs(), pullRequest: 17 })
      expect(result.outputs['store-id']).toBe(seeded.id)
      expect(result.outputs['secret-names']).toBe(
        JSON.stringify(neon().products[0].secrets)
      )
      expect(emulator.counts()).toEqual({
        [LIST]: 1,
        [PRODUCTS]: 1,
        'GET /v1/storage/stores/{id}': 1
      })
    })
  })

  it('uses the oldest of several stores with the key and names the others', async () => {
    const [oldest, newer] = [1_000, 2_000].map((createdAt) =>
      emulator.seedStore({
        installationId: neon().id,
        productIdOrSlug: 'neon',
        name: 'web-pr-14-86f279ce',
        createdAt
      })
    )
    const result = await run({ inputs: neonInputs(), pullRequest: 14 })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['store-id']).toBe(oldest.id)
    expect(result.stdout).toMatch(
      new RegExp(`::warning::2 stores share the key .*${newer.id}`)
    )
    expect(result.summary).toContain(newer.id)
  })
})

describe('failures', () => {
  function expectOneErrorLine(result: RunResult): string {
    expect(result.exitCode).toBe(1)
    const errors = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('::error::'))
    expect(errors).toHaveLength(1)
    expect(result.visible).not.toMatch(/\n\s+at .+:\d+:\d+/)
    return errors[0]
  }

  it('reports a token Vercel rejects, without printing it', async () => {
    const result = await runAction({
      inputs: { ...neonInputs(), token: 'not-the-right-token' },
      pullRequest: 1
    })
    const error = expectOneErrorLine(result)
    expect(error).toContain('HTTP 403')
    expect(error).toContain('Not authorized')
    expect(error).toContain('Vercel did not accept the token: check "token"')
    expect(withoutMaskCommands(result.visible)).not.toContain(
      'not-the-right-token'
    )
    expect(result.summary).toContain('Vercel store: failed')
  })

  it('reports a team the token cannot reach', async () => {
    const result = await run({
      inputs: {
        ...neonInputs(),
        product: 'iap_emu_neon',
        team: emulator.otherTeam.slug
      },
      pullRequest: 1
    })
    const error = expectOneErrorLine(result)
    expect(error).toContain('GET /v1/storage/stores answered HTTP 403')
    expect(error).toContain('"team"')
  })

  it('reports an installation that does not exist, after one create attempt', async () => {
    const result = await run({
      inputs: {
        ...neonInputs(),
        product: 'iap_emu_neon',
        integration: 'icfg_doesNotExist'
      },
      pullRequest: 1
    })
    const error = expectOneErrorLine(result)
    expect(error).toContain(
      'POST /v1/storage/stores/integration/direct answered HTTP 404'
    )
    expect(error).toContain('icfg_doesNotExist')
    expect(error).toContain('Check "integration"')
    expect(emulator.count(CREATE)).toBe(1)
  })

  it('reports an unreachable API as such', async () => {
    await emulator.close()
    const result = await runAction({ inputs: neonInputs(), pullRequest: 1 })
    const error = expectOneErrorLine(result)
    expect(error).toContain('got no answer')
    expect(error).toContain('ECONNREFUSED')
    emulator = await startEmulator()
  })

  it('asks for a name where no default can be derived', async () => {
    const result = await run({
      inputs: neonInputs(),
      env: { GITHUB_REPOSITORY: undefined }
    })
    expect(expectOneErrorLine(result)).toContain(
      'Input "name" is required outside a pull request or branch build'
    )
    expect(emulator.count()).toBe(0)
  })
})
