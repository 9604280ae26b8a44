// A project's environment variables, as the Vercel CLI reads them back after
// connecting a store (api-notes §3): the documented `filterProjectEnvs`
// (GET /v10/projects/{idOrName}/env) and `getProjectEnv`
// (GET /v1/projects/{idOrName}/env/{id}), answering in their spec's shapes.
import { createHash } from 'node:crypto'
import { errorReply } from './http.ts'
import type { Reply } from './http.ts'
import type { EnvVar, Project, ProjectRegistry } from './projects.ts'
import type { StoreRegistry } from './stores.ts'
import { branchFields, filterByGitBranch } from './branch-env-routes.ts'
import type { BranchEnvSettings } from './branch-env-routes.ts'

export interface EnvRouteSettings extends BranchEnvSettings {
  /**
   * The variables a store connection made are `sensitive`, as where a team
   * enforces sensitive variables or the connection asked for them
   * (`makeEnvVarsSensitive`). A guess at the details: the listing says
   * `type: "sensitive"` and the single GET answers without a value, as the
   * spec's value-less variant of `getProjectEnv` allows.
   */
  sensitiveStoreVariables?: boolean
  /**
   * When set, the listing answers this many variables a page, with the
   * spec's `pagination`. Its `next` is a number, as the spec says, but the
   * position of the next page's first variable rather than a time (a guess
   * at nothing: the action sends it back as `until` unread).
   */
  envPageSize?: number
}

export interface EnvRequest {
  ownerId: string
  params: Record<string, string>
  query?: Record<string, string>
  stores: StoreRegistry
  projects: ProjectRegistry
  settings: EnvRouteSettings
}

export function listProjectEnv(request: EnvRequest): Reply {
  const project = findProject(request)
  if (!project) return projectNotFound()
  const listed = filterByEnvironment(
    request,
    project,
    filterByGitBranch(request, project.env)
  ).map((envVar) => ({
    ...envJson(request, envVar),
    // The listing returns values encrypted, never as they are (a guess at
    // the format; the spec requires a `value`).
    value: encrypted(envVar.value),
    decrypted: false
  }))
  const pageSize = request.settings.envPageSize
  if (pageSize === undefined) return { status: 200, body: { envs: listed } }
  const asked = Number(request.query?.until ?? 0)
  const start = Number.isSafeInteger(asked) && asked > 0 ? asked : 0
  const envs = listed.slice(start, start + pageSize)
  const next = start + envs.length
  return {
    status: 200,
    body: {
      envs,
      pagination: {
        count: envs.length,
        next: next < listed.length ? next : null,
        prev: start > 0 ? Math.max(0, start - pageSize) : null
      }
    }
  }
}

/**
 * The listing's variables in the environment the query names, if any:
 * `target` (a standard one, as the CLI's `env ls production` sends it), or
 * a custom environment by `customEnvironmentId` or `customEnvironmentSlug`.
 * One the project does not have matches nothing (a guess: the spec does not
 * say whether Vercel answers 404 instead).
 */
export function filterByEnvironment(
  { query }: EnvRequest,
  project: Project,
  envs: EnvVar[]
): EnvVar[] {
  const { target, customEnvironmentId, customEnvironmentSlug } = query ?? {}
  let found = envs
  if (target) {
    found = found.filter((envVar) =>
      (envVar.target as string[]).includes(target)
    )
  }
  // CLI 64's `env ls staging` sends the slug as `customEnvironmentId`: a
  // guess that Vercel takes either there.
  const wanted = customEnvironmentId ?? customEnvironmentSlug
  const customId =
    wanted === undefined
      ? undefined
      : (project.customEnvironments.find(
          ({ id, slug }) => id === wanted || slug === wanted
        )?.id ?? '')
  if (customId !== undefined) {
    found = found.filter((envVar) =>
      (envVar.customEnvironmentIds ?? []).includes(customId)
    )
  }
  return found
}

export function getProjectEnv(request: EnvRequest): Reply {
  const project = findProject(request)
  if (!project) return projectNotFound()
  const envVar = project.env.find(({ id }) => id === request.params.id)
  if (!envVar) {
    return errorReply(404, 'not_found', 'Environment variable not found')
  }
  const json = envJson(request, envVar)
  if (json.type === 'sensitive')
    return { status: 200, body: { ...json, decrypted: false } }
  return {
    status: 200,
    body: { ...json, value: envVar.value, decrypted: true }
  }
}

/** A variable without its value, in the shape both operations share. */
export function envJson(
  { stores, settings }: EnvRequest,
  envVar: EnvVar
): Record<string, unknown> {
  const store = envVar.contentHint && stores.byId(envVar.contentHint.storeId)
  // Vercel makes no development variable sensitive: its values are pulled
  // to developers' machines (`vercel env pull`).
  const sensitive =
    envVar.contentHint !== undefined &&
    settings.sensitiveStoreVariables === true &&
    !envVar.target.includes('development')
  return {
    id: envVar.id,
    key: envVar.key,
    type: sensitive ? 'sensitive' : envVar.type,
    target: [...envVar.target],
    configurationId: store ? store.product.integrationConfigurationId : null,
    contentHint:
      envVar.contentHint && store
        ? {
            type: envVar.contentHint.type,
            storeId: store.id,
            integrationId: store.product.integration.id,
            integrationProductId: store.product.id,
            integrationConfigurationId: store.product.integrationConfigurationId
          }
        : (envVar.contentHint ?? null),
    customEnvironmentIds: [...(envVar.customEnvironmentIds ?? [])],
    // Required by @vercel/sdk's schema of the listing (filterprojectenvsop):
    // the emulator knows of no issue with any variable.
    securityIssues: [],
    ...branchFields(envVar)
  }
}

export function findProject({
  ownerId,
  params,
  projects
}: EnvRequest): Project | undefined {
  return projects.find(ownerId, params.idOrName)
}

export function projectNotFound(): Reply {
  return errorReply(404, 'not_found', 'Project not found')
}

export function encrypted(value: string): string {
  return createHash('sha256').update(value).digest('base64')
}
