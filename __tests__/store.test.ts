import { describe, expect, it } from 'vitest'
import {
  ActionError,
  VercelApiError,
  VercelNetworkError,
  VercelResponseError,
  StepTimeoutError
} from '../src/errors.ts'
import {
  createStore,
  findStores,
  keyOf,
  oldestOf,
  withDetails,
  type CreateStoreOptions,
  type KeyedCreateStoreBody,
  byAge,
  judgeStore,
  type StoreKey,
  type FoundStore
} from '../src/store.ts'
import { waitUntilAvailable } from '../src/store-wait.ts'
import type { StoreApi } from '../src/vercel-api.ts'
import type { CreateStoreBody, VercelStore } from '../src/vercel-types.ts'
import { Deadline } from '../src/vercel-client.ts'

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

/** A clock that moves only when the wait sleeps. */
function fakeTime(timeoutSeconds = 300) {
  let now = 0
  const sleeps: number[] = []
  return {
    deadline: new Deadline(timeoutSeconds, () => now),
    sleeps,
    options: {
      random: () => 0.5,
      sleep: async (ms: number) => {
        sleeps.push(ms)
        now += ms
      }
    }
  }
}

/** A store API whose GET answers the given statuses in turn, then the last. */
function statuses(...answers: (VercelStore | string | null)[]) {
  const reads: string[] = []
  return {
    reads,
    async getStore(id: string) {
      reads.push(id)
      const answer = answers[Math.min(reads.length - 1, answers.length - 1)]
      return typeof answer === 'object' && answer !== null
        ? answer
        : { id, status: answer }
    }
  }
}

const initializing: FoundStore = {
  id: 'store_1',
  name: 'web-pr-1',
  status: 'initializing'
}

describe('waitUntilAvailable', () => {
  it('costs nothing for a store already available', async () => {
    const api = statuses('available')
    const time = fakeTime()
    const store = { ...initializing, status: 'available' }
    expect(
      await waitUntilAvailable(api, store, time.deadline, time.options)
    ).toBe(store)
    expect(api.reads).toEqual([])
  })

  it('reads at once, then every 0.9 to 1 s', async () => {
    const api = statuses(
      'initializing',
      'onboarding',
      null,
      'initializing',
      'available'
    )
    const time = fakeTime()
    const store = await waitUntilAvailable(
      api,
      initializing,
      time.deadline,
      time.options
    )
    expect(store).toMatchObject({ id: 'store_1', status: 'available' })
    expect(api.reads).toHaveLength(5)
    expect(time.sleeps).toEqual([950, 950, 950, 950])
  })

  it('spreads the pauses between 0.9 and 1 s', async () => {
    const pauses = []
    for (const random of [0, 1]) {
      const time = fakeTime()
      await waitUntilAvailable(
        statuses('initializing', 'available'),
        initializing,
        time.deadline,
        { ...time.options, random: () => random }
      )
      pauses.push(...time.sleeps)
    }
    expect(pauses).toEqual([1000, 900])
  })

  it('says so when Vercel gives no reason', async () => {
    const time = fakeTime()
    await expect(
      waitUntilAvailable(
        statuses('error'),
        initializing,
        time.deadline,
        time.options
      )
    ).rejects.toThrow(
      'is error, which it will not leave by itself. Vercel gives no reason.'
    )
  })

  it('stops at the deadline, naming the last status and the time waited', async () => {
    const api = statuses('initializing', 'onboarding')
    const time = fakeTime(5)
    await expect(
      waitUntilAvailable(api, initializing, time.deadline, time.options)
    ).rejects.toThrow(
      'Store "web-pr-1" (store_1) is still onboarding after 5 s of waiting, and the step\'s 5 s are up; raise "timeout", or set "wait" to false to go on without waiting.'
    )
    // Five pauses of 0.95 s, then the last 0.25 s: never past the deadline.
    expect(time.sleeps).toEqual([950, 950, 950, 950, 950, 250])
    expect(api.reads).toHaveLength(6)
  })
})

describe('a deadline that runs out during a read', () => {
  it('still names the last status seen', async () => {
    const time = fakeTime(5)
    let reads = 0
    const api = {
      async getStore(id: string): Promise<VercelStore> {
        reads++
        if (reads === 1) return { id, status: 'onboarding' }
        throw StepTimeoutError.ranOut(5, `GET /v1/storage/stores/${id}`)
      }
    }
    await expect(
      waitUntilAvailable(api, initializing, time.deadline, time.options)
    ).rejects.toThrow(
      /^Store "web-pr-1" \(store_1\) is still onboarding after 1 s of waiting, and the step's 5 s are up/
    )
  })
})
