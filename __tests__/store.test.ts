import { describe, expect, it } from 'vitest'
import { ActionError } from '../src/errors.ts'
import {
  createStore,
  findStores,
  keyOf,
  oldestOf,
  withDetails,
  type CreateStoreOptions,
  type KeyedCreateStoreBody
} from '../src/store.ts'
import {
  VercelApiError,
  VercelNetworkError,
  VercelResponseError
} from '../src/errors.ts'
import type { StoreApi } from '../src/vercel-api.ts'
import type { CreateStoreBody, VercelStore } from '../src/vercel-api.ts'

const body = {
  name: 'web-pr-1',
  integrationConfigurationId: 'icfg_a',
  integrationProductIdOrSlug: 'iap_neon',
  externalId: 'acme-web-pr-1'
}

const product = {
  id: 'iap_neon',
  slug: 'neon',
  integrationConfigurationId: 'icfg_a'
}

/** Get or create, as a run's plan and its application do it. */
async function ensureStore(
  api: StoreApi,
  body: KeyedCreateStoreBody,
  options?: CreateStoreOptions
) {
  const found = await findStores(api, keyOf(body))
  if (found.length > 0) return oldestOf(found, false)
  return createStore(api, body, options)
}

/** An in-memory stand-in for the store endpoints, recording every call. */
function fakeApi(options: {
  listed?: VercelStore[]
  full?: Record<string, VercelStore>
  created?: VercelStore
  createFails?: Error
  /** Failures of the first creates, in order; later creates succeed. */
  createFailures?: Error[]
  listedAfterCreate?: VercelStore[]
}): StoreApi & { calls: string[] } {
  const calls: string[] = []
  const failures = [...(options.createFailures ?? [])]
  let createdOnce = false
  return {
    calls,
    async listStores() {
      calls.push('list')
      return createdOnce
        ? (options.listedAfterCreate ?? [])
        : (options.listed ?? [])
    },
    async getStore(id: string) {
      calls.push(`get ${id}`)
      return options.full?.[id]
    },
    async createStore(request: CreateStoreBody) {
      calls.push(`create ${request.name}`)
      if (failures.length > 0) throw failures.shift()
      createdOnce = true
      if (options.createFails) throw options.createFails
      return options.created
    }
  }
}

/** Pauses that record themselves in the calls instead of waiting. */
function pausesIn(api: { calls: string[] }) {
  return {
    sleep: async (ms: number) => {
      api.calls.push(`pause ${ms}`)
    }
  }
}

/** The listings after a lost create: at once, then after each pause. */
const RELISTS = [
  'list',
  'pause 500',
  'list',
  'pause 1000',
  'list',
  'pause 2000',
  'list'
]

describe('ensureStore', () => {
  it('reads a store whose listing leaves out the product id, and reuses it', async () => {
    const listed = {
      id: 'store_1',
      name: 'web-pr-1',
      product: { slug: 'neon', integrationConfigurationId: 'icfg_a' }
    }
    const api = fakeApi({ listed: [listed], full: { store_1: { product } } })
    const result = await ensureStore(api, body)
    expect(result).toMatchObject({ created: false, store: { id: 'store_1' } })
    expect(api.calls).toEqual(['list', 'get store_1'])
  })

  it('skips a store that turns out to be of another product', async () => {
    const listed = {
      id: 'store_1',
      name: 'web-pr-1',
      product: { integrationConfigurationId: 'icfg_a' }
    }
    const api = fakeApi({
      listed: [listed],
      full: { store_1: { product: { ...product, id: 'iap_other' } } },
      created: { id: 'store_2', name: 'web-pr-1', product }
    })
    const result = await ensureStore(api, body)
    expect(result).toMatchObject({ created: true, store: { id: 'store_2' } })
    expect(api.calls).toEqual(['list', 'get store_1', 'create web-pr-1'])
  })

  it('fails, rather than guess, when no response says which product a store is', async () => {
    const listed = {
      id: 'store_1',
      name: 'web-pr-1',
      product: { integrationConfigurationId: 'icfg_a' }
    }
    const api = fakeApi({ listed: [listed], full: {} })
    await expect(ensureStore(api, body)).rejects.toThrow(
      new ActionError(
        'Store store_1 ("web-pr-1") has this step\'s key, but Vercel does not say whether it is of product "iap_neon"; give "product" as the product\'s slug instead.'
      )
    )
    expect(api.calls).toEqual(['list', 'get store_1'])
  })

  it('lists again when the create response has no id', async () => {
    const api = fakeApi({
      created: { name: 'web-pr-1' },
      listedAfterCreate: [{ id: 'store_9', name: 'web-pr-1', product }]
    })
    const result = await ensureStore(api, body)
    expect(result).toMatchObject({ created: true, store: { id: 'store_9' } })
    expect(api.calls).toEqual(['list', 'create web-pr-1', 'list'])
  })

  it('fails with advice when the created store is neither returned nor listed', async () => {
    const api = fakeApi({ created: { name: 'web-pr-1' } })
    await expect(ensureStore(api, body, pausesIn(api))).rejects.toThrow(
      /returned no store id, and the store is not listed yet; run the job again/
    )
    expect(api.calls).toEqual(['list', 'create web-pr-1', ...RELISTS])
  })

  it('keeps the listing’s installation when the read describes the product in part', async () => {
    const listed = {
      id: 'store_1',
      name: 'web-pr-1',
      product: { slug: 'neon', integrationConfigurationId: 'icfg_a' }
    }
    const api = fakeApi({
      listed: [listed],
      full: { store_1: { product: { id: 'iap_neon', slug: 'neon' } } }
    })
    const result = await ensureStore(api, body)
    expect(result.created).toBe(false)
    expect(result.store.product).toEqual({
      id: 'iap_neon',
      slug: 'neon',
      integrationConfigurationId: 'icfg_a'
    })
    expect(api.calls).toEqual(['list', 'get store_1'])
  })
})

