import type { VercelClient } from './client.js'
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
// against a server that keeps handing out the same cursor.
const MAX_PAGES = 100

export class VercelStoreApi implements StoreApi {
  private readonly client: VercelClient

  constructor(client: VercelClient) {
    this.client = client
  }

  /** `GET /v1/storage/stores` (undocumented; what the CLI and Terraform use). */
  async listStores(integrationConfigurationId: string): Promise<VercelStore[]> {
    const stores: VercelStore[] = []
    let until: string | undefined
    for (let page = 0; page < MAX_PAGES; page++) {
      const response = await this.client.get<StoreListResponse>(
        '/v1/storage/stores',
        { integrationConfigurationId, until }
      )
      stores.push(...(response.stores ?? []))
      const next = response.pagination?.next
      if (next === undefined || next === null || String(next) === until) break
      until = String(next)
    }
    return stores
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
