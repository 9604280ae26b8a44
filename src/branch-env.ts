import { Inputs } from './constants.ts'
import { ActionError, VercelApiError } from './errors.ts'
import type { PreviewApi, StoreApi } from './vercel-api.ts'
import { namesShown } from './variable-names.ts'
import type {
  EnvWriteAnswer,
  NewEnvVar,
  ProjectEnvVar,
  VercelStore
} from './vercel-types.ts'

/*
 * A pull request's store as preview variables of its Git branch (issue 12):
 * each of the store's variables under its own name (`DATABASE_URL`), scoped
 * to the branch, so that every preview of the branch reads this store,
 * however it is built. The action marks what it writes with a comment that
 * names the store, and so tells its own variables from anyone else's: it
 * edits (by id) and removes only those, and creates the others without
 * `upsert`, so that one made since the listing is never overwritten.
 */

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

/** What a write did: the names written, and when the variables last changed. */
export interface BranchWrite {
  branch: string
  /** The names written by this run; none where all were as they should be. */
  written: string[]
  /** Every name the branch has from the store, written or already there. */
  names: string[]
  /**
   * When the newest of them was written (ms since the epoch), as Vercel
   * says; undefined where it does not.
   */
  changedAt?: number
}

/**
 * The comment that marks a variable as this store's:
 * `vercel-store-action: store store_123 (acme/web#42)`.
 */
function markOf(storeId: string, externalId: string): string {
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
  const targets = Array.isArray(variable.target)
    ? variable.target
    : [variable.target]
  return variable.gitBranch === branch && targets.includes('preview')
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
  const carries = `Branch ${branch} of project ${project} already carries the store of ${marked.externalId ?? 'another key'} (store ${marked.storeId}): this action wrote ${names.join(', ')} there for that key`
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
    const targets = Array.isArray(variable.target)
      ? variable.target
      : [variable.target]
    return (
      variable.key?.startsWith(prefix) === true &&
      // A branch's own variables are not the connection's concern.
      !variable.gitBranch &&
      targets.some((target) => target && environments.includes(target)) &&
      !storeIds.includes(variable.contentHint?.storeId ?? '')
    )
  })
  if (!taken) return
  throw new ActionError(
    `Project ${project} already has a variable ${taken.key} in ${environments.join(', ')}, so a store connected with the prefix ${prefix || '(none)'} could clash with it; no store was created. Set "${Inputs.envPrefix}" to a prefix no variable of the project starts with.`
  )
}

/**
 * Reads the values of the action's own variables of the branch for this
 * store, all at once; each masked as soon as it is read.
 */
export async function readOwnValues(
  api: Pick<PreviewApi, 'getEnv'>,
  own: ProjectEnvVar[],
  project: string,
  mask: (value: string) => void
): Promise<Map<string, string>> {
  const answers = await Promise.all(
    own.map(({ id }) => (id ? api.getEnv(project, id) : undefined))
  )
  const values = new Map<string, string>()
  for (const [index, answer] of answers.entries()) {
    const key = own[index].key
    const value = answer?.value
    if (!key || typeof value !== 'string' || answer?.decrypted === false) {
      continue
    }
    mask(value)
    values.set(key, value)
  }
  return values
}

/**
 * Writes the store's values under their own names as preview variables of
 * the branch, those missing or changed only: a rerun with nothing changed
 * writes nothing. `current` holds the values the branch has from this store
 * (`readOwnValues`). A name the action already wrote for this store takes
 * its new value by the variable's id (the store's credentials changed); any
 * other is created, in one request, never over a variable that is there:
 * one made since the listing is read again and reported, not overwritten.
 */
