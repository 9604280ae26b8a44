import * as core from '@actions/core'
import { USER_AGENT } from './constants.js'
import { describeFailure } from './failure.js'
import { readGitHubContext } from './github-context.js'
import { parseInputs, type ActionInputs } from './inputs.js'
import { setOutputs } from './outputs.js'
import { buildReport } from './report.js'
import { ensureStore, type KeyedCreateStoreBody } from './store.js'
import {
  addFailureToSummary,
  addStoreToSummary,
  writeSummary
} from './summary.js'
import { VercelClient } from './vercel/client.js'
import { VercelStoreApi } from './vercel/store-api.js'

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
    const api = new VercelStoreApi(
      new VercelClient({
        token: inputs.token,
        apiUrl: inputs.apiUrl,
        team: inputs.team,
        userAgent: USER_AGENT,
        log: (line) => core.debug(line)
      })
    )
    const result = await core.group(
      `Get or create store "${inputs.name}"`,
      () => ensureStore(api, createBody(inputs))
    )
    const report = buildReport(result, inputs)
    setOutputs(report)
    addStoreToSummary(report)
    core.info(
      `${report.created ? 'Created' : 'Reused'} store ${report.storeName} (${report.storeId}), status ${report.status}: ${report.dashboardUrl}`
    )
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
