import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator } from '../emulator/index.ts'
import type { Emulator, EmulatorOptions } from '../emulator/index.ts'

interface CallOptions {
  /** `null` sends no Authorization header. Default: the emulator's token. */
  token?: string | null
  body?: unknown
  rawBody?: string
}

interface CallResult {
  status: number
  contentType: string | null
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON under test
  body: any
}

async function call(
  emulator: Emulator,
  method: string,
  path: string,
  options: CallOptions = {}
): Promise<CallResult> {
  const token = options.token === undefined ? emulator.token : options.token
  const headers: Record<string, string> = {}
  if (token !== null) headers.authorization = `Bearer ${token}`
  const body =
    options.rawBody ??
    (options.body === undefined ? undefined : JSON.stringify(options.body))
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers,
    body
  })
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: await response.json()
  }
}

const TEAM_ID = 'team_emulator0000000000000001'
const CREATE_PATH = `/v1/storage/stores/integration/direct?teamId=${TEAM_ID}`
const LIST_PATH = `/v1/storage/stores?teamId=${TEAM_ID}`

function neonBody(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    integrationConfigurationId: 'icfg_emuNeon0001',
    integrationProductIdOrSlug: 'neon',
    ...extra
  }
}

function useEmulator(options?: EmulatorOptions): () => Emulator {
  let emulator: Emulator | undefined
  beforeAll(async () => {
    emulator = await startEmulator(options)
  })
  afterAll(async () => {
    await emulator?.close()
  })
  return () => {
    if (!emulator) throw new Error('emulator not started')
    return emulator
  }
}

describe('seed data', () => {
  const emulator = useEmulator()

  it('exposes the team, the other team and the installations', () => {
    const { team, otherTeam, installations, token, url } = emulator()
    expect(team).toEqual({ id: TEAM_ID, slug: 'acme' })
    expect(otherTeam).toEqual({
      id: 'team_emulator0000000000000002',
      slug: 'globex'
    })
    expect(token).toMatch(/^emu_[0-9a-f]{24}$/)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(installations.neon.id).toBe('icfg_emuNeon0001')
    expect(installations.neon.products.map((p) => p.id)).toEqual([
      'iap_emu_neon'
    ])
    expect(installations.upstash.products.map((p) => p.slug)).toEqual([
      'upstash-kv',
      'upstash-vector'
    ])
  })
})

describe('authentication', () => {
  const emulator = useEmulator({ token: 'emu_fixedtoken' })

  it('uses the token it was given', () => {
    expect(emulator().token).toBe('emu_fixedtoken')
  })

  it.each([
    {
      case: 'no token',
      token: null,
      error: {
        code: 'forbidden',
        message: 'The request is missing an authentication token',
        missingToken: true
      }
    },
    {
      case: 'a wrong token',
      token: 'emu_wrong',
      error: {
        code: 'forbidden',
        message: 'Not authorized',
        invalidToken: true
      }
    }
  ])('rejects $case with 403', async ({ token, error }) => {
    for (const [method, path] of [
      ['GET', LIST_PATH],
      ['GET', `/v1/storage/stores/store_x?teamId=${TEAM_ID}`],
      ['POST', CREATE_PATH]
    ]) {
      const result = await call(emulator(), method, path, {
        token,
        body: method === 'POST' ? neonBody('x') : undefined
      })
      expect(result.status).toBe(403)
      expect(result.contentType).toBe('application/json; charset=utf-8')
      expect(result.body).toEqual({ error })
    }
    expect(emulator().stores()).toEqual([])
  })

  it('answers unknown routes with 404 and records them as UNKNOWN', async () => {
    emulator().resetRequests()
    const result = await call(emulator(), 'GET', '/v9/nothing/here')
    expect(result.status).toBe(404)
    expect(result.body).toEqual({
      error: { code: 'not_found', message: 'The requested path was not found' }
    })
    expect(emulator().requests).toEqual([
      {
        method: 'GET',
        path: '/v9/nothing/here',
        route: 'UNKNOWN',
        query: {},
        status: 404
      }
    ])
  })
})

