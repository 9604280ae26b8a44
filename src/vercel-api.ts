/**
 * The Vercel API as the action calls it: one table of the endpoints' paths
 * (which the emulator serves, so that the two cannot drift apart), and
 * `VercelApi`, one method per endpoint. The shapes it sends and reads are in
 * `vercel-types.ts`; every answer goes through a reader of
 * `vercel-answers.ts` (stores, installations, products, plans) or
 * `project-answers.ts` (projects, variables, deployments) before anything
 * uses it.
 */
import { ActionError, VercelApiError, VercelResponseError } from './errors.ts'
import type { VercelClient } from './vercel-client.ts'
import {
  readDeploymentAnswer,
  readDeploymentList,
  readEnvPage,
  readEnvValue,
  readEnvWriteAnswer,
  readCustomEnvironments,
  readProject
} from './project-answers.ts'
import {
  readInstallations,
  readPlans,
  readProducts,
  readStoreAnswer,
  readStorePage
} from './vercel-answers.ts'
import type {
  BillingPlan,
  ConfigurationProducts,
  ConnectionBody,
  CreateStoreBody,
  CustomEnvironment,
  EnvWriteAnswer,
  IntegrationConfiguration,
  ListedDeployment,
  NewEnvVar,
  PlansQuery,
  ProjectEnvVar,
  VercelProject,
  VercelStore
} from './vercel-types.ts'

/**
 * Every endpoint the action calls: method and path, with `{name}` where an
 * id goes. `emulator/routes.ts` serves these very strings.
 */
export const PATHS = {
  listStores: 'GET /v1/storage/stores',
  getStore: 'GET /v1/storage/stores/{id}',
  createStore: 'POST /v1/storage/stores/integration/direct',
  connect: 'POST /v1/storage/stores/{id}/connections',
  disconnectAll: 'DELETE /v1/storage/stores/{id}/connections',
  deleteStore: 'DELETE /v1/storage/stores/integration/{id}',
  getProject: 'GET /v9/projects/{idOrName}',
  listCustomEnvironments: 'GET /v9/projects/{idOrName}/custom-environments',
  listProjectEnv: 'GET /v10/projects/{idOrName}/env',
  getProjectEnv: 'GET /v1/projects/{idOrName}/env/{id}',
  createProjectEnv: 'POST /v10/projects/{idOrName}/env',
  editProjectEnv: 'PATCH /v9/projects/{idOrName}/env/{id}',
  batchRemoveProjectEnv: 'DELETE /v1/projects/{idOrName}/env',
  listDeployments: 'GET /v6/deployments',
  createDeployment: 'POST /v13/deployments',
  cancelDeployment: 'PATCH /v12/deployments/{id}/cancel',
  listConfigurations: 'GET /v1/integrations/configurations',
  listProducts: 'GET /v1/integrations/configuration/{id}/products',
  listPlans:
    'GET /v1/integrations/integration/{integrationIdOrSlug}/products/{productIdOrSlug}/plans'
} as const

type Endpoint = keyof typeof PATHS

/**
 * The path of an endpoint with its ids filled in, each encoded. Every path
 * with an id in it is built here. `encodeURIComponent` leaves `.` and `..`
 * as they are, and the URL parser then drops or climbs that segment:
 * `DELETE /v1/storage/stores/..` would reach `DELETE /v1/storage/stores/`.
 * Inputs and answers are checked for such ids earlier, with a message naming
 * where they came from; this is the last guard, so that no request ever
 * goes to a path it was not meant for.
 */
export function pathOf(
  endpoint: Endpoint,
  ids: Record<string, string> = {}
): string {
  const path = PATHS[endpoint].slice(PATHS[endpoint].indexOf(' ') + 1)
  return path.replace(/\{(\w+)\}/g, (_, name: string) => segment(ids[name]))
}

/** One id as a path segment, refused where it would change the path. */
export function segment(id: string | undefined): string {
  if (id === undefined || id === '' || id === '.' || id === '..') {
    throw new ActionError(
      `Refusing to send a request for the id ${JSON.stringify(id ?? '')}: it would change the request's path. Check the inputs, and what Vercel answered before.`
    )
  }
  return encodeURIComponent(id)
}

