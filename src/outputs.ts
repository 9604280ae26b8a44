/**
 * The step's outputs: the one place that sets them, for every outcome, and
 * with `export-env` puts the store's variables into the job's environment
 * (refusing names that would change how later steps run).
 */
import * as core from '@actions/core'
import { Inputs, Outputs } from './constants.ts'
import { ActionError } from './errors.ts'
import * as log from './log.ts'
import type { StoreReport } from './report.ts'
import type { FoundStore, RemovedStore } from './store.ts'

/**
 * The one place that sets the step's outputs, and with `export-env` puts the
 * store's variables into the job's environment.
 */
export function setOutputs(
  report: StoreReport,
  options: { exportEnv?: boolean; redeploy?: boolean } = {}
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
  if (report.env && options.exportEnv) {
    checkExportable(Object.keys(report.env))
    for (const [name, value] of Object.entries(report.env)) {
      // Masked already, each line too; again here, where it leaves the step.
      log.mask(value)
      core.exportVariable(name, value)
    }
  }
  if (options.redeploy) {
    core.setOutput(Outputs.redeployedDeploymentId, report.redeployed?.id ?? '')
    core.setOutput(
      Outputs.redeployedDeploymentUrl,
      report.redeployed?.url ?? ''
    )
  }
}

// A name fit for the job's environment; and the names that would change how
// the runner, a shell or Node runs the later steps. The names come from the
// store's integration, which is no reason to trust them with that.
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/
const RUNNER_NAMES =
  /^(PATH|HOME|SHELL|ENV|BASH_ENV|BASH_FUNC_.*|IFS|PS4|NODE_OPTIONS|NODE_PATH|LD_.*|DYLD_.*|PYTHON(PATH|STARTUP|HOME)|PERL5?(LIB|OPT)|RUBYOPT|JAVA_TOOL_OPTIONS|GITHUB_.*|RUNNER_.*|ACTIONS_.*|INPUT_.*)$/i

/** Fails, naming it, where a name must not go into the job's environment. */
export function checkExportable(names: string[]): void {
  const refused = names.find(
    (name) => !VARIABLE_NAME.test(name) || RUNNER_NAMES.test(name)
  )
  if (refused === undefined) return
  throw new ActionError(
    `The store has a variable named ${JSON.stringify(refused.slice(0, 80))}, which "${Inputs.exportEnv}" does not put into the job's environment: it is not a plain name, or it would change how later steps run; drop "${Inputs.exportEnv}" and read the value from "${Outputs.env}".`
  )
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