describe('team scope', () => {
  const emulator = useEmulator()
  let ownStoreId: string
  let otherStoreId: string

  beforeAll(() => {
    ownStoreId = emulator().seedStore({
      installationId: 'icfg_emuNeon0001',
      productIdOrSlug: 'neon',
      name: 'acme-db'
    }).id
    otherStoreId = emulator().seedStore({
      teamId: 'team_emulator0000000000000002',
      installationId: 'icfg_globexNeon01',
      productIdOrSlug: 'neon',
      name: 'globex-db'
    }).id
  })

  it.each(['teamId=team_emulator0000000000000001', 'slug=acme'])(
    'lists the team stores with %s',
    async (scope) => {
      const result = await call(
        emulator(),
        'GET',
        `/v1/storage/stores?${scope}`
      )
      expect(result.status).toBe(200)
      expect(result.body.stores.map((s: { id: string }) => s.id)).toEqual([
        ownStoreId
      ])
    }
  )

  it.each([
    'teamId=team_emulator0000000000000002',
    'slug=globex',
    'teamId=team_doesnotexist',
    'slug=nobody'
  ])('forbids the scope %s', async (scope) => {
    const result = await call(emulator(), 'GET', `/v1/storage/stores?${scope}`)
    expect(result.status).toBe(403)
    expect(result.body.error.code).toBe('forbidden')
  })

  it('gives the personal scope no stores and no installations', async () => {
    const list = await call(emulator(), 'GET', '/v1/storage/stores')
    expect(list.body).toEqual({ stores: [] })
    const create = await call(
      emulator(),
      'POST',
      '/v1/storage/stores/integration/direct',
      { body: neonBody('personal') }
    )
    expect(create.status).toBe(404)
  })

  it('hides another team’s store and installation', async () => {
    const get = await call(
      emulator(),
      'GET',
      `/v1/storage/stores/${otherStoreId}?teamId=${TEAM_ID}`
    )
    expect(get.status).toBe(404)
    expect(get.body).toEqual({
      error: { code: 'not_found', message: 'Store not found' }
    })

    const create = await call(emulator(), 'POST', CREATE_PATH, {
      body: neonBody('x', { integrationConfigurationId: 'icfg_globexNeon01' })
    })
    expect(create.status).toBe(404)
    expect(create.body).toEqual({
      error: {
        code: 'not_found',
        message: 'Integration configuration icfg_globexNeon01 not found'
      }
    })
  })

  it('gets one store of the team', async () => {
    const result = await call(
      emulator(),
      'GET',
      `/v1/storage/stores/${ownStoreId}?slug=acme`
    )
    expect(result.status).toBe(200)
    expect(result.body.store).toMatchObject({ id: ownStoreId, name: 'acme-db' })
  })
})