// No client of Vercel's has seen the store listing paginate; the cap only
// guards against a server whose cursors never end.
const MAX_PAGES = 100

/** A listing's page: what it holds, and the cursor of the next, if any. */
interface Page<T> {
  items: T[]
  next?: string
}

/** Every endpoint the action calls, each answer read by its shape. */
export class VercelApi {
  private readonly client: VercelClient
  private prefetched:
    | { integrationConfigurationId: string; stores: Promise<VercelStore[]> }
    | undefined

  constructor(client: VercelClient) {
    this.client = client
  }

  /**
   * Starts the first listing of the installation's stores now: it needs
   * only the installation's id, so it runs while the product and metadata
   * are being resolved. The next `listStores` of that installation takes
   * it; later listings (after a create) are sent afresh.
   */
  prefetchStores(integrationConfigurationId: string): void {
    const stores = this.fetchStores(integrationConfigurationId)
    // Awaited later, unless resolving fails first: never unhandled.
    stores.catch(() => undefined)
    this.prefetched = { integrationConfigurationId, stores }
  }

  /**
   * `GET /v1/storage/stores` (undocumented; what the CLI and Terraform use).
   */
  listStores(integrationConfigurationId: string): Promise<VercelStore[]> {
    const prefetched = this.prefetched
    if (prefetched?.integrationConfigurationId === integrationConfigurationId) {
      this.prefetched = undefined
      return prefetched.stores
    }
    return this.fetchStores(integrationConfigurationId)
  }

  /**
   * Every page of the listing. A store that two pages both carry is one
   * store, not two: taken as a duplicate, the step would ask for the store
   * in use to be deleted, and `state: absent` would delete it twice.
   */
  private async fetchStores(
    integrationConfigurationId: string
  ): Promise<VercelStore[]> {
    const path = pathOf('listStores')
    // A listing that cannot be read must not pass for an empty one: that
    // would create a second store.
    return this.everyPage(path, { integrationConfigurationId }, (body) => {
      const { stores, next } = readStorePage(body, `GET ${path}`)
      return { items: stores, next }
    })
  }

  /**
   * Every page of a listing, each asked for with the cursor the one before
   * gave (`until`, a query parameter: whatever the cursor holds, it cannot
   * change the request's origin or path). An item that two pages both carry
   * is one item, not two; one without an id is kept as it is.
   */
  private async everyPage<T extends { id?: string }>(
    path: string,
    query: Record<string, string>,
    readPage: (body: unknown) => Page<T>
  ): Promise<T[]> {
    const items = new Map<string, T>()
    const withoutId: T[] = []
    let until: string | undefined
    for (let page = 0; page < MAX_PAGES; page++) {
      const { items: listed, next } = readPage(
        await this.client.get<unknown>(path, { ...query, until })
      )
      for (const item of listed) {
        if (item.id === undefined) withoutId.push(item)
        else if (!items.has(item.id)) items.set(item.id, item)
      }
      if (next === undefined) return [...items.values(), ...withoutId]
      if (next === until) {
        throw new VercelResponseError(
          'GET',
          path,
          200,
          'the same page cursor twice'
        )
      }
      until = next
    }
    throw new VercelResponseError(
      'GET',
      path,
      200,
      `more than ${MAX_PAGES} pages`
    )
  }

  async getStore(id: string): Promise<VercelStore | undefined> {
    const path = pathOf('getStore', { id })
    return readStoreAnswer(await this.client.get<unknown>(path), `GET ${path}`)
  }

  /** `POST /v1/storage/stores/integration/direct` (documented). */
  async createStore(body: CreateStoreBody): Promise<VercelStore | undefined> {
    const path = pathOf('createStore')
    return readStoreAnswer(
      await this.client.post<unknown>(path, body),
      `POST ${path}`
    )
  }

  /** `GET /v9/projects/{idOrName}` (documented). */
  async getProject(idOrName: string): Promise<VercelProject | undefined> {
    const path = pathOf('getProject', { idOrName })
    return readProject(await this.client.get<unknown>(path), `GET ${path}`)
  }

