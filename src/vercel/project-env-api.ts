import { readEnvList, readEnvValue } from './answers.js'
import type { VercelClient } from './client.js'
import { projectEnvPath, projectPath } from './paths.js'

/** What the variables a store connection makes say about their origin. */
export interface EnvContentHint {
  type?: string
  storeId?: string
}

/** A project's environment variable, as the project env endpoints return it. */
export interface ProjectEnvVar {
  id?: string
  key?: string
  /** `encrypted`, `sensitive`, `plain`… A sensitive value is never returned. */
  type?: string
  /** In a listing, the encrypted value; from `getProjectEnv`, the value. */
  value?: string
  decrypted?: boolean
  target?: string | string[]
  contentHint?: EnvContentHint | null
  /** Set on a preview variable scoped to one Git branch. */
  gitBranch?: string | null
  /** Says who wrote it: the action marks its own (branch-env.ts). */
  comment?: string
  /** Milliseconds since the epoch. */
  createdAt?: number
  updatedAt?: number
}

/** The project env endpoints that read a connection's values back. */
export interface ProjectEnvApi {
  listEnv(projectId: string): Promise<ProjectEnvVar[]>
  getEnv(projectId: string, envId: string): Promise<ProjectEnvVar>
}

export class VercelProjectEnvApi implements ProjectEnvApi {
  private readonly client: VercelClient

  constructor(client: VercelClient) {
    this.client = client
  }

  /** `GET /v10/projects/{idOrName}/env` (op `filterProjectEnvs`). */
  async listEnv(projectId: string): Promise<ProjectEnvVar[]> {
    const path = `${projectPath(projectId, 'v10')}/env`
    // The spec also allows one variable alone, as the answer to a filter by
    // id this action never sends.
    return readEnvList(await this.client.get<unknown>(path), `GET ${path}`)
  }

  /** `GET /v1/projects/{idOrName}/env/{id}` (op `getProjectEnv`): the value. */
  async getEnv(projectId: string, envId: string): Promise<ProjectEnvVar> {
    const path = projectEnvPath(projectId, envId)
    return readEnvValue(await this.client.get<unknown>(path), `GET ${path}`)
  }
}
