/**
 * Whose each of a branch's preview variables is: the action marks what it
 * writes with a comment naming the store and its key, and so tells its own
 * variables from anyone else's. The checks made against those marks before
 * anything is written: the branch free of another's variable of the store's
 * names, not claimed by another key's store, the connection's prefix free;
 * an earlier store's leftovers of this key; and, after a write, that every
 * name landed marked as this store's.
 */
import { Inputs } from './constants.ts'
import { ActionError } from './errors.ts'
import { namesShown } from './variable-names.ts'
import type { ProjectEnvVar } from './vercel-types.ts'

const MARK = 'vercel-store-action: store '
// The schema's limit for `comment`.
const MAX_COMMENT_LENGTH = 500

/** Where the variables go, and whose they are. */
export interface BranchTarget {
  /** The project as the step names it (id or name). */
  project: string
  branch: string
  storeId: string
  /** The store's key, shown in the comment: `acme/web#42`. */
  externalId: string
}

/**
 * The comment that marks a variable as this store's:
 * `vercel-store-action: store store_123 (acme/web#42)`.
 */
export function markOf(storeId: string, externalId: string): string {
  const comment = `${MARK}${storeId} (${externalId})`
  return comment.length <= MAX_COMMENT_LENGTH
    ? comment
    : `${comment.slice(0, MAX_COMMENT_LENGTH - 2)}…)`
}

/** Whether the action wrote this variable for one of these stores. */
function isMarkedFor(
  { comment }: ProjectEnvVar,
  storeIds: readonly string[]
): boolean {
  if (!comment?.startsWith(MARK)) return false
  const rest = comment.slice(MARK.length)
  return storeIds.some((id) => rest === id || rest.startsWith(`${id} `))
}

function isOnBranch(variable: ProjectEnvVar, branch: string): boolean {
  return (
    variable.gitBranch === branch && (variable.target ?? []).includes('preview')
  )
}

/** The branch's variables the action wrote for this store. */
export function ownBranchVariables(
  variables: ProjectEnvVar[],
  { branch, storeId }: Pick<BranchTarget, 'branch' | 'storeId'>
): ProjectEnvVar[] {
  return variables.filter(
    (variable) =>
      isOnBranch(variable, branch) && isMarkedFor(variable, [storeId])
  )
}

/** The store, and its key where the mark still shows it, a mark names. */
export interface MarkedStore {
  storeId: string
  externalId?: string
}

/** Whose the variable is, where the action wrote it; undefined otherwise. */
export function markedStore({
  comment
}: ProjectEnvVar): MarkedStore | undefined {
  if (!comment?.startsWith(MARK)) return undefined
  const rest = comment.slice(MARK.length)
  const space = rest.indexOf(' ')
  if (space === -1) return { storeId: rest }
  const externalId = /^\((.+)\)$/s.exec(rest.slice(space + 1))?.[1]
  return { storeId: rest.slice(0, space), externalId }
}

/** Whether a mark names this key (a long one is cut short in the mark). */
function isSameKey(marked: MarkedStore, externalId: string): boolean {
  const shown = marked.externalId
  if (shown === undefined) return false
  return (
    shown === externalId ||
    (shown.endsWith('…') && externalId.startsWith(shown.slice(0, -1)))
  )
}

/**
 * Fails before a store is created where the branch already carries the
 * variables the action wrote for the store of another key: another pull
 * request from the same branch, whose previews read that store. A second
 * store would take its variables' names from it, whatever they are, so the
 * step stops before one is made.
 */
