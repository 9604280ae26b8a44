/**
 * The stores `state: present` makes for a branch without a pull request
 * (`on: push`: the name `<repo>-branch-<branch>-<hash>`, the key
 * `owner/repo@branch`), as the prune finds them (issue 24): their branch
 * got back, then GitHub asked whether it is still there.
 *
 * The rule: a branch store goes only where its branch is known exactly and
 * GitHub answers "Branch not found". The name's hash is of the branch, and
 * its readable part is lossy (`feat/B` reads `feat-b`), so a branch counts
 * only where its default name is exactly the store's name. The candidates:
 * the key, where Vercel's listing shows it; the name's readable part, with
 * each `-` read as `-` or `/`; and the key and branch of the variables the
 * action wrote for the store (their mark), from `project`, or where the step
 * names none, from the projects the store is connected to. A store of this
 * shape whose branch none of them gives is kept, with a warning naming it:
 * nothing is deleted that cannot be shown to be gone.
 */
import { storesByProject } from './branch-env.ts'
import { markedStore } from './branch-marks.ts'
import { VercelApiError } from './errors.ts'
import { GitHubApiError, type GitHubApi } from './github.ts'
import { branchOfKey, branchOfStoreName, type Repository } from './naming.ts'
import type { ResolvedTarget } from './resolve.ts'
import { byAge, productOf, type FoundStore } from './store.ts'
import type { PreviewApi, StoreApi } from './vercel-api.ts'

/**
 * Branches read from GitHub in one prune, one request each. Past it, the
 * newest stores' branches wait for a later night (each store deleted makes
 * room), with a warning: the runner's token has 1,000 requests an hour.
 */
export const MAX_BRANCH_READS = 100

/**
 * Hyphens of a readable part tried as `/` too (2^4 names hashed, no
 * request): `feature/login-form` is found; a branch with more separators
 * needs its key or its mark.
 */
const MAX_HYPHENS_TRIED = 4

/** A listed store named like a branch store of this repository. */
export interface BranchShaped {
  store: FoundStore
  /** The name's readable parts (`branchStoreNameParts`). */
  parts: string[]
}

/** A store of one of this repository's branches, its branch known exactly. */
export interface BranchCandidate {
  store: FoundStore
  branch: string
}

export interface RecoverStep {
  repository: Repository
  target: ResolvedTarget
  api: Pick<PreviewApi, 'listEnv'> & Pick<StoreApi, 'getStore'>
  /** The step's project, whose variables' marks are read. */
  project?: string
  warn: (line: string) => void
}

/**
 * The branch of each store, where a candidate confirms it; the marks are
 * read only for stores that neither their key nor their name give.
 */
export async function recoverBranches(
  step: RecoverStep,
  shaped: BranchShaped[]
): Promise<BranchCandidate[]> {
  const { repository } = step
  const recovered: BranchCandidate[] = []
  const unresolved: BranchShaped[] = []
  for (const item of shaped) {
    const { store, parts } = item
    const fromKey =
      typeof store.externalId === 'string'
        ? branchOfKey(store.externalId, repository)
        : undefined
    const branch = branchOfStoreName(store.name ?? '', repository, [
      ...(fromKey === undefined ? [] : [fromKey]),
      ...parts.flatMap(readableVariants)
    ])
    if (branch === undefined) unresolved.push(item)
    else recovered.push({ store, branch })
  }
  if (unresolved.length === 0) return recovered
  const marks = await branchesOfMarks(
    step,
    unresolved.map(({ store }) => store)
  )
  const slug = `${repository.owner}/${repository.repo}`
  for (const { store } of unresolved) {
    const branch = branchOfStoreName(
      store.name ?? '',
      repository,
      marks.get(store.id) ?? []
    )
    if (branch !== undefined) {
      recovered.push({ store, branch })
    } else if (productOf(store, step.target.productIdOrSlug) !== 'other') {
      step.warn(
        `Kept store ${store.id} ("${store.name}"): it is named like the store of a branch of ${slug}, but neither its key nor the variables this action wrote for it say which branch, so whether that branch is gone cannot be checked. If it is this repository's and its branch is gone, delete it in the Vercel dashboard, or with state: absent, name: ${store.name} and external-id: ${slug}@<branch>.`
      )
    }
  }
  return recovered
}

