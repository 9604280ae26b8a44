import type { GitHubApi } from './github.js'
import {
  deriveDefaults,
  pullRequestOfStoreName,
  type Repository
} from './naming.js'
import { removeStore, type RemovedStore } from './remove.js'
import type { ResolvedTarget } from './resolve.js'
import { judgeStore, type StoreKey } from './store-match.js'
import type { FoundStore } from './store.js'
import type { ConnectionApi } from './vercel/connection-api.js'
import type { StoreApi } from './vercel/store-api.js'

/*
 * `state: prune`, for a nightly workflow: whatever close events were missed
 * (a disabled workflow, a failed or skipped run), the stores of this
 * repository's closed pull requests go. A store is a candidate only where
 * its name is the default name of one of THIS repository's pull requests
 * (the name carries a hash of owner/repo, so another owner's repository of
 * the same name never matches, nor does a name a user chose) and it is of
 * this installation and product.
 */

/** A store of one of this repository's pull requests. */
export interface PruneCandidate {
  store: FoundStore
  pullRequest: number
}

export interface PrunedStore extends RemovedStore {
  pullRequest: number
}

export interface PruneRequest {
  repository: Repository
  target: ResolvedTarget
  stores: StoreApi
  connections: ConnectionApi
  github: GitHubApi
  /** List only: delete nothing. */
  dryRun: boolean
  /**
   * Removes the branch variables the action wrote for this store, before it
   * is deleted (issue 12's `removeBranchVariables(api, project, storeId)`,
   * where `project` is set); absent until issue 12 lands.
   */
  removeBranchVariables?: (storeId: string) => Promise<void>
  log: (line: string) => void
  warn: (line: string) => void
}

export interface PruneResult {
  /** The stores whose pull request is not open: deleted, or on a dry run, not. */
  closed: PruneCandidate[]
  deleted: PrunedStore[]
  /** Candidates whose pull request is open, kept. */
  kept: number
}

/**
 * Lists the stores first, then reads the open pull requests: a pull request
 * opened between the two is then seen open, so its new store is never taken
 * for a leftover.
 */
export async function prune(request: PruneRequest): Promise<PruneResult> {
  const candidates = await findCandidates(request)
  request.log(
    `${candidates.length} store(s) of ${request.repository.owner}/${request.repository.repo}'s pull requests in this installation and product.`
  )
  if (candidates.length === 0) return { closed: [], deleted: [], kept: 0 }
  const open = await request.github.openPullRequests(request.repository)
  const closed = candidates.filter(({ pullRequest }) => !open.has(pullRequest))
  const result: PruneResult = {
    closed,
    deleted: [],
    kept: candidates.length - closed.length
  }
  if (request.dryRun) return result
  for (const { store, pullRequest } of closed) {
    await request.removeBranchVariables?.(store.id)
    const removed = await removeStore(request.connections, store, request.log)
    result.deleted.push({ ...removed, pullRequest })
  }
  return result
}

/** This repository's pull requests' stores of this installation and product. */
async function findCandidates({
  repository,
  target,
  stores,
  warn
}: PruneRequest): Promise<PruneCandidate[]> {
  const listed = await stores.listStores(target.integrationConfigurationId)
  const candidates: PruneCandidate[] = []
  for (const store of listed) {
    if (typeof store.id !== 'string' || !store.id) continue
    const pullRequest = pullRequestOfStoreName(store.name ?? '', repository)
    if (pullRequest === undefined) continue
    const key = keyOf(repository, pullRequest, target)
    let found: FoundStore = { ...store, id: store.id }
    let verdict = judgeStore(found, key)
    if (verdict === 'unconfirmed') {
      // The listing left out the product: one read says.
      found = { ...found, ...(await stores.getStore(found.id)), id: found.id }
      verdict = judgeStore(found, key)
      if (verdict === 'unconfirmed') {
        warn(
          `Kept store ${found.id} ("${store.name}"): Vercel does not say whether it is of product "${key.product}".`
        )
      }
    }
    if (verdict === 'match') candidates.push({ store: found, pullRequest })
  }
  return candidates.sort((a, b) => a.pullRequest - b.pullRequest)
}

/** The key `state: present` gave the store of this pull request. */
function keyOf(
  repository: Repository,
  pullRequest: number,
  target: ResolvedTarget
): StoreKey {
  const { name, externalId } = deriveDefaults({
    ...repository,
    pullRequestNumber: pullRequest
  })
  return {
    integrationConfigurationId: target.integrationConfigurationId,
    product: target.productIdOrSlug,
    name: name ?? '',
    externalId: externalId ?? ''
  }
}
