import type { ConnectionApi, PreviewApi } from './vercel-api.ts'
import type { ListedDeployment } from './vercel-types.ts'

/*
 * `redeploy` (issue 12): the Git integration starts a preview build as soon
 * as a branch is pushed, before the workflow has written the branch's
 * variables, and that build never sees the store. The step redeploys the
 * branch's newest preview when it was created before the variables last
 * changed. It decides from what Vercel shows, never from what this run did,
 * so a rerun, or a run after a crash, never redeploys twice for the same
 * variables: the redeploy is itself newer than them. Nor does it trust the
 * listing's filter: a deployment is rebuilt only where the answer itself
 * says it is a preview of this project and branch, and the rebuild is sent
 * with the project's own name, never the deployment's.
 */

export interface Redeployed {
  id: string
  /** `https://` and the deployment's host; empty where Vercel gave none. */
  url: string
  /** The deployment it rebuilt. */
  of: string
}

/** The branch's newest preview deployment, if it has one. */
export async function newestPreview(
  api: Pick<PreviewApi, 'listPreviews'>,
  projectId: string,
  branch: string
): Promise<ListedDeployment | undefined> {
  const [newest] = await api.listPreviews(projectId, branch, 1)
  return newest
}

/** Where the redeploy goes: the project and its branch. */
export interface RedeployTarget {
  /** When the branch's variables last changed (ms since the epoch). */
  changedAt?: number
  projectId: string
  /** The project's name where known; otherwise it is read by id. */
  projectName?: string
  branch: string
}

/**
 * Why the listed deployment is not one to rebuild, where the answer does not
 * itself say it is a preview of this project built from this branch; or
 * undefined where it does. A listing that ignored its filter (or was not
 * Vercel's) would otherwise have another project's production rebuilt.
 */
export function notThisBranchsPreview(
  deployment: ListedDeployment,
  { projectId, branch }: Pick<RedeployTarget, 'projectId' | 'branch'>
): string | undefined {
  if (deployment.projectId !== projectId) {
    return deployment.projectId === undefined
      ? 'the listing does not say which project it is of'
      : `it is of project ${deployment.projectId}, not ${projectId}`
  }
  const { target } = deployment
  if (target !== undefined && target !== null && target !== 'preview') {
    return `it is a ${target} deployment, not a preview`
  }
  if (deployment.gitBranch !== branch) {
    return deployment.gitBranch === undefined
      ? 'the listing does not say which branch it was built from'
      : `it was built from branch ${deployment.gitBranch}, not ${branch}`
  }
  return undefined
}

/**
 * Redeploys `newest` where it is this branch's preview (otherwise a warning
 * says why not) and was created before `changedAt`, the time the branch's
 * variables last changed; otherwise, or without a deployment, nothing.
 */
export async function redeployIfOlder(
  api: Pick<PreviewApi, 'redeploy'> & Pick<ConnectionApi, 'getProject'>,
  newest: ListedDeployment | undefined,
  target: RedeployTarget,
  { log, warn }: { log: (line: string) => void; warn: (line: string) => void }
): Promise<Redeployed | undefined> {
  const { changedAt, branch } = target
  if (!newest) {
    log(`Branch ${branch} has no preview deployment yet; nothing to redeploy.`)
    return undefined
  }
  const notOurs = notThisBranchsPreview(newest, target)
  if (notOurs !== undefined) {
    warn(
      `Did not redeploy ${newest.id}, which Vercel listed as the newest preview of branch ${branch} of project ${target.projectId}: ${notOurs}.`
    )
    return undefined
  }
  if (
    changedAt === undefined ||
    newest.createdAt === undefined ||
    newest.createdAt >= changedAt
  ) {
    log(
      `The newest preview of branch ${branch}, ${newest.id}, was built after its variables were written; nothing to redeploy.`
    )
    return undefined
  }
  const projectName =
    target.projectName ?? (await api.getProject(target.projectId))?.name
  if (!projectName) {
    warn(
      `Did not redeploy ${newest.id}: Vercel's answer for project ${target.projectId} gives no name to send the redeploy with.`
    )
    return undefined
  }
  const deployment = await api.redeploy(projectName, newest.id)
  // A bare host as Vercel gives it, or an https URL: the reader took no
  // other (`webAddress`).
  const url = !deployment.url
    ? ''
    : deployment.url.startsWith('https://')
      ? deployment.url
      : `https://${deployment.url}`
  log(
    `Redeployed ${newest.id}, the newest preview of branch ${branch}, built before its variables: ${deployment.id}${url ? ` (${url})` : ''}.`
  )
  return { id: deployment.id, url, of: newest.id }
}
