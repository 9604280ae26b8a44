import * as log from './log.js'
import { setPruneOutputs, setRemovalOutputs } from './outputs.js'
import { createBody } from './present.js'
import { removeStores, type RemovedStore } from './remove.js'
import type { Step } from './step.js'
import { keyOf } from './store.js'
import { addRemovalToSummary } from './summary.js'

/** `state: absent`: every store of the key goes, with its connections. */
export async function ensureAbsent({
  inputs,
  target,
  stores,
  connections
}: Step): Promise<RemovedStore[]> {
  const removed = await log.group(
    `Delete every store with key "${inputs.externalId}"`,
    () =>
      removeStores(
        stores,
        connections,
        keyOf(createBody(inputs, target)),
        log.info
      )
  )
  setRemovalOutputs(removed, inputs.externalId)
  addRemovalToSummary(removed, inputs.externalId)
  log.info(
    removed.length > 0
      ? `Deleted ${removed.length} store(s): ${removed.map(({ id }) => id).join(', ')}`
      : `No store has the key "${inputs.externalId}"; nothing to delete.`
  )
  return removed
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

/** `state: prune` for an integration the team no longer has. */
export function nothingToPrune(reason: string): void {
  log.warning(`Nothing to prune: ${reason}`)
  setPruneOutputs({ closed: [], deleted: [], kept: 0 })
}
