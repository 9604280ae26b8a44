import type { VercelClient } from './client.js'
import { readStoreAnswer, readStorePage } from './answers.js'
import { VercelResponseError } from './errors.js'
import { storePath } from './paths.js'
import type { CreateStoreBody, VercelStore } from './types.js'

/** The store endpoints the action calls; `store.ts` depends on this alone. */
export interface StoreApi {
  listStores(integrationConfigurationId: string): Promise<VercelStore[]>
  getStore(id: string): Promise<VercelStore | undefined>
  createStore(body: CreateStoreBody): Promise<VercelStore | undefined>
}

// No client of Vercel's has seen this list paginate; the cap only guards
// against a server whose cursors never end.
const MAX_PAGES = 100

export class VercelStoreApi implements StoreApi {
  private readonly client: VercelClient

  constructor(client: VercelClient) {
    this.client = client
  }

  /**
   * `GET /v1/storage/stores` (undocumented; what the CLI and Terraform use).
   * A store that two pages both carry is one store, not two: taken as a
   * duplicate, the step would ask for the store in use to be deleted, and
   * `state: absent` would delete it twice.
   */
  async listStores(integrationConfigurationId: string): Promise<VercelStore[]> {
    const path = '/v1/storage/stores'
    const stores = new Map<string, VercelStore>()
    const withoutId: VercelStore[] = []
    let until: string | undefined
    for (let page = 0; page < MAX_PAGES; page++) {
      // A listing that cannot be read must not pass for an empty one: that
      // would create a second store.
      const { stores: listed, next } = readStorePage(
        await this.client.get<unknown>(path, {
          integrationConfigurationId,
          until
        }),
        `GET ${path}`
      )
      for (const store of listed) {
        if (store.id === undefined) withoutId.push(store)
        else if (!stores.has(store.id)) stores.set(store.id, store)
      }
      if (next === undefined) return [...stores.values(), ...withoutId]
      if (next === until) {
        throw new VercelResponseError(
          'GET',
          path,
          200,
          'the same page cursor twice'
        )
      }
      until = next
    }
    throw new VercelResponseError(
      'GET',
      path,
      200,
      `more than ${MAX_PAGES} pages`
    )
  }

  async getStore(id: string): Promise<VercelStore | undefined> {
    const path = storePath(id)
    return readStoreAnswer(await this.client.get<unknown>(path), `GET ${path}`)
  }

  /** `POST /v1/storage/stores/integration/direct` (documented). */
  async createStore(body: CreateStoreBody): Promise<VercelStore | undefined> {
    const path = '/v1/storage/stores/integration/direct'
    return readStoreAnswer(
      await this.client.post<unknown>(path, body),
      `POST ${path}`
    )
  }
}
