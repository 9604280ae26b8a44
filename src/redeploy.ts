import { VercelApiError } from './errors.ts'
import type { ConnectionApi, PreviewApi } from './vercel-api.ts'
import type { ListedDeployment } from './vercel-types.ts'

/*
 * `redeploy` (issues 12 and 19): the Git integration starts a preview build
 * as soon as a branch is pushed, before the workflow has written the
 * branch's variables, and that build never sees the store: it builds, and
 * runs its migrations, against whatever the project had before (a shared
 * preview `DATABASE_URL`, say). The step cancels every such build still
 * under way, so that it neither finishes its migrations nor takes the
 * branch's URL, then redeploys the branch's newest preview where it was
 * created before the variables last changed. It decides from what Vercel
 * shows, never from what this run did, so a rerun, or a run after a crash,
 * never cancels or redeploys twice for the same variables: the redeploy is
 * itself newer than them, even while it builds. Nor does it trust the
 * listing's filter: a deployment is cancelled or rebuilt only where the
 * answer itself says it is a preview of this project and branch, and the
 * rebuild is sent with the project's own name, never the deployment's.
 */

export interface Redeployed {
  id: string
  /** `https://` and the deployment's host; empty where Vercel gave none. */
  url: string
  /** The deployment it rebuilt. */
  of: string
}

/** The builds `redeploy` set out to stop: created before the variables, under way. */
export interface Cancelled {
  /** Those it stopped. */
  ids: string[]
  /** Those Vercel said had finished first. */
  finishedFirst: string[]
}

/** What `redeploy` did to the branch's previews. */
export interface PreviewsSettled {
  redeployed?: Redeployed
  cancelled: Cancelled
  /**
   * The branch's newest preview, this project's, where it was built with the
   * variables and needed no rebuild: what the comment links instead.
   */
  current?: CurrentPreview
}

/** A preview built with the branch's variables, as the listing gave it. */
export type CurrentPreview = Pick<Redeployed, 'id' | 'url'>

// Enough to see every build a burst of pushes started before the step,
// still in one request.
const PREVIEWS_LISTED = 10

// The states of a build that has not finished (the listing's `readyState`).
const UNDER_WAY = new Set(['QUEUED', 'INITIALIZING', 'BUILDING'])

