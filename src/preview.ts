/**
 * After the connection, where the step asks for the store's values
 * (`read-env`, `export-env`, `git-branch`): read them, write them as the
 * Git branch's preview variables, and redeploy the branch's newest preview
 * where it predates them (issue 12).
 */
import {
  checkBranchFree,
  ownBranchVariables,
  readOwnValues,
  writeBranchVariables,
  type BranchTarget,
  type BranchWrite
} from './branch-env.ts'
import { Inputs } from './constants.ts'
import type { ActionInputs } from './inputs.ts'
import {
  explainedListing,
  readStoreEnv,
  type ConnectionResult
} from './project.ts'
import { newestPreview, redeployIfOlder, type Redeployed } from './redeploy.ts'
import type { FoundStore } from './store.ts'
import type { Step } from './flows.ts'

/** Whether the step reads the store's values: `read-env`, `export-env` or `git-branch`. */
export function readsValues(inputs: ActionInputs): boolean {
  return inputs.readEnv || inputs.exportEnv || inputs.gitBranch !== undefined
}

/** The input that has the step read the values, for its failures' advice. */
function valuesInput(inputs: ActionInputs): string {
  if (inputs.gitBranch !== undefined) return Inputs.gitBranch
  return inputs.exportEnv ? Inputs.exportEnv : Inputs.readEnv
}

/**
 * The store's values under its own names; with `git-branch`, those the
 * branch lacks or has otherwise written as its preview variables; with
 * `redeploy`, the branch's newest preview rebuilt if it predates them.
 */
export async function applyPreview(
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
