/**
 * What a run does, as a plan and its application. `planPresent` and
 * `planAbsent` only read: the store to reuse or the body to create one with,
 * the connection to make, the stores to delete. `applyPresent` and
 * `applyAbsent` carry a plan out; a dry run shows the same plan instead
 * (`showPresent`, `showAbsent`), so it cannot decide otherwise than a real
 * run would.
 */
import {
  checkBranchFree,
  checkPrefixFree,
  ownBranchVariables,
  readOwnValues,
  removeBranchVariables,
  writeBranchVariables,
  type BranchTarget,
  type BranchWrite
} from './branch-env.ts'
import { Inputs } from './constants.ts'
import type { GitHubApi } from './github.ts'
import type { ActionInputs } from './inputs.ts'
import type { Repository } from './naming.ts'
import {
  connectStore,
  explainedListing,
  planConnection,
  readStoreEnv,
  reuse,
  variableNames,
  type ConnectionPlan,
  type ConnectRequest,
  type ConnectionResult
} from './project.ts'
import { newestPreview, redeployIfOlder, type Redeployed } from './redeploy.ts'
import {
  buildReport,
  checkExportable,
  type Outcome,
  type ReportInputs,
  type StoreReport
} from './report.ts'
import { applyPrune, planPrune, showPrune, type PruneStep } from './prune.ts'
import { resolvePlan, type ResolvedTarget } from './resolve.ts'
import {
  createStore,
  findStores,
  keyOf,
  oldestOf,
  readStore,
  removeStores,
  waitUntilAvailable,
  withDetails,
  type EnsureStoreResult,
  type FoundStore,
  type KeyedCreateStoreBody
} from './store.ts'
import type { VercelApi } from './vercel-api.ts'
import type { ProjectEnvVar } from './vercel-types.ts'
import type { Deadline } from './vercel-client.ts'

/**
 * What a run does besides calling Vercel: print, mask, wait. `main.ts`
 * builds it from `@actions/core` and the run's clock; nothing else here
 * touches either.
 */
export interface Effects {
  info(line: string): void
  warn(line: string): void
  /** Masks a secret in the log of this step and of every later one. */
  mask(secret: string): void
  /** Runs `fn` in a foldable group of the log with this title. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>
  /** The pause between polls: real time, or a test's virtual clock. */
  sleep?(ms: number): Promise<void>
  /** 0 to 1; spreads the polls of runs that started together. */
  random?(): number
  /**
   * Sets the step's outputs now: if what follows fails, a later step can
   * still find the store.
   */
  publish(report: StoreReport): void
}

/** What every part of a run works with: its inputs, its deadline, the API. */
export interface Step {
  inputs: ActionInputs
  /** The installation and product the inputs name, resolved to ids. */
  target: ResolvedTarget
  deadline: Deadline
  api: VercelApi
  effects: Effects
  /**
   * The project's variables, listed beside the stores where the run reads
   * the store's values or removes its branch variables: the same listing
   * finds a clash before a create, and on a rerun holds what the branch has.
   */
  projectVariables?: Promise<ProjectEnvVar[]>
  /** The run's repository (`GITHUB_REPOSITORY`), where the runner gives it. */
  repository?: Repository
  /** Loads `@actions/github` and opens the GitHub API: the prune's only. */
  openGitHub: () => Promise<GitHubApi>
}

/** `state: present`: the store to reuse, or the body to create one with. */
export type PresentPlan =
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
    }

/** `state: absent`: every store with the key, oldest first. */
export interface AbsentPlan {
  stores: FoundStore[]
}

/** The run: the plan, then applied, or shown where `dry-run` asks. */
export async function runFlow(step: Step): Promise<Outcome> {
  const { inputs, effects } = step
  if (inputs.state === 'prune') return runPrune(step)
  if (inputs.state === 'absent') {
    if (inputs.dryRun) return showAbsent(step, await planAbsent(step))
    return effects.group(
      `Delete every store with key "${inputs.externalId}"`,
      async () => applyAbsent(step, await planAbsent(step))
    )
  }
  if (inputs.dryRun) {
    effects.info('Dry run: resolving and looking up only; nothing is changed.')
    return showPresent(step, await planPresent(step))
  }
  return applyPresent(step, await planPresent(step))
}

