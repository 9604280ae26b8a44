import type { Deadline } from './deadline.js'
import type { ActionInputs } from './inputs.js'
import type { ResolvedTarget } from './resolve.js'
import type { ConnectionApi } from './vercel/connection-api.js'
import type { IntegrationApi } from './vercel/integration-api.js'
import type { PreviewApi } from './vercel/preview-api.js'
import type { ProjectEnvApi, ProjectEnvVar } from './vercel/project-env-api.js'
import type { StoreApi } from './vercel/store-api.js'

/** What every part of a run works with: its inputs, its deadline, the API. */
export interface Step {
  inputs: ActionInputs
  /** The installation and product the inputs name, resolved to ids. */
  target: ResolvedTarget
  deadline: Deadline
  /** The waits between polls; a test's virtual clock, or real time. */
  pauses: {
    sleep?: (ms: number) => Promise<void>
    random?: () => number
  }
  integrations: IntegrationApi
  stores: StoreApi
  connections: ConnectionApi
  projectEnv: ProjectEnvApi
  /** The branch variables and deployments of `git-branch` and `redeploy`. */
  preview: PreviewApi
  /**
   * The project's variables, listed beside the stores where the step reads
   * the store's values: the same listing finds a clash before a create, and
   * on a rerun holds what the branch already has.
   */
  projectVariables?: Promise<ProjectEnvVar[]>
}
