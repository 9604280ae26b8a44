import * as log from './log.js'
import { planConnection, reuse, variableNames } from './connect.js'
import type { ConnectionResult } from './connect.js'
import { setOutputs, setWouldDeleteOutputs } from './outputs.js'
import {
  createBody,
  reportInputsOf,
  warnOfDuplicates,
  withPlan
} from './present.js'
import { buildReport, type StoreReport } from './report.js'
import type { Step } from './step.js'
import {
  findStores,
  keyOf,
  oldestOf,
  withDetails,
  type FoundStore,
  type KeyedCreateStoreBody
} from './store.js'
import {
  addDryRunCreateToSummary,
  addDryRunRemovalToSummary,
  addDryRunReuseToSummary
} from './summary.js'

const CREATE = 'POST /v1/storage/stores/integration/direct'

/**
 * `dry-run` with `state: present`: the reads that decide what a real run
 * would do (no readiness polls, no values read), and no write. Reports the store it would reuse, or the exact body it would create
 * one with, and what it would do about the project.
 */
export async function dryRunPresent(step: Step): Promise<void> {
  const { inputs, target, stores } = step
  log.info('Dry run: resolving and looking up only; nothing is changed.')
  const body = createBody(inputs, target)
  const existing = await findStores(stores, keyOf(body))
  if (existing.length > 0) {
    const result = oldestOf(existing, false)
    result.store = await withDetails(stores, result.store)
    const connection = await connectionOf(step, result.store)
    const report = {
      ...buildReport(result, reportInputsOf(inputs, target)),
      // Outputs name a project the store is connected to, not one it would be.
      connection: connection?.connected === false ? connection : undefined
    }
    setOutputs(report)
    addDryRunReuseToSummary(report, connection)
    log.info(
      `Dry run: would reuse store ${report.storeName} (${report.storeId}).${describeConnection(connection, inputs.readEnv)}${describePreview(inputs)}`
    )
    warnOfDuplicates(report)
    return
  }
  const [prepared, connection] = await Promise.all([
    withPlan(step, body),
    connectionOf(step, undefined)
  ])
  const shown = withHiddenValues(prepared)
  setOutputs(wouldCreateReport(prepared, target.product.id ?? ''))
  addDryRunCreateToSummary(shown, connection)
  log.info(
    `Dry run: would create store ${prepared.name} with ${CREATE} and body ${JSON.stringify(shown)}.${describeConnection(connection, inputs.readEnv)}${describePreview(inputs)}`
  )
}

/** `dry-run` with `state: absent`: the stores a real run would delete. */
export async function dryRunAbsent({
  inputs,
  target,
  stores
}: Step): Promise<void> {
  const found = await findStores(stores, keyOf(createBody(inputs, target)))
  setWouldDeleteOutputs(found, inputs.externalId)
  addDryRunRemovalToSummary(found, inputs.externalId)
  log.info(
    found.length > 0
      ? `Dry run: would delete ${found.length} store(s): ${found.map(({ id }) => id).join(', ')}${inputs.gitBranch !== undefined && inputs.project !== undefined ? `, after the preview variables written for them on project ${inputs.project}` : ''}`
      : `Dry run: no store has the key "${inputs.externalId}"; nothing would be deleted.`
  )
}

/**
 * What the step would do about its project: the connection in place
 * (`connected: false`), or the one it would make (`connected: true`).
 */
async function connectionOf(
  { inputs, connections }: Step,
  store: FoundStore | undefined
): Promise<ConnectionResult | undefined> {
  if (inputs.project === undefined) return undefined
  const request = {
    project: inputs.project,
    environments: inputs.environments,
    envPrefix: inputs.envPrefix,
    envPrefixIsDefault: inputs.envPrefixIsDefault
  }
  const plan = await planConnection(connections, store, request)
  if (store && plan.existing) return reuse(store, plan.existing, request)
  return {
    projectId: plan.projectId,
    projectName: plan.projectName,
    envVarNames: store ? variableNames(store, inputs.envPrefix) : [],
    envVarPrefix: inputs.envPrefix ?? '',
    connected: true
  }
}

/** What `git-branch` and `redeploy` would do; a dry run reads no value. */
function describePreview({
  gitBranch,
  redeploy
}: Pick<Step['inputs'], 'gitBranch' | 'redeploy'>): string {
  if (gitBranch === undefined) return ''
  const then = redeploy
    ? `, and redeploy the branch's newest preview if it was built before them`
    : ''
  return ` Would then write the store's variables, by their own names, as preview variables of branch ${gitBranch} (those missing or changed)${then}.`
}

function describeConnection(
  connection: ConnectionResult | undefined,
  readEnv: boolean
): string {
  if (!connection) return ''
  const project = `${connection.projectName ?? connection.projectId} (${connection.projectId})`
  const connected = connection.connected
    ? ` Would connect it to project ${project}.`
    : ` It is already connected to project ${project}.`
  return readEnv
    ? `${connected} Would then read its variables' values into "env"; a dry run reads none.`
    : connected
}

/**
 * The body as it may be shown: protocol settings can hold credentials, so
 * only their keys are.
 */
function withHiddenValues(body: KeyedCreateStoreBody): KeyedCreateStoreBody {
  if (!body.protocolSettings) return body
  return {
    ...body,
    protocolSettings: Object.fromEntries(
      Object.keys(body.protocolSettings).map((key) => [key, '***'])
    )
  }
}

/** The report of a store not created yet: no id, status or link. */
function wouldCreateReport(
  body: KeyedCreateStoreBody,
  productId: string
): StoreReport {
  return {
    storeId: '',
    storeName: body.name,
    externalId: body.externalId,
    created: false,
    status: '',
    integrationConfigurationId: body.integrationConfigurationId,
    productId,
    productName: body.integrationProductIdOrSlug,
    billingPlanId: body.billingPlanId ?? '',
    billingPlanName: '',
    dashboardUrl: '',
    secretNames: [],
    duplicates: []
  }
}
