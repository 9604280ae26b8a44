import type { VercelClient } from './client.js'
import { readProject } from './answers.js'
import { VercelApiError } from './errors.js'
import { integrationStorePath, projectPath, storePath } from './paths.js'
import type { VercelProject } from './types.js'

/** The body of `POST /v1/storage/stores/{id}/connections`, as the CLI sends it. */
export interface ConnectionBody {
  projectId: string
  envVarEnvironments: string[]
  type: 'integration'
  envVarPrefix?: string
}

/** The project and deletion endpoints of a store's life after its creation. */
export interface ConnectionApi {
  getProject(idOrName: string): Promise<VercelProject | undefined>
  connect(storeId: string, body: ConnectionBody): Promise<void>
  disconnectAll(storeId: string): Promise<void>
  deleteStore(storeId: string): Promise<void>
}

export class VercelConnectionApi implements ConnectionApi {
  private readonly client: VercelClient

  constructor(client: VercelClient) {
    this.client = client
  }

  /** `GET /v9/projects/{idOrName}` (documented). */
  async getProject(idOrName: string): Promise<VercelProject | undefined> {
    const path = projectPath(idOrName, 'v9')
    return readProject(await this.client.get<unknown>(path), `GET ${path}`)
  }

  /**
   * `POST /v1/storage/stores/{id}/connections` (undocumented; the Vercel
   * CLI's connect-resource-to-project.ts): the one variant that takes a prefix.
   */
  async connect(storeId: string, body: ConnectionBody): Promise<void> {
    await this.client.postIgnoringAnswer(
      `${storePath(storeId)}/connections`,
      body
    )
  }

  /** `DELETE /v1/storage/stores/{id}/connections`: every project at once. */
  async disconnectAll(storeId: string): Promise<void> {
    await alreadyGone(this.client.delete(`${storePath(storeId)}/connections`))
  }

  /** `DELETE /v1/storage/stores/integration/{id}` (the CLI's delete-resource.ts). */
  async deleteStore(storeId: string): Promise<void> {
    await alreadyGone(this.client.delete(integrationStorePath(storeId)))
  }
}

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