  /**
   * `GET /v9/projects/{idOrName}/custom-environments` (op
   * `getProjectsByIdOrNameCustomEnvironments`): asked only where
   * `environments` names a custom environment by its slug.
   */
  async listCustomEnvironments(idOrName: string): Promise<CustomEnvironment[]> {
    const path = pathOf('listCustomEnvironments', { idOrName })
    return readCustomEnvironments(
      await this.client.get<unknown>(path),
      `GET ${path}`
    )
  }

  /**
   * `POST /v1/storage/stores/{id}/connections` (undocumented; the Vercel
   * CLI's connect-resource-to-project.ts): the one variant that takes a prefix.
   */
  async connect(storeId: string, body: ConnectionBody): Promise<void> {
    await this.client.postIgnoringAnswer(
      pathOf('connect', { id: storeId }),
      body
    )
  }

  /** `DELETE /v1/storage/stores/{id}/connections`: every project at once. */
  async disconnectAll(storeId: string): Promise<void> {
    await alreadyGone(
      this.client.delete(pathOf('disconnectAll', { id: storeId }))
    )
  }

  /** `DELETE /v1/storage/stores/integration/{id}` (the CLI's delete-resource.ts). */
  async deleteStore(storeId: string): Promise<void> {
    await alreadyGone(
      this.client.delete(pathOf('deleteStore', { id: storeId }))
    )
  }

  /**
   * `GET /v10/projects/{idOrName}/env` (op `filterProjectEnvs`), every page:
   * a listing cut short would hide a variable from the clash checks, and
   * the write would take its name (issue 23).
   */
  async listEnv(projectId: string): Promise<ProjectEnvVar[]> {
    const path = pathOf('listProjectEnv', { idOrName: projectId })
    // The spec also allows one variable alone, as the answer to a filter by
    // id this action never sends.
    return this.everyPage(path, {}, (body) => {
      const { envs, next } = readEnvPage(body, `GET ${path}`)
      return { items: envs, next }
    })
  }

  /** `GET /v1/projects/{idOrName}/env/{id}` (op `getProjectEnv`): the value. */
  async getEnv(projectId: string, envId: string): Promise<ProjectEnvVar> {
    const path = pathOf('getProjectEnv', { idOrName: projectId, id: envId })
    return readEnvValue(await this.client.get<unknown>(path), `GET ${path}`)
  }

  /**
   * `POST /v10/projects/{idOrName}/env` (op `createProjectEnv`) with an
   * array: every variable in one request. Without `upsert`: a variable of
   * the same name, target and branch that someone made since the listing is
   * refused (in `failed`), never overwritten.
   */
  async writeEnv(
    project: string,
    variables: NewEnvVar[]
  ): Promise<EnvWriteAnswer> {
    const path = pathOf('createProjectEnv', { idOrName: project })
    const answer = await this.client.post<unknown>(path, variables)
    return readEnvWriteAnswer(answer, `POST ${path}`)
  }

  /**
   * `PATCH /v9/projects/{idOrName}/env/{id}` (op `editProjectEnv`): one
   * variable, by its id, takes a new value.
   */
  async editEnv(
    project: string,
    envId: string,
    variable: NewEnvVar
  ): Promise<void> {
    await this.client.patchIgnoringAnswer(
      pathOf('editProjectEnv', { idOrName: project, id: envId }),
      variable
    )
  }

  /** `DELETE /v1/projects/{idOrName}/env` (op `batchRemoveProjectEnv`). */
  async removeEnv(project: string, ids: string[]): Promise<void> {
    await this.client.delete(
      pathOf('batchRemoveProjectEnv', { idOrName: project }),
      {},
      { ids }
    )
  }

  /**
   * `GET /v6/deployments` (op `getDeployments`): the branch's newest preview
   * deployments, newest first.
   */
  async listPreviews(
    projectId: string,
    branch: string,
    limit: number
  ): Promise<ListedDeployment[]> {
    const path = pathOf('listDeployments')
    const answer = await this.client.get<unknown>(path, {
      projectId,
      target: 'preview',
      branch,
      limit: String(limit)
    })
    return readDeploymentList(answer, `GET ${path}`)
  }

