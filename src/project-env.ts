/**
 * The project's variables as the step reads them: the listing, its failures
 * explained (a token that may not read them, Vercel's step-up
 * authentication), and the values of the variables a store's connection put
 * there, each masked as soon as it is read.
 */
import { Inputs } from './constants.ts'
import {
  ActionError,
  VercelAnswerTooLargeError,
  VercelApiError,
  VercelResponseError
} from './errors.ts'
import type { ProjectEnvApi } from './vercel-api.ts'
import type { ProjectEnvVar } from './vercel-types.ts'

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
  { contentHint, target = [] }: ProjectEnvVar,
  { storeId, environment }: ReadEnvRequest
): boolean {
  return (
    contentHint?.type === 'integration-store-secret' &&
    contentHint.storeId === storeId &&
    target.includes(environment)
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

/**
 * The failures of these reads a person can act on, in one line; and a
 * value's unreadable body is never quoted, since it may hold the value.
 */
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
