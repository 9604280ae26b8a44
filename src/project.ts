import { Inputs } from './constants.ts'
import {
  ActionError,
  VercelAnswerTooLargeError,
  VercelApiError,
  VercelResponseError
} from './errors.ts'
import type { FoundStore } from './store.ts'
import { isCustomEnvironmentSlug } from './vercel-names.ts'
import type { ConnectionApi, ProjectEnvApi } from './vercel-api.ts'
import type {
  ProjectConnection,
  ProjectEnvVar,
  VercelProject
} from './vercel-types.ts'

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
  // A connection made for other environments than the step's default (by
  // an earlier version, for preview) is kept, and the caller reports it.
  const keptEnvironments = !sameEnvironments && !request.environmentsGiven
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

export interface ReadEnvRequest {
  /** The project as the step names it, for messages. */
  project: string
  projectId: string
  storeId: string
  /** The environment whose values are read: the first the step connects. */
  environment: string
  /** The variables the connection made (`env-var-names`); all must be read. */
  names: string[]
  /** The project's variables, where the caller has listed them already. */
  listed?: ProjectEnvVar[]
  /**
   * The input that asked for the values (`read-env`, `export-env` or
   * `git-branch`), which a failure advises dropping. Default `read-env`.
   */
  input?: string
}

// Vercel's step-up authentication: only a person can answer it (api-notes §3).
const STEP_UP = /^(challenge_required|user_auth_required)/

// Vercel limits a deployment's variables to 64 KB in all (api-notes), so
// more than that is not what a connection made; and every value is masked
// and output, which hundreds of MB would crash.
const MAX_VALUES_BYTES = 64 * 1024

/**
 * The values of the variables a store's connection put on the project, by
 * name. Values come only from `getProjectEnv`, one request per variable, all
 * at once; `mask` is called with each before anything else sees it.
 */
export async function readStoreEnv(
  api: ProjectEnvApi,
  request: ReadEnvRequest,
  mask: (value: string) => void
): Promise<Record<string, string>> {
  const listed =
    request.listed ?? (await explained(api.listEnv(request.projectId), request))
  const variables = listed.filter((variable) => isOfStore(variable, request))
  const missing = request.names.filter(
    (name) => !variables.some(({ key }) => key === name)
  )
  if (missing.length > 0) {
    throw new ActionError(
      `Project ${request.project} has no variable ${missing.join(', ')} of store ${request.storeId} in ${request.environment}, so its value cannot be read; disconnect the project from the store in the Vercel dashboard and run again, or drop "${request.input ?? Inputs.readEnv}".`
    )
  }
  const listedSensitive = variables.find(({ type }) => type === 'sensitive')
  if (listedSensitive) throw sensitive(listedSensitive.key, request)
  const withoutId = variables.find(({ id }) => !id)
  if (withoutId) {
    throw new ActionError(
      `Vercel listed variable ${withoutId.key} of project ${request.project} without its id, so its value cannot be read; drop "${request.input ?? Inputs.readEnv}".`
    )
  }
  const answers = await Promise.all(
    variables.map(({ id, key }) =>
      explained(api.getEnv(request.projectId, id ?? ''), request, key)
    )
  )
  checkValuesSize(answers, variables, request)
  for (const { value } of answers) if (value) mask(value)
  const env: Record<string, string> = {}
  for (const [index, answer] of answers.entries()) {
    const key = variables[index].key ?? answer.key ?? ''
    if (!isReadable(answer)) throw sensitive(key, request)
    env[key] = answer.value
  }
  return env
}

/**
 * Fails, naming the variable, where the values together pass what Vercel
 * allows a deployment; before any value is masked, output or shown.
 */
function checkValuesSize(
  answers: ProjectEnvVar[],
  variables: ProjectEnvVar[],
  request: ReadEnvRequest
): void {
  const { project } = request
  let total = 0
  for (const [index, { value }] of answers.entries()) {
    if (typeof value !== 'string') continue
    total += Buffer.byteLength(value)
    if (total > MAX_VALUES_BYTES) {
      throw new ActionError(
        `Vercel answered the read of variable ${variables[index].key} of project ${project} with a value that takes the values read past 64 KB, the most Vercel allows a deployment's variables in all, so none is used (not quoted here, as it may be secret); check the variable in the Vercel dashboard, or drop "${request.input ?? Inputs.readEnv}".`
      )
    }
  }
}

function isOfStore(
  { contentHint, target }: ProjectEnvVar,
  { storeId, environment }: ReadEnvRequest
): boolean {
  const targets = Array.isArray(target) ? target : [target]
  return (
    contentHint?.type === 'integration-store-secret' &&
    contentHint.storeId === storeId &&
    targets.includes(environment)
  )
}

function isReadable(
  variable: ProjectEnvVar
): variable is ProjectEnvVar & { value: string } {
  return (
    variable.type !== 'sensitive' &&
    variable.decrypted !== false &&
    typeof variable.value === 'string'
  )
}

function sensitive(key: string | undefined, request: ReadEnvRequest) {
  const { project } = request
  return new ActionError(
    `Variable ${key} of project ${project} has no readable value: Vercel never returns the value of a sensitive variable (the team may make them sensitive by policy); drop "${request.input ?? Inputs.readEnv}" and read it in the deployment instead.`
  )
}

/**
 * The failures of these reads a person can act on, in one line; and a
 * value's unreadable body is never quoted, since it may hold the value.
 */
/**
 * A listing of the project's variables, its failures explained; a project
 * that is not there named as the connect names it.
 */
export async function explainedListing<T>(
  listing: Promise<T>,
  project: string,
  input?: string
): Promise<T> {
  try {
    return await explained(listing, { project, input })
  } catch (error) {
    if (error instanceof VercelApiError && error.status === 404) {
      throw new ActionError(
        `Project "${project}" was not found in this team; check "${Inputs.project}" (a project id prj_… or name) and "${Inputs.team}".`
      )
    }
    throw error
  }
}

async function explained<T>(
  reading: Promise<T>,
  request: Pick<ReadEnvRequest, 'project' | 'input'>,
  key?: string
): Promise<T> {
  const { project } = request
  try {
    return await reading
  } catch (error) {
    if (key !== undefined && error instanceof VercelAnswerTooLargeError) {
      throw new ActionError(
        `Vercel answered the read of variable ${key} of project ${project} with more than ${error.limit}, far more than any variable's value, so it was not read; check the variable in the Vercel dashboard, or drop "${request.input ?? Inputs.readEnv}".`
      )
    }
    if (key !== undefined && error instanceof VercelResponseError) {
      throw new ActionError(
        `Vercel answered the read of variable ${key} of project ${project} with a body that is not the variable (not quoted here, as it may hold the value); run the job again, or drop "${request.input ?? Inputs.readEnv}".`
      )
    }
    if (!(error instanceof VercelApiError)) throw error
    const code = error.body?.code ?? ''
    if (STEP_UP.test(code)) {
      throw new ActionError(
        `${error.message}. Vercel asks for a person to confirm (step-up authentication) before it shows the values of project ${project}'s variables, which a CI token cannot do; drop "${request.input ?? Inputs.readEnv}" and read the values in the deployment instead.`
      )
    }
    if (error.status === 403) {
      throw new ActionError(
        `${error.message}. The token may not read the variables of project ${project}; give it access to the project, or drop "${request.input ?? Inputs.readEnv}".`
      )
    }
    throw error
  }
}