/**
 * The reads that decide what `state: present` does: the store with the key,
 * or else the create body with its billing plan; and where the step names a
 * project, the store's connection to it. Writes nothing.
 */
export async function planPresent(step: Step): Promise<PresentPlan> {
  const { inputs, target, api, effects } = step
  const body = createBody(inputs, target)
  const existing = await findStores(api, keyOf(body))
  if (existing.length > 0) {
    const found = oldestOf(existing, false)
    // Outputs only, no write: if a read below fails, a later step can still
    // find the store.
    effects.publish(buildReport(found, reportInputsOf(inputs, target)))
    const waitFirst =
      inputs.wait && !inputs.dryRun && found.store.status !== 'available'
    if (waitFirst) return { action: 'reuse', found, waitFirst }
    found.store = await withDetails(api, found.store)
    return {
      action: 'reuse',
      found,
      waitFirst,
      connection: await planProject(step, found.store)
    }
  }
  // Only a create needs the plan, and the project's id: both are looked up
  // once no store was found, and before anything is written, so a wrong name
  // costs no store.
  const [prepared, connection] = await Promise.all([
    withPlan(step, body),
    planProject(step, undefined),
    checkPrefixBeforeCreate(step)
  ])
  return { action: 'create', body: prepared, connection }
}

/**
 * Where no store has the key yet: fails before the create when the project
 * already has variables with the prefix its connection would use, which
 * Vercel would refuse only once the store was made.
 */
