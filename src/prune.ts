/**
 * `state: prune`, for a nightly workflow: whatever close events were missed
 * (a disabled workflow, a failed or skipped run), the stores of this
 * repository's closed pull requests go, and those of its deleted branches
 * (a push build's, issue 24; see `branch-stores.ts`). A store is a candidate
 * only where its name is the default name of one of THIS repository's pull
 * requests or branches (the name carries a hash of owner/repo, so another
 * owner's repository of the same name never matches, nor does a name a user
 * chose) and it is of this installation and product. As the other flows:
 * `planPrune` only reads, `applyPrune` deletes, and a dry run shows the plan.
 */
import {
  findGoneBranches,
  recoverBranches,
  type BranchShaped
} from './branch-stores.ts'
import type { GitHubApi } from './github.ts'
import {
  branchStoreNameParts,
  deriveDefaults,
  pullRequestOfStoreName,
  type GitHubContext,
  type Repository
} from './naming.ts'
import type { Outcome, PruneCandidate, PrunedStore } from './outcome.ts'
import type { ResolvedTarget } from './resolve.ts'
import {
  judgeStore,
  removeStores,
  type FoundStore,
  type StoreKey
} from './store.ts'
import type { ConnectionApi, PreviewApi, StoreApi } from './vercel-api.ts'

/**
 * The stores whose pull request is not open, oldest pull request first,
 * then those whose branch is gone.
 */
interface PrunePlan {
  repository: Repository
  closed: PruneCandidate[]
  /** Candidates whose pull request is open: kept. */
  kept: number
  /** Candidates whose branch is there, or could not be read: kept. */
  keptBranches: number
}

export interface PruneStep {
  repository: Repository
  target: ResolvedTarget
  api: StoreApi & ConnectionApi & Pick<PreviewApi, 'listEnv'>
  /** The step's project: the marks of its variables give branches back. */
  project?: string
  openGitHub: () => Promise<GitHubApi>
  warn: (line: string) => void
}

/**
 * Lists the stores first, then reads the open pull requests: a pull request
 * opened between the two is then seen open, so its new store is never taken
 * for a leftover. The listing of pull requests comes before any branch is
 * read, even where no pull request's store is a candidate: its answer shows
 * the token reads the repository, so a branch's 404 is about the branch.
 * Where no store is a candidate, GitHub is not asked.
 */
export async function planPrune(step: PruneStep): Promise<PrunePlan> {
  const { pullRequests, branches } = await findCandidates(step)
  if (pullRequests.length === 0 && branches.length === 0) {
    return { repository: step.repository, closed: [], kept: 0, keptBranches: 0 }
  }
  const github = await step.openGitHub()
  const open = await github.openPullRequests(step.repository)
  const closed = pullRequests.filter(
    ({ pullRequest }) => !open.has(pullRequest)
  )
  const { gone, kept } = await findGoneBranches(
    github,
    step.repository,
    branches,
    step.warn
  )
  return {
    repository: step.repository,
    closed: [...closed, ...gone],
    kept: pullRequests.length - closed.length,
    keptBranches: kept
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
  for (const candidate of plan.closed) {
    const [removed] = await removeStores(api, [candidate.store], '', log)
    deleted.push(
      candidate.branch === undefined
        ? { ...removed, pullRequest: candidate.pullRequest }
        : { ...removed, branch: candidate.branch }
    )
  }
  return {
    kind: 'prune',
    repository: plan.repository,
    deleted,
    kept: plan.kept,
    keptBranches: plan.keptBranches,
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
    keptBranches: plan.keptBranches,
    branchVariablesOf: branchVariablesPlace(project)
  }
}

/**
 * This repository's pull requests' stores of this installation and product,
 * and its branches' stores whose branch is known exactly.
 */
async function findCandidates(step: PruneStep): Promise<{
  pullRequests: (PruneCandidate & { pullRequest: number })[]
  branches: (PruneCandidate & { branch: string })[]
}> {
  const { repository, target, api } = step
  const listed = await api.listStores(target.integrationConfigurationId)
  const pullRequests: (PruneCandidate & { pullRequest: number })[] = []
  const shaped: BranchShaped[] = []
  for (const store of listed) {
    if (typeof store.id !== 'string' || !store.id) continue
    const found: FoundStore = { ...store, id: store.id }
    const name = store.name ?? ''
    const pullRequest = pullRequestOfStoreName(name, repository)
    if (pullRequest === undefined) {
      const parts = branchStoreNameParts(name, repository)
      if (parts.length > 0) shaped.push({ store: found, parts })
      continue
    }
    const confirmed = await confirm(step, found, {
      pullRequestNumber: pullRequest
    })
    if (confirmed) pullRequests.push({ store: confirmed, pullRequest })
  }
  const branches: (PruneCandidate & { branch: string })[] = []
  for (const { store, branch } of await recoverBranches(step, shaped)) {
    const confirmed = await confirm(step, store, { branch })
    if (confirmed) branches.push({ store: confirmed, branch })
  }
  return {
    pullRequests: pullRequests.sort((a, b) => a.pullRequest - b.pullRequest),
    branches
  }
}

/**
 * The store, where it has the key `state: present` gives this pull request
 * or branch and is of the step's product: the listing says, or one read.
 */
async function confirm(
  { repository, target, api, warn }: PruneStep,
  listed: FoundStore,
  of: Pick<GitHubContext, 'pullRequestNumber' | 'branch'>
): Promise<FoundStore | undefined> {
  const key = keyOf(repository, of, target)
  let found = listed
  let verdict = judgeStore(found, key)
  if (verdict === 'unconfirmed') {
    // The listing left out the product: one read says.
    found = { ...found, ...(await api.getStore(found.id)), id: found.id }
    verdict = judgeStore(found, key)
    if (verdict === 'unconfirmed') {
      warn(
        `Kept store ${found.id} ("${listed.name}"): Vercel does not say whether it is of product "${key.product}".`
      )
    }
  }
  return verdict === 'match' ? found : undefined
}

/** The key `state: present` gave the store of this pull request or branch. */
function keyOf(
  repository: Repository,
  of: Pick<GitHubContext, 'pullRequestNumber' | 'branch'>,
  target: ResolvedTarget
): StoreKey {
  const { name, externalId } = deriveDefaults({ ...repository, ...of })
  return {
    integrationConfigurationId: target.integrationConfigurationId,
    product: target.productIdOrSlug,
    name: name ?? '',
    externalId: externalId ?? ''
  }
}
