/**
 * `state: absent`: every store with the key, found by the listing a create
 * would look in, deleted with its connections (and the branch variables the
 * action wrote for it: from the step's project where it names one, or from
 * the projects a store is connected to where it names none), or shown in a
 * dry run.
 */
import {
  removeBranchVariables,
  removeFromConnectedProjects
} from './branch-env.ts'
import { explainedListing } from './project-env.ts'
import { branchVariablesPlace } from './prune.ts'
import type { Outcome } from './outcome.ts'
import { findStores, keyOf, removeStores, type FoundStore } from './store.ts'
import type { Step } from './step.ts'
import { createBody } from './present-store.ts'

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
  // stores are gone, nothing would find them. They are found by the store
  // their mark names, on whatever branch, so a close step without
  // `git-branch` removes them as well as one with it: from the step's
  // project, or where it names none, from each project a store is
  // connected to.
  const { project } = inputs
  if (plan.stores.length > 0 && project === undefined) {
    await removeFromConnectedProjects(api, plan.stores, info)
  } else if (plan.stores.length > 0 && project !== undefined) {
    await removeBranchVariables(
      api,
      project,
      plan.stores.map(({ id }) => id),
      info,
      projectVariables && explainedListing(projectVariables, project)
    )
  }
  const removed = await removeStores(api, plan.stores, inputs.name, info)
  return { kind: 'absent', removed, externalId: inputs.externalId }
}

export function showAbsent({ inputs }: Step, plan: AbsentPlan): Outcome {
  const { project } = inputs
  const connected = plan.stores.some(
    ({ projectsMetadata }) =>
      !Array.isArray(projectsMetadata) || projectsMetadata.length > 0
  )
  const variablesGo = project !== undefined || connected
  return {
    kind: 'would-delete',
    found: plan.stores,
    externalId: inputs.externalId,
    branchVariablesOf: variablesGo ? branchVariablesPlace(project) : undefined
  }
}
