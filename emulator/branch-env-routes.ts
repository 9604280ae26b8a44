// Writing and deleting a project's variables, among them preview variables
// scoped to one Git branch (issue 12; api-notes "Update, 2026-12"): the
// documented createProjectEnv (POST /v10/projects/{idOrName}/env),
// removeProjectEnv (DELETE /v9/projects/{idOrName}/env/{id}) and
// batchRemoveProjectEnv (DELETE /v1/projects/{idOrName}/env), with bodies
// checked against their official schemas.
import type { ErrorObject } from 'ajv'
import { describeErrors } from './create-schema.ts'
import {
  encrypted,
  envJson,
  findProject,
  projectNotFound
} from './env-routes.ts'
import type { EnvRequest } from './env-routes.ts'
import { errorReply } from './http.ts'
import type { Reply } from './http.ts'
import { compileSchema, requestSchema, requestValidator } from './openapi.ts'
import { newEnvId } from './projects.ts'
import type { EnvType, EnvVar, Environment, Project } from './projects.ts'
import type { ParsedBody } from './store-routes.ts'

export const ENV_PATH = '/v10/projects/{idOrName}/env'
export const BATCH_DELETE_PATH = '/v1/projects/{idOrName}/env'

/**
 * Every seeded project's production branch. A guess that it matters: users
 * report "Cannot set Production Branch "main" for a Preview Environment
 * Variable" (vercel/vercel#15763).
 */
export const PRODUCTION_BRANCH = 'main'

export interface BranchEnvSettings {
  /**
   * How `GET /v10/projects/{idOrName}/env?gitBranch=X` filters. The spec only
   * says it filters by branch. `applies` (the default, a guess): the
   * variables a preview of branch X reads, that is those scoped to X and
   * those scoped to no branch; `exact`: only those scoped to X.
   */
  gitBranchFilter?: 'applies' | 'exact'
}

export interface EnvWriteRequest extends EnvRequest {
  query: Record<string, string>
  body: ParsedBody
  settings: BranchEnvSettings & EnvRequest['settings']
}

interface NewEnvVar {
  key: string
  value: string
  type: EnvType
  target?: Environment[]
  gitBranch?: string | null
  comment?: string
  customEnvironmentIds?: string[]
}

/** The listing's variables, filtered by the `gitBranch` query if any. */
export function filterByGitBranch(
  { query, settings }: EnvRequest & { settings: BranchEnvSettings },
  envs: EnvVar[]
): EnvVar[] {
  const branch = query?.gitBranch
  if (!branch) return envs
  return envs.filter(
    (envVar) =>
      envVar.gitBranch === branch ||
      (settings.gitBranchFilter !== 'exact' && envVar.gitBranch === undefined)
  )
}

/** What a variable written through `POST …/env` carries beyond the rest. */
export function branchFields(envVar: EnvVar): Record<string, unknown> {
  const fields: Record<string, unknown> = {}
  if (envVar.gitBranch !== undefined) fields.gitBranch = envVar.gitBranch
  if (envVar.comment !== undefined) fields.comment = envVar.comment
  if (envVar.createdAt !== undefined) fields.createdAt = envVar.createdAt
  if (envVar.updatedAt !== undefined) fields.updatedAt = envVar.updatedAt
  return fields
}

export function createProjectEnv(request: EnvWriteRequest): Reply {
  const project = findProject(request)
  if (!project) return projectNotFound()
  const { body, query } = request
  if (body.kind !== 'json') {
    return errorReply(400, 'bad_request', 'Invalid JSON body')
  }
  const invalid = checkBody(body.value)
  if (invalid) return errorReply(400, 'bad_request', invalid)
  const asArray = Array.isArray(body.value)
  const items = (asArray ? body.value : [body.value]) as NewEnvVar[]
  // Vercel checks every item before it writes any (a guess: a bad item
  // fails the whole request rather than landing in `failed`).
  for (const item of items) {
    const refused = checkBranch(item)
    if (refused) return refused
  }

  const upsert = query.upsert === 'true'
  const created: Record<string, unknown>[] = []
  const failed: { error: Record<string, unknown> }[] = []
  for (const item of items) {
    const clash = findClash(project, item)
    if (clash && !upsert) {
      failed.push({ error: conflictError(project, item, clash) })
      continue
    }
    const written = clash ? overwrite(clash, item) : add(project, item)
    created.push(writtenJson(request, written))
  }
  project.updatedAt = Date.now()

  if (!asArray && failed.length > 0) {
    // A guess between the two answers clients handle: Terraform's batch
    // path reads `ENV_CONFLICT` items in `failed` (client/environment_
    // variable.go), and the CLI reports `ENV_CONFLICT` for a single
    // variable (vercel/vercel#16588) without saying the status; the spec's
    // 403 "already exists" and Terraform's older `403 ENV_ALREADY_EXISTS`
    // and `409 existing_key_and_target` are the other candidates (a fault
    // plan can answer with those).
    return { status: 400, body: { error: failed[0].error } }
  }
  // One object answers with one object in `created`, an array with an
  // array; clashes of an array go to `failed` while the rest are written
  // (Terraform's batch path handles exactly this: a guess that it happens).
  return {
    status: 201,
    body: { created: asArray ? created : created[0], failed }
  }
}

