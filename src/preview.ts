/**
 * After the connection, where the step asks for the store's values
 * (`read-env`, `export-env`, `git-branch`): read them, write them as the
 * Git branch's preview variables and check they landed, cancel the
 * branch's builds under way that predate them, and redeploy its newest
 * preview where it predates them (issues 12 and 19).
 */
import {
  readOwnValues,
  writeBranchVariables,
  type BranchWrite
} from './branch-env.ts'
import {
  checkBranchFree,
  checkBranchVariablesLanded,
  ownBranchVariables,
  type BranchTarget
} from './branch-marks.ts'
import { Inputs, Outputs } from './constants.ts'
import { ActionError } from './errors.ts'
import { readsValues, type ActionInputs } from './inputs.ts'
import { explainedListing, readStoreEnv } from './project-env.ts'
import type { ConnectionResult } from './project.ts'
import {
  branchPreviews,
  settlePreviews,
  type Cancelled,
  type CurrentPreview,
  type Redeployed
} from './redeploy.ts'
import type { FoundStore } from './store.ts'
import type { PreviewApi } from './vercel-api.ts'
import type { ListedDeployment } from './vercel-types.ts'
import type { Effects, Step } from './step.ts'
import {
  STORE_NAME_SHAPES_SHOWN,
  namesLeaving,
  namesShown,
  type AppVariable,
  type NameSelection
} from './variable-names.ts'
import { isStandardEnvironment } from './vercel-names.ts'

/** The input that has the step read the values, for its failures' advice. */
function valuesInput(inputs: ActionInputs): string {
  if (inputs.gitBranch !== undefined) return Inputs.gitBranch
  return inputs.exportEnv ? Inputs.exportEnv : Inputs.readEnv
}

/** The values the step read, and where it put them. */
export interface PreviewResult {
  env: Record<string, string>
  exported?: string[]
  branch?: BranchWrite
  redeployed?: Redeployed
  cancelled?: Cancelled
  /** The branch's newest preview, where it needed no rebuild. */
  current?: CurrentPreview
}

/**
 * Where the step reads the store's values (`read-env`, `export-env` or
 * `git-branch`) from the project it connected: the values, and what was
 * done with them (`readAndWrite`). Nothing where it does not.
 */
export async function applyPreview(
  step: Step,
  store: FoundStore,
  connection: ConnectionResult | undefined,
  branchTarget: BranchTarget | undefined
): Promise<PreviewResult | undefined> {
  const { inputs, effects } = step
  if (!connection || !readsValues(inputs)) return undefined
  return effects.group(
    `Read the variables' values from project ${inputs.project}`,
    () => readAndWrite(step, store, connection, branchTarget)
  )
}

/**
 * The store's values under its own names; with `git-branch`, those the
 * branch lacks or has otherwise written as its preview variables; with
 * `redeploy`, the branch's builds under way that predate them cancelled,
 * and its newest preview rebuilt if it predates them.
 */
async function readAndWrite(
  { inputs, api, effects, projectVariables }: Step,
  store: FoundStore,
  connection: ConnectionResult,
  branchTarget: BranchTarget | undefined
): Promise<PreviewResult> {
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
  // A branch with the store's variables already most likely gets no write
  // (a rerun): its deployments are listed with the values, the same round
  // trip, and nothing changes what they read meanwhile. After a write they
  // are listed again (below).
  const listedEarly =
    branchTarget && inputs.redeploy && own.length > 0
      ? branchPreviews(api, connection.projectId, branchTarget.branch)
      : undefined
  listedEarly?.catch(() => undefined)
  const [prefixed, current] = await Promise.all([
    readStoreEnv(
      api,
      {
        project,
        projectId: connection.projectId,
        storeId: store.id,
        environment: readFrom(connection, inputs),
        names: connection.envVarNames,
        listed,
        input: valuesInput(inputs)
      },
      mask
    ),
    readOwnValues(api, own, connection.projectId, mask)
  ])
  const storeEnv = withoutPrefix(prefixed, connection.envVarPrefix ?? '')
  const leaving = namesLeaving(inputs, Object.keys(storeEnv), store.id)
  const env = inputs.variables ? appEnv(storeEnv, inputs.variables) : storeEnv
  warnOfSkipped(
    leaving,
    {
      storeId: store.id,
      branch: inputs.gitBranch,
      listed: inputs.exportNames !== undefined || inputs.variables !== undefined
    },
    effects
  )
  const exported = leaving.exported?.selected
  if (!branchTarget || !leaving.branch) return { env, exported }
  const branchNames = leaving.branch.selected
  checkBranchFree(listed, branchNames, branchTarget)
  const info = (line: string) => effects.info(line)
  const written = { ...branchTarget, project: connection.projectId }
  const branch = await writeBranchVariables(
    api,
    written,
    Object.fromEntries(branchNames.map((name) => [name, env[name]])),
    own,
    current,
    info
  )
  const after = await afterTheWrite(
    api,
    branch,
    written,
    inputs.redeploy,
    listedEarly
  )
  const settled = after.deployments
    ? await settlePreviews(
        api,
        after.deployments,
        {
          changedAt: after.changedAt,
          projectId: connection.projectId,
          // A project given by id is named by Vercel's answer for it.
          projectName:
            connection.projectName ??
            (project === connection.projectId ? undefined : project),
          branch: branchTarget.branch
        },
        { log: info, warn: (line) => effects.warn(line) }
      )
    : undefined
  return {
    env,
    exported,
    branch,
    redeployed: settled?.redeployed,
    cancelled: settled?.cancelled,
    current: settled?.current
  }
}

