/**
 * `state: absent`: every store with the key, found by the listing a create
 * would look in, deleted with its connections (and its branch variables:
 * from the step's project where it names a branch, or from the projects a
 * store is connected to where it names no project), or shown in a dry run.
 */
import {
  removeBranchVariables,
  removeFromConnectedProjects
} from './branch-env.ts'
import { explainedListing } from './project.ts'
import { branchVariablesPlace } from './prune.ts'
import type { Outcome } from './report.ts'
import { findStores, keyOf, removeStores, type FoundStore } from './store.ts'
import type { Step } from './flows.ts'
import { createBody } from './present.ts'

/** `state: absent`: every store with the key, oldest first. */
interface AbsentPlan {
  stores: FoundStore[]
}

/** The stores with the key, found by the same listing a deletion uses. */
export async function planAbsent({
  inputs,
  target,
  api
}: Step): Promise<AbsentPlan> {
  return { stores: await findStores(api, keyOf(createBody(inputs, target))) }
}

/** Every store of the key goes, with its connections. */
export async function applyAbsent(
  { inputs, api, effects, projectVariables }: Step,
  plan: AbsentPlan
): Promise<Outcome> {
  const info = (line: string) => effects.info(line)
  // The variables the action wrote for these stores go first: once the
  // stores are gone, nothing would remove them. Of every branch, since a
  // store's variables are marked with its id, whatever the branch: from the
  // step's project where it names a branch, or where it names no project
  // (nor so a branch: a close step apart from the open one), from each
  // project a store is connected to.
  const { project } = inputs
  if (plan.stores.length > 0 && project === undefined) {
    await removeFromConnectedProjects(api, plan.stores, info)
  } else if (plan.stores.length > 0 && inputs.gitBranch !== undefined) {
    await removeBranchVariables(
      api,
      project ?? '',
      plan.stores.map(({ id }) => id),
      info,
      projectVariables && explainedListing(projectVariables, project ?? '')
    )
  }
  const removed = await removeStores(api, plan.stores, inputs.name, info)
  return { kind: 'absent', removed, externalId: inputs.externalId }
}

export function showAbsent({ inputs }: Step, plan: AbsentPlan): Outcome {
  const { project, gitBranch } = inputs
  const connected = plan.stores.some(
    ({ projectsMetadata }) =>
      !Array.isArray(projectsMetadata) || projectsMetadata.length > 0
  )
  const variablesGo =
    project === undefined ? connected : gitBranch !== undefined
  return {
    kind: 'would-delete',
    found: plan.stores,
    externalId: inputs.externalId,
    branchVariablesOf: variablesGo ? branchVariablesPlace(project) : undefined
  }
}
