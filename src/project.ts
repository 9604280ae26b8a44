/**
 * A store's connection to a Vercel project: where it stands (the project's
 * id looked up, custom environments resolved, the connection in place),
 * made where it is not there yet, kept where it is, and the failures of a
 * connect a person can fix explained in one line.
 */
import { Inputs } from './constants.ts'
import { ActionError, VercelApiError } from './errors.ts'
import type { FoundStore } from './store.ts'
import { isCustomEnvironmentSlug } from './vercel-names.ts'
import type { ConnectionApi } from './vercel-api.ts'
import type { ProjectConnection, VercelProject } from './vercel-types.ts'

export interface ConnectRequest {
  /** A project id (prj_…) or name. */
  project: string
  /** The project's id, where the caller has looked it up already. */
  projectId?: string
  /** Standard environments, and custom ones by id (`env_…`) or slug. */
  environments: string[]
  /**
   * The environments were given, not the step's default: a connection made
   * earlier for others fails instead of being kept.
   */
  environmentsGiven?: boolean
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
  /** The environments the connection is for, custom ones by id. */
  environments: string[]
  /**
   * The connection is for other environments than the step's default, as an
   * earlier version made it (preview), and was kept as it is.
   */
  keptEnvironments?: true
  /** True when this run made the connection; false when it was in place. */
  connected: boolean
}

/** Where a store stands with the project the step names. */
export interface ConnectionPlan {
  projectId: string
  projectName?: string
  /** The store's connection to it, where there is one. */
  existing?: ProjectConnection
  /** Vercel's answer for the project, where it was looked up by name. */
  project?: VercelProject
  /** The environments to connect, custom ones resolved to their ids. */
  environments: string[]
}

/**
 * Whether the store (none yet, on a create) is connected to the project, and
 * the project's id. Writes nothing; a project given by name is looked up only
 * when the store does not already name it, or when the caller has not.
 */
export async function planConnection(
  api: Pick<ConnectionApi, 'getProject' | 'listCustomEnvironments'>,
  store: FoundStore | undefined,
  request: ConnectRequest
): Promise<ConnectionPlan> {
  const known = store && connectionTo(store, request.project)
  if (known) {
    const projectId = known.projectId ?? request.project
    return {
      projectId,
      projectName: known.name,
      existing: known,
      environments: await resolveEnvironments(api, projectId, request)
    }
  }
  const projectName = isProjectId(request.project) ? undefined : request.project
  const project =
    request.projectId === undefined && !isProjectId(request.project)
      ? await lookUpProject(api, request.project)
      : undefined
  const projectId = request.projectId ?? project?.id ?? request.project
  const existing = store && connectionTo(store, projectId)
  const environments = await resolveEnvironments(api, projectId, request)
  return { projectId, projectName, existing, project, environments }
}

/**
 * The environments with each custom one given by slug replaced by its id,
 * as the connection takes them: one request, only where a slug is given.
 */
async function resolveEnvironments(
  api: Pick<ConnectionApi, 'listCustomEnvironments'>,
  projectId: string,
  request: ConnectRequest
): Promise<string[]> {
  const slugs = request.environments.filter(isCustomEnvironmentSlug)
  if (slugs.length === 0) return request.environments
  const customs = await api.listCustomEnvironments(projectId)
  const missing = slugs.filter(
    (slug) => !customs.some((custom) => custom.slug === slug)
  )
  if (missing.length > 0) {
    throw new ActionError(
      `Project ${request.project} has no custom environment ${missing.join(', ')}${customs.length > 0 ? `; its custom environments are ${customs.map(({ slug, id }) => `${slug} (${id})`).join(', ')}` : '; it has none'}; fix "${Inputs.environments}".`
    )
  }
  return request.environments.map(
    (name) => customs.find(({ slug }) => slug === name)?.id ?? name
  )
}

/**
 * Connects the store to the project for the environments asked, unless the
 * store says it already is: then no request is made, and a project given by
 * name is not even looked up. `plan`: the store's connection as read before,
 * where nothing has changed the store since.
 */
export async function connectStore(
  api: ConnectionApi,
  store: FoundStore,
  request: ConnectRequest,
  readStore: (id: string) => Promise<FoundStore>,
  plan?: ConnectionPlan
): Promise<ConnectionResult> {
  const { projectId, projectName, existing, environments } =
    plan ?? (await planConnection(api, store, request))
  if (existing) return reuse(store, existing, { ...request, environments })
  try {
    await api.connect(store.id, {
      projectId,
      envVarEnvironments: environments,
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
    environments,
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
  // A connection an earlier version made for preview, where the step's
  // default is now development, is kept, and the caller reports it. Any
  // other difference (a development connection where the default is now
  // preview, as when git-branch was dropped) fails as a given one does.
  const keptEnvironments =
    !sameEnvironments &&
    !request.environmentsGiven &&
    environments.includes('preview') &&
    request.environments.length === 1 &&
    request.environments[0] === 'development'
  if ((!sameEnvironments && !keptEnvironments) || !samePrefix) {
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
    environments,
    connected: false,
    ...(keptEnvironments && { keptEnvironments })
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

/** The project by its name: one with an id, or a failure naming the input. */
async function lookUpProject(
  api: Pick<ConnectionApi, 'getProject'>,
  name: string
): Promise<VercelProject & { id: string }> {
  const project = await readProject(api, name)
  if (!project?.id) {
    throw new ActionError(
      `Vercel described project "${name}" without its id; give "${Inputs.project}" as the project's id (prj_…) instead.`
    )
  }
  return { ...project, id: project.id }
}

/** The project by its id or name; one that is not there named as an input. */
export async function readProject(
  api: Pick<ConnectionApi, 'getProject'>,
  name: string
): Promise<VercelProject | undefined> {
  try {
    return await api.getProject(name)
  } catch (error) {
    if (error instanceof VercelApiError && error.status === 404) {
      throw new ActionError(
        `Project "${name}" was not found in this team; check "${Inputs.project}" (a project id prj_… or name) and "${Inputs.team}".`
      )
    }
    throw error
  }
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
