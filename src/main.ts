import * as core from '@actions/core'
import { connectStore } from './connect.js'
import { USER_AGENT } from './constants.js'
import { Deadline } from './deadline.js'
import {
  addDryRunCreateToSummary,
  addDryRunRemovalToSummary,
  addDryRunReuseToSummary,
  dryRun,
  wouldCreateReport
} from './dry-run.js'
import { describeFailure } from './failure.js'
import { readGitHubContext } from './github-context.js'
import { parseInputs, type ActionInputs } from './inputs.js'
import { setOutputs, setRemovalOutputs } from './outputs.js'
import { removeStores } from './remove.js'
import { buildReport, type ReportInputs } from './report.js'
import {
  resolveInstallation,
  resolvePlan,
  resolveProduct,
  type ResolvedTarget
} from './resolve.js'
import { ensureStore, findStores, type KeyedCreateStoreBody } from './store.js'
import type { StoreKey } from './store-match.js'
import {
  addFailureToSummary,
  addRemovalToSummary,
  addStoreToSummary,
  writeSummary
} from './summary.js'
import { VercelClient } from './vercel/client.js'
import { VercelConnectionApi } from './vercel/connection-api.js'
import { VercelIntegrationApi } from './vercel/integration-api.js'
import { PrefetchedStoreApi } from './vercel/prefetched-store-api.js'
import { VercelStoreApi, type StoreApi } from './vercel/store-api.js'
import { waitUntilAvailable } from './wait.js'

interface Step {
  inputs: ActionInputs
  deadline: Deadline
  integrations: VercelIntegrationApi
  stores: StoreApi
  connections: VercelConnectionApi
}

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
      log: (line) => core.debug(line),
      warn: (line) => core.warning(line),
      deadline
    })
    const integrations = new VercelIntegrationApi(client)
    const installation = await resolveInstallation(
      integrations,
      inputs.integration
    )
    const step: Step = {
      inputs,
      deadline,
      integrations,
      // The listing needs only the installation: it runs while the product
      // and metadata are resolved.
      stores: new PrefetchedStoreApi(
        new VercelStoreApi(client),
        installation.integrationConfigurationId
      ),
      connections: new VercelConnectionApi(client)
    }
    if (inputs.state === 'absent') {
      // Deleting must not depend on metadata or a plan that may have changed
      // since the store was made.
      const target = await resolveProduct(integrations, installation, {
        ...inputs,
        metadata: undefined,
        plan: undefined
      })
      await ensureAbsent(step, target)
    } else {
      const target = await resolveProduct(integrations, installation, inputs)
      await ensurePresent(step, target)
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

/** `state: present`: get or create, wait until available, connect. */
async function ensurePresent(
  { inputs, deadline, integrations, stores, connections }: Step,
  target: ResolvedTarget
): Promise<void> {
  const body = createBody(inputs, target)
  // The plan matters only to a create: looked up once no store was found.
  const prepareCreate = async (
    found: KeyedCreateStoreBody
  ): Promise<KeyedCreateStoreBody> =>
    inputs.plan === undefined
      ? found
      : {
          ...found,
          billingPlanId: (
            await resolvePlan(integrations, target, {
              plan: inputs.plan,
              prepaymentAmountCents: inputs.prepaymentAmountCents
            })
          ).id
        }
  const reportInputs = reportInputsOf(inputs, target)

  if (inputs.dryRun) {
    core.info('Dry run: resolving and looking up only; nothing is changed.')
    const outcome = await dryRun(stores, body, prepareCreate)
    if (outcome.action === 'reuse') {
      const report = buildReport(outcome.result, reportInputs)
      setOutputs(report)
      addDryRunReuseToSummary(report)
      core.info(
        `Dry run: would reuse store ${report.storeName} (${report.storeId}).`
      )
    } else {
      setOutputs(wouldCreateReport(outcome.body, target.product.id ?? ''))
      addDryRunCreateToSummary(outcome.body)
      core.info(
        `Dry run: would create store ${outcome.body.name} with POST /v1/storage/stores/integration/direct and body ${JSON.stringify(outcome.body)}`
      )
    }
    return
  }

  const result = await core.group(`Get or create store "${inputs.name}"`, () =>
    ensureStore(stores, body, { prepareCreate })
  )
  if (inputs.wait && result.store.status !== 'available') {
    result.store = await core.group('Wait until the store is available', () =>
      waitUntilAvailable(stores, result.store, deadline, { log: core.info })
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
  const report = { ...buildReport(result, reportInputs), connection }
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
}

/** `state: absent`: every store of the key goes, with its connections. */
async function ensureAbsent(
  { inputs, stores, connections }: Step,
  target: ResolvedTarget
): Promise<void> {
  const key = storeKey(inputs, target)
  if (inputs.dryRun) {
    const found = await findStores(stores, key)
    setRemovalOutputs([], inputs.externalId)
    addDryRunRemovalToSummary(found, inputs.externalId)
    core.info(
      found.length > 0
        ? `Dry run: would delete ${found.length} store(s): ${found.map(({ id }) => id).join(', ')}`
        : `Dry run: no store has the key "${inputs.externalId}"; nothing would be deleted.`
    )
    return
  }
  const removed = await core.group(
    `Delete every store with key "${inputs.externalId}"`,
    () => removeStores(stores, connections, key, core.info)
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
function storeKey(inputs: ActionInputs, target: ResolvedTarget): StoreKey {
  return {
    integrationConfigurationId: target.integrationConfigurationId,
    product: target.productIdOrSlug,
    name: inputs.name,
    externalId: inputs.externalId
  }
}

function reportInputsOf(
  inputs: ActionInputs,
  target: ResolvedTarget
): ReportInputs {
  return {
    ...inputs,
    integrationConfigurationId: target.integrationConfigurationId,
    product: target.product.id ?? target.productIdOrSlug
  }
}

function createBody(
  inputs: ActionInputs,
  target: ResolvedTarget
): KeyedCreateStoreBody {
  return {
    name: inputs.name,
    integrationConfigurationId: target.integrationConfigurationId,
    integrationProductIdOrSlug: target.productIdOrSlug,
    externalId: inputs.externalId,
    metadata: target.metadata,
    protocolSettings: inputs.protocolSettings,
    source: inputs.source,
    paymentMethodId: inputs.paymentMethodId,
    prepaymentAmountCents: inputs.prepaymentAmountCents
  }
}
