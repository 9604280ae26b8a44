import * as core from '@actions/core'
import { connectStore } from './connect.js'
import { USER_AGENT } from './constants.js'
import { Deadline } from './deadline.js'
import { describeFailure } from './failure.js'
import { readGitHubContext } from './github-context.js'
import { parseInputs, type ActionInputs } from './inputs.js'
import { setOutputs, setRemovalOutputs } from './outputs.js'
import { removeStores } from './remove.js'
import { buildReport } from './report.js'
import { ensureStore, type KeyedCreateStoreBody } from './store.js'
import {
  addFailureToSummary,
  addRemovalToSummary,
  addStoreToSummary,
  writeSummary
} from './summary.js'
import { VercelClient } from './vercel/client.js'
import { VercelConnectionApi } from './vercel/connection-api.js'
import { VercelStoreApi } from './vercel/store-api.js'
import { waitUntilAvailable } from './wait.js'

/** The action: the only place that fails the step. */
export async function run(): Promise<void> {
  const secrets: string[] = []
  try {
    const inputs = parseInputs((name) => core.getInput(name), {
      context: readGitHubContext(),
      onSecret: (secret) => {
        secrets.push(secret)
        core.setSecret(secret)
      }
    })
    const deadline = new Deadline(inputs.timeoutSeconds)
    const client = new VercelClient({
      token: inputs.token,
      apiUrl: inputs.apiUrl,
      team: inputs.team,
      userAgent: USER_AGENT,
      log: (line) => core.debug(line)
    })
    const api = new VercelStoreApi(client)
    const connections = new VercelConnectionApi(client)
    if (inputs.state === 'absent') {
      await removeAll(api, connections, inputs)
      return
    }
    const result = await core.group(
      `Get or create store "${inputs.name}"`,
      () => ensureStore(api, createBody(inputs))
    )
    if (inputs.wait && result.store.status !== 'available') {
      result.store = await core.group(`Wait until store is available`, () =>
        waitUntilAvailable(api, result.store, deadline, { log: core.info })
      )
    }
    const { project } = inputs
    const connection =
      project === undefined
        ? undefined
        : await core.group(`Connect to project ${project}`, () =>
            connectStore(connections, result.store, {
              project,
              environments: inputs.environments,
              envPrefix: inputs.envPrefix
            })
          )
    const report = { ...buildReport(result, inputs), connection }
    setOutputs(report)
    addStoreToSummary(report)
    core.info(
      `${report.created ? 'Created' : 'Reused'} store ${report.storeName} (${report.storeId}), status ${report.status}: ${report.dashboardUrl}`
    )
    if (connection) {
      core.info(
        `${connection.connected ? 'Connected' : 'Already connected'} to project ${project} (${connection.projectId}) for ${inputs.environments.join(', ')}: ${connection.envVarNames.join(', ')}`
      )
    }
    if (report.duplicates.length > 0) {
      core.warning(
        `${report.duplicates.length + 1} stores share the key "${inputs.externalId}"; using the oldest, ${report.storeId}. Delete the others: ${report.duplicates.map(({ id }) => id).join(', ')}.`
      )
    }
  } catch (error) {
    // No error is known to carry the token; this keeps it so.
    const message = secrets.reduce(
      (text, secret) => text.replaceAll(secret, '***'),
      describeFailure(error)
    )
    addFailureToSummary(message)
    core.setFailed(message)
  } finally {
    await writeSummary()
  }
}

/** `state: absent`: every store of the key goes, with its connections. */
async function removeAll(
  api: VercelStoreApi,
  connections: VercelConnectionApi,
  inputs: ActionInputs
): Promise<void> {
  const removed = await core.group(
    `Delete every store with key "${inputs.externalId}"`,
    () => removeStores(api, connections, storeKey(inputs), core.info)
  )
  setRemovalOutputs(removed, inputs.externalId)
  addRemovalToSummary(removed, inputs.externalId)
  core.info(
    removed.length > 0
      ? `Deleted ${removed.length} store(s): ${removed.map(({ id }) => id).join(', ')}`
      : `No store has the key "${inputs.externalId}"; nothing to delete.`
  )
}

/** What finds the step's stores; the same fields `createBody` sends. */
function storeKey(inputs: ActionInputs) {
  return {
    integrationConfigurationId: inputs.integrationConfigurationId,
    product: inputs.product,
    name: inputs.name,
    externalId: inputs.externalId
  }
}

function createBody(inputs: ActionInputs): KeyedCreateStoreBody {
  return {
    name: inputs.name,
    integrationConfigurationId: inputs.integrationConfigurationId,
    integrationProductIdOrSlug: inputs.product,
    externalId: inputs.externalId,
    metadata: inputs.metadata,
    protocolSettings: inputs.protocolSettings,
    source: inputs.source,
    billingPlanId: inputs.billingPlanId,
    paymentMethodId: inputs.paymentMethodId,
    prepaymentAmountCents: inputs.prepaymentAmountCents
  }
}