/**
 * `editProjectEnv` (PATCH /v9/projects/{idOrName}/env/{id}): one variable,
 * by id, takes the fields given. Not in the subset of the spec this
 * emulator holds: the fields are those @vercel/sdk's `EditProjectEnvRequest`
 * lists, and the answer (the variable, as a create's `created` gives it)
 * is a guess the action does not read.
 */
export function editProjectEnv(request: EnvWriteRequest): Reply {
  const project = findProject(request)
  if (!project) return projectNotFound()
  const envVar = project.env.find(({ id }) => id === request.params.id)
  if (!envVar) {
    return errorReply(404, 'not_found', 'Environment variable not found')
  }
  const { body } = request
  if (body.kind !== 'json') {
    return errorReply(400, 'bad_request', 'Invalid JSON body')
  }
  const invalid = checkEdit(body.value)
  if (invalid) return errorReply(400, 'bad_request', invalid)
  const edit = body.value as Partial<NewEnvVar>
  const next: NewEnvVar = {
    key: edit.key ?? envVar.key,
    value: edit.value ?? envVar.value,
    type: edit.type ?? envVar.type,
    target: edit.target ?? [...envVar.target],
    gitBranch: edit.gitBranch === undefined ? envVar.gitBranch : edit.gitBranch
  }
  const refused = checkBranch(next)
  if (refused) return refused
  const clash = findClash(
    { ...project, env: project.env.filter((other) => other !== envVar) },
    next
  )
  if (clash) {
    return errorReply(
      400,
      'ENV_CONFLICT',
      conflictError(project, next, clash).message as string
    )
  }
  envVar.key = next.key
  envVar.value = next.value
  envVar.type = next.type
  envVar.target = [...(next.target ?? [])]
  if (next.gitBranch) envVar.gitBranch = next.gitBranch
  else delete envVar.gitBranch
  if (edit.comment !== undefined) envVar.comment = edit.comment
  envVar.updatedAt = Date.now()
  project.updatedAt = Date.now()
  return { status: 200, body: writtenJson(request, envVar) }
}

/** The problem with an edit's body, as `EditProjectEnvRequest` types it. */
function checkEdit(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'The body must be an object'
  }
  const strings = ['key', 'value', 'comment'] as const
  for (const [name, field] of Object.entries(value)) {
    if ((strings as readonly string[]).includes(name)) {
      if (typeof field !== 'string') return `\`${name}\` must be a string`
    } else if (name === 'gitBranch') {
      if (field !== null && typeof field !== 'string') {
        return '`gitBranch` must be a string or null'
      }
    } else if (name === 'type') {
      if (!ENV_TYPES.includes(field as EnvType)) {
        return `\`type\` must be one of ${ENV_TYPES.join(', ')}`
      }
    } else if (name === 'target') {
      if (
        !Array.isArray(field) ||
        field.some((target) => !ENVIRONMENTS.includes(target as Environment))
      ) {
        return `\`target\` must be a list of ${ENVIRONMENTS.join(', ')}`
      }
    } else if (name !== 'customEnvironmentIds') {
      return `\`${name}\` is not a field of an edit`
    }
  }
  return undefined
}

const ENV_TYPES: EnvType[] = [
  'system',
  'secret',
  'encrypted',
  'plain',
  'sensitive'
]
const ENVIRONMENTS: Environment[] = ['production', 'preview', 'development']

export function removeProjectEnv(request: EnvWriteRequest): Reply {
  const project = findProject(request)
  if (!project) return projectNotFound()
  const envVar = project.env.find(({ id }) => id === request.params.id)
  if (!envVar) {
    return errorReply(404, 'not_found', 'Environment variable not found')
  }
  project.env = project.env.filter((other) => other !== envVar)
  project.updatedAt = Date.now()
  // The spec answers with the removed variable (as one object, or a list).
  return { status: 200, body: writtenJson(request, envVar) }
}

