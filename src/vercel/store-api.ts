import type { VercelClient } from './client.js'
import { VercelResponseError } from './errors.js'
import type {
  CreateStoreBody,
  StoreListResponse,
  StoreResponse,
  VercelStore
} from './types.js'

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

  /** `GET /v1/storage/stores` (undocumented; what the CLI and Terraform use). */
  async listStores(integrationConfigurationId: string): Promise<VercelStore[]> {
    const path = '/v1/storage/stores'
    const stores: VercelStore[] = []
    let until: string | undefined
    for (let page = 0; page < MAX_PAGES; page++) {
      const response = await this.client.get<StoreListResponse>(path, {
        integrationConfigurationId,
        until
      })
      // A listing that cannot be read must not pass for an empty one: that
      // would create a second store.
      if (!Array.isArray(response?.stores)) {
        throw new VercelResponseError(
          'GET',
          path,
          200,
          'a body that has no list of stores'
        )
      }
      stores.push(...response.stores)
      const next = response.pagination?.next
      if (next === undefined || next === null) return stores
      if (String(next) === until) {
        throw new VercelResponseError(
          'GET',
          path,
          200,
          'the same page cursor twice'
        )
      }
      until = String(next)
    }
    throw new VercelResponseError(
      'GET',
      path,
      200,
      `more than ${MAX_PAGES} pages`
    )
  }

  async getStore(id: string): Promise<VercelStore | undefined> {
    const response = await this.client.get<StoreResponse>(
      `/v1/storage/stores/${encodeURIComponent(id)}`
    )
    return response.store ?? undefined
  }

  /** `POST /v1/storage/stores/integration/direct` (documented). */
  async createStore(body: CreateStoreBody): Promise<VercelStore | undefined> {
    const response = await this.client.post<StoreResponse>(
      '/v1/storage/stores/integration/direct',
      body
    )
    return response.store ?? undefined
  }
}
