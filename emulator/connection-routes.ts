import { clock } from './clock.ts'
// Connections between stores and projects, store deletion, and the project
// read: the undocumented routes the Vercel CLI and Terraform use
// (api-notes §4, §5) and the documented GET /v9/projects/{idOrName}.
import { errorReply } from './http.ts'
import type { Reply } from './http.ts'
import { randomAlphanumeric } from './ids.ts'
import { ENVIRONMENTS, newEnvId } from './projects.ts'
import type { Environment, Project, ProjectRegistry } from './projects.ts'
import type { ParsedBody } from './store-routes.ts'
import type { ProjectMetadata, StoreRecord, StoreRegistry } from './stores.ts'

export interface ConnectionRequest {
  ownerId: string
  params: Record<string, string>
  body: ParsedBody
  stores: StoreRegistry
  projects: ProjectRegistry
}

// A custom environment's id, as CLI 64 sends it in `envVarEnvironments`.
const CUSTOM_ENVIRONMENT_ID = /^env_[A-Za-z0-9]+$/

// The Vercel CLI's check of `--prefix` (commands/integration/add.ts).
const ENV_PREFIX = /^[A-Za-z][A-Za-z0-9_]*$/

export function getProject({
  ownerId,
  params,
  projects
}: ConnectionRequest): Reply {
  const project = projects.find(ownerId, params.idOrName)
  if (!project) return errorReply(404, 'not_found', 'Project not found')
  return { status: 200, body: projectJson(project) }
}

export function listConnections(request: ConnectionRequest): Reply {
  const store = findStore(request)
  if (!store) return storeNotFound()
  return {
    status: 200,
    body: {
      connections: store.projectsMetadata.map((connection) => {
        const project = request.projects.find(
          request.ownerId,
          connection.projectId
        )
        return {
          id: connection.id,
          projectId: connection.projectId,
          envVarEnvironments: connection.environments,
          envVarPrefix: connection.envVarPrefix,
          project: project && {
            id: project.id,
            name: project.name,
            framework: project.framework
          },
          productionDeployment: null
        }
      })
    }
  }
}

export function connect(request: ConnectionRequest): Reply {
  const { ownerId, body, projects } = request
  const store = findStore(request)
  if (!store) return storeNotFound()
  if (body.kind !== 'json' || typeof body.value !== 'object' || !body.value) {
    return errorReply(400, 'bad_request', 'Invalid JSON body')
  }
  const { projectId, envVarEnvironments, envVarPrefix } = body.value as Record<
    string,
    unknown
  >
  if (typeof projectId !== 'string' || !projectId) {
    return errorReply(400, 'bad_request', 'projectId is required')
  }
  if (
    !Array.isArray(envVarEnvironments) ||
    envVarEnvironments.length === 0 ||
    !envVarEnvironments.every(
      (name) =>
        ENVIRONMENTS.includes(name) ||
        (typeof name === 'string' && CUSTOM_ENVIRONMENT_ID.test(name))
    )
  ) {
    return errorReply(
      400,
      'bad_request',
      `envVarEnvironments must be a non-empty list of ${ENVIRONMENTS.join(', ')} or custom environment ids (env_…)`
    )
  }
  if (
    envVarPrefix !== undefined &&
    (typeof envVarPrefix !== 'string' || !ENV_PREFIX.test(envVarPrefix))
  ) {
    return errorReply(400, 'bad_request', 'envVarPrefix is invalid')
  }
  // `targets` names standard environments only: a custom one is not limited.
  const refused = store.targets
    ? envVarEnvironments.filter(
        (name) =>
          ENVIRONMENTS.includes(name as Environment) &&
          !store.targets?.includes(name)
      )
    : []
  if (refused.length > 0) {
    // Production-only access: the credentials may not reach the others.
    return errorReply(
      400,
      'bad_request',
      `This resource's credentials are limited to ${store.targets?.join(', ')}; they cannot be connected to ${refused.join(', ')}`
    )
  }
  const project = projects.find(ownerId, projectId)
  if (!project || project.id !== projectId) {
    return errorReply(404, 'not_found', 'Project not found')
  }
  if (store.projectsMetadata.some((c) => c.projectId === project.id)) {
    // A guess: no source shows Vercel's answer to a second connect.
    return errorReply(
      409,
      'conflict',
      'This store is already connected to this project'
    )
  }
  const environments = envVarEnvironments as string[]
  const targets = environments.filter((name): name is Environment =>
    ENVIRONMENTS.includes(name as Environment)
  )
  const customIds = environments.filter(
    (name) => !targets.includes(name as Environment)
  )
  const unknownId = customIds.find(
    (id) => !project.customEnvironments.some((custom) => custom.id === id)
  )
  if (unknownId) {
    // Status and wording a guess: no source shows this refusal.
    return errorReply(
      400,
      'bad_request',
      `Project ${project.name} has no custom environment ${unknownId}`
    )
  }
  const prefix = (envVarPrefix as string | undefined) ?? ''
  const names = store.secrets.map(({ name }) => `${prefix}${name}`)
  const taken = names.find((key) =>
    project.env.some(
      (envVar) =>
        envVar.key === key &&
        (envVar.target.some((target) => targets.includes(target)) ||
          (envVar.customEnvironmentIds ?? []).some((id) =>
            customIds.includes(id)
          ))
    )
  )
  if (taken) {
    // Vercel's message, as the CLI's tests quote it (api-notes §4).
    return errorReply(
      400,
      'bad_request',
      `This project already has an existing environment variable with name ${taken} in one of the chosen environments`
    )
  }

  const values = projects.secretsOf(
    store.id,
    store.product.slug,
    store.secrets.map(({ name }) => name)
  )
  const connection: ProjectMetadata = {
    id: `spc_${randomAlphanumeric(24)}`,
    projectId: project.id,
    name: project.name,
    framework: project.framework,
    environments: [...environments],
    envVarPrefix: prefix || null,
    environmentVariables: names
  }
  for (const { name } of store.secrets) {
    project.env.push({
      id: newEnvId(),
      key: `${prefix}${name}`,
      value: values[name],
      target: [...targets],
      ...(customIds.length > 0 && { customEnvironmentIds: [...customIds] }),
      type: 'encrypted',
      contentHint: { type: 'integration-store-secret', storeId: store.id },
      connectionId: connection.id
    })
  }
  project.updatedAt = clock.now()
  store.projectsMetadata.push(connection)
  store.updatedAt = clock.now()
  // A guess at the body: the CLI does not read it.
  return { status: 201, body: { connection } }
}

