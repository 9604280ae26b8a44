import * as log from './log.js'
import { ActionError } from './action-error.js'
import {
  checkBranchFree,
  checkPrefixFree,
  ownBranchVariables,
  readOwnValues,
  writeBranchVariables,
  type BranchTarget,
  type BranchWrite
} from './branch-env.js'
import { connectStore, projectIdOf, type ConnectionResult } from './connect.js'
import { Inputs } from './constants.js'
import { newestPreview, redeployIfOlder, type Redeployed } from './redeploy.js'
import { VercelApiError } from './vercel/errors.js'
import type { ActionInputs } from './inputs.js'
import { explainedListing, readStoreEnv } from './read-env.js'
import { checkExportable, setOutputs } from './outputs.js'
import { buildReport, type ReportInputs, type StoreReport } from './report.js'
import { resolvePlan, type ResolvedTarget } from './resolve.js'
import type { Step } from './step.js'
import {
  ensureStore,
  readStore,
  withDetails,
  type FoundStore,
  type KeyedCreateStoreBody
} from './store.js'
import { addStoreToSummary } from './summary.js'
import { waitUntilAvailable } from './wait.js'

/** `state: present`: get or create, wait until available, connect. */
export async function ensurePresent(step: Step): Promise<void> {
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
            : projectIdOf(connections, inputs.project),
          checkPrefixBeforeCreate(step)
        ])
        projectId = id
        return prepared
      }
    })
  )
  const reportInputs = reportInputsOf(inputs, target)
  // Now already: if waiting or connecting fails, a later step can still
  // find the store.
  setOutputs(buildReport(result, reportInputs), inputs)
  if (inputs.wait && result.store.status !== 'available') {
    result.store = await log.group('Wait until the store is available', () =>
      waitUntilAvailable(stores, result.store, deadline, {
        ...step.pauses,
        log: log.info
      })
    )
    setOutputs(buildReport(result, reportInputs), inputs)
  }
  result.store = await withDetails(stores, result.store)
  const { project } = inputs
  const branchTarget =
    project !== undefined && inputs.gitBranch !== undefined
      ? {
          project,
          branch: inputs.gitBranch,
          storeId: result.store.id,
          externalId: inputs.externalId
        }
      : undefined
  // A name unfit for the job's environment, and a clash on the branch, are
  // known now, before the connection is written.
  if (inputs.exportEnv) checkExportable(secretNamesOf(result.store))
  if (branchTarget && step.projectVariables) {
    checkBranchFree(
      await explainListing(step.projectVariables, branchTarget.project),
      secretNamesOf(result.store),
      branchTarget
    )
  }
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
              envPrefix: inputs.envPrefix,
              envPrefixIsDefault: inputs.envPrefixIsDefault
            },
            (id) => readStore(stores, id)
          )
        )
  const preview =
    connection && readsValues(inputs)
      ? await log.group(
          `Read the variables' values from project ${inputs.project}`,
          () => previewOf(step, result.store, connection, branchTarget)
        )
      : undefined
  const report = {
    ...buildReport(result, reportInputs),
    connection,
    env: preview?.env,
    branch: preview?.branch,
    redeployed: preview?.redeployed
  }
  setOutputs(report, inputs)
  addStoreToSummary(report)
  log.info(
    `${report.created ? 'Created' : 'Reused'} store ${report.storeName} (${report.storeId}), status ${report.status}: ${report.dashboardUrl}`
  )
  if (connection) {
    log.info(
      `${connection.connected ? 'Connected' : 'Already connected'} to project ${project} (${connection.projectId}) for ${inputs.environments.join(', ')}: ${connection.envVarNames.join(', ')}`
    )
  }
  if (report.env) {
    log.info(
      `Read the values of ${Object.keys(report.env).join(', ') || 'no variable'} (${inputs.environments[0]}) into the "env" output${inputs.exportEnv ? " and the job's environment" : ''}, each masked in the log.`
    )
  }
  warnOfDuplicates(report)
}

function readsValues(inputs: ActionInputs): boolean {
  return inputs.readEnv || inputs.exportEnv || inputs.gitBranch !== undefined
}

function secretNamesOf(store: FoundStore): string[] {
  return (store.secrets ?? []).flatMap(({ name }) => (name ? [name] : []))
}

/**
 * Where no store has the key yet: fails before the create when the project
 * already has variables with the prefix the connection would use.
 */
async function checkPrefixBeforeCreate(step: Step): Promise<void> {
  const { inputs } = step
  if (inputs.project === undefined || inputs.envPrefix === undefined) return
  const variables = await explainListing(
    step.projectVariables ?? step.preview.listEnv(inputs.project),
    inputs.project
  )
  checkPrefixFree(variables, {
    project: inputs.project,
    prefix: inputs.envPrefix,
    environments: inputs.environments,
    storeIds: []
  })
}

/** The values under the store's own names, the branch's variables, the redeploy. */
async function previewOf(
  step: Step,
  store: FoundStore,
  connection: ConnectionResult,
  branchTarget: BranchTarget | undefined
): Promise<{
  env: Record<string, string>
  branch?: BranchWrite
  redeployed?: Redeployed
}> {
  const { inputs, preview } = step
  const project = inputs.project ?? connection.projectId
  // A connection made now put variables the early listing cannot show.
  const listed = await explainListing(
    !connection.connected && step.projectVariables
      ? step.projectVariables
      : preview.listEnv(connection.projectId),
    project
  )
  const own = branchTarget ? ownBranchVariables(listed, branchTarget) : []
  const mask = (value: string) => log.mask(value)
  const deployments =
    branchTarget && inputs.redeploy
      ? newestPreview(preview, connection.projectId, branchTarget.branch)
      : undefined
  deployments?.catch(() => undefined)
  const [prefixed, current] = await Promise.all([
    readStoreEnv(
      preview,
      {
        project,
        projectId: connection.projectId,
        storeId: store.id,
        environment: inputs.environments[0],
        names: connection.envVarNames,
        listed
      },
      mask
    ),
    readOwnValues(preview, own, connection.projectId, mask)
  ])
  const env = withoutPrefix(prefixed, connection.envVarPrefix ?? '')
  if (!branchTarget) return { env }
  checkBranchFree(listed, Object.keys(env), branchTarget)
  const branch = await writeBranchVariables(
    preview,
    { ...branchTarget, project: connection.projectId },
    env,
    own,
    current,
    log.info
  )
  const redeployed = deployments
    ? await redeployIfOlder(
        preview,
        await deployments,
        {
          changedAt: branch.changedAt,
          projectName: connection.projectName ?? project,
          branch: branchTarget.branch
        },
        log.info
      )
    : undefined
  return { env, branch, redeployed }
}

/** The store's variables by the names the store gives them. */
function withoutPrefix(
  env: Record<string, string>,
  prefix: string
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [
      prefix && key.startsWith(prefix) ? key.slice(prefix.length) : key,
      value
    ])
  )
}

/** A project that is not there is named as the connect names it. */
async function explainListing<T>(listing: Promise<T>, project: string) {
  try {
    return await explainedListing(listing, project)
  } catch (error) {
    if (error instanceof VercelApiError && error.status === 404) {
      throw new ActionError(
        `Project "${project}" was not found in this team; check "${Inputs.project}" (a project id prj_… or name) and "${Inputs.team}".`
      )
    }
    throw error
  }
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