export function batchRemoveProjectEnv(request: EnvWriteRequest): Reply {
  const project = findProject(request)
  if (!project) return projectNotFound()
  const { body } = request
  if (body.kind !== 'json') {
    return errorReply(400, 'bad_request', 'Invalid JSON body')
  }
  const validate = requestValidator(BATCH_DELETE_PATH, 'DELETE')
  if (!validate(body.value)) {
    return errorReply(400, 'bad_request', describeErrors(validate.errors ?? []))
  }
  const ids = new Set((body.value as { ids: string[] }).ids)
  const removed = project.env.filter(({ id }) => ids.has(id))
  // Ids the project does not have are left out of the answer rather than
  // failing the request (a guess: the spec only shows `{deleted, ids}`).
  project.env = project.env.filter(({ id }) => !ids.has(id))
  project.updatedAt = Date.now()
  return {
    status: 200,
    body: { deleted: removed.length, ids: removed.map(({ id }) => id) }
  }
}

/**
 * The problem with the body, worded as for the create, or undefined. The
 * schema is a oneOf of one variable and a list of them: the errors of the
 * branch the body's shape picks say what is wrong.
 */
function checkBody(value: unknown): string | undefined {
  if (requestValidator(ENV_PATH, 'POST')(value)) return undefined
  const branches = (requestSchema(ENV_PATH, 'POST').oneOf ?? []) as unknown[]
  const index = Array.isArray(value) ? 1 : 0
  const branch = compileSchema(`request POST ${ENV_PATH} ${index}`, {
    ...(branches[index] as object)
  })
  branch(value)
  return describeErrors((branch.errors ?? []) as ErrorObject[])
}

function checkBranch(item: NewEnvVar): Reply | undefined {
  if (!item.gitBranch) return undefined
  const target = item.target ?? []
  if (
    target.length !== 1 ||
    target[0] !== 'preview' ||
    (item.customEnvironmentIds ?? []).length > 0
  ) {
    // Vercel's message as a user quoted it (getsentry/sentry#38047); the
    // status and code are a guess.
    return errorReply(
      400,
      'bad_request',
      'Environment Variables with `gitBranch` can only be used with `target=preview`'
    )
  }
  if (item.gitBranch === PRODUCTION_BRANCH) {
    // The message as vercel/vercel#15763 quotes it; status and code a guess.
    return errorReply(
      400,
      'bad_request',
      `Cannot set Production Branch "${PRODUCTION_BRANCH}" for a Preview Environment Variable`
    )
  }
  return undefined
}

/** The variable this one would clash with: same key, branch and a target. */
function findClash(project: Project, item: NewEnvVar): EnvVar | undefined {
  const branch = item.gitBranch || undefined
  return project.env.find(
    (envVar) =>
      envVar.key === item.key &&
      envVar.gitBranch === branch &&
      envVar.target.some((target) => (item.target ?? []).includes(target))
  )
}

function conflictError(
  project: Project,
  item: NewEnvVar,
  clash: EnvVar
): Record<string, unknown> {
  const targets = (item.target ?? []).filter((target) =>
    clash.target.includes(target)
  )
  const branch = item.gitBranch ? ` on branch ${item.gitBranch}` : ''
  // The code and wording the CLI receives (vercel/vercel#16588), without
  // its "on branch undefined"; the fields are those of the spec's `failed`
  // items that Terraform reads.
  return {
    code: 'ENV_CONFLICT',
    message: `A variable with the name \`${item.key}\` already exists for the target ${targets.join(',')}${branch}`,
    key: item.key,
    envVarKey: item.key,
    envVarId: clash.id,
    target: targets,
    ...(item.gitBranch ? { gitBranch: item.gitBranch } : {}),
    project: project.id
  }
}

function add(project: Project, item: NewEnvVar): EnvVar {
  const now = Date.now()
  const envVar: EnvVar = {
    id: newEnvId(),
    key: item.key,
    value: item.value,
    target: [...(item.target ?? [])],
    type: item.type,
    createdAt: now,
    updatedAt: now
  }
  if (item.gitBranch) envVar.gitBranch = item.gitBranch
  if (item.comment !== undefined) envVar.comment = item.comment
  project.env.push(envVar)
  return envVar
}

/**
 * `upsert=true` keeps the variable (and its id) and takes the new value,
 * type and comment; its targets become both sets (a guess: the spec says
 * only that the value is updated).
 */
function overwrite(envVar: EnvVar, item: NewEnvVar): EnvVar {
  envVar.value = item.value
  envVar.type = item.type
  if (item.comment !== undefined) envVar.comment = item.comment
  envVar.target = [...new Set([...envVar.target, ...(item.target ?? [])])]
  envVar.updatedAt = Date.now()
  return envVar
}

/** As the create answers: the value encrypted (Terraform's comment says so). */
function writtenJson(
  request: EnvRequest,
  envVar: EnvVar
): Record<string, unknown> {
  const json = envJson(request, envVar)
  return { ...json, value: encrypted(envVar.value), decrypted: false }
}
