import * as core from '@actions/core'
import { ActionError } from './action-error.js'
import { Inputs, Outputs } from './constants.js'
import type { ActionInputs } from './inputs.js'
import * as log from './log.js'
import type { RemovedStore } from './remove.js'
import type { StoreReport } from './report.js'
import type { FoundStore } from './store.js'

/** The one place that sets the step's outputs. */
export function setOutputs(
  report: StoreReport,
  inputs: Partial<Pick<ActionInputs, 'exportEnv' | 'redeploy'>> = {}
): void {
  const outputs: Record<
    Exclude<
      (typeof Outputs)[keyof typeof Outputs],
      | typeof Outputs.env
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
  if (report.env && inputs.exportEnv) {
    checkExportable(Object.keys(report.env))
    for (const [name, value] of Object.entries(report.env)) {
      // Masked already, each line too; again here, where it leaves the step.
      log.mask(value)
      core.exportVariable(name, value)
    }
  }
  if (inputs.redeploy) {
    core.setOutput(Outputs.redeployedDeploymentId, report.redeployed?.id ?? '')
    core.setOutput(
      Outputs.redeployedDeploymentUrl,
      report.redeployed?.url ?? ''
    )
  }
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
    [Outputs.created]: 'false'
  }
  for (const [name, value] of Object.entries(outputs)) {
    core.setOutput(name, value)
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