/**
 * Of these stores, those whose branch GitHub says is gone, and how many are
 * kept. Oldest first, one read per branch, at most `MAX_BRANCH_READS`. A
 * read GitHub fails to answer keeps the branch's stores with a warning; any
 * other failure (the token, its permissions, the deadline) fails the step,
 * before anything is deleted.
 */
export async function findGoneBranches(
  github: Pick<GitHubApi, 'branchExists'>,
  repository: Repository,
  candidates: BranchCandidate[],
  warn: (line: string) => void
): Promise<{ gone: BranchCandidate[]; kept: number }> {
  const byBranch = new Map<string, BranchCandidate[]>()
  for (const candidate of [...candidates].sort((a, b) =>
    byAge(a.store, b.store)
  )) {
    byBranch.set(candidate.branch, [
      ...(byBranch.get(candidate.branch) ?? []),
      candidate
    ])
  }
  const branches = [...byBranch]
  const slug = `${repository.owner}/${repository.repo}`
  const unread = branches
    .slice(MAX_BRANCH_READS)
    .flatMap(([, stores]) => stores)
  if (unread.length > 0) {
    warn(
      `Kept ${unread.length} store(s) of ${slug}'s branches without asking GitHub about their branch: a prune reads at most ${MAX_BRANCH_READS} branches a run, the oldest stores' first; the next runs read the others as stores go.`
    )
  }
  const gone: BranchCandidate[] = []
  let kept = unread.length
  for (const [branch, stores] of branches.slice(0, MAX_BRANCH_READS)) {
    let exists: boolean
    try {
      exists = await github.branchExists(repository, branch)
    } catch (error) {
      if (!isUnanswered(error)) throw error
      warn(
        `Kept ${stores.map(({ store }) => store.id).join(', ')}, the store(s) of branch ${JSON.stringify(branch)}: ${(error as Error).message}`
      )
      kept += stores.length
      continue
    }
    if (exists) kept += stores.length
    else gone.push(...stores)
  }
  return { gone, kept }
}

/** GitHub gave no answer, a 5xx or a 429: the branch may well be there. */
function isUnanswered(error: unknown): boolean {
  if (!(error instanceof GitHubApiError)) return false
  return error.status === 0 || error.status === 429 || error.status >= 500
}

/**
 * The branches the marks of these stores' variables name, by store: the
 * branch of the key in the mark (`… store store_1 (acme/web@feat/b)`), and
 * the branch the variable is scoped to. One listing per project.
 */
async function branchesOfMarks(
  { repository, api, project, warn }: RecoverStep,
  stores: FoundStore[]
): Promise<Map<string, string[]>> {
  const projects =
    project !== undefined
      ? [project]
      : [...(await storesByProject(api, stores)).keys()]
  const ids = new Set(stores.map(({ id }) => id))
  const listings = await Promise.all(
    projects.map((name) =>
      project !== undefined
        ? api.listEnv(name)
        : // A connected project this token cannot read only leaves its
          // stores unresolved, and so kept: no reason to prune no other.
          api.listEnv(name).catch((error: unknown) => {
            if (!(error instanceof VercelApiError)) throw error
            warn(
              `Could not read the variables of project ${name}, connected to a store named like a branch store: ${error.message}`
            )
            return []
          })
    )
  )
  const found = new Map<string, string[]>()
  for (const variable of listings.flat()) {
    const marked = markedStore(variable)
    if (!marked || !ids.has(marked.storeId)) continue
    const fromKey =
      marked.externalId === undefined
        ? undefined
        : branchOfKey(marked.externalId, repository)
    found.set(marked.storeId, [
      ...(found.get(marked.storeId) ?? []),
      ...(fromKey === undefined ? [] : [fromKey]),
      ...(typeof variable.gitBranch === 'string' ? [variable.gitBranch] : [])
    ])
  }
  return found
}

/** The readable part, and the same with some of its hyphens as `/`. */
function readableVariants(part: string): string[] {
  const pieces = part.split('-')
  if (pieces.length - 1 > MAX_HYPHENS_TRIED) return [part]
  const variants: string[] = []
  for (let mask = 0; mask < 2 ** (pieces.length - 1); mask++) {
    variants.push(
      pieces.reduce((joined, piece, index) =>
        index === 0
          ? piece
          : `${joined}${mask & (1 << (index - 1)) ? '/' : '-'}${piece}`
      )
    )
  }
  return variants
}
