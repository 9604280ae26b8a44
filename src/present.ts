/**
 * `state: present`: the plan (the store with the key, or the body to create
 * one with, and the connection to the step's project), carried out by
 * `applyPresent` (create, wait until available, connect, then the values of
 * `preview.ts`), or shown by `showPresent` in a dry run.
 */
import {
  checkBranchFree,
  checkBranchUnclaimed,
  checkPrefixFree,
  leftoversOfKey,
  type BranchTarget
} from './branch-env.ts'
import { Inputs } from './constants.ts'
import { ActionError } from './errors.ts'
import type { ActionInputs } from './inputs.ts'
import {
  connectStore,
  explainedListing,
  planConnection,
  readProject,
  reuse,
  variableNames,
  type ConnectionPlan,
  type ConnectRequest,
  type ConnectionResult
} from './project.ts'
import type { Outcome } from './outcome.ts'
import { buildReport, type ReportInputs } from './report.ts'
import { resolvePlan, type ResolvedTarget } from './resolve.ts'
import {
  checkStoreCount,
  checkTargets,
  environmentsNeeded,
  fallbackVariables,
  reportFallback
} from './isolation.ts'
import {
  createStore,
  findStoresInListing,
  keyOf,
  oldestOf,
  readStore,
  waitUntilAvailable,
  withDetails,
  type EnsureStoreResult,
  type FoundStore,
  type KeyedCreateStoreBody
} from './store.ts'
import type { Step } from './step.ts'
import { applyPreview, namesLeaving, readsValues } from './preview.ts'
import { isStoreShaped } from './variable-names.ts'
import type { ProjectEnvVar, VercelStore } from './vercel-types.ts'

/** `state: present`: the store to reuse, or the body to create one with. */
type PresentPlan =
  | {
      action: 'reuse'
      found: EnsureStoreResult
      /**
       * The store is not available yet and the step waits for it: its
       * details and connection are read after the wait.
       */
      waitFirst: boolean
      connection?: ConnectionPlan
    }
  | {
      action: 'create'
      body: KeyedCreateStoreBody
      connection?: ConnectionPlan
      /** The branch's variables of this key's earlier store: removed first. */
      leftovers: ProjectEnvVar[]
    }

/**
 * The reads that decide what `state: present` does: the store with the key,
 * or else the create body with its billing plan; and where the step names a
 * project, the store's connection to it. Writes nothing.
 */
export async function planPresent(step: Step): Promise<PresentPlan> {
  const { inputs, target, api, effects } = step
  const body = createBody(inputs, target)
  const { matches: existing, listed } = await findStoresInListing(
    api,
    keyOf(body)
  )
  if (existing.length > 0) {
    const found = oldestOf(existing, false)
    // Outputs only, no write: if a read below fails, a later step can still
    // find the store.
    effects.publish(buildReport(found, reportInputsOf(inputs, target)))
    const waitFirst =
      inputs.wait && !inputs.dryRun && found.store.status !== 'available'
    if (waitFirst) return { action: 'reuse', found, waitFirst }
    found.store = await withDetails(api, found.store)
    checkTargets(found.store, environmentsNeeded(inputs), { created: false })
    const [connection] = await Promise.all([
      planProject(step, found.store),
      checkBranchBeforeReuse(step, found.store)
    ])
    return { action: 'reuse', found, waitFirst, connection }
  }
  checkStoreCount(listed, {
    maxStores: inputs.maxStores,
    repository: step.repository,
    product: { id: target.product.id, slug: target.product.slug }
  })
  // Only a create needs the plan, and the project's id: both are looked up
  // once no store was found, and before anything is written, so a wrong name
  // costs no store.
  const variables = listingBeforeCreate(step)
  const [prepared, connection, leftovers] = await Promise.all([
    withPlan(step, body),
    planProject(step, undefined).then(async (connection) => {
      await checkNotProductionBranch(step, connection)
      return connection
    }),
    variables &&
      checkVariablesBeforeCreate(
        step,
        variables,
        branchNamesBeforeCreate(inputs, listed, target)
      )
  ])
  return {
    action: 'create',
    body: prepared,
    connection,
    leftovers: leftovers ?? []
  }
}

/**
 * The project's variables, where a create must first check them: for the
 * prefix the connection would use, or for the Git branch. Listed once for
 * both; the run's early listing where there is one.
 */