  /**
   * `POST /v13/deployments` (op `createDeployment`) with `deploymentId`: a
   * new build of that deployment, which reads the variables as they are now.
   */
  async redeploy(
    name: string,
    deploymentId: string
  ): Promise<{ id: string; url?: string }> {
    const path = pathOf('createDeployment')
    const answer = await this.client.post<unknown>(path, { name, deploymentId })
    return readDeploymentAnswer(answer, `POST ${path}`)
  }

  /**
   * `PATCH /v12/deployments/{id}/cancel` (op `cancelDeployment`, in Vercel's
   * SDK and docs, not in the vendored subset): stops a build under way. Any
   * 2xx means it is stopped; the answer, the deployment with `readyState:
   * CANCELED`, is not read. A 400 is a deployment no longer cancelable
   * (`READY`, `ERROR` or `CANCELED` already), which the caller tells apart.
   */
  async cancelDeployment(id: string): Promise<void> {
    await this.client.patchIgnoringAnswer(
      pathOf('cancelDeployment', { id }),
      undefined
    )
  }

  /** `GET /v1/integrations/configurations`: a bare array. */
  /** The account's installations, of one integration where it is named. */
  async listInstallations(
    integrationIdOrSlug?: string
  ): Promise<IntegrationConfiguration[]> {
    const path = pathOf('listConfigurations')
    const response = await this.client.get<unknown>(path, {
      view: 'account',
      installationType: 'marketplace',
      ...(integrationIdOrSlug === undefined ? {} : { integrationIdOrSlug })
    })
    return readInstallations(response, `GET ${path}`)
  }

  async listProducts(
    integrationConfigurationId: string
  ): Promise<ConfigurationProducts> {
    const path = pathOf('listProducts', { id: integrationConfigurationId })
    return readProducts(await this.client.get<unknown>(path), `GET ${path}`)
  }

  /** Sends the metadata JSON-encoded, like the CLI's fetch-billing-plans.ts. */
  async listPlans(query: PlansQuery): Promise<BillingPlan[]> {
    const path = pathOf('listPlans', {
      integrationIdOrSlug: query.integrationIdOrSlug,
      productIdOrSlug: query.productIdOrSlug
    })
    const response = await this.client.get<unknown>(path, {
      metadata: JSON.stringify(query.metadata),
      integrationConfigurationId: query.integrationConfigurationId
    })
    return readPlans(response, `GET ${path}`)
  }
}

/** The store endpoints `store.ts` calls. */
export type StoreApi = Pick<
  VercelApi,
  'listStores' | 'getStore' | 'createStore'
>

/** The endpoints of a store's life after its creation. */
export type ConnectionApi = Pick<
  VercelApi,
  | 'getProject'
  | 'listCustomEnvironments'
  | 'connect'
  | 'disconnectAll'
  | 'deleteStore'
>

/** The project env endpoints that read a connection's values back. */
export type ProjectEnvApi = Pick<VercelApi, 'listEnv' | 'getEnv'>

/**
 * The project endpoints of a pull request's preview (issue 12): its
 * variables, scoped to its Git branch, and its deployments.
 */
export type PreviewApi = Pick<
  VercelApi,
  | 'listEnv'
  | 'getEnv'
  | 'writeEnv'
  | 'editEnv'
  | 'removeEnv'
  | 'listPreviews'
  | 'redeploy'
  | 'cancelDeployment'
>

/** The discovery endpoints (api-notes §6) `resolve.ts` calls. */
export type IntegrationApi = Pick<
  VercelApi,
  'listInstallations' | 'listProducts' | 'listPlans'
>

/**
 * A 404 means the store is gone: deleted by a concurrent run, or by this
 * one's earlier attempt whose answer was lost before a retry.
 */
async function alreadyGone(deletion: Promise<void>): Promise<void> {
  try {
    await deletion
  } catch (error) {
    if (!(error instanceof VercelApiError && error.status === 404)) throw error
  }
}
