/**
 * The project of a `state: present` run: where the store stands with the
 * project the step names (its id looked up, custom environments resolved,
 * the connection already in place), and on a create that the Git branch is
 * not the project's production branch, planned by `planProject`; the
 * connection made by `applyProject`, or shown by `projectShown` in a dry
 * run.
 */
import { Inputs } from './constants.ts'
import { ActionError } from './errors.ts'
import type { ActionInputs } from './inputs.ts'
import {
  connectStore,
  planConnection,
  readProject,
  reuse,
  variableNames,
  type ConnectionPlan,
  type ConnectionResult,
  type ConnectRequest
} from './project.ts'
import type { Step } from './step.ts'
import { readStore, type FoundStore } from './store.ts'

/**
 * The store's connection to the step's project, where it names one: for a
 * store found, the connection it has; for a create (`found` undefined), the
 * project's id, and a Git branch checked against its production branch.
 * Writes nothing.
 */
export async function planProject(
  step: Step,
  found: FoundStore | undefined
): Promise<ConnectionPlan | undefined> {
  const { inputs, api } = step
  if (inputs.project === undefined) return undefined
  const connection = await planConnection(api, found, connectRequest(inputs))
  if (!found) await checkNotProductionBranch(step, connection)
  return connection
}

/**
 * Connects the store to the step's project, where it names one, unless it
 * is connected already: `planned` is the connection a reuse read before,
 * with nothing changed since.
 */
export async function applyProject(
  { inputs, api, effects }: Step,
  store: FoundStore,
  plan: ConnectionPlan | undefined,
  { reused }: { reused: boolean }
): Promise<ConnectionResult | undefined> {
  const { project } = inputs
  if (project === undefined) return undefined
  const connection = await effects.group(`Connect to project ${project}`, () =>
    connectStore(
      api,
      store,
      {
        ...connectRequest(inputs),
        projectId: plan?.projectId,
        // Custom environments as the plan resolved them: no second look-up.
        environments: plan?.environments ?? inputs.environments
      },
      (id) => readStore(api, id),
      reused ? plan : undefined
    )
  )
  reportKeptEnvironments(connection, inputs, effects)
  return connection
}

/**
 * What the step would do about its project: the connection in place
 * (`connected: false`), or the one it would make (`connected: true`).
 */
export function projectShown(
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

/**
 * Where no store has the key yet and the step names a Git branch: fails
 * before the create where the branch is the project's production branch,
 * for which Vercel takes no preview variable. A project given by id is read
 * for it, a create's one request more; where Vercel's answer does not name
 * the production branch, its refusal of the write says it instead.
 */
async function checkNotProductionBranch(
  { inputs, api }: Step,
  connection: ConnectionPlan
): Promise<void> {
  const branch = inputs.gitBranch
  if (branch === undefined) return
  const project =
    connection.project ?? (await readProject(api, connection.projectId))
  if (project?.productionBranch !== branch) return
  throw new ActionError(
    `Branch ${branch} is the production branch of project ${inputs.project}, and Vercel takes no preview variable for it; no store was created. Set "${Inputs.gitBranch}" to the pull request's branch (\${{ github.head_ref }}), or leave it out where the workflow runs on pushes to ${branch}.`
  )
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
  if (!connection.keptEnvironments) return
  const reach = connection.environments.filter((name) => name !== 'development')
  effects.warn(
    `Store connection to project ${inputs.project} is for ${connection.environments.join(', ') || 'no environment'}, as this action connected stores before it connected for development only, and is kept${reach.length > 0 ? `: its ${connection.envVarPrefix || ''}variables reach every deployment of ${reach.join(', ')}, whoever's pull request it builds` : ''}. Disconnect the project from the store in the Vercel dashboard and run again to connect it for development only, or set "${Inputs.environments}" to keep it so without this warning.`
  )
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