export function disconnectAll(request: ConnectionRequest): Reply {
  const store = findStore(request)
  if (!store) return storeNotFound()
  for (const connection of [...store.projectsMetadata]) {
    removeConnection(request, store, connection)
  }
  return { status: 200, body: {} }
}

export function disconnect(request: ConnectionRequest): Reply {
  const store = findStore(request)
  if (!store) return storeNotFound()
  const connection = store.projectsMetadata.find(
    ({ id }) => id === request.params.connectionId
  )
  if (!connection) {
    return errorReply(404, 'not_found', 'Connection not found')
  }
  removeConnection(request, store, connection)
  return { status: 200, body: {} }
}

export function deleteStore(request: ConnectionRequest): Reply {
  const store = findStore(request)
  if (!store) return storeNotFound()
  if (store.projectsMetadata.length > 0) {
    // A guess at status and body: the CLI refuses before asking
    // (remove-resource.ts), so no source shows Vercel's own answer.
    return errorReply(
      400,
      'bad_request',
      'Cannot delete a store that is connected to projects. Disconnect all projects first.'
    )
  }
  request.stores.remove(store.id)
  return { status: 200, body: {} }
}

function removeConnection(
  { ownerId, projects }: ConnectionRequest,
  store: StoreRecord,
  connection: ProjectMetadata
): void {
  const project = projects.find(ownerId, connection.projectId)
  if (project) {
    // Disconnecting removes the variables the connection made (the CLI's
    // store-remove.ts says so).
    project.env = project.env.filter(
      (envVar) => envVar.connectionId !== connection.id
    )
    project.updatedAt = clock.now()
  }
  store.projectsMetadata = store.projectsMetadata.filter(
    ({ id }) => id !== connection.id
  )
  store.updatedAt = clock.now()
}

function findStore({
  ownerId,
  params,
  stores
}: ConnectionRequest): StoreRecord | undefined {
  return stores.find(ownerId, params.id)
}

function storeNotFound(): Reply {
  return errorReply(404, 'not_found', 'Store not found')
}

/**
 * The project as GET /v9/projects answers: never the variables' values; the
 * fields the official schema requires, and `link` with the production branch
 * where the project is linked to a Git repository.
 */
function projectJson(project: Project): Record<string, unknown> {
  const resourceConfig = { functionDefaultRegions: ['iad1'] }
  return {
    id: project.id,
    name: project.name,
    accountId: project.accountId,
    framework: project.framework,
    createdAt: project.createdAt,
    updatedAt: project.updatedAt,
    directoryListing: false,
    nodeVersion: '22.x',
    resourceConfig,
    defaultResourceConfig: resourceConfig,
    // Required by @vercel/sdk's schema of the answer (getprojectresponsebody):
    // no domain is assigned, and the retention is Vercel's documented default
    // (a guess that the API spells the default out).
    alias: [],
    deploymentExpiration: {
      expirationDays: 180,
      expirationDaysProduction: 365,
      expirationDaysCanceled: 30,
      expirationDaysErrored: 90,
      deploymentsToKeep: 10
    },
    ...(project.gitLink && {
      link: {
        type: 'github',
        org: project.gitLink.org,
        repo: project.gitLink.repo,
        productionBranch: project.gitLink.productionBranch,
        gitCredentialId: 'cred_emu0001',
        deployHooks: [],
        createdAt: project.createdAt,
        updatedAt: project.updatedAt
      }
    })
  }
}