describe('ensureStore after a create that failed', () => {
  const stored = { id: 'store_7', name: 'web-pr-1', product }
  const createPath = '/v1/storage/stores/integration/direct'

  it.each([
    ['no answer', new VercelNetworkError('POST', createPath, 'ECONNRESET')],
    [
      'a 502',
      new VercelApiError('POST', createPath, 502, undefined, 'an HTML page')
    ],
    [
      'a 409',
      new VercelApiError('POST', createPath, 409, undefined, 'conflict')
    ]
  ])(
    'looks again after %s and takes the store that was made',
    async (_, failure) => {
      const api = fakeApi({ createFails: failure, listedAfterCreate: [stored] })
      const result = await ensureStore(api, body)
      expect(result).toMatchObject({ created: true, store: { id: 'store_7' } })
      expect(api.calls).toEqual(['list', 'create web-pr-1', 'list'])
    }
  )

  it('creates again, at most three times in all, while the store is not listed', async () => {
    const failure = new VercelNetworkError('POST', createPath, 'ECONNRESET')
    const api = fakeApi({ createFails: failure })
    await expect(ensureStore(api, body, pausesIn(api))).rejects.toBe(failure)
    expect(failure.message).toBe(
      `POST ${createPath} got no answer: ECONNRESET (3 creates, and the store is not listed after any)`
    )
    expect(api.calls).toEqual([
      'list',
      ...Array(3)
        .fill(['create web-pr-1', ...RELISTS])
        .flat()
    ])
  })

  it('never creates again after a 2xx it could not read, though the store is not listed yet', async () => {
    const api = fakeApi({
      createFails: new VercelResponseError(
        'POST',
        createPath,
        200,
        'a truncated JSON body'
      )
    })
    await expect(ensureStore(api, body, pausesIn(api))).rejects.toThrow(
      ActionError
    )
    expect(api.calls).toEqual(['list', 'create web-pr-1', ...RELISTS])
  })

  it('creates again after a lost answer when the store is not listed', async () => {
    const api = fakeApi({
      createFailures: [
        new VercelApiError('POST', createPath, 503, undefined, 'x')
      ],
      created: { ...stored }
    })
    const result = await ensureStore(api, body, pausesIn(api))
    expect(result).toMatchObject({ created: true, store: { id: stored.id } })
    expect(api.calls).toEqual([
      'list',
      'create web-pr-1',
      ...RELISTS,
      'create web-pr-1'
    ])
  })

  it('lists again after a pause, rather than create twice, while the listing lags', async () => {
    const failure = new VercelApiError('POST', createPath, 502, undefined, 'x')
    const api = fakeApi({ createFails: failure })
    // The store shows up in the third listing after the lost create.
    let listings = 0
    const listStores = api.listStores
    api.listStores = async (id) => {
      await listStores(id)
      return ++listings >= 4 ? [stored] : []
    }
    const result = await ensureStore(api, body, pausesIn(api))
    expect(result).toMatchObject({ created: true, store: { id: 'store_7' } })
    expect(api.calls).toEqual([
      'list',
      'create web-pr-1',
      'list',
      'pause 500',
      'list',
      'pause 1000',
      'list'
    ])
  })

  it('pauses no longer than the deadline leaves', async () => {
    const failure = new VercelNetworkError('POST', createPath, 'ECONNRESET')
    const api = fakeApi({ createFails: failure })
    await expect(
      ensureStore(api, body, { ...pausesIn(api), remainingMs: () => 800 })
    ).rejects.toBe(failure)
    expect(api.calls.filter((call) => call.startsWith('pause'))).toEqual(
      Array(3).fill('pause 500')
    )
  })

  it.each([400, 403, 404, 429])(
    'does not look again after a %i, which creates nothing',
    async (status) => {
      const failure = new VercelApiError(
        'POST',
        createPath,
        status,
        undefined,
        'x'
      )
      const api = fakeApi({ createFails: failure, listedAfterCreate: [stored] })
      await expect(ensureStore(api, body)).rejects.toBe(failure)
      expect(api.calls).toEqual(['list', 'create web-pr-1'])
    }
  )
})

describe('withDetails', () => {
  const listed = {
    id: 'store_1',
    secrets: [{ name: 'DATABASE_URL' }],
    projectsMetadata: [
      {
        projectId: 'prj_web',
        environments: ['preview'],
        envVarPrefix: 'PR1_',
        environmentVariables: ['PR1_DATABASE_URL']
      }
    ]
  }

  it('reads nothing when the listing says all', async () => {
    const api = fakeApi({})
    expect(await withDetails(api, listed)).toBe(listed)
    expect(api.calls).toEqual([])
  })

  it.each([
    ['its secrets', { secrets: undefined }],
    ['its connections', { projectsMetadata: undefined }],
    [
      'a connection’s prefix and variables',
      {
        projectsMetadata: [{ projectId: 'prj_web', environments: ['preview'] }]
      }
    ]
  ])('reads the store once when the listing leaves out %s', async (_, gap) => {
    const api = fakeApi({ full: { store_1: listed } })
    const result = await withDetails(api, { ...listed, ...gap })
    expect(api.calls).toEqual(['get store_1'])
    expect(result).toMatchObject(listed)
  })
})
