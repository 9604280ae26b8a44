/**
 * `state: absent`: every store with the key, found by the listing a create
 * would look in, deleted with its connections (and its branch variables,
 * where the step names a project and a branch), or shown in a dry run.
 */
import { removeBranchVariables } from './branch-env.ts'
import type { ActionInputs } from './inputs.ts'
import { explainedListing } from './project.ts'
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
  // store's variables are marked with its id, whatever the branch.
  const { project } = inputs
  if (branchVariablesGo(inputs) && project && plan.stores.length > 0) {
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
  return {
    kind: 'would-delete',
    found: plan.stores,
    externalId: inputs.externalId,
    branchVariablesOf: branchVariablesGo(inputs) ? inputs.project : undefined
  }
}

/** `state: absent` removes the branch variables where the step names both. */
function branchVariablesGo(inputs: ActionInputs): boolean {
  return inputs.project !== undefined && inputs.gitBranch !== undefined
}
