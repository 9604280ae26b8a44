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

/**
 * Deletes every store with this key, duplicates included, oldest first:
 * Vercel refuses to delete a store that projects are connected to, so each
 * is disconnected first.
 */
export async function removeStores(
  stores: StoreApi,
  connections: ConnectionApi,
  key: StoreKey,
  log: (line: string) => void = () => {},
  beforeRemoving: (found: FoundStore[]) => Promise<void> = async () => {}
): Promise<RemovedStore[]> {
  const removed: RemovedStore[] = []
  const found = await findStores(stores, key)
  if (found.length > 0) await beforeRemoving(found)
  for (const store of found) {
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
    removed.push({ id: store.id, name: store.name ?? key.name, projects })
  }
  return removed
}