export async function writeBranchVariables(
  api: Pick<PreviewApi, 'writeEnv' | 'editEnv' | 'listEnv' | 'removeEnv'>,
  target: BranchTarget,
  values: Record<string, string>,
  own: ProjectEnvVar[],
  current: Map<string, string>,
  log: (line: string) => void
): Promise<BranchWrite> {
  const names = Object.keys(values)
  const comment = markOf(target.storeId, target.externalId)
  const changed = names.filter((name) => current.get(name) !== values[name])
  const removed = await removeLeftOut(api, target, own, names, log)
  const kept = own.filter(
    ({ key }) => key && names.includes(key) && !changed.includes(key)
  )
  if (changed.length === 0) {
    log(
      `Branch ${target.branch} of project ${target.project} already has ${names.join(', ') || 'no variable'} from store ${target.storeId}; nothing to write.`
    )
    return {
      branch: target.branch,
      written: [],
      names,
      // A removal changes what the branch's next build reads, as a write does.
      changedAt: removed ? Number.POSITIVE_INFINITY : newest(kept)
    }
  }
  const variable = (key: string): NewEnvVar => ({
    key,
    value: values[key],
    type: 'encrypted',
    target: ['preview'],
    gitBranch: target.branch,
    comment
  })
  const ownIds = new Map(
    own.flatMap(({ id, key }) => (id && key ? [[key, id] as const] : []))
  )
  const edited = changed.filter((key) => ownIds.has(key))
  const created = changed.filter((key) => !ownIds.has(key))
  await Promise.all(
    edited.map((key) =>
      refusalExplained(
        api.editEnv(target.project, ownIds.get(key) ?? '', variable(key)),
        target
      )
    )
  )
  const answer =
    created.length === 0
      ? { created: [], failed: [] }
      : await createdOrConflict(
          api.writeEnv(target.project, created.map(variable)),
          created,
          target
        )
  if (answer.failed.length > 0) {
    await failedWrite(api, target, answer.failed)
  }
  log(
    `Wrote ${changed.join(', ')} as preview variables of branch ${target.branch} of project ${target.project}, marked "${comment}".`
  )
  // Where Vercel does not say when it wrote them (an edit's answer is not
  // read): now, which no deployment listed before can have read.
  const writtenAt =
    edited.length === 0
      ? (newest(answer.created) ?? Number.POSITIVE_INFINITY)
      : Number.POSITIVE_INFINITY
  return {
    branch: target.branch,
    written: changed,
    names,
    changedAt: Math.max(writtenAt, newest(kept) ?? 0)
  }
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
  return newest(landed)
}

// The codes of a create refused because the variable is there: the one the
// CLI and Terraform's batch path read, and Terraform's older ones.
const CONFLICT_CODES = new Set([
  'ENV_CONFLICT',
  'ENV_ALREADY_EXISTS',
  'existing_key_and_target'
])

type FailedWrite = EnvWriteAnswer['failed'][number]

/**
 * The create's answer, where a refusal of the whole request as a conflict
 * (as Vercel answers a single variable) counts as each name failed.
 */
async function createdOrConflict(
  writing: Promise<EnvWriteAnswer>,
  keys: string[],
  target: BranchTarget
): Promise<EnvWriteAnswer> {
  try {
    return await refusalExplained(writing, target)
  } catch (error) {
    const code = error instanceof ConflictRefusal ? error.code : undefined
    if (code === undefined) throw error
    return {
      created: [],
      failed: keys.map((key) => ({ key, code, message: 'already exists' }))
    }
  }
}

/**
 * Fails the write, naming what Vercel did not write. Where it refused a name
 * as already there, the variables are listed again, and the one made since
 * the listing is named as the clash check names it: someone else's, or the
 * action's for another store.
 */
async function failedWrite(
  api: Pick<PreviewApi, 'listEnv'>,
  target: BranchTarget,
  failed: FailedWrite[]
): Promise<never> {
  const keys = failed.map(({ key }) => key ?? 'a variable')
  const conflicts = failed.filter(({ code }) => CONFLICT_CODES.has(code ?? ''))
  if (conflicts.length > 0) {
    const fresh = await api.listEnv(target.project)
    try {
      checkBranchFree(
        fresh,
        conflicts.flatMap(({ key }) => (key ? [key] : [])),
        target
      )
    } catch (error) {
      if (!(error instanceof ActionError)) throw error
      throw new ActionError(
        `Vercel refused to create ${keys.join(', ')} for branch ${target.branch}: made since this step listed the variables. ${error.message}`
      )
    }
    throw new ActionError(
      `Vercel refused to create ${keys.join(', ')} for branch ${target.branch} of project ${target.project}: written since this step listed the variables, for store ${target.storeId} (another run of this step?), so it is left as it is; run the job again.`
    )
  }
  const [first] = failed
  throw new ActionError(
    `Vercel did not write ${keys.join(', ')} for branch ${target.branch} of project ${target.project}: ${first.message ?? first.code ?? 'no reason given'}; run the job again, or drop "${Inputs.gitBranch}".`
  )
}

/**
 * Removes what the action wrote to the branch for this store under a name it
 * no longer writes there: an earlier version wrote every name the store
 * gave, and a name outside the stores' shapes (`variable-names.ts`) must
 * not go on reaching the branch's builds.
 */
