import { findStores, type FoundStore } from './store.js'
import type { StoreKey } from './store-match.js'
import type { ConnectionApi } from './vercel/connection-api.js'
import type { StoreApi } from './vercel/store-api.js'

export interface RemovedStore {
  id: string
  name: string
  /** The projects it was disconnected from, by name where Vercel gives one. */
  projects: string[]
}

/** Deletes every store with this key, duplicates included, oldest first. */
export async function removeStores(
  stores: StoreApi,
  connections: ConnectionApi,
  key: StoreKey,
  log: (line: string) => void = () => {}
): Promise<RemovedStore[]> {
  const removed: RemovedStore[] = []
  for (const store of await findStores(stores, key)) {
    removed.push(await removeStore(connections, store, log, key.name))
  }
  return removed
}

/**
 * Deletes one store: disconnected first where projects are connected, since
 * Vercel refuses to delete it otherwise.
 */
export async function removeStore(
  connections: ConnectionApi,
  store: FoundStore,
  log: (line: string) => void = () => {},
  fallbackName = ''
): Promise<RemovedStore> {
  const metadata = store.projectsMetadata
  const projects = (metadata ?? []).map(
    ({ name, projectId }) => name ?? projectId ?? 'unnamed project'
  )
  // Where the listing does not say, disconnecting costs one request more
  // than a refused delete would.
  if (!Array.isArray(metadata) || metadata.length > 0) {
    await connections.disconnectAll(store.id)
    log(
      `Disconnected store ${store.id} from ${projects.length > 0 ? projects.join(', ') : 'its projects'}.`
    )
  }
  await connections.deleteStore(store.id)
  log(`Deleted store ${store.name ?? ''} (${store.id}).`)
  return { id: store.id, name: store.name ?? fallbackName, projects }
}