function listingBeforeCreate({
  inputs,
  api,
  projectVariables
}: Step): Promise<ProjectEnvVar[]> | undefined {
  const { project } = inputs
  if (project === undefined) return undefined
  if (inputs.envPrefix === undefined && inputs.gitBranch === undefined) {
    return undefined
  }
  return explainedListing(projectVariables ?? api.listEnv(project), project)
}

/**
 * Where no store has the key yet: fails before the create when the project
 * already has variables with the prefix its connection would use, which
 * Vercel would refuse only once the store was made; or when the Git branch
 * already carries the store of another key (another pull request from the
 * same branch). The branch's variables of an earlier store of this key,
 * which the create is to remove first: a reopened pull request's.
 */
async function checkVariablesBeforeCreate(
  { inputs, effects }: Step,
  listing: Promise<ProjectEnvVar[]>,
  isStoreName: (name: string) => boolean
): Promise<ProjectEnvVar[]> {
  const variables = await listing
  const project = inputs.project ?? ''
  const leftovers =
    inputs.gitBranch === undefined
      ? []
      : leftoversOfKey(variables, {
          branch: inputs.gitBranch,
          externalId: inputs.externalId
        })
  if (inputs.gitBranch !== undefined) {
    checkBranchUnclaimed(variables, {
      project,
      branch: inputs.gitBranch,
      externalId: inputs.externalId
    })
    reportFallback(fallbackVariables(variables, isStoreName), inputs, (line) =>
      effects.warn(line)
    )
  }
  if (inputs.envPrefix === undefined) return leftovers
  checkPrefixFree(variables, {
    project,
    prefix: inputs.envPrefix,
    environments: inputs.environments,
    storeIds: []
  })
  return leftovers
}

/**
 * Removes, before the create, the branch's variables the action wrote for
 * an earlier store of this key (`leftoversOfKey`); the ids removed.
 */
async function removeLeftovers(
  { inputs, api, effects }: Step,
  plan: Extract<PresentPlan, { action: 'create' }>
): Promise<string[]> {
  const { leftovers } = plan
  if (leftovers.length === 0) return []
  const project = plan.connection?.projectId ?? inputs.project ?? ''
  const ids = leftovers.map(({ id }) => id ?? '')
  await api.removeEnv(project, ids)
  effects.info(
    `Removed ${leftovers.map(({ key }) => key ?? 'a variable').join(', ')} from branch ${inputs.gitBranch} of project ${inputs.project}: this action wrote them for an earlier store of key ${inputs.externalId}, which no store has now.`
  )
  return ids
}

/**
 * Where no store has the key yet and the step names a Git branch: fails
 * before the create where the branch is the project's production branch,
 * for which Vercel takes no preview variable. A project given by id is read
 * for it, a create's one request more; where Vercel's answer does not name
 * the production branch, its refusal of the write says it instead.
 */
async function checkNotProductionBranch(
  { inputs, api }: Step,
  connection: ConnectionPlan | undefined
): Promise<void> {
  const branch = inputs.gitBranch
  if (branch === undefined || connection === undefined) return
  const project =
    connection.project ?? (await readProject(api, connection.projectId))
  if (project?.productionBranch !== branch) return
  throw new ActionError(
    `Branch ${branch} is the production branch of project ${inputs.project}, and Vercel takes no preview variable for it; no store was created. Set "${Inputs.gitBranch}" to the pull request's branch (\${{ github.head_ref }}), or leave it out where the workflow runs on pushes to ${branch}.`
  )
}

/**
 * Where the store is there and the step names a Git branch: its variables'
 * names are known, so a variable of one of them that someone else put on the
 * branch is found now, in a dry run as in a real run (which has the
 * project's variables listed already).
 */
async function checkBranchBeforeReuse(
  { inputs, api, projectVariables }: Step,
  store: FoundStore
): Promise<void> {
  const { project, gitBranch } = inputs
  if (project === undefined || gitBranch === undefined) return
  const variables = await explainedListing(
    projectVariables ?? api.listEnv(project),
    project
  )
  // The names it would write: a `variables` line the store has no name for
  // fails here too, in a dry run as in a real run.
  const names =
    namesLeaving(inputs, secretNamesOf(store), store.id).branch?.selected ?? []
  checkBranchFree(variables, names, {
    project,
    branch: gitBranch,
    storeId: store.id,
    externalId: inputs.externalId
  })
}