/** The branch's newest preview deployments, newest first. */
export function branchPreviews(
  api: Pick<PreviewApi, 'listPreviews'>,
  projectId: string,
  branch: string
): Promise<ListedDeployment[]> {
  return api.listPreviews(projectId, branch, PREVIEWS_LISTED)
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
 * Why the listed deployment is not one to touch, where the answer does not
 * itself say it is a preview of this project built from this branch; or
 * undefined where it does. A listing that ignored its filter (or was not
 * Vercel's) would otherwise have another project's production rebuilt, or
 * cancelled.
 */
function notThisBranchsPreview(
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

/** Whether it was created before the variables changed: it built without them. */
function predates(
  deployment: ListedDeployment,
  changedAt: number | undefined
): boolean {
  return (
    changedAt !== undefined &&
    deployment.createdAt !== undefined &&
    deployment.createdAt < changedAt
  )
}

type Logs = { log: (line: string) => void; warn: (line: string) => void }

/**
 * Cancels the branch's previews created before `changedAt` that are still
 * under way, then redeploys the newest preview where it too predates
 * `changedAt`. Where the newest listed is not this branch's preview, a
 * warning says why and nothing is touched: such a listing tells nothing
 * about the branch. Any other listed deployment not of the branch is left
 * alone, named in one warning.
 */
export async function settlePreviews(
  api: Pick<PreviewApi, 'redeploy' | 'cancelDeployment'> &
    Pick<ConnectionApi, 'getProject'>,
  listed: ListedDeployment[],
  target: RedeployTarget,
  { log, warn }: Logs
): Promise<PreviewsSettled> {
  const { changedAt, branch } = target
  const settled: PreviewsSettled = { cancelled: { ids: [], finishedFirst: [] } }
  const [newest] = listed
  if (!newest) {
    log(`Branch ${branch} has no preview deployment yet; nothing to redeploy.`)
    return settled
  }
  const notOurs = notThisBranchsPreview(newest, target)
  if (notOurs !== undefined) {
    warn(
      `Did not redeploy ${newest.id}, which Vercel listed as the newest preview of branch ${branch} of project ${target.projectId}: ${notOurs}.`
    )
    return settled
  }
  const others = listed.slice(1).flatMap((deployment) => {
    const reason = notThisBranchsPreview(deployment, target)
    return reason === undefined ? [] : [`${deployment.id} (${reason})`]
  })
  if (others.length > 0) {
    warn(
      `Left ${others.join(', ')} alone, which Vercel listed among the previews of branch ${branch} of project ${target.projectId}.`
    )
  }
  const racing = listed.filter(
    (deployment) =>
      notThisBranchsPreview(deployment, target) === undefined &&
      UNDER_WAY.has(deployment.state ?? '') &&
      predates(deployment, changedAt)
  )
  // All at once, and before the redeploy: none of them may finish first.
  const stopped = await Promise.all(
    racing.map(({ id }) => cancelUnlessFinished(api, id, log))
  )
  settled.cancelled = {
    ids: racing.flatMap(({ id }, i) => (stopped[i] ? [id] : [])),
    finishedFirst: racing.flatMap(({ id }, i) => (stopped[i] ? [] : [id]))
  }
  if (settled.cancelled.ids.length > 0) {
    log(
      `Cancelled ${settled.cancelled.ids.join(', ')}: preview(s) of branch ${branch} created before its variables, still building without them.`
    )
  }
  if (!predates(newest, changedAt)) {
    log(
      `The newest preview of branch ${branch}, ${newest.id}, was built after its variables were written; nothing to redeploy.`
    )
    settled.current = { id: newest.id, url: httpsAddress(newest.url) }
    return settled
  }
  settled.redeployed = await redeploy(api, newest, target, { log, warn })
  return settled
}

/**
 * Cancels the build; false where Vercel answers 400, as it does for a
 * deployment that is no longer cancelable because it finished (`READY`,
 * `ERROR` or `CANCELED`) since it was listed. The redeploy that follows
 * replaces it either way.
 */
async function cancelUnlessFinished(
  api: Pick<PreviewApi, 'cancelDeployment'>,
  id: string,
  log: (line: string) => void
): Promise<boolean> {
  try {
    await api.cancelDeployment(id)
    return true
  } catch (error) {
    if (!(error instanceof VercelApiError) || error.status !== 400) throw error
    const reason = error.body?.message ?? error.body?.code ?? 'HTTP 400'
    log(
      `Did not cancel ${id}: Vercel answered that it can no longer be cancelled (${reason}), so it finished first; going on.`
    )
    return false
  }
}

/** Redeploys the deployment, sent with the project's own name. */
async function redeploy(
  api: Pick<PreviewApi, 'redeploy'> & Pick<ConnectionApi, 'getProject'>,
  newest: ListedDeployment,
  target: RedeployTarget,
  { log, warn }: Logs
): Promise<Redeployed | undefined> {
  const projectName =
    target.projectName ?? (await api.getProject(target.projectId))?.name
  if (!projectName) {
    warn(
      `Did not redeploy ${newest.id}: Vercel's answer for project ${target.projectId} gives no name to send the redeploy with.`
    )
    return undefined
  }
  const deployment = await api.redeploy(projectName, newest.id)
  const url = httpsAddress(deployment.url)
  log(
    `Redeployed ${newest.id}, the newest preview of branch ${target.branch}, built before its variables: ${deployment.id}${url ? ` (${url})` : ''}.`
  )
  return { id: deployment.id, url, of: newest.id }
}

/**
 * A deployment's address as a link may use it: a bare host as Vercel gives
 * it, or an https URL, the only forms the reader takes (`webAddress`).
 */
function httpsAddress(host: string | undefined): string {
  if (!host) return ''
  return host.startsWith('https://') ? host : `https://${host}`
}
