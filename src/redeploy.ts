import type { PreviewApi } from './vercel-api.ts'
import type { ListedDeployment } from './vercel-types.ts'

/*
 * `redeploy` (issue 12): the Git integration starts a preview build as soon
 * as a branch is pushed, before the workflow has written the branch's
 * variables, and that build never sees the store. The step redeploys the
 * branch's newest preview when it was created before the variables last
 * changed. It decides from what Vercel shows, never from what this run did,
 * so a rerun, or a run after a crash, never redeploys twice for the same
 * variables: the redeploy is itself newer than them.
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

/**
 * Redeploys `newest` where it was created before `changedAt`, the time the
 * branch's variables last changed; otherwise, or without a deployment,
 * nothing.
 */
export async function redeployIfOlder(
  api: Pick<PreviewApi, 'redeploy'>,
  newest: ListedDeployment | undefined,
  {
    changedAt,
    projectName,
    branch
  }: { changedAt?: number; projectName: string; branch: string },
  log: (line: string) => void
): Promise<Redeployed | undefined> {
  if (!newest) {
    log(`Branch ${branch} has no preview deployment yet; nothing to redeploy.`)
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
  const deployment = await api.redeploy(newest.name ?? projectName, newest.id)
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
