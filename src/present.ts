import * as log from './log.js'
import { connectStore, projectIdOf } from './connect.js'
import type { ActionInputs } from './inputs.js'
import { readStoreEnv } from './read-env.js'
import { setOutputs } from './outputs.js'
import { buildReport, type ReportInputs, type StoreReport } from './report.js'
import { resolvePlan, type ResolvedTarget } from './resolve.js'
import type { Step } from './step.js'
import {
  ensureStore,
  readStore,
  withDetails,
  type KeyedCreateStoreBody
} from './store.js'
import { addStoreToSummary } from './summary.js'
import { waitUntilAvailable } from './wait.js'

/** `state: present`: get or create, wait until available, connect. */
export async function ensurePresent(step: Step): Promise<StoreReport> {
  const { inputs, target, deadline, stores, connections } = step
  let projectId: string | undefined
  const result = await log.group(`Get or create store "${inputs.name}"`, () =>
    ensureStore(stores, createBody(inputs, target), {
      remainingMs: () => deadline.remainingMs(),
      sleep: step.pauses.sleep,
      // Only a create needs the plan, and the project's id: both are looked up
      // once no store was found, and before anything is written, so a wrong
      // name costs no store.
      prepareCreate: async (body) => {
        const [prepared, id] = await Promise.all([
          withPlan(step, body),
          inputs.project === undefined
            ? undefined
            : projectIdOf(connections, inputs.project)
        ])
        projectId = id
        return prepared
      }
    })
  )
  const reportInputs = reportInputsOf(inputs, target)
  // Now already: if waiting or connecting fails, a later step can still
  // find the store.
  setOutputs(buildReport(result, reportInputs))
  if (inputs.wait && result.store.status !== 'available') {
    result.store = await log.group('Wait until the store is available', () =>
      waitUntilAvailable(stores, result.store, deadline, {
        ...step.pauses,
        log: log.info
      })
    )
    setOutputs(buildReport(result, reportInputs))
  }
  result.store = await withDetails(stores, result.store)
  const { project } = inputs
  const connection =
    project === undefined
      ? undefined
      : await log.group(`Connect to project ${project}`, () =>
          connectStore(
            connections,
            result.store,
            {
              project,
              projectId,
              environments: inputs.environments,
              envPrefix: inputs.envPrefix
            },
            (id) => readStore(stores, id)
          )
        )
  const env =
    connection && inputs.readEnv
      ? await log.group(
          `Read the variables' values from project ${inputs.project}`,
          () =>
            readStoreEnv(
              step.projectEnv,
              {
                project: inputs.project ?? connection.projectId,
                projectId: connection.projectId,
                storeId: result.store.id,
                environment: inputs.environments[0],
                names: connection.envVarNames
              },
              (value) => log.mask(value)
            )
        )
      : undefined
  const report = { ...buildReport(result, reportInputs), connection, env }
  setOutputs(report)
  addStoreToSummary(report)
  log.info(
    `${report.created ? 'Created' : 'Reused'} store ${report.storeName} (${report.storeId}), status ${report.status}: ${report.dashboardUrl}`
  )
  if (connection) {
    log.info(
      `${connection.connected ? 'Connected' : 'Already connected'} to project ${project} (${connection.projectId}) for ${inputs.environments.join(', ')}: ${connection.envVarNames.join(', ')}`
    )
  }
  if (env) {
    log.info(
      `Read the values of ${Object.keys(env).join(', ') || 'no variable'} (${inputs.environments[0]}) into the "env" output, each masked in the log.`
    )
  }
  warnOfDuplicates(report)
  return report
}

/** The body with the billing plan the inputs name, looked up by id or name. */
export async function withPlan(
  { inputs, target, integrations }: Step,
  body: KeyedCreateStoreBody
): Promise<KeyedCreateStoreBody> {
  if (inputs.plan === undefined) return body
  const plan = await resolvePlan(integrations, target, {
    plan: inputs.plan,
    prepaymentAmountCents: inputs.prepaymentAmountCents
  })
  return { ...body, billingPlanId: plan.id }
}

export function warnOfDuplicates(report: StoreReport): void {
  if (report.duplicates.length === 0) return
  log.warning(
    `${report.duplicates.length + 1} stores share the key "${report.externalId}"; using the oldest, ${report.storeId}. Delete the others: ${report.duplicates.map(({ id }) => id).join(', ')}.`
  )
}

export function reportInputsOf(
  inputs: ActionInputs,
  target: ResolvedTarget
): ReportInputs {
  return {
    ...inputs,
    integrationConfigurationId: target.integrationConfigurationId,
    product: target.product.id ?? target.productIdOrSlug
  }
}

/** The create request, which also carries what finds the store again. */
export function createBody(
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
