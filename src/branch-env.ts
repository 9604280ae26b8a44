/**
 * A pull request's store as preview variables of its Git branch (issue 12):
 * each of the store's variables under its own name (`DATABASE_URL`), scoped
 * to the branch, so that every preview of the branch reads this store,
 * however it is built. It edits (by id) and removes only the action's own
 * variables (`branch-marks.ts`), and creates the others without `upsert`,
 * so that one made since the listing is never overwritten; and removes them
 * again when the store goes.
 */
import {
  checkBranchFree,
  lastChanged,
  markOf,
  markedFor,
  type BranchTarget
} from './branch-marks.ts'
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
      changedAt: removed ? Number.POSITIVE_INFINITY : lastChanged(kept)
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
      ? (lastChanged(answer.created) ?? Number.POSITIVE_INFINITY)
      : Number.POSITIVE_INFINITY
  return {
    branch: target.branch,
    written: changed,
    names,
    changedAt: Math.max(writtenAt, lastChanged(kept) ?? 0)
  }
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
  const marked = markedFor(await (listed ?? api.listEnv(project)), storeIds)
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
  stores: readonly ConnectedStore[],
  log: (line: string) => void = () => {}
): Promise<string[]> {
  const removed = await Promise.all(
    [...(await storesByProject(api, stores))].map(([project, storeIds]) =>
      removeBranchVariables(api, project, storeIds, log)
    )
  )
  return removed.flat()
}

type ConnectedStore = Pick<VercelStore, 'projectsMetadata'> & { id: string }

/**
 * The projects these stores are connected to, each with the stores of them
 * it has: the listing's connections (`projectsMetadata`), or where it left
 * them out, the store's read.
 */
export async function storesByProject(
  api: Pick<StoreApi, 'getStore'>,
  stores: readonly ConnectedStore[]
): Promise<Map<string, string[]>> {
  const byProject = new Map<string, string[]>()
  for (const store of stores) {
    const connections = Array.isArray(store.projectsMetadata)
      ? store.projectsMetadata
      : ((await api.getStore(store.id))?.projectsMetadata ?? [])
    for (const { projectId } of connections) {
      if (!projectId) continue
      byProject.set(projectId, [...(byProject.get(projectId) ?? []), store.id])
    }
  }
  return byProject
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
