import { describe, expect, it, vi } from 'vitest'
import { connectStore } from '../src/project.ts'
import { readStoreEnv, type ReadEnvRequest } from '../src/project-env.ts'
import { findStores, removeStores, type FoundStore } from '../src/store.ts'
import type {
  ConnectionApi,
  StoreApi,
  ProjectEnvApi
} from '../src/vercel-api.ts'
import type {
  ConnectionBody,
  VercelStore,
  ProjectEnvVar
} from '../src/vercel-types.ts'
import { VercelApiError } from '../src/errors.ts'

/** A connection API that records its calls and fails where told. */
function fakeConnections(options: { connectFails?: Error } = {}) {
  const calls: string[] = []
  const bodies: ConnectionBody[] = []
  const api: ConnectionApi = {
    async getProject(idOrName) {
      calls.push(`getProject ${idOrName}`)
      if (idOrName === 'web') return { id: 'prj_web', name: 'web' }
      throw new VercelApiError(
        'GET',
        `/v9/projects/${idOrName}`,
        404,
        { code: 'not_found', message: 'Project not found' },
        'not_found "Project not found"'
      )
    },
    async listCustomEnvironments(idOrName) {
      calls.push(`listCustomEnvironments ${idOrName}`)
      return [{ id: 'env_staging01', slug: 'staging' }]
    },
    async connect(storeId, body) {
      calls.push(`connect ${storeId}`)
      bodies.push(body)
      if (options.connectFails) throw options.connectFails
    },
    async disconnectAll(storeId) {
      calls.push(`disconnectAll ${storeId}`)
    },
    async deleteStore(storeId) {
      calls.push(`deleteStore ${storeId}`)
    }
  }
  return { api, calls, bodies }
}

/** The store as a read shows it: here, as it was listed. */
const unchanged = async (id: string): Promise<FoundStore> => ({ id })

const store: FoundStore = {
  id: 'store_1',
  name: 'web-pr-1',
  secrets: [{ name: 'DATABASE_URL' }, { name: 'PGHOST' }],
  projectsMetadata: []
}

const connectedToWeb: FoundStore = {
  ...store,
  projectsMetadata: [
    {
      id: 'spc_1',
      projectId: 'prj_web',
      name: 'web',
      environments: ['preview'],
      envVarPrefix: 'PR1_',
      environmentVariables: ['PR1_DATABASE_URL', 'PR1_PGHOST']
    }
  ]
}

const request = {
  project: 'web',
  environments: ['preview'],
  envPrefix: 'PR1_'
}

describe('connectStore', () => {
  it('sends no prefix when none is asked for', async () => {
    const { api, bodies } = fakeConnections()
    await connectStore(
      api,
      store,
      { project: 'web', environments: ['preview'] },
      unchanged
    )
    expect(bodies[0]).not.toHaveProperty('envVarPrefix')
  })

  it.each(['web', 'prj_web'])(
    'makes no request when the store already shows project %s so connected',
    async (project) => {
      const { api, calls } = fakeConnections()
      const result = await connectStore(
        api,
        connectedToWeb,
        { ...request, project },
        unchanged
      )
      expect(calls).toEqual([])
      expect(result).toEqual({
        projectId: 'prj_web',
        projectName: 'web',
        envVarNames: ['PR1_DATABASE_URL', 'PR1_PGHOST'],
        envVarPrefix: 'PR1_',
        environments: ['preview'],
        connected: false
      })
    }
  )

  it('looks a name up, then finds the connection by id', async () => {
    const { api, calls } = fakeConnections()
    const unnamed = {
      projectId: 'prj_web',
      environments: ['preview'],
      envVarPrefix: 'PR1_'
    }
    const result = await connectStore(
      api,
      { ...store, projectsMetadata: [unnamed] },
      request,
      unchanged
    )
    expect(calls).toEqual(['getProject web'])
    expect(result.connected).toBe(false)
  })

  it('fails, saying what differs, on other environments or another prefix', async () => {
    const { api, calls } = fakeConnections()
    await expect(
      connectStore(
        api,
        connectedToWeb,
        { ...request, envPrefix: undefined },
        unchanged
      )
    ).rejects.toThrow(
      'already connected to project web for preview with prefix PR1_, but this step asks for preview without a prefix'
    )
    await expect(
      connectStore(
        api,
        connectedToWeb,
        {
          ...request,
          environments: ['preview', 'production'],
          environmentsGiven: true
        },
        unchanged
      )
    ).rejects.toThrow('but this step asks for preview, production with prefix')
    expect(calls).toEqual([])
  })

  it('takes a conflict for a connection made since the listing, and reads the store to reuse it', async () => {
    const { api, calls } = fakeConnections({
      connectFails: new VercelApiError(
        'POST',
        '/v1/storage/stores/store_1/connections',
        409,
        { code: 'conflict', message: 'Already connected' },
        'conflict'
      )
    })
    const reads: string[] = []
    const result = await connectStore(api, store, request, async (id) => {
      reads.push(id)
      return connectedToWeb
    })
    expect(calls).toEqual(['getProject web', 'connect store_1'])
    expect(reads).toEqual(['store_1'])
    expect(result).toMatchObject({ projectId: 'prj_web', connected: false })

    // A conflict the store does not explain is reported.
    await expect(connectStore(api, store, request, unchanged)).rejects.toThrow(
      'Vercel refused to connect store store_1 to project web (Already connected)'
    )
  })
})

