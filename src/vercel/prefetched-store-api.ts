import type { StoreApi } from './store-api.js'
import type { CreateStoreBody, VercelStore } from './types.js'

/**
 * A `StoreApi` whose first listing of one installation is already on its way:
 * the listing needs only the installation's id, so it runs while the
 * product and metadata are being resolved. Later listings (after a create)
 * are sent afresh.
 */
export class PrefetchedStoreApi implements StoreApi {
  private readonly api: StoreApi
  private readonly integrationConfigurationId: string
  private prefetched: Promise<VercelStore[]> | undefined

  constructor(api: StoreApi, integrationConfigurationId: string) {
    this.api = api
    this.integrationConfigurationId = integrationConfigurationId
    this.prefetched = api.listStores(integrationConfigurationId)
    // Awaited later, unless resolving fails first: never unhandled.
    this.prefetched.catch(() => undefined)
  }

  listStores(integrationConfigurationId: string): Promise<VercelStore[]> {
    const prefetched = this.prefetched
    if (
      prefetched &&
      integrationConfigurationId === this.integrationConfigurationId
    ) {
      this.prefetched = undefined
      return prefetched
    }
    return this.api.listStores(integrationConfigurationId)
  }

  getStore(id: string): Promise<VercelStore | undefined> {
    return this.api.getStore(id)
  }

  createStore(body: CreateStoreBody): Promise<VercelStore | undefined> {
    return this.api.createStore(body)
  }
}
