/**
 * The Git branch of a `state: present` run (`git-branch`), checked before
 * anything is written by `planBranch`: on a create, the branch not claimed
 * by another key's store, the connection's prefix free, the project-wide
 * variables a first build would read instead (the fallback), and this key's
 * leftovers from an earlier store; on a reuse, no one else's variable of
 * the store's names on it. `clearLeftovers` removes those leftovers before
 * the create, and `branchTarget` checks the branch again once the store's
 * names are known, before the connection is written.
 */
import {
  checkBranchFree,
  checkBranchUnclaimed,
  checkPrefixFree,
  leftoversOfKey,
  markedStore,
  type BranchTarget
} from './branch-marks.ts'
import { Inputs } from './constants.ts'
import { ActionError, VercelApiError } from './errors.ts'
import type { ActionInputs } from './inputs.ts'
import { explainedListing } from './project-env.ts'
import { variableNames, type ConnectionPlan } from './project.ts'
import type { ResolvedTarget } from './resolve.ts'
import type { Step } from './step.ts'
import { isSameProduct, type FoundStore } from './store.ts'
import { isStoreShaped, namesLeaving } from './variable-names.ts'
import type { ProjectEnvVar, VercelStore } from './vercel-types.ts'

/** What the branch's plan found: this key's leftovers, removed first. */
export interface BranchPlan {
  /** The branch's variables of this key's earlier store (a create's only). */
  leftovers: ProjectEnvVar[]
}

/**
 * The checks of the branch and the project's variables that can be made
 * before anything is written, from the variables listed once: on a create
 * (`found` undefined), against the names the installation's other stores
 * (`listed`) suggest; on a reuse, against the store's own. Writes nothing.
 */
export async function planBranch(
  step: Step,
  found: FoundStore | undefined,
  listed: VercelStore[]
): Promise<BranchPlan> {
  if (found) {
    await checkBranchBeforeReuse(step, found)
    return { leftovers: [] }
  }
  const variables = listingBeforeCreate(step)
  if (variables === undefined) return { leftovers: [] }
  const leftovers = await checkVariablesBeforeCreate(
    step,
    variables,
    branchNamesBeforeCreate(step.inputs, listed, step.target)
  )
  return { leftovers }
}

/**
 * Removes, before the create, the branch's variables the action wrote for
 * an earlier store of this key (`leftoversOfKey`). The project's variables
 * listed early, without those removed (in an object, as the listing may
 * still be on its way).
 */
export async function clearLeftovers(
  { inputs, api, effects, projectVariables }: Step,
  { leftovers }: BranchPlan,
  connection: ConnectionPlan | undefined
): Promise<Pick<Step, 'projectVariables'>> {
  if (leftovers.length === 0) return { projectVariables }
  const project = connection?.projectId ?? inputs.project ?? ''
  const removed = leftovers.map(({ id }) => id ?? '')
  await api.removeEnv(project, removed)
  effects.info(
    `Removed ${leftovers.map(({ key }) => key ?? 'a variable').join(', ')} from branch ${inputs.gitBranch} of project ${inputs.project}: this action wrote them for an earlier store of key ${inputs.externalId}, which no store has now.`
  )
  return {
    projectVariables: projectVariables?.then((variables) =>
      variables.filter(({ id }) => id === undefined || !removed.includes(id))
    )
  }
}

/**
 * Where the step names a project and a Git branch: the branch the store's
 * variables go to. A listed name the store lacks, and a clash on the
 * branch, are known now that the store's names are, before the connection
 * is written.
 */
export async function branchTarget(
  { inputs }: Step,
  store: FoundStore,
  projectVariables: Step['projectVariables']
): Promise<BranchTarget | undefined> {
  const { project } = inputs
  const target: BranchTarget | undefined =
    project !== undefined && inputs.gitBranch !== undefined
      ? {
          project,
          branch: inputs.gitBranch,
          storeId: store.id,
          externalId: inputs.externalId
        }
      : undefined
  const leaving = namesLeaving(inputs, variableNames(store), store.id)
  if (target && leaving.branch && projectVariables) {
    checkBranchFree(
      await explainedListing(projectVariables, target.project),
      leaving.branch.selected,
      target
    )
  }
  return target
}

/**
 * The project's variables, where a create must first check them: for the
 * prefix the connection would use, or for the Git branch. Listed once for
 * both; the run's early listing where there is one.
 */
function listingBeforeCreate({
  inputs,
  api,
  projectVariables
}: Step): Promise<ProjectEnvVar[]> | undefined {
  const { project } = inputs
  if (project === undefined) return undefined
  if (inputs.envPrefix === undefined && inputs.gitBranch === undefined) {
    return undefined
  }
  return explainedListing(projectVariables ?? api.listEnv(project), project)
}

/**
 * Where no store has the key yet: fails before the create when the project
 * already has variables with the prefix its connection would use, which
 * Vercel would refuse only once the store was made; or when the Git branch
 * already carries the store of another key (another pull request from the
 * same branch). The branch's variables of an earlier store of this key,
 * which the create is to remove first: a reopened pull request's.
 */