/**
 * After a write, which changes what the branch's next build reads: the
 * project's variables listed again, to check they landed, and with
 * `redeploy` the branch's deployments listed after it, so that a build the
 * Git integration started while the step wrote is seen too; both in one
 * round trip. The variables last changed when the read-back says. Without
 * a write, the deployments listed early do, and nothing is read back.
 */
async function afterTheWrite(
  api: Pick<PreviewApi, 'listEnv' | 'listPreviews'>,
  branch: BranchWrite,
  target: BranchTarget,
  redeploy: boolean,
  listedEarly: Promise<ListedDeployment[]> | undefined
): Promise<{ changedAt?: number; deployments?: ListedDeployment[] }> {
  const wrote = branch.written.length > 0
  // A removal alone leaves no time to read back: `changedAt` is then now.
  const changed = wrote || branch.changedAt === Number.POSITIVE_INFINITY
  const listing = !redeploy
    ? undefined
    : changed || !listedEarly
      ? branchPreviews(api, target.project, target.branch)
      : listedEarly
  const [readBack, deployments] = await Promise.all([
    wrote ? api.listEnv(target.project) : undefined,
    listing
  ])
  const landedAt =
    readBack && checkBranchVariablesLanded(readBack, branch.names, target)
  return {
    changedAt: wrote ? (landedAt ?? branch.changedAt) : branch.changedAt,
    deployments
  }
}

/** The store's values under the app's names, as `variables` maps them. */
function appEnv(
  env: Record<string, string>,
  variables: readonly AppVariable[]
): Record<string, string> {
  return Object.fromEntries(
    variables.map(({ name, from }) => [name, env[from]])
  )
}

/**
 * One warning naming every name left out because it is not of the stores'
 * shapes: a vendor's product, or a hostile answer, may name a variable
 * after a tool's setting. A name left out of the user's own list is what
 * they asked for, and not warned of. With no list both selections are of
 * the shapes, so they leave out the same names.
 */
function warnOfSkipped(
  leaving: { exported?: NameSelection; branch?: NameSelection },
  {
    storeId,
    branch,
    listed
  }: { storeId: string; branch?: string; listed: boolean },
  effects: Pick<Effects, 'warn'>
): void {
  const fromEnv = listed ? [] : (leaving.exported?.skipped ?? [])
  const fromBranch = leaving.branch?.skipped ?? []
  const names = [...new Set([...fromEnv, ...fromBranch])]
  if (names.length === 0) return
  const env = "the job's environment"
  const where =
    fromEnv.length > 0 && fromBranch.length > 0
      ? `neither put into ${env} nor written to branch ${branch}`
      : fromEnv.length > 0
        ? `not put into ${env}`
        : `not written to branch ${branch}`
  const advice =
    leaving.exported && !listed
      ? `; "${Inputs.exportEnv}" takes a list of the names to export instead`
      : ''
  effects.warn(
    `Store ${storeId} has ${namesShown(names)}, not of the names database stores give (${STORE_NAME_SHAPES_SHOWN}), so ${where}: a tool of a later step or build may read such a name as a setting. The "${Outputs.env}" output has them${advice}.`
  )
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
 * The environment whose variables the values are read from: the first
 * standard one the connection is for (a custom environment's variables are
 * not listed by target). A connection for custom environments alone has
 * none to read.
 */
function readFrom(connection: ConnectionResult, inputs: ActionInputs): string {
  const environment = connection.environments.find(isStandardEnvironment)
  if (environment === undefined) {
    throw new ActionError(
      `Store ${connection.projectId ? `connection to project ${inputs.project}` : 'connection'} is for custom environments only (${connection.environments.join(', ')}), whose values this step cannot read; add development to "${Inputs.environments}", or drop "${valuesInput(inputs)}".`
    )
  }
  return environment
}