async function checkPrefixBeforeCreate(step: Step): Promise<void> {
  const { inputs, api } = step
  if (inputs.project === undefined || inputs.envPrefix === undefined) return
  const variables = await explainedListing(
    step.projectVariables ?? api.listEnv(inputs.project),
    inputs.project
  )
  checkPrefixFree(variables, {
    project: inputs.project,
    prefix: inputs.envPrefix,
    environments: inputs.environments,
    storeIds: []
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
  if (plan.action === 'create') {
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
  // A name unfit for the job's environment, and a clash on the branch, are
  // known now, before the connection is written.
  if (inputs.exportEnv) checkExportable(secretNamesOf(result.store))
  if (branchTarget && step.projectVariables) {
    checkBranchFree(
      await explainedListing(step.projectVariables, branchTarget.project),
      secretNamesOf(result.store),
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
              projectId: plan.connection?.projectId
            },
            (id) => readStore(api, id),
            known
          )
        )
  const preview =
    connection && readsValues(inputs)
      ? await effects.group(
          `Read the variables' values from project ${inputs.project}`,
          () => applyPreview(step, result.store, connection, branchTarget)
        )
      : undefined
  return {
    kind: 'present',
    report: {
      ...buildReport(result, reportInputs),
      connection,
      env: preview?.env,
      branch: preview?.branch,
      redeployed: preview?.redeployed
    },
    project,
    environments: inputs.environments,
    exportEnv: inputs.exportEnv,
    redeploy: inputs.redeploy
  }
}

function readsValues(inputs: ActionInputs): boolean {
  return inputs.readEnv || inputs.exportEnv || inputs.gitBranch !== undefined
}

/** The input that has the step read the values, for its failures' advice. */
function valuesInput(inputs: ActionInputs): string {
  if (inputs.gitBranch !== undefined) return Inputs.gitBranch
  return inputs.exportEnv ? Inputs.exportEnv : Inputs.readEnv
}

function secretNamesOf(store: FoundStore): string[] {
  return (store.secrets ?? []).flatMap(({ name }) => (name ? [name] : []))
}

/**
 * The store's values under its own names; with `git-branch`, those the
 * branch lacks or has otherwise written as its preview variables; with
 * `redeploy`, the branch's newest preview rebuilt if it predates them.
 */
async function applyPreview(
  { inputs, api, effects, projectVariables }: Step,
  store: FoundStore,
  connection: ConnectionResult,
  branchTarget: BranchTarget | undefined
): Promise<{
  env: Record<string, string>
  branch?: BranchWrite
  redeployed?: Redeployed
}> {
  const project = inputs.project ?? connection.projectId
  // A connection made now put variables the early listing cannot show.
  const listed = await explainedListing(
    !connection.connected && projectVariables
      ? projectVariables
      : api.listEnv(connection.projectId),
    project,
    valuesInput(inputs)
  )
  const own = branchTarget ? ownBranchVariables(listed, branchTarget) : []
  const mask = (value: string) => effects.mask(value)
  // The deployments are listed with the values: the same round trip.
  const deployments =
    branchTarget && inputs.redeploy
      ? newestPreview(api, connection.projectId, branchTarget.branch)
      : undefined
  deployments?.catch(() => undefined)
  const [prefixed, current] = await Promise.all([
    readStoreEnv(
      api,
      {
        project,
        projectId: connection.projectId,
        storeId: store.id,
        environment: inputs.environments[0],
        names: connection.envVarNames,
        listed,
        input: valuesInput(inputs)
      },
      mask
    ),
    readOwnValues(api, own, connection.projectId, mask)
  ])
  const env = withoutPrefix(prefixed, connection.envVarPrefix ?? '')
  if (!branchTarget) return { env }
  checkBranchFree(listed, Object.keys(env), branchTarget)
  const info = (line: string) => effects.info(line)
  const branch = await writeBranchVariables(
    api,
    { ...branchTarget, project: connection.projectId },
    env,
    own,
    current,
    info
  )
  const redeployed = deployments
    ? await redeployIfOlder(
        api,
        await deployments,
        {
          changedAt: branch.changedAt,
          projectName: connection.projectName ?? project,
          branch: branchTarget.branch
        },
        info
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

/** `state: prune`: the plan, then applied, or shown where `dry-run` asks. */
async function runPrune(step: Step): Promise<Outcome> {
  const { inputs, target, api, effects, repository, openGitHub } = step
  // parseInputs refuses a prune without the repository.
  if (!repository) throw new Error('state: prune without a repository')
  const pruneStep: PruneStep = {
    repository,
    target,
    api,
    openGitHub,
    warn: (line) => effects.warn(line)
  }
  const slug = `${repository.owner}/${repository.repo}`
  const { project } = inputs
  if (inputs.dryRun) {
    return effects.group(
      `Dry run: find the stores of ${slug}'s closed pull requests`,
      async () => showPrune(await planPrune(pruneStep), project)
    )
  }
  const info = (line: string) => effects.info(line)
  return effects.group(
    `Delete the stores of ${slug}'s closed pull requests`,
    async () =>
      applyPrune(api, await planPrune(pruneStep), {
        log: info,
        project,
        removeBranchVariables: (storeIds) =>
          removeBranchVariables(api, project ?? '', storeIds, info)
      })
  )
}

/** The stores with the key, found by the same listing a deletion uses. */
export async function planAbsent({
  inputs,
  target,
  api
}: Step): Promise<AbsentPlan> {
  return { stores: await findStores(api, keyOf(createBody(inputs, target))) }
}

/** Every store of the key goes, with its connections. */
export async function applyAbsent(
  { inputs, api, effects, projectVariables }: Step,
  plan: AbsentPlan
): Promise<Outcome> {
  const info = (line: string) => effects.info(line)
  // The variables the action wrote for these stores go first: once the
  // stores are gone, nothing would remove them. Of every branch, since a
  // store's variables are marked with its id, whatever the branch.
  const { project } = inputs
  if (branchVariablesGo(inputs) && project && plan.stores.length > 0) {
    await removeBranchVariables(
      api,
      project,
      plan.stores.map(({ id }) => id),
      info,
      projectVariables && explainedListing(projectVariables, project)
    )
  }
  const removed = await removeStores(api, plan.stores, inputs.name, info)
  return { kind: 'absent', removed, externalId: inputs.externalId }
}

export function showAbsent({ inputs }: Step, plan: AbsentPlan): Outcome {
  return {
    kind: 'would-delete',
    found: plan.stores,
    externalId: inputs.externalId,
    branchVariablesOf: branchVariablesGo(inputs) ? inputs.project : undefined
  }
}

/** `state: absent` removes the branch variables where the step names both. */
function branchVariablesGo(inputs: ActionInputs): boolean {
  return inputs.project !== undefined && inputs.gitBranch !== undefined
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
    return reuse(store, plan.existing, connectRequest(inputs))
  }
  return {
    projectId: plan.projectId,
    projectName: plan.projectName,
    envVarNames: store ? variableNames(store, inputs.envPrefix) : [],
    envVarPrefix: inputs.envPrefix ?? '',
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