/** Carries out a present plan: create, wait until available, connect. */
export async function applyPresent(
  step: Step,
  plan: PresentPlan
): Promise<Outcome> {
  const { inputs, target, deadline, api, effects } = step
  const reportInputs = reportInputsOf(inputs, target)
  let result: EnsureStoreResult
  let { projectVariables } = step
  if (plan.action === 'create') {
    const removed = await removeLeftovers(step, plan)
    if (removed.length > 0) {
      projectVariables = projectVariables?.then((variables) =>
        variables.filter(({ id }) => id === undefined || !removed.includes(id))
      )
    }
    result = await effects.group(`Create store "${inputs.name}"`, () =>
      createStore(api, plan.body, {
        remainingMs: () => deadline.remainingMs(),
        sleep: effects.sleep
      })
    )
    effects.publish(buildReport(result, reportInputs))
  } else {
    result = plan.found
  }
  if (inputs.wait && result.store.status !== 'available') {
    result.store = await effects.group(
      'Wait until the store is available',
      () =>
        waitUntilAvailable(api, result.store, deadline, {
          sleep: effects.sleep,
          random: effects.random,
          log: (line) => effects.info(line)
        })
    )
    effects.publish(buildReport(result, reportInputs))
  }
  result.store = await withDetails(api, result.store)
  // A created store's team settings are known only now: before any write.
  checkTargets(result.store, environmentsNeeded(inputs), {
    created: plan.action === 'create'
  })
  const { project } = inputs
  const branchTarget: BranchTarget | undefined =
    project !== undefined && inputs.gitBranch !== undefined
      ? {
          project,
          branch: inputs.gitBranch,
          storeId: result.store.id,
          externalId: inputs.externalId
        }
      : undefined
  // A listed name the store lacks, and a clash on the branch, are known
  // now, before the connection is written.
  const leaving = namesLeaving(
    inputs,
    secretNamesOf(result.store),
    result.store.id
  )
  if (branchTarget && leaving.branch && projectVariables) {
    checkBranchFree(
      await explainedListing(projectVariables, branchTarget.project),
      leaving.branch.selected,
      branchTarget
    )
  }
  const known =
    plan.action === 'reuse' && !plan.waitFirst ? plan.connection : undefined
  const connection =
    project === undefined
      ? undefined
      : await effects.group(`Connect to project ${project}`, () =>
          connectStore(
            api,
            result.store,
            {
              ...connectRequest(inputs),
              projectId: plan.connection?.projectId,
              // Custom environments as the plan resolved them: no second look-up.
              environments: plan.connection?.environments ?? inputs.environments
            },
            (id) => readStore(api, id),
            known
          )
        )
  if (connection) reportKeptEnvironments(connection, inputs, effects)
  const preview =
    connection && readsValues(inputs)
      ? await effects.group(
          `Read the variables' values from project ${inputs.project}`,
          () =>
            applyPreview(
              { ...step, projectVariables },
              result.store,
              connection,
              branchTarget
            )
        )
      : undefined
  return {
    kind: 'present',
    report: {
      ...buildReport(result, reportInputs),
      connection,
      env: preview?.env,
      exported: preview?.exported,
      branch: preview?.branch,
      redeployed: preview?.redeployed,
      cancelled: preview?.cancelled
    },
    project,
    environments: inputs.environments,
    redeploy: inputs.redeploy
  }
}

/**
 * The names the branch will get, for the fallback check before a create:
 * those `variables` gives, exactly; else, as the store's own names are not
 * known yet, those of the product's other stores in the listing, or where
 * it has none, any of the shapes database stores' names have.
 */
function branchNamesBeforeCreate(
  inputs: ActionInputs,
  listed: VercelStore[],
  target: ResolvedTarget
): (name: string) => boolean {
  if (inputs.variables) {
    const names = new Set(inputs.variables.map(({ name }) => name))
    return (name) => names.has(name)
  }
  const known = new Set(
    listed
      .filter(
        ({ product }) =>
          product !== undefined &&
          ((product.id !== undefined && product.id === target.product.id) ||
            (product.slug !== undefined &&
              product.slug === target.product.slug))
      )
      .flatMap(({ secrets }) => (secrets ?? []).map(({ name }) => name))
  )
  return known.size > 0 ? (name) => known.has(name) : isStoreShaped
}

