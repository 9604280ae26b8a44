import {
  readDeploymentAnswer,
  readDeploymentList,
  readEnvList,
  readEnvValue,
  readEnvWriteAnswer,
  type EnvWriteAnswer,
  type ListedDeployment
} from './answers.js'
import type { VercelClient } from './client.js'
import { projectEnvPath, projectPath } from './paths.js'
import type { ProjectEnvVar } from './project-env-api.js'

/** One variable as `POST /v10/projects/{idOrName}/env` takes it. */
export interface NewEnvVar {
  key: string
  value: string
  type: 'encrypted'
  target: ['preview']
  gitBranch: string
  comment: string
}

/**
 * The project endpoints of a pull request's preview (issue 12): its
 * variables, scoped to its Git branch, and its deployments.
 */
export interface PreviewApi {
  listEnv(project: string): Promise<ProjectEnvVar[]>
  getEnv(project: string, envId: string): Promise<ProjectEnvVar>
  writeEnv(project: string, variables: NewEnvVar[]): Promise<EnvWriteAnswer>
  removeEnv(project: string, ids: string[]): Promise<void>
  listPreviews(
    projectId: string,
    branch: string,
    limit: number
  ): Promise<ListedDeployment[]>
  redeploy(
    name: string,
    deploymentId: string
  ): Promise<{ id: string; url?: string }>
}

export class VercelPreviewApi implements PreviewApi {
  private readonly client: VercelClient

  constructor(client: VercelClient) {
    this.client = client
  }

  /**
   * `GET /v10/projects/{idOrName}/env` (op `filterProjectEnvs`): every
   * variable, those of every branch included. Not filtered by `gitBranch`:
   * which variables that filter keeps is not documented, and the one listing
   * serves the checks before a create, the comparison of a rerun and the
   * reading of the values alike.
   */
  async listEnv(project: string): Promise<ProjectEnvVar[]> {
    const path = `${projectPath(project, 'v10')}/env`
    return readEnvList(await this.client.get<unknown>(path), `GET ${path}`)
  }

  /** `GET /v1/projects/{idOrName}/env/{id}` (op `getProjectEnv`): the value. */
  async getEnv(project: string, envId: string): Promise<ProjectEnvVar> {
    const path = projectEnvPath(project, envId)
    return readEnvValue(await this.client.get<unknown>(path), `GET ${path}`)
  }

  /**
   * `POST /v10/projects/{idOrName}/env?upsert=true` (op `createProjectEnv`)
   * with an array: every variable in one request, each overriding its
   * earlier value.
   */
  async writeEnv(
    project: string,
    variables: NewEnvVar[]
  ): Promise<EnvWriteAnswer> {
    const path = `${projectPath(project, 'v10')}/env`
    const answer = await this.client.post<unknown>(path, variables, {
      upsert: 'true'
    })
    return readEnvWriteAnswer(answer, `POST ${path}`)
  }

  /** `DELETE /v1/projects/{idOrName}/env` (op `batchRemoveProjectEnv`). */
  async removeEnv(project: string, ids: string[]): Promise<void> {
    await this.client.delete(`${projectPath(project, 'v1')}/env`, {}, { ids })
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
    const path = '/v6/deployments'
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
    const path = '/v13/deployments'
    const answer = await this.client.post<unknown>(path, { name, deploymentId })
    return readDeploymentAnswer(answer, `POST ${path}`)
  }
}