async function removeLeftOut(
  api: Pick<PreviewApi, 'removeEnv'>,
  target: BranchTarget,
  own: ProjectEnvVar[],
  names: string[],
  log: (line: string) => void
): Promise<boolean> {
  const leftOut = own.filter(
    ({ id, key }) => id && key !== undefined && !names.includes(key)
  )
  if (leftOut.length === 0) return false
  await api.removeEnv(
    target.project,
    leftOut.map(({ id }) => id ?? '')
  )
  log(
    `Removed ${namesShown(leftOut.map(({ key }) => key ?? ''))} from branch ${target.branch} of project ${target.project}: written there for store ${target.storeId} before, not of the names it writes now.`
  )
  return true
}

/**
 * Removes the variables the action wrote for these stores, of every branch,
 * in one request, and nothing else; the names removed. The prune of closed
 * pull requests (issue 13) calls it for each store it deletes.
 */
export async function removeBranchVariables(
  api: Pick<PreviewApi, 'listEnv' | 'removeEnv'>,
  project: string,
  storeId: string | readonly string[],
  log: (line: string) => void = () => {},
  /** The project's variables, where the caller has them on their way. */
  listed?: Promise<ProjectEnvVar[]>
): Promise<string[]> {
  const storeIds = typeof storeId === 'string' ? [storeId] : storeId
  if (storeIds.length === 0) return []
  const marked = (await (listed ?? api.listEnv(project))).filter(
    (variable) => variable.id && isMarkedFor(variable, storeIds)
  )
  if (marked.length === 0) return []
  await api.removeEnv(
    project,
    marked.map(({ id }) => id ?? '')
  )
  const names = marked.map(
    ({ key, gitBranch }) => `${key}${gitBranch ? ` (${gitBranch})` : ''}`
  )
  log(`Removed ${names.join(', ')} from project ${project}.`)
  return names
}

/**
 * Where the step names no project: removes the variables the action wrote
 * for these stores from every project one of them is connected to, with one
 * listing and one removal per project. The connections are the listing's
 * (`projectsMetadata`); a store it lists without them is read. A project no
 * store is connected to has none of their variables: the action writes them
 * only to a project it connected the store to.
 */
export async function removeFromConnectedProjects(
  api: Pick<PreviewApi, 'listEnv' | 'removeEnv'> & Pick<StoreApi, 'getStore'>,
  stores: readonly (Pick<VercelStore, 'projectsMetadata'> & { id: string })[],
  log: (line: string) => void = () => {}
): Promise<string[]> {
  const storesByProject = new Map<string, string[]>()
  for (const store of stores) {
    const connections = Array.isArray(store.projectsMetadata)
      ? store.projectsMetadata
      : ((await api.getStore(store.id))?.projectsMetadata ?? [])
    for (const { projectId } of connections) {
      if (!projectId) continue
      storesByProject.set(projectId, [
        ...(storesByProject.get(projectId) ?? []),
        store.id
      ])
    }
  }
  const removed = await Promise.all(
    [...storesByProject].map(([project, storeIds]) =>
      removeBranchVariables(api, project, storeIds, log)
    )
  )
  return removed.flat()
}

/** A create refused whole because a variable is there already. */
class ConflictRefusal extends Error {
  readonly code: string

  constructor(code: string) {
    super(`conflict: ${code}`)
    this.code = code
  }
}

/**
 * A 400 is Vercel refusing the branch itself: its production branch, say
 * ("Cannot set Production Branch … for a Preview Environment Variable"), or
 * a name it does not take. Its own reason is quoted; the advice about the
 * production branch is given only where the reason is about it. A refusal
 * with a conflict's code (400, 403 or 409) is the variable being there.
 */
async function refusalExplained<T>(
  writing: Promise<T>,
  { project, branch }: BranchTarget
): Promise<T> {
  try {
    return await writing
  } catch (error) {
    if (!(error instanceof VercelApiError)) throw error
    const code = error.body?.code
    if (code && CONFLICT_CODES.has(code)) throw new ConflictRefusal(code)
    if (error.status !== 400) throw error
    const reason = error.body?.message ?? error.body?.code ?? 'no reason given'
    const advice = /production branch/i.test(reason)
      ? `Set "${Inputs.gitBranch}" to the pull request's branch (\${{ github.head_ref }}), not the project's production branch.`
      : `Check "${Inputs.gitBranch}" (the pull request's branch, \${{ github.head_ref }}), or drop it.`
    throw new ActionError(
      `Vercel refused preview variables for branch ${branch} of project ${project}: ${JSON.stringify(reason)}. ${advice}`
    )
  }
}

function newest(variables: ProjectEnvVar[]): number | undefined {
  const times = variables.flatMap(({ updatedAt, createdAt }) => {
    const time = updatedAt ?? createdAt
    return typeof time === 'number' ? [time] : []
  })
  return times.length > 0 ? Math.max(...times) : undefined
}
