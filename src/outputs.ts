import * as core from '@actions/core'
import { Outputs } from './constants.js'
import type { PruneResult } from './prune.js'
import type { RemovedStore } from './remove.js'
import type { StoreReport } from './report.js'
import type { FoundStore } from './store.js'

/** The one place that sets the step's outputs. */
export function setOutputs(report: StoreReport): void {
  const outputs: Record<
    Exclude<
      (typeof Outputs)[keyof typeof Outputs],
      | typeof Outputs.env
      // Only a run that deletes sets these.
      | typeof Outputs.deletedStoreIds
      | typeof Outputs.deletedCount
    >,
    string
  > = {
    [Outputs.storeId]: report.storeId,
    [Outputs.storeName]: report.storeName,
    [Outputs.externalId]: report.externalId,
    [Outputs.created]: String(report.created),
    [Outputs.status]: report.status,
    [Outputs.integrationConfigurationId]: report.integrationConfigurationId,
    [Outputs.productId]: report.productId,
    [Outputs.billingPlanId]: report.billingPlanId,
    [Outputs.dashboardUrl]: report.dashboardUrl,
    [Outputs.secretNames]: JSON.stringify(report.secretNames),
    [Outputs.deleted]: 'false',
    [Outputs.connectedProject]: report.connection?.projectId ?? '',
    [Outputs.envVarNames]: JSON.stringify(report.connection?.envVarNames ?? [])
  }
  for (const [name, value] of Object.entries(outputs)) {
    core.setOutput(name, value)
  }
  // Only where read; every value is masked by now (`readStoreEnv`).
  if (report.env) core.setOutput(Outputs.env, JSON.stringify(report.env))
}

/** `state: absent`: what was deleted; the oldest store stands for the key. */
export function setRemovalOutputs(
  removed: RemovedStore[],
  externalId: string
): void {
  setAbsentOutputs(removed, removed.length > 0, externalId)
}

/** `state: absent` with `dry-run`: nothing deleted; the oldest store that would be. */
export function setWouldDeleteOutputs(
  found: FoundStore[],
  externalId: string
): void {
  setAbsentOutputs(found, false, externalId)
}

function setAbsentOutputs(
  stores: { id: string; name?: string }[],
  deleted: boolean,
  externalId: string
): void {
  const [oldest] = stores
  const outputs: Partial<
    Record<(typeof Outputs)[keyof typeof Outputs], string>
  > = {
    [Outputs.deleted]: String(deleted),
    [Outputs.storeId]: oldest?.id ?? '',
    [Outputs.storeName]: oldest?.name ?? '',
    [Outputs.externalId]: externalId,
    [Outputs.created]: 'false',
    [Outputs.deletedStoreIds]: JSON.stringify(
      deleted ? stores.map(({ id }) => id) : []
    ),
    [Outputs.deletedCount]: String(deleted ? stores.length : 0)
  }
  for (const [name, value] of Object.entries(outputs)) {
    core.setOutput(name, value)
  }
}

/** `state: prune`: the ids deleted (none on a dry run) and how many. */
export function setPruneOutputs(result: PruneResult): void {
  const ids = result.deleted.map(({ id }) => id)
  core.setOutput(Outputs.deletedStoreIds, JSON.stringify(ids))
  core.setOutput(Outputs.deletedCount, String(ids.length))
  core.setOutput(Outputs.deleted, String(ids.length > 0))
}