export function checkBranchUnclaimed(
  variables: ProjectEnvVar[],
  { project, branch, externalId }: Omit<BranchTarget, 'storeId'>
): void {
  // No store has the key: a mark of exactly this key is a leftover, which
  // goes before the create (`leftoversOfKey`); any other mark, one cut short
  // included, is another store's.
  const claimed = variables.flatMap((variable) => {
    const marked = markedStore(variable)
    return marked &&
      isOnBranch(variable, branch) &&
      marked.externalId !== externalId
      ? [{ variable, marked }]
      : []
  })
  if (claimed.length === 0) return
  const [{ marked }] = claimed
  const names = claimed
    .filter(({ marked: other }) => other.storeId === marked.storeId)
    .map(({ variable }) => variable.key ?? 'a variable')
  const carries = `Branch ${branch} of project ${project} already carries the store of ${marked.externalId ?? 'another key'} (store ${marked.storeId}): this action wrote ${namesShown(names, 3)} there for that key`
  throw new ActionError(
    isPushOfPullRequestBranch(marked.externalId, externalId)
      ? `${carries}, its pull request's, and this run is a branch build (key ${externalId}), not that pull request's; no store was created. Run this step on pull_request events only, or skip pushes of branches that have a pull request.`
      : `${carries}, another pull request from the same branch; no store was created. Open this pull request from a branch of its own, or set "${Inputs.gitBranch}" to another branch; if that pull request is closed, its close step (or a prune) removes them.`
  )
}

/**
 * A branch build's key is `owner/repo@branch` and a pull request's
 * `owner/repo#42`: a push of a branch whose pull request already has its
 * store clashes with it, and the cause is the push, not a second pull
 * request.
 */
function isPushOfPullRequestBranch(
  theirs: string | undefined,
  ours: string
): boolean {
  return theirs !== undefined && /#\d+$/.test(theirs) && !/#\d+$/.test(ours)
}

/**
 * Where no store has the key and one is about to be created: the branch's
 * variables the action wrote for an earlier store of exactly this key, which
 * a close left behind (a reopened pull request). They are this key's own and
 * their store is gone, so they go before the create; the new store's, of
 * the same names, would otherwise clash with them once it was made.
 */
export function leftoversOfKey(
  variables: ProjectEnvVar[],
  { branch, externalId }: Pick<BranchTarget, 'branch' | 'externalId'>
): ProjectEnvVar[] {
  return variables.filter(
    (variable) =>
      variable.id !== undefined &&
      isOnBranch(variable, branch) &&
      markedStore(variable)?.externalId === externalId
  )
}

/**
 * Fails, naming the variable and the branch, where the branch already has a
 * variable of one of these names that the action did not write for this
 * store: it is someone else's, and never overwritten. The message tells a
 * variable the action wrote for another store (which removing would take
 * from that store's pull request) from one someone else set.
 */
export function checkBranchFree(
  variables: ProjectEnvVar[],
  names: string[],
  { project, branch, storeId, externalId }: BranchTarget
): void {
  const foreign = variables.find(
    (variable) =>
      variable.key !== undefined &&
      names.includes(variable.key) &&
      isOnBranch(variable, branch) &&
      !isMarkedFor(variable, [storeId])
  )
  if (!foreign) return
  const marked = markedStore(foreign)
  const where = `Project ${project} already has a preview variable ${foreign.key} for branch ${branch}`
  if (marked === undefined) {
    throw new ActionError(
      `${where}, set by someone else, not by this action for store ${storeId}, so it is left as it is; remove it from the branch in the Vercel dashboard, or drop "${Inputs.gitBranch}".`
    )
  }
  const writer = `written by this action for store ${marked.storeId} (${marked.externalId ?? 'key not shown'})`
  if (!isSameKey(marked, externalId)) {
    throw new ActionError(
      isPushOfPullRequestBranch(marked.externalId, externalId)
        ? `${where}, ${writer}: the branch's pull request, whose previews read it, and this run is a branch build (key ${externalId}), so it is left as it is. Run this step on pull_request events only, or skip pushes of branches that have a pull request.`
        : `${where}, ${writer}: another pull request from the same branch, whose previews read it, so it is left as it is. Open this pull request from a branch of its own, or set "${Inputs.gitBranch}" to another branch.`
    )
  }
  throw new ActionError(
    `${where}, ${writer}, an earlier store of this key that is not its store now (${storeId}), so it is left as it is; if store ${marked.storeId} is gone, remove the variable from the branch in the Vercel dashboard, or drop "${Inputs.gitBranch}".`
  )
}

