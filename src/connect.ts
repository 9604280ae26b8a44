import { Inputs } from './constants.js'
import { ActionError } from './action-error.js'
import type { FoundStore } from './store.js'
import type { ConnectionApi } from './vercel/connection-api.js'
import { VercelApiError } from './vercel/errors.js'
import type { ProjectConnection } from './vercel/types.js'

export interface ConnectRequest {
  /** A project id (prj_…) or name. */
  project: string
  /** The project's id, where the caller has looked it up already. */
  projectId?: string
  environments: string[]
  envPrefix?: string
  /**
   * The prefix is the action's default, not the user's: a connection made
   * earlier with another prefix (or none) is kept as it is.
   */
  envPrefixIsDefault?: boolean
}

export interface ConnectionResult {
  projectId: string
  /** Where known: the input's name, or what Vercel reports. */
  projectName?: string
  /** The variables the connection puts on the project. */
  envVarNames: string[]
  /** The prefix of their names: what the store calls them lacks it. */
  envVarPrefix?: string
  /** True when this run made the connection; false when it was in place. */
  connected: boolean
}

/** Where a store stands with the project the step names. */
export interface ConnectionPlan {
  projectId: string
  projectName?: string
  /** The store's connection to it, where there is one. */
  existing?: ProjectConnection
}

/**
 * Whether the store (none yet, on a create) is connected to the project, and
 * the project's id. Writes nothing; a project given by name is looked up only
 * when the store does not already name it, or when the caller has not.
 */
export async function planConnection(
  api: Pick<ConnectionApi, 'getProject'>,
  store: FoundStore | undefined,
  request: ConnectRequest
): Promise<ConnectionPlan> {
  const known = store && connectionTo(store, request.project)
  if (known) {
    return {
      projectId: known.projectId ?? request.project,
      projectName: known.name,
      existing: known
    }
  }
  const projectName = isProjectId(request.project) ? undefined : request.project
  const projectId =
    request.projectId ?? (await projectIdOf(api, request.project))
  const existing = store && connectionTo(store, projectId)
  return { projectId, projectName, existing }
}

/** A project's id: given, or looked up by its name. */
export async function projectIdOf(
  api: Pick<ConnectionApi, 'getProject'>,
  project: string
): Promise<string> {
  return isProjectId(project) ? project : lookUpProjectId(api, project)
}

/**
 * Connects the store to the project for the environments asked, unless the
 * store says it already is: then no request is made, and a project given by
 * name is not even looked up.
 */
export async function connectStore(
  api: ConnectionApi,
  store: FoundStore,
  request: ConnectRequest,
  readStore: (id: string) => Promise<FoundStore>
): Promise<ConnectionResult> {
  const { projectId, projectName, existing } = await planConnection(
    api,
    store,
    request
  )
  if (existing) return reuse(store, existing, request)
  try {
    await api.connect(store.id, {
      projectId,
      envVarEnvironments: request.environments,
      type: 'integration',
      ...(request.envPrefix && { envVarPrefix: request.envPrefix })
    })
  } catch (error) {
    // A conflict: another run connected it since this one listed the store.
    if (error instanceof VercelApiError && error.status === 409) {
      const fresh = await readStore(store.id)
      const connection = connectionTo(fresh, projectId)
      if (connection) return reuse(fresh, connection, request)
    }
    throw explainConnectFailure(error, store, request) ?? error
  }
  return {
    projectId,
    projectName,
    envVarNames: variableNames(store, request.envPrefix),
    envVarPrefix: request.envPrefix ?? '',
    connected: true
  }
}

/** The names a connection with this prefix gives the store's secrets. */
export function variableNames(store: FoundStore, prefix = ''): string[] {
  return (store.secrets ?? []).flatMap(({ name }) =>
    name ? [`${prefix}${name}`] : []
  )
}

/** The store's connection as it is, if it is what the step asks for. */
export function reuse(
  store: FoundStore,
  connection: ProjectConnection,
  request: ConnectRequest
): ConnectionResult {
  const environments = connection.environments ?? []
  const prefix = connection.envVarPrefix ?? ''
  const sameEnvironments =
    environments.length === request.environments.length &&
    request.environments.every((name) => environments.includes(name))
  const samePrefix =
    request.envPrefixIsDefault || prefix === (request.envPrefix ?? '')
  if (!sameEnvironments || !samePrefix) {
    throw new ActionError(
      `Store ${store.id} is already connected to project ${request.project} for ${list(environments)}${prefix ? ` with prefix ${prefix}` : ' without a prefix'}, but this step asks for ${list(request.environments)}${request.envPrefix ? ` with prefix ${request.envPrefix}` : ' without a prefix'}; change "${Inputs.environments}" and "${Inputs.envPrefix}" to match, or disconnect the project from the store in the Vercel dashboard.`
    )
  }
  return {
    projectId: connection.projectId ?? request.project,
    projectName: connection.name,
    envVarNames:
      connection.environmentVariables ?? variableNames(store, prefix),
    envVarPrefix: prefix,
    connected: false
  }
}

function connectionTo(
  store: FoundStore,
  project: string
): ProjectConnection | undefined {
  return (store.projectsMetadata ?? []).find(
    (connection) =>
      connection.projectId === project || connection.name === project
  )
}

async function lookUpProjectId(
  api: Pick<ConnectionApi, 'getProject'>,
  name: string
): Promise<string> {
  let id: string | undefined
  try {
    id = (await api.getProject(name))?.id
  } catch (error) {
    if (error instanceof VercelApiError && error.status === 404) {
      throw new ActionError(
        `Project "${name}" was not found in this team; check "${Inputs.project}" (a project id prj_… or name) and "${Inputs.team}".`
      )
    }
    throw error
  }
  if (!id) {
    throw new ActionError(
      `Vercel described project "${name}" without its id; give "${Inputs.project}" as the project's id (prj_…) instead.`
    )
  }
  return id
}

const EXISTING_VARIABLE = /existing environment variable with name (\S+)/i

/** One line for the failures of a connect a person can fix. */
function explainConnectFailure(
  error: unknown,
  store: FoundStore,
  request: ConnectRequest
): ActionError | undefined {
  if (!(error instanceof VercelApiError)) return undefined
  const message = error.body?.message ?? ''
  const variable = EXISTING_VARIABLE.exec(message)?.[1]
  if (error.status === 400 && variable) {
    return new ActionError(
      `Project ${request.project} already has a variable named ${variable} in ${list(request.environments)}, so store ${store.id} cannot add its own${request.envPrefix ? ` with the prefix ${request.envPrefix}` : ''}; set "${Inputs.envPrefix}" to a prefix no variable of the project starts with, to give this store's variables names of their own.`
    )
  }
  if (error.status === 409) {
    return new ActionError(
      `Vercel refused to connect store ${store.id} to project ${request.project} (${message || 'conflict'}), and the store does not show a connection to it; check the project's integrations in the Vercel dashboard.`
    )
  }
  if (error.status === 404) {
    return new ActionError(
      `Vercel could not find project ${request.project} or store ${store.id} when connecting them (${message || 'not found'}); check "${Inputs.project}" and "${Inputs.team}".`
    )
  }
  return undefined
}

function isProjectId(project: string): boolean {
  return project.startsWith('prj_')
}

function list(environments: string[]): string {
  return environments.length > 0 ? environments.join(', ') : 'no environment'
}