/**
 * A store connected before the step connected for development by default
 * (earlier versions connected for preview) is kept as it is, never
 * connected twice; but its prefixed variables reach every preview of the
 * project, which the step says once.
 */
function reportKeptEnvironments(
  connection: ConnectionResult,
  inputs: ActionInputs,
  effects: Step['effects']
): void {
  if (inputs.environmentsGiven) return
  const same =
    connection.environments.length === inputs.environments.length &&
    inputs.environments.every((name) => connection.environments.includes(name))
  if (same) return
  const reach = connection.environments.filter((name) => name !== 'development')
  effects.warn(
    `Store connection to project ${inputs.project} is for ${connection.environments.join(', ') || 'no environment'}, as this action connected stores before it connected for development only, and is kept${reach.length > 0 ? `: its ${connection.envVarPrefix || ''}variables reach every deployment of ${reach.join(', ')}, whoever's pull request it builds` : ''}. Disconnect the project from the store in the Vercel dashboard and run again to connect it for development only, or set "${Inputs.environments}" to keep it so without this warning.`
  )
}

function secretNamesOf(store: FoundStore): string[] {
  return (store.secrets ?? []).flatMap(({ name }) => (name ? [name] : []))
}

/**
 * A present plan as a dry run shows it: the store it would reuse, or the
 * body it would create one with, and what it would do about the project.
 */
export function showPresent(step: Step, plan: PresentPlan): Outcome {
  const { inputs, target } = step
  if (plan.action === 'reuse') {
    const { store } = plan.found
    const connection = connectionShown(step, store, plan.connection)
    return {
      kind: 'would-reuse',
      report: {
        ...buildReport(plan.found, reportInputsOf(inputs, target)),
        // Outputs name a project the store is connected to, not one it would be.
        connection: connection?.connected === false ? connection : undefined
      },
      connection,
      readEnv: inputs.readEnv,
      gitBranch: inputs.gitBranch,
      redeploy: inputs.redeploy
    }
  }
  return {
    kind: 'would-create',
    body: plan.body,
    productId: target.product.id ?? '',
    connection: connectionShown(step, undefined, plan.connection),
    readEnv: inputs.readEnv,
    gitBranch: inputs.gitBranch,
    redeploy: inputs.redeploy
  }
}

/**
 * What the step would do about its project: the connection in place
 * (`connected: false`), or the one it would make (`connected: true`).
 */
function connectionShown(
  { inputs }: Step,
  store: FoundStore | undefined,
  plan: ConnectionPlan | undefined
): ConnectionResult | undefined {
  if (plan === undefined) return undefined
  if (store && plan.existing) {
    return reuse(store, plan.existing, {
      ...connectRequest(inputs),
      environments: plan.environments
    })
  }
  return {
    projectId: plan.projectId,
    projectName: plan.projectName,
    envVarNames: store ? variableNames(store, inputs.envPrefix) : [],
    envVarPrefix: inputs.envPrefix ?? '',
    environments: plan.environments,
    connected: true
  }
}

/** The store's connection to the step's project, where it names one. */
async function planProject(
  { inputs, api }: Step,
  store: FoundStore | undefined
): Promise<ConnectionPlan | undefined> {
  if (inputs.project === undefined) return undefined
  return planConnection(api, store, connectRequest(inputs))
}

function connectRequest(inputs: ActionInputs): ConnectRequest {
  return {
    project: inputs.project ?? '',
    environments: inputs.environments,
    environmentsGiven: inputs.environmentsGiven,
    envPrefix: inputs.envPrefix,
    envPrefixIsDefault: inputs.envPrefixIsDefault
  }
}

/** The body with the billing plan the inputs name, looked up by id or name. */
async function withPlan(
  { inputs, target, api }: Step,
  body: KeyedCreateStoreBody
): Promise<KeyedCreateStoreBody> {
  if (inputs.plan === undefined) return body
  const plan = await resolvePlan(api, target, {
    plan: inputs.plan,
    prepaymentAmountCents: inputs.prepaymentAmountCents
  })
  return { ...body, billingPlanId: plan.id }
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