describe('removeStores', () => {
  const key = {
    integrationConfigurationId: 'icfg_1',
    product: 'neon',
    name: 'web-pr-1',
    externalId: 'acme-web-pr-1'
  }
  const ofKey = (store: VercelStore): VercelStore => ({
    type: 'integration',
    name: 'web-pr-1',
    product: { integrationConfigurationId: 'icfg_1', slug: 'neon' },
    ...store
  })

  /** The stores of the key, found as a plan finds them, then removed. */
  async function removeStoresOf(
    api: ConnectionApi,
    stores: StoreApi,
    storeKey: typeof key
  ) {
    return removeStores(api, await findStores(stores, storeKey), storeKey.name)
  }

  function storeApi(listed: VercelStore[]): StoreApi {
    return {
      listStores: async () => listed,
      getStore: async () => undefined,
      createStore: async () => undefined
    }
  }

  it('disconnects only stores that have, or may have, projects, then deletes each, oldest first', async () => {
    const { api, calls } = fakeConnections()
    const removed = await removeStoresOf(
      api,
      storeApi([
        ofKey({ id: 'store_new', createdAt: 3, projectsMetadata: [] }),
        ofKey({
          id: 'store_old',
          createdAt: 1,
          projectsMetadata: [{ projectId: 'prj_web', name: 'web' }]
        }),
        ofKey({ id: 'store_mid', createdAt: 2 }),
        ofKey({ id: 'store_other', name: 'web-pr-2', createdAt: 0 })
      ]),
      key
    )
    expect(calls).toEqual([
      'disconnectAll store_old',
      'deleteStore store_old',
      'disconnectAll store_mid',
      'deleteStore store_mid',
      'deleteStore store_new'
    ])
    expect(removed).toEqual([
      { id: 'store_old', name: 'web-pr-1', projects: ['web'] },
      { id: 'store_mid', name: 'web-pr-1', projects: [] },
      { id: 'store_new', name: 'web-pr-1', projects: [] }
    ])
  })
})

const STORE = 'store_abc'
const hint = (storeId = STORE) => ({
  type: 'integration-store-secret',
  storeId
})

const readRequest: ReadEnvRequest = {
  project: 'web',
  projectId: 'prj_web',
  storeId: STORE,
  environment: 'preview',
  names: ['PR1_DATABASE_URL', 'PR1_PGHOST']
}

/** A project env API over a fixed listing and values, recording reads. */
function api(listed: ProjectEnvVar[], values: Record<string, string>) {
  const getEnv = vi.fn(async (_projectId: string, id: string) => {
    const variable = listed.find((candidate) => candidate.id === id)
    return { ...variable, value: values[id], decrypted: true }
  })
  const fake: ProjectEnvApi = { listEnv: async () => listed, getEnv }
  return { fake, getEnv }
}

describe('readStoreEnv', () => {
  const listed: ProjectEnvVar[] = [
    {
      id: 'e1',
      key: 'PR1_DATABASE_URL',
      type: 'encrypted',
      target: ['preview', 'production'],
      contentHint: hint(),
      value: 'enc'
    },
    {
      id: 'e2',
      key: 'PR1_PGHOST',
      type: 'encrypted',
      target: ['preview'],
      contentHint: hint(),
      value: 'enc'
    },
    // Another store's, another environment's, and a hand-set variable.
    {
      id: 'e3',
      key: 'PR2_DATABASE_URL',
      type: 'encrypted',
      target: ['preview'],
      contentHint: hint('store_other'),
      value: 'enc'
    },
    {
      id: 'e4',
      key: 'PR1_DATABASE_URL',
      type: 'encrypted',
      target: ['development'],
      contentHint: hint(),
      value: 'enc'
    },
    {
      id: 'e5',
      key: 'SITE',
      type: 'plain',
      target: ['preview'],
      contentHint: null,
      value: 'plain'
    }
  ]

  it('reads the store’s variables of the environment, and masks each value first', async () => {
    const { fake, getEnv } = api(listed, { e1: 'postgres://a', e2: 'host-a' })
    const masked: string[] = []
    const env = await readStoreEnv(fake, readRequest, (value) =>
      masked.push(value)
    )
    expect(env).toEqual({
      PR1_DATABASE_URL: 'postgres://a',
      PR1_PGHOST: 'host-a'
    })
    expect(masked.sort()).toEqual(['host-a', 'postgres://a'])
    expect(getEnv.mock.calls.map(([, id]) => id).sort()).toEqual(['e1', 'e2'])
  })

  it('fails naming a variable of the connection that the project lacks', async () => {
    const { fake, getEnv } = api(listed.slice(1), {})
    await expect(readStoreEnv(fake, readRequest, () => {})).rejects.toThrow(
      'Project web has no variable PR1_DATABASE_URL of store store_abc in preview, so its value cannot be read; disconnect the project from the store in the Vercel dashboard and run again, or drop "read-env".'
    )
    expect(getEnv).not.toHaveBeenCalled()
  })

  it('fails on a variable listed as sensitive before reading any value', async () => {
    const sensitive = listed.map((variable) =>
      variable.id === 'e2' ? { ...variable, type: 'sensitive' } : variable
    )
    const { fake, getEnv } = api(sensitive, {})
    await expect(readStoreEnv(fake, readRequest, () => {})).rejects.toThrow(
      'Variable PR1_PGHOST of project web has no readable value'
    )
    expect(getEnv).not.toHaveBeenCalled()
  })
})
