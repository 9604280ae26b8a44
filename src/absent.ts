import * as log from './log.js'
import { removeBranchVariables } from './branch-env.js'
import { setRemovalOutputs } from './outputs.js'
import { createBody } from './present.js'
import { removeStores } from './remove.js'
import type { Step } from './step.js'
import { keyOf } from './store.js'
import { addRemovalToSummary } from './summary.js'

/** `state: absent`: every store of the key goes, with its connections. */
export async function ensureAbsent({
  inputs,
  target,
  stores,
  connections,
  preview,
  projectVariables
}: Step): Promise<void> {
  const { project, gitBranch } = inputs
  const removed = await log.group(
    `Delete every store with key "${inputs.externalId}"`,
    () =>
      removeStores(
        stores,
        connections,
        keyOf(createBody(inputs, target)),
        log.info,
        // The variables the action wrote for these stores go first: once the
        // stores are gone, nothing would remove them. Of every branch, since
        // a store's variables are marked with its id, whatever the branch.
        async (found) => {
          if (project === undefined || gitBranch === undefined) return
          await removeBranchVariables(
            preview,
            project,
            found.map(({ id }) => id),
            log.info,
            projectVariables
          )
        }
      )
  )
  setRemovalOutputs(removed, inputs.externalId)
  addRemovalToSummary(removed, inputs.externalId)
  log.info(
    removed.length > 0
      ? `Deleted ${removed.length} store(s): ${removed.map(({ id }) => id).join(', ')}`
      : `No store has the key "${inputs.externalId}"; nothing to delete.`
  )
}

/**
 * `state: absent` for an integration the team no longer has: no store of it
 * can be left, so there is nothing to delete.
 */
export function nothingToDelete(externalId: string, reason: string): void {
  log.warning(`Nothing to delete: ${reason}`)
  setRemovalOutputs([], externalId)
  addRemovalToSummary([], externalId)
}
