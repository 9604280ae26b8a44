import { describe, expect, it } from 'vitest'
import { connectStore } from '../src/connect.ts'
import { removeStores } from '../src/remove.ts'
import type { FoundStore } from '../src/store.ts'
import type {
  ConnectionApi,
  ConnectionBody
} from '../src/vercel/connection-api.ts'
import { VercelApiError } from '../src/vercel/errors.ts'
import type { StoreApi } from '../src/vercel/store-api.ts'
import type { VercelStore } from '../src/vercel/types.ts'

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
  it('connects by id without looking the project up', async () => {
    const { api, calls, bodies } = fakeConnections()
    const result = await connectStore(
      api,
      store,
      { ...request, project: 'prj_web' },
      unchanged
    )
    expect(calls).toEqual(['connect store_1'])
    expect(bodies).toEqual([
      {
        projectId: 'prj_web',
        envVarEnvironments: ['preview'],
        type: 'integration',
        envVarPrefix: 'PR1_'
      }
    ])
    expect(result).toEqual({
      projectId: 'prj_web',
      projectName: undefined,
      envVarNames: ['PR1_DATABASE_URL', 'PR1_PGHOST'],
      envVarPrefix: 'PR1_',
      connected: true
    })
  })

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
        { ...request, environments: ['preview', 'production'] },
        unchanged
      )
    ).rejects.toThrow('but this step asks for preview, production with prefix')
    expect(calls).toEqual([])
  })

  it('turns a name collision into advice to set env-prefix', async () => {
    const { api } = fakeConnections({
      connectFails: new VercelApiError(
        'POST',
        '/v1/storage/stores/store_1/connections',
        400,
        {
          code: 'bad_request',
          message:
            'This project already has an existing environment variable with name DATABASE_URL in one of the chosen environments'
        },
        'bad_request'
      )
    })
    await expect(
      connectStore(api, store, { ...request, envPrefix: undefined }, unchanged)
    ).rejects.toThrow(
      'Project web already has a variable named DATABASE_URL in preview, so store store_1 cannot add its own; set "env-prefix"'
    )
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

  it('names a project that is not found', async () => {
    const { api, calls } = fakeConnections()
    await expect(
      connectStore(api, store, { ...request, project: 'nope' }, unchanged)
    ).rejects.toThrow('Project "nope" was not found in this team')
    expect(calls).toEqual(['getProject nope'])
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

  function storeApi(listed: VercelStore[]): StoreApi {
    return {
      listStores: async () => listed,
      getStore: async () => undefined,
      createStore: async () => undefined
    }
  }

  it('disconnects only stores that have, or may have, projects, then deletes each, oldest first', async () => {
    const { api, calls } = fakeConnections()
    const removed = await removeStores(
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
      api,
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

  it('removes nothing when no store has the key', async () => {
    const { api, calls } = fakeConnections()
    expect(await removeStores(storeApi([]), api, key)).toEqual([])
    expect(calls).toEqual([])
  })
})