/**
 * Fails before a store is created where the project already has variables
 * with the prefix its connection would use, in the environments it would
 * use: Vercel would refuse the connection only after the store was made.
 * Variables of the stores with this step's key are its own.
 */
export function checkPrefixFree(
  variables: ProjectEnvVar[],
  {
    project,
    prefix,
    environments,
    storeIds
  }: {
    project: string
    prefix: string
    environments: readonly string[]
    storeIds: readonly string[]
  }
): void {
  const taken = variables.find((variable) => {
    return (
      variable.key?.startsWith(prefix) === true &&
      // A branch's own variables are not the connection's concern.
      !variable.gitBranch &&
      (variable.target ?? []).some((target) => environments.includes(target)) &&
      !storeIds.includes(variable.contentHint?.storeId ?? '')
    )
  })
  if (!taken) return
  throw new ActionError(
    `Project ${project} already has a variable ${taken.key} in ${environments.join(', ')}, so a store connected with the prefix ${prefix || '(none)'} could clash with it; no store was created. Set "${Inputs.envPrefix}" to a prefix no variable of the project starts with.`
  )
}

/** The variables, with an id, the action wrote for one of these stores. */
export function markedFor(
  variables: ProjectEnvVar[],
  storeIds: readonly string[]
): ProjectEnvVar[] {
  return variables.filter(
    (variable) => variable.id && isMarkedFor(variable, storeIds)
  )
}

/**
 * Checks the project's variables, listed again after the write, for every
 * name the branch should have from the store, marked as this store's: a
 * write Vercel answered but did not keep, or a variable of the same name
 * someone else put on the branch meanwhile, would have the branch's builds
 * read something other than the store. Fails naming it; otherwise returns
 * when the newest of them last changed, as Vercel says.
 */
export function checkBranchVariablesLanded(
  variables: ProjectEnvVar[],
  names: string[],
  { project, branch, storeId }: BranchTarget
): number | undefined {
  const where = `branch ${branch} of project ${project}`
  const landed: ProjectEnvVar[] = []
  const missing: string[] = []
  for (const name of names) {
    const onBranch = variables.filter(
      (variable) => variable.key === name && isOnBranch(variable, branch)
    )
    const foreign = onBranch.find(
      (variable) => !isMarkedFor(variable, [storeId])
    )
    if (foreign) {
      const marked = markedStore(foreign)
      const whose = marked
        ? `written by this action for store ${marked.storeId}`
        : 'set by someone else'
      throw new ActionError(
        `Vercel's variables of ${where}, listed again after the write, have ${name} ${whose}, not for store ${storeId}, so the branch's builds would not read this store; it is left as it is, and no deployment is touched. Remove it from the branch in the Vercel dashboard and run the job again, or drop "${Inputs.gitBranch}".`
      )
    }
    if (onBranch.length === 0) missing.push(name)
    landed.push(...onBranch)
  }
  if (missing.length > 0) {
    throw new ActionError(
      `Vercel's variables of ${where}, listed again after the write, lack ${namesShown(missing)}, which this step wrote for store ${storeId}, so the branch's builds would not read this store; no deployment is touched. Run the job again.`
    )
  }
  return lastChanged(landed)
}

/** When the newest of these variables changed, as Vercel says. */
export function lastChanged(variables: ProjectEnvVar[]): number | undefined {
  const times = variables.flatMap(({ updatedAt, createdAt }) => {
    const time = updatedAt ?? createdAt
    return typeof time === 'number' ? [time] : []
  })
  return times.length > 0 ? Math.max(...times) : undefined
}
