/**
 * The step's outputs: the one place that sets them, for every outcome, and
 * with `export-env` puts the store's variables into the job's environment
 * (only those `variable-names.ts` lets leave the store).
 */
import * as core from '@actions/core'
import { Inputs, Outputs } from './constants.ts'
import { ActionError } from './errors.ts'
import * as log from './log.ts'
import type { StoreReport } from './outcome.ts'
import type { FoundStore, RemovedStore } from './store.ts'
import { VARIABLE_NAME } from './variable-names.ts'

/**
 * The one place that sets the step's outputs, and with `export-env` puts the
 * store's variables into the job's environment.
 */
export function setOutputs(
  report: StoreReport,
  options: { redeploy?: boolean } = {}
): void {
  const outputs: Record<
    Exclude<
      (typeof Outputs)[keyof typeof Outputs],
      | typeof Outputs.env
      // Only a run that deletes sets these.
      | typeof Outputs.deletedStoreIds
      | typeof Outputs.deletedCount
      | typeof Outputs.redeployedDeploymentId
      | typeof Outputs.redeployedDeploymentUrl
      | typeof Outputs.cancelledDeploymentIds
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
  for (const name of report.exported ?? []) {
    const value = report.env?.[name]
    // Chosen by name already (`namesLeaving`); checked again where it
    // leaves the step, as a name that is no variable name would break the
    // environment file.
    if (value === undefined || !VARIABLE_NAME.test(name)) {
      throw new ActionError(
        `The store's variable ${JSON.stringify(name.slice(0, 80))} cannot go into the job's environment; drop "${Inputs.exportEnv}" and read it from the "${Outputs.env}" output.`
      )
    }
    // Masked already, each line too; again here, where it leaves the step.
    log.mask(value)
    core.exportVariable(name, value)
  }
  if (options.redeploy) {
    core.setOutput(Outputs.redeployedDeploymentId, report.redeployed?.id ?? '')
    core.setOutput(
      Outputs.redeployedDeploymentUrl,
      report.redeployed?.url ?? ''
    )
    core.setOutput(
      Outputs.cancelledDeploymentIds,
      JSON.stringify(report.cancelled?.ids ?? [])
    )
  }
}

/** `state: prune`: the ids of the stores deleted (none in a dry run). */
export function setPruneOutputs(ids: string[]): void {
  core.setOutput(Outputs.deletedStoreIds, JSON.stringify(ids))
  core.setOutput(Outputs.deletedCount, String(ids.length))
  core.setOutput(Outputs.deleted, String(ids.length > 0))
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