async function checkVariablesBeforeCreate(
  { inputs, effects, api }: Step,
  listing: Promise<ProjectEnvVar[]>,
  isStoreName: (name: string) => boolean
): Promise<ProjectEnvVar[]> {
  const variables = await listing
  const project = inputs.project ?? ''
  const leftovers =
    inputs.gitBranch === undefined
      ? []
      : await ofGoneStores(
          api,
          leftoversOfKey(variables, {
            branch: inputs.gitBranch,
            externalId: inputs.externalId
          }),
          inputs
        )
  if (inputs.gitBranch !== undefined) {
    checkBranchUnclaimed(variables, {
      project,
      branch: inputs.gitBranch,
      externalId: inputs.externalId
    })
    reportFallback(fallbackVariables(variables, isStoreName), inputs, (line) =>
      effects.warn(line)
    )
  }
  if (inputs.envPrefix === undefined) return leftovers
  checkPrefixFree(variables, {
    project,
    prefix: inputs.envPrefix,
    environments: inputs.environments,
    storeIds: []
  })
  return leftovers
}

/**
 * This key's marked variables, where each store they are marked with is gone
 * (Vercel answers 404 for it): only then are they a close's leftovers. A
 * store that is still there holds them for another step of the same key (a
 * second product under the same default key): the step stops before the
 * create, and removes nothing. One read per store marked, on a create only.
 */
async function ofGoneStores(
  api: Step['api'],
  candidates: ProjectEnvVar[],
  inputs: ActionInputs
): Promise<ProjectEnvVar[]> {
  const storeIds = [
    ...new Set(
      candidates.flatMap((variable) => markedStore(variable)?.storeId ?? [])
    )
  ]
  await Promise.all(
    storeIds.map(async (storeId) => {
      try {
        await api.getStore(storeId)
      } catch (error) {
        if (error instanceof VercelApiError && error.status === 404) return
        throw error
      }
      throw new ActionError(
        `Branch ${inputs.gitBranch} of project ${inputs.project} carries the variables of store ${storeId}, made by another step of this key (${inputs.externalId}), which is still there; no store was created. One branch takes the variables of one store: keep "${Inputs.gitBranch}" on one of the steps, and give the other a key of its own ("${Inputs.externalId}").`
      )
    })
  )
  return candidates
}

/**
 * Where the store is there and the step names a Git branch: its variables'
 * names are known, so a variable of one of them that someone else put on the
 * branch is found now, in a dry run as in a real run (which has the
 * project's variables listed already).
 */
async function checkBranchBeforeReuse(
  { inputs, api, projectVariables }: Step,
  store: FoundStore
): Promise<void> {
  const { project, gitBranch } = inputs
  if (project === undefined || gitBranch === undefined) return
  const variables = await explainedListing(
    projectVariables ?? api.listEnv(project),
    project
  )
  // The names it would write: a `variables` line the store has no name for
  // fails here too, in a dry run as in a real run.
  const names =
    namesLeaving(inputs, variableNames(store), store.id).branch?.selected ?? []
  checkBranchFree(variables, names, {
    project,
    branch: gitBranch,
    storeId: store.id,
    externalId: inputs.externalId
  })
}

/**
 * The names the branch will get, for the fallback check before a create:
 * those `variables` gives, exactly; else, as the store's own names are not
 * known yet, those of the product's other stores in the listing, or where
 * it has none, any of the shapes database stores' names have.
 */
function branchNamesBeforeCreate(
  inputs: ActionInputs,
  listed: VercelStore[],
  target: ResolvedTarget
): (name: string) => boolean {
  if (inputs.variables) {
    const names = new Set(inputs.variables.map(({ name }) => name))
    return (name) => names.has(name)
  }
  const known = new Set(
    listed
      .filter(
        ({ product }) =>
          product !== undefined && isSameProduct(product, target.product)
      )
      .flatMap(({ secrets }) => (secrets ?? []).map(({ name }) => name))
  )
  return known.size > 0 ? (name) => known.has(name) : isStoreShaped
}

/**
 * The project's variables that every preview reads, whatever its branch
 * (target preview, no `gitBranch`), named as one of the store's: a build that
 * starts before the branch has its own reads these instead.
 */
function fallbackVariables(
  variables: ProjectEnvVar[],
  isStoreName: (name: string) => boolean
): string[] {
  const names = variables.flatMap(({ key, target = [], gitBranch }) =>
    key !== undefined &&
    !gitBranch &&
    target.includes('preview') &&
    isStoreName(key)
      ? [key]
      : []
  )
  return [...new Set(names)].sort()
}

/**
 * Says, once, that the first build of every pull request would use the
 * project-wide variables instead of the store: a warning, or with
 * `fallback: fail` a failure before any store is made.
 */
function reportFallback(
  names: string[],
  { project, fallback }: Pick<ActionInputs, 'project' | 'fallback'>,
  warn: (line: string) => void
): void {
  if (names.length === 0) return
  const it = names.length === 1 ? 'it' : 'them'
  const line = `Project ${project} has ${names.length === 1 ? 'a variable' : 'variables'} ${names.join(', ')} for all previews: a preview the Git integration builds before this step has written the branch's own reads ${it} instead of the pull request's store (and runs its migrations there). Scope ${it} to Production and Development in the project's settings`
  if (fallback === 'fail') {
    throw new ActionError(`${line}; no store was created.`)
  }
  warn(`${line}, or set "${Inputs.fallback}" to fail to stop here.`)
}
