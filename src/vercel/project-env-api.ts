import type { VercelClient } from './client.js'

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
    const answer = await this.client.get<
      { envs?: ProjectEnvVar[] } | ProjectEnvVar
    >(`${projectPath(projectId, 'v10')}/env`)
    // The spec also allows one variable alone, as the answer to a filter by
    // id this action never sends.
    return 'envs' in answer ? (answer.envs ?? []) : [answer as ProjectEnvVar]
  }

  /** `GET /v1/projects/{idOrName}/env/{id}` (op `getProjectEnv`): the value. */
  async getEnv(projectId: string, envId: string): Promise<ProjectEnvVar> {
    return this.client.get<ProjectEnvVar>(
      `${projectPath(projectId, 'v1')}/env/${encodeURIComponent(envId)}`
    )
  }
}

function projectPath(projectId: string, version: string): string {
  return `/${version}/projects/${encodeURIComponent(projectId)}`
}
