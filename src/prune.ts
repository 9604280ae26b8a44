/**
 * `state: prune`, for a nightly workflow: whatever close events were missed
 * (a disabled workflow, a failed or skipped run), the stores of this
 * repository's closed pull requests go. A store is a candidate only where
 * its name is the default name of one of THIS repository's pull requests
 * (the name carries a hash of owner/repo, so another owner's repository of
 * the same name never matches, nor does a name a user chose) and it is of
 * this installation and product. As the other flows: `planPrune` only
 * reads, `applyPrune` deletes, and a dry run shows the plan.
 */
import type { GitHubApi } from './github.ts'
import {
  deriveDefaults,
  pullRequestOfStoreName,
  type Repository
} from './naming.ts'
import type { Outcome } from './report.ts'
import type { ResolvedTarget } from './resolve.ts'
import {
  judgeStore,
  removeStores,
  type FoundStore,
  type RemovedStore,
  type StoreKey
} from './store.ts'
import type { ConnectionApi, StoreApi } from './vercel-api.ts'

/** A store of one of this repository's pull requests. */
export interface PruneCandidate {
  store: FoundStore
  pullRequest: number
}

export interface PrunedStore extends RemovedStore {
  pullRequest: number
}

/** The stores whose pull request is not open, oldest pull request first. */
interface PrunePlan {
  repository: Repository
  closed: PruneCandidate[]
  /** Candidates whose pull request is open: kept. */
  kept: number
}

export interface PruneStep {
  repository: Repository
  target: ResolvedTarget
  api: StoreApi & ConnectionApi
  openGitHub: () => Promise<GitHubApi>
  warn: (line: string) => void
}

/**
 * Lists the stores first, then reads the open pull requests: a pull request
 * opened between the two is then seen open, so its new store is never taken
 * for a leftover. Where no store is a candidate, GitHub is not asked.
 */
export async function planPrune(step: PruneStep): Promise<PrunePlan> {
  const candidates = await findCandidates(step)
  if (candidates.length === 0) {
    return { repository: step.repository, closed: [], kept: 0 }
  }
  const github = await step.openGitHub()
  const open = await github.openPullRequests(step.repository)
  const closed = candidates.filter(({ pullRequest }) => !open.has(pullRequest))
  return {
    repository: step.repository,
    closed,
    kept: candidates.length - closed.length
  }
}

/**
 * Deletes the stores of the plan as `state: absent` would: first the branch
 * variables the action wrote for them (issue 12; of every branch, since
 * they are marked with the store's id), from the step's project, or where it
 * names none, from each project a store is connected to; then each store's
 * connections and the store.
 */
export async function applyPrune(
  api: ConnectionApi,
  plan: PrunePlan,
  {
    log,
    removeBranchVariables,
    project
  }: {
    log: (line: string) => void
    /**
     * Issue 12's, for these stores: from the step's project (one listing and
     * one removal), or from the projects they are connected to.
     */
    removeBranchVariables: (stores: FoundStore[]) => Promise<unknown>
    /** The project whose branch variables go; none: the connected ones. */
    project?: string
  }
): Promise<Outcome> {
  if (plan.closed.length > 0) {
    await removeBranchVariables(plan.closed.map(({ store }) => store))
  }
  const deleted: PrunedStore[] = []
  for (const { store, pullRequest } of plan.closed) {
    const [removed] = await removeStores(api, [store], '', log)
    deleted.push({ ...removed, pullRequest })
  }
  return {
    kind: 'prune',
    repository: plan.repository,
    deleted,
    kept: plan.kept,
    branchVariablesOf: branchVariablesPlace(project)
  }
}

/** Where the branch variables of the stores go, as the report says it. */
export function branchVariablesPlace(project: string | undefined): string {
  return project === undefined
    ? 'each project they are connected to'
    : `project ${project}`
}

/** A dry run: the stores a prune would delete. */
export function showPrune(plan: PrunePlan, project?: string): Outcome {
  return {
    kind: 'would-prune',
    repository: plan.repository,
    closed: plan.closed,
    kept: plan.kept,
    branchVariablesOf: branchVariablesPlace(project)
  }
}

/** This repository's pull requests' stores of this installation and product. */
async function findCandidates({
  repository,
  target,
  api,
  warn
}: PruneStep): Promise<PruneCandidate[]> {
  const listed = await api.listStores(target.integrationConfigurationId)
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
      found = { ...found, ...(await api.getStore(found.id)), id: found.id }
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