describe('POST /v1/storage/stores/integration/direct', () => {
  const emulator = useEmulator()

  it.each([
    {
      case: 'a 129-character name',
      body: neonBody('a'.repeat(129)),
      message:
        'Invalid request: `name` should NOT be longer than 128 characters.'
    },
    {
      case: 'a malformed installation id',
      body: neonBody('x', { integrationConfigurationId: 'bad' }),
      message:
        'Invalid request: `integrationConfigurationId` should match pattern "^icfg_[a-zA-Z0-9]+$".'
    },
    {
      case: 'a product that is neither an id nor a slug',
      body: neonBody('x', { integrationProductIdOrSlug: 'Bad Slug' }),
      message:
        'Invalid request: `integrationProductIdOrSlug` should match exactly one schema in oneOf.'
    },
    {
      case: 'a prepayment under the minimum',
      body: neonBody('x', { prepaymentAmountCents: 10 }),
      message: 'Invalid request: `prepaymentAmountCents` should be >= 50.'
    },
    {
      case: 'an unknown source',
      body: neonBody('x', { source: 'nope' }),
      message:
        'Invalid request: `source` should be equal to one of the allowed values: marketplace, deploy-button, external, v0, resource-claims, cli, oauth, backoffice.'
    },
    {
      case: 'a missing name',
      body: { integrationConfigurationId: 'icfg_emuNeon0001' },
      message: 'Invalid request: missing required property `name`.'
    },
    {
      case: 'a metadata value of the wrong type',
      body: neonBody('x', { metadata: { region: { nested: true } } }),
      message:
        'Invalid request: `metadata.region` should match exactly one schema in oneOf.'
    },
    {
      case: 'a body that is not an object',
      body: ['x'],
      message: 'Invalid request: should be object.'
    }
  ])('rejects $case with 400', async ({ body, message }) => {
    const result = await call(emulator(), 'POST', CREATE_PATH, { body })
    expect(result.status).toBe(400)
    expect(result.contentType).toBe('application/json; charset=utf-8')
    expect(result.body).toEqual({ error: { code: 'bad_request', message } })
  })

  it('rejects a malformed JSON body', async () => {
    const result = await call(emulator(), 'POST', CREATE_PATH, {
      rawBody: '{"name":'
    })
    expect(result.status).toBe(400)
    expect(result.body).toEqual({
      error: { code: 'bad_request', message: 'Invalid JSON body' }
    })
  })

  it.each([
    {
      case: 'an unknown installation',
      status: 404,
      body: neonBody('x', { integrationConfigurationId: 'icfg_missing' }),
      error: {
        code: 'not_found',
        message: 'Integration configuration icfg_missing not found'
      }
    },
    {
      case: 'a product of another installation',
      status: 404,
      body: neonBody('x', { integrationProductIdOrSlug: 'upstash-kv' }),
      error: {
        code: 'not_found',
        message:
          'Product upstash-kv not found for this integration configuration'
      }
    },
    {
      case: 'an unknown billing plan',
      status: 400,
      body: neonBody('x', { billingPlanId: 'bp_nope' }),
      error: { code: 'bad_request', message: 'Billing plan bp_nope not found' }
    }
  ])('rejects $case', async ({ status, body, error }) => {
    const result = await call(emulator(), 'POST', CREATE_PATH, { body })
    expect(result.status).toBe(status)
    expect(result.body).toEqual({ error })
  })

  it('creates a store with metadata and returns its full shape', async () => {
    const before = Date.now()
    const result = await call(emulator(), 'POST', CREATE_PATH, {
      body: neonBody('pr-42-web', {
        externalId: 'pr-42',
        metadata: { region: 'iad1', tags: ['a', 'b'], replicas: 2 },
        source: 'marketplace'
      })
    })
    expect(result.status).toBe(200)
    const { store } = result.body
    expect(store).toMatchObject({
      name: 'pr-42-web',
      type: 'integration',
      status: 'available',
      ownerId: TEAM_ID,
      ownership: 'owned',
      usageQuotaExceeded: false,
      projectsMetadata: [],
      metadata: { region: 'iad1', tags: ['a', 'b'], replicas: 2 },
      product: {
        id: 'iap_emu_neon',
        slug: 'neon',
        name: 'Neon Postgres',
        integrationConfigurationId: 'icfg_emuNeon0001',
        supportedProtocols: ['storage'],
        primaryProtocol: 'storage',
        integration: { id: 'oac_emuNeon', slug: 'neon', name: 'Neon' }
      },
      billingPlan: {
        id: 'bp_emu_neon_free',
        type: 'subscription',
        name: 'Free',
        scope: 'resource',
        paymentMethodRequired: false
      }
    })
    expect(store.id).toMatch(/^store_[a-zA-Z0-9]{24}$/)
    expect(store.externalResourceId).toEqual(expect.any(String))
    expect(store.product.integration.icon).toMatch(/^https:\/\//)
    expect(store.createdAt).toBeGreaterThanOrEqual(before)
    expect(store.updatedAt).toBe(store.createdAt)
    expect(store).not.toHaveProperty('externalId')
    expect(store).not.toHaveProperty('teamId')
    expect(store.secrets.map((s: { name: string }) => s.name)).toEqual(
      emulator().installations.neon.products[0].secrets
    )
    expect(store.secrets[0].name).toBe('DATABASE_URL')
    for (const secret of store.secrets) {
      expect(Object.keys(secret)).toEqual(['name', 'length'])
      expect(secret.length).toBeGreaterThan(0)
    }

    const stored = emulator()
      .stores()
      .find((s) => s.id === store.id)
    expect(stored).toMatchObject({ teamId: TEAM_ID, externalId: 'pr-42' })
  })

  it('finds a product by id or slug within a multi-product installation', async () => {
    for (const product of ['iap_emu_upstash_vector', 'upstash-vector']) {
      const result = await call(emulator(), 'POST', CREATE_PATH, {
        body: {
          name: `vector-${product}`,
          integrationConfigurationId: 'icfg_emuUpstash0001',
          integrationProductIdOrSlug: product,
          billingPlanId: 'bp_emu_upstash_free',
          protocolSettings: { storage: { region: 'us-east-1' } }
        }
      })
      expect(result.status).toBe(200)
      expect(result.body.store.product.id).toBe('iap_emu_upstash_vector')
      expect(result.body.store.protocolSettings).toEqual({
        storage: { region: 'us-east-1' }
      })
      expect(
        result.body.store.secrets.map((s: { name: string }) => s.name)
      ).toEqual([
        'UPSTASH_VECTOR_REST_URL',
        'UPSTASH_VECTOR_REST_TOKEN',
        'UPSTASH_VECTOR_REST_READONLY_TOKEN'
      ])
    }
  })

  it('does not make names unique', async () => {
    const first = await call(emulator(), 'POST', CREATE_PATH, {
      body: neonBody('same-name')
    })
    const second = await call(emulator(), 'POST', CREATE_PATH, {
      body: neonBody('same-name')
    })
    expect(first.body.store.id).not.toBe(second.body.store.id)
    const named = emulator()
      .stores()
      .filter((s) => s.name === 'same-name')
    expect(named).toHaveLength(2)
  })

  it('gives every create a strictly later createdAt', async () => {
    const created: number[] = []
    for (let i = 0; i < 10; i++) {
      const result = await call(emulator(), 'POST', CREATE_PATH, {
        body: neonBody(`burst-${i}`)
      })
      created.push(result.body.store.createdAt)
    }
    for (let i = 1; i < created.length; i++) {
      expect(created[i]).toBeGreaterThan(created[i - 1])
    }
  })
})

describe('GET /v1/storage/stores', () => {
  const emulator = useEmulator()

  beforeAll(() => {
    const seed = (installationId: string, productIdOrSlug: string) =>
      emulator().seedStore({
        installationId,
        productIdOrSlug,
        name: `${productIdOrSlug}-store`,
        externalId: `ext-${productIdOrSlug}`
      })
    seed('icfg_emuNeon0001', 'neon')
    seed('icfg_emuUpstash0001', 'upstash-kv')
    seed('icfg_emuUpstash0001', 'iap_emu_upstash_vector')
  })

  it('filters by integrationConfigurationId and ignores unknown params', async () => {
    const result = await call(
      emulator(),
      'GET',
      `${LIST_PATH}&integrationConfigurationId=icfg_emuUpstash0001&skip-metadata=true`
    )
    expect(result.status).toBe(200)
    expect(
      result.body.stores.map(
        (s: { product: { slug: string } }) => s.product.slug
      )
    ).toEqual(['upstash-vector', 'upstash-kv'])
    expect(result.body).not.toHaveProperty('pagination')
  })

  it('returns externalId only when listIncludesExternalId is on', async () => {
    const store = emulator().stores()[0]
    const getPath = `/v1/storage/stores/${store.id}?teamId=${TEAM_ID}`

    const hidden = await call(emulator(), 'GET', LIST_PATH)
    for (const listed of hidden.body.stores) {
      expect(listed).not.toHaveProperty('externalId')
    }
    expect(
      (await call(emulator(), 'GET', getPath)).body.store
    ).not.toHaveProperty('externalId')

    emulator().options.listIncludesExternalId = true
    try {
      const shown = await call(emulator(), 'GET', LIST_PATH)
      expect(
        shown.body.stores.map((s: { externalId: string }) => s.externalId)
      ).toEqual(['ext-iap_emu_upstash_vector', 'ext-upstash-kv', 'ext-neon'])
      expect(
        (await call(emulator(), 'GET', getPath)).body.store.externalId
      ).toBe(store.externalId)
      const created = await call(emulator(), 'POST', CREATE_PATH, {
        body: neonBody('with-external-id', { externalId: 'ext-new' })
      })
      expect(created.body.store).not.toHaveProperty('externalId')
    } finally {
      emulator().options.listIncludesExternalId = false
    }
  })

  it('lists only the Vercel CLI’s Resource fields when minimalListing', async () => {
    emulator().options.minimalListing = true
    try {
      const { body } = await call(emulator(), 'GET', LIST_PATH)
      for (const listed of body.stores) {
        expect(Object.keys(listed.product).sort()).toEqual([
          'integrationConfigurationId',
          'name',
          'slug'
        ])
        expect(listed).not.toHaveProperty('secrets')
        expect(listed).not.toHaveProperty('metadata')
        expect(listed).toHaveProperty('id')
        expect(listed).toHaveProperty('name')
      }
    } finally {
      emulator().options.minimalListing = false
    }
  })

  it('leaves the id out of the create response when createResponseOmitsId', async () => {
    emulator().options.createResponseOmitsId = true
    try {
      const created = await call(emulator(), 'POST', CREATE_PATH, {
        body: neonBody('no-id-in-response')
      })
      expect(created.status).toBe(200)
      expect(created.body.store).not.toHaveProperty('id')
      expect(created.body.store.name).toBe('no-id-in-response')
    } finally {
      emulator().options.createResponseOmitsId = false
    }
    const listed = await call(emulator(), 'GET', LIST_PATH)
    const store = listed.body.stores.find(
      (s: { name: string }) => s.name === 'no-id-in-response'
    )
    expect(store.id).toMatch(/^store_/)
  })
})

describe('pagination', () => {
  const emulator = useEmulator({ pageSize: 2 })

  beforeAll(() => {
    for (let i = 1; i <= 5; i++) {
      emulator().seedStore({
        installationId: 'icfg_emuNeon0001',
        productIdOrSlug: 'neon',
        name: `store-${i}`,
        createdAt: 1_700_000_000_000 + i * 1000
      })
    }
  })

  it('pages newest first and follows next with until', async () => {
    const pages: { names: string[]; next: number | null }[] = []
    let path = LIST_PATH
    for (;;) {
      const result = await call(emulator(), 'GET', path)
      expect(result.status).toBe(200)
      const { stores, pagination } = result.body
      expect(pagination.count).toBe(stores.length)
      pages.push({
        names: stores.map((s: { name: string }) => s.name),
        next: pagination.next
      })
      if (pagination.next === null) break
      path = `${LIST_PATH}&until=${pagination.next}`
    }
    expect(pages).toEqual([
      { names: ['store-5', 'store-4'], next: 1_700_000_004_000 },
      { names: ['store-3', 'store-2'], next: 1_700_000_002_000 },
      { names: ['store-1'], next: null }
    ])
  })
})

describe('request log', () => {
  const emulator = useEmulator()

  it('records every request with its route key and status', async () => {
    emulator().resetRequests()
    await call(emulator(), 'GET', `${LIST_PATH}&skip-metadata=true`)
    await call(emulator(), 'GET', LIST_PATH, { token: null })
    const created = await call(emulator(), 'POST', CREATE_PATH, {
      body: neonBody('logged')
    })
    await call(
      emulator(),
      'GET',
      `/v1/storage/stores/${created.body.store.id}?teamId=${TEAM_ID}`
    )
    await call(emulator(), 'PATCH', '/v1/storage/stores/integration/x')

    expect(emulator().counts()).toEqual({
      [ROUTES.listStores]: 2,
      [ROUTES.createStore]: 1,
      [ROUTES.getStore]: 1,
      UNKNOWN: 1
    })
    expect(emulator().count('GET /v1/storage/stores')).toBe(2)
    expect(emulator().count('POST /v1/storage/stores/integration/direct')).toBe(
      1
    )
    expect(emulator().count()).toBe(5)
    expect(emulator().requests.map((r) => r.status)).toEqual([
      200, 403, 200, 200, 404
    ])
    expect(emulator().requests[0]).toEqual({
      method: 'GET',
      path: '/v1/storage/stores',
      route: 'GET /v1/storage/stores',
      query: { teamId: TEAM_ID, 'skip-metadata': 'true' },
      status: 200
    })
    expect(emulator().requests[2].body).toEqual(neonBody('logged'))
  })

  it('does not count seeded stores', () => {
    emulator().resetRequests()
    emulator().seedStore({
      installationId: 'icfg_emuNeon0001',
      productIdOrSlug: 'neon',
      name: 'seeded'
    })
    expect(emulator().count()).toBe(0)
  })

  it('rejects seeding into an installation of another team', () => {
    expect(() =>
      emulator().seedStore({
        installationId: 'icfg_globexNeon01',
        productIdOrSlug: 'neon',
        name: 'wrong-team'
      })
    ).toThrow(/not in team/)
  })
})
