// A project's deployments (issues 12 and 19): the documented getDeployments
// (GET /v6/deployments), createDeployment as a redeploy
// (POST /v13/deployments with `deploymentId`), getDeployment
// (GET /v13/deployments/{idOrUrl}) and cancelDeployment
// (PATCH /v12/deployments/{id}/cancel), answering in their spec's shapes.
// Each deployment remembers the variables its build read, so a test can
// tell whether a redeploy picked up a branch's new variables, and goes
// through QUEUED and BUILDING to its end state on the clock.
import { describeErrors } from './create-schema.ts'
import { errorReply } from './http.ts'
import type { Reply } from './http.ts'
import { randomAlphanumeric } from './ids.ts'
import { requestValidator } from './openapi.ts'
import type { Project, ProjectRegistry } from './projects.ts'
import { TEAMS, USER_ID } from './seed.ts'
import type { ParsedBody } from './store-routes.ts'

export type ReadyState =
  'QUEUED' | 'BUILDING' | 'ERROR' | 'INITIALIZING' | 'READY' | 'CANCELED'

export interface DeploymentRecord {
  /** `dpl_…` */
  id: string
  ownerId: string
  projectId: string
  projectName: string
  /** The host, as the API gives it (no scheme). */
  url: string
  createdAt: number
  /** `null` is a preview. */
  target: 'production' | 'staging' | null
  source: 'git' | 'redeploy' | 'cli'
  branch: string
  sha: string
  meta: Record<string, string>
  /** The state it ends in once built. */
  finalState: ReadyState
  /** The states it is in before, each until a time, in order. */
  stages: { state: InProgress; until: number }[]
  /** When the build is over (`createdAt` plus the build time). */
  readyAt: number
  /** When a cancel stopped its build: it is `CANCELED` from then on. */
  canceledAt?: number
  /** The variables its build read, values included: never in an answer. */
  env: Record<string, string>
  /** The deployment this one redeployed. */
  redeployOf?: string
}

/** The states of a build under way, which a cancel stops. */
export type InProgress = 'QUEUED' | 'INITIALIZING' | 'BUILDING'

const IN_PROGRESS: readonly ReadyState[] = [
  'QUEUED',
  'INITIALIZING',
  'BUILDING'
]

export interface DeploymentSettings {
  /** How long a redeploy stays `BUILDING` before it is `READY`. Default 0. */
  deploymentBuildMs?: number
  /** How long a redeploy is `QUEUED` before it builds. Default 0. */
  deploymentQueueMs?: number
}

export interface DeploymentRequest {
  ownerId: string
  params: Record<string, string>
  query: Record<string, string>
  body: ParsedBody
  projects: ProjectRegistry
  deployments: DeploymentRegistry
  settings: DeploymentSettings
}

export interface SeedDeploymentInput {
  /** Project id or name, in `teamId`'s team. */
  projectId: string
  branch: string
  teamId?: string
  /** Default: now. */
  createdAt?: number
  /** Default `preview`. */
  target?: 'preview' | 'production'
  /**
   * Default `READY`. `QUEUED`, `INITIALIZING` or `BUILDING`: a build under
   * way, which stays in that state for `buildMs`, then is `READY`.
   */
  state?: ReadyState
  /** With a state under way: how long from `createdAt`. Default an hour. */
  buildMs?: number
  /** Default: a made-up 40-hex commit. */
  sha?: string
}

// Longer than any test or demo: a seeded build under way stays so.
const SEEDED_BUILD_MS = 60 * 60 * 1000
const DEFAULT_LIMIT = 20
const MAX_LIMIT = 100
const REDEPLOY_PATH = '/v13/deployments'

/** Every team's deployments, and each branch's newest commit. */
export class DeploymentRegistry {
  #deployments: DeploymentRecord[] = []
  #heads = new Map<string, string>()

  add(record: DeploymentRecord): DeploymentRecord {
    this.#deployments.push(record)
    const head = `${record.projectId} ${record.branch}`
    if (record.source === 'git') this.#heads.set(head, record.sha)
    return record
  }

  /** A deployment of this owner, by id or by URL (with or without scheme). */
  find(ownerId: string, idOrUrl: string): DeploymentRecord | undefined {
    const host = idOrUrl.replace(/^https?:\/\//, '').replace(/\/$/, '')
    return this.#deployments.find(
      (deployment) =>
        deployment.ownerId === ownerId &&
        (deployment.id === idOrUrl || deployment.url === host)
    )
  }

  /** Its build stopped at `at`. */
  cancel(id: string, at: number): void {
    const deployment = this.#deployments.find((d) => d.id === id)
    if (deployment) deployment.canceledAt = at
  }

  ofOwner(ownerId: string): DeploymentRecord[] {
    return this.#deployments.filter((d) => d.ownerId === ownerId)
  }

  /** The newest commit a Git build of the branch was made from. */
  head(projectId: string, branch: string): string | undefined {
    return this.#heads.get(`${projectId} ${branch}`)
  }

  all(): DeploymentRecord[] {
    return structuredClone(this.#deployments)
  }
}

/** A build by the Git integration, as a push to the branch makes. */
export function seedDeployment(
  projects: ProjectRegistry,
  deployments: DeploymentRegistry,
  input: SeedDeploymentInput,
  defaultTeamId: string
): DeploymentRecord {
  const project = projects.find(input.teamId ?? defaultTeamId, input.projectId)
  if (!project) {
    throw new Error(`seedDeployment: no project ${input.projectId}`)
  }
  const createdAt = input.createdAt ?? Date.now()
  const target = input.target === 'production' ? 'production' : null
  const sha = input.sha ?? randomHex(40)
  const state = input.state ?? 'READY'
  const underWay = isInProgress(state)
  const readyAt = underWay
    ? createdAt + (input.buildMs ?? SEEDED_BUILD_MS)
    : createdAt
  const record = deployments.add({
    id: newDeploymentId(),
    ownerId: project.accountId,
    projectId: project.id,
    projectName: project.name,
    url: deploymentHost(project),
    createdAt,
    target,
    source: 'git',
    branch: input.branch,
    sha,
    meta: gitMeta(project, input.branch, sha),
    finalState: underWay ? 'READY' : state,
    stages: underWay ? [{ state, until: readyAt }] : [],
    readyAt,
    env: buildEnv(project, target, input.branch)
  })
  return structuredClone(record)
}

export function listDeployments(request: DeploymentRequest): Reply {
  const { ownerId, query, projects, deployments } = request
  const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit)
  if (!Number.isInteger(limit) || limit < 1) {
    return errorReply(
      400,
      'bad_request',
      'Invalid query: `limit` should be a positive integer'
    )
  }
  let project: Project | undefined
  if (query.projectId) {
    project = projects.find(ownerId, query.projectId)
    // A guess: an unknown project is a 404, as on the project routes,
    // rather than an empty list.
    if (!project) return errorReply(404, 'not_found', 'Project not found')
  }
  const states = query.state?.split(',').map((state) => state.trim())
  const now = Date.now()
  const matching = deployments
    .ofOwner(ownerId)
    .filter(
      (deployment) =>
        (!project || deployment.projectId === project.id) &&
        matchesTarget(deployment, query.target) &&
        // A guess at what `branch` matches: the Git ref the deployment was
        // built from (`meta.githubCommitRef`, `gitSource.ref`).
        (!query.branch || deployment.branch === query.branch) &&
        (!query.sha || deployment.sha === query.sha) &&
        (!states || states.includes(readyState(deployment, now))) &&
        (!query.until || deployment.createdAt < Number(query.until)) &&
        (!query.since || deployment.createdAt > Number(query.since))
    )
    .sort((a, b) => b.createdAt - a.createdAt)
  const page = matching.slice(0, Math.min(limit, MAX_LIMIT))
  const more = matching.length > page.length
  return {
    status: 200,
    body: {
      deployments: page.map((deployment) => listedJson(deployment, now)),
      // `next` is the `until` of the next page (Vercel's usual paging).
      pagination: {
        count: page.length,
        next: more ? page[page.length - 1].createdAt : null,
        prev: query.until && page.length > 0 ? page[0].createdAt : null
      }
    }
  }
}

/**
 * The body `GET /v6/deployments` would answer with these deployments, in
 * this order, whatever its query asked: a test's listing that names the
 * wrong deployment (another project's production build, say), which a fault
 * then answers with.
 */
export function listingOf(
  deployments: DeploymentRegistry,
  ownerId: string,
  ids: readonly string[]
): Record<string, unknown> {
  const now = Date.now()
  const listed = ids.map((id) => {
    const deployment = deployments.find(ownerId, id)
    if (!deployment) throw new Error(`listingOf: no deployment ${id}`)
    return listedJson(deployment, now)
  })
  return {
    deployments: listed,
    pagination: { count: listed.length, next: null, prev: null }
  }
}

export function createDeployment(request: DeploymentRequest): Reply {
  const { ownerId, body, projects, deployments, settings } = request
  if (body.kind !== 'json') {
    return errorReply(400, 'bad_request', 'Invalid JSON body')
  }
  const validate = requestValidator(REDEPLOY_PATH, 'POST')
  if (!validate(body.value)) {
    return errorReply(400, 'bad_request', describeErrors(validate.errors ?? []))
  }
  const { deploymentId, target, withLatestCommit } = body.value as {
    deploymentId?: string
    target?: string
    withLatestCommit?: boolean
  }
  if (!deploymentId) {
    // Not Vercel's answer: the emulator builds nothing from files or Git.
    return errorReply(
      400,
      'bad_request',
      'The emulator only redeploys: give `deploymentId`'
    )
  }
  const original = deployments.find(ownerId, deploymentId)
  // Status and wording a guess.
  if (!original) return errorReply(404, 'not_found', 'Deployment not found')
  if (
    target !== undefined &&
    !['production', 'staging', 'preview'].includes(target)
  ) {
    // Not Vercel's answer: the emulator has no custom environments.
    return errorReply(
      400,
      'bad_request',
      `The emulator has no custom environment ${target}`
    )
  }
  const project = projects.find(ownerId, original.projectId)
  if (!project) return errorReply(404, 'not_found', 'Project not found')

  // The spec: "If omitted, the target will be `preview`".
  const newTarget =
    target === 'production' || target === 'staging' ? target : null
  const sha = withLatestCommit
    ? (deployments.head(original.projectId, original.branch) ?? original.sha)
    : original.sha
  const createdAt = Date.now()
  const queuedUntil = createdAt + (settings.deploymentQueueMs ?? 0)
  const readyAt = queuedUntil + (settings.deploymentBuildMs ?? 0)
  const record = deployments.add({
    id: newDeploymentId(),
    ownerId,
    projectId: project.id,
    projectName: project.name,
    url: deploymentHost(project),
    createdAt,
    target: newTarget,
    source: 'redeploy',
    branch: original.branch,
    sha,
    meta: { ...original.meta, githubCommitSha: sha },
    finalState: 'READY',
    stages: [
      { state: 'QUEUED', until: queuedUntil },
      { state: 'BUILDING', until: readyAt }
    ],
    readyAt,
    env: buildEnv(project, newTarget, original.branch),
    redeployOf: original.id
  })
  return { status: 200, body: fullJson(record, createdAt) }
}

/**
 * Stops a build under way: `CANCELED` from now on, answered with the
 * deployment as getDeployment gives it (the SDK's CancelDeploymentResponseBody
 * has the same required fields; the vendored subset has no cancel). A
 * deployment that is over answers 400, as the SDK says Vercel does
 * ("no longer cancelable"); its code and wording are a guess.
 */
export function cancelDeployment(request: DeploymentRequest): Reply {
  const deployment = request.deployments.find(
    request.ownerId,
    request.params.id
  )
  // By id only, as the path's name says; status and wording a guess.
  if (!deployment || deployment.id !== request.params.id) {
    return errorReply(404, 'not_found', 'Deployment not found')
  }
  const now = Date.now()
  const state = readyState(deployment, now)
  if (!IN_PROGRESS.includes(state)) {
    return errorReply(
      400,
      'bad_request',
      `Cannot cancel a deployment that is ${state}`
    )
  }
  request.deployments.cancel(deployment.id, now)
  return { status: 200, body: fullJson(deployment, now) }
}

export function getDeployment(request: DeploymentRequest): Reply {
  const deployment = request.deployments.find(
    request.ownerId,
    request.params.idOrUrl
  )
  // Status and wording a guess.
  if (!deployment) return errorReply(404, 'not_found', 'Deployment not found')
  return { status: 200, body: fullJson(deployment, Date.now()) }
}

/**
 * What a build of the branch reads: for a preview, the preview variables of
 * no branch, overridden by those scoped to the branch; for production, the
 * production ones.
 */
export function buildEnv(
  project: Project,
  target: DeploymentRecord['target'],
  branch: string
): Record<string, string> {
  const environment = target === 'production' ? 'production' : 'preview'
  const applying = project.env.filter(
    (envVar) =>
      envVar.target.includes(environment) &&
      (envVar.gitBranch === undefined ||
        (environment === 'preview' && envVar.gitBranch === branch))
  )
  const env: Record<string, string> = {}
  for (const envVar of applying) {
    if (envVar.gitBranch === undefined) env[envVar.key] = envVar.value
  }
  for (const envVar of applying) {
    if (envVar.gitBranch !== undefined) env[envVar.key] = envVar.value
  }
  return env
}

function matchesTarget(
  deployment: DeploymentRecord,
  target: string | undefined
): boolean {
  if (!target) return true
  // A guess: `target=preview` lists the deployments without a target.
  if (target === 'preview') return deployment.target === null
  return deployment.target === target
}

function readyState(deployment: DeploymentRecord, now: number): ReadyState {
  if (deployment.canceledAt !== undefined && now >= deployment.canceledAt) {
    return 'CANCELED'
  }
  const stage = deployment.stages.find(({ until }) => now < until)
  return stage?.state ?? deployment.finalState
}

function isInProgress(state: ReadyState): state is InProgress {
  return IN_PROGRESS.includes(state)
}

/** An item of GET /v6/deployments. */
function listedJson(
  deployment: DeploymentRecord,
  now: number
): Record<string, unknown> {
  const state = readyState(deployment, now)
  return {
    uid: deployment.id,
    name: deployment.projectName,
    projectId: deployment.projectId,
    url: deployment.url,
    created: deployment.createdAt,
    createdAt: deployment.createdAt,
    buildingAt: deployment.createdAt,
    ...(state === 'READY' ? { ready: deployment.readyAt } : {}),
    source: deployment.source,
    state,
    readyState: state,
    type: 'LAMBDAS',
    creator: { uid: USER_ID, username: 'emulator-user' },
    meta: { ...deployment.meta },
    target: deployment.target,
    aliasError: null,
    aliasAssigned: state === 'READY' ? deployment.readyAt : null,
    inspectorUrl: inspectorUrl(deployment)
  }
}

/** A deployment as POST /v13/deployments and GET /v13/deployments/{id} answer. */
function fullJson(
  deployment: DeploymentRecord,
  now: number
): Record<string, unknown> {
  const state = readyState(deployment, now)
  const envKeys = Object.keys(deployment.env)
  const team = TEAMS.find(({ id }) => id === deployment.ownerId)
  return {
    id: deployment.id,
    name: deployment.projectName,
    url: deployment.url,
    createdAt: deployment.createdAt,
    buildingAt: deployment.createdAt,
    bootedAt: deployment.createdAt,
    ...(state === 'READY' ? { ready: deployment.readyAt } : {}),
    ...(state === 'CANCELED' ? { canceledAt: deployment.canceledAt } : {}),
    readyState: state,
    status: state,
    type: 'LAMBDAS',
    target: deployment.target,
    source: deployment.source,
    meta: { ...deployment.meta },
    // The names of the variables the build read, never their values.
    env: envKeys,
    build: { env: envKeys },
    inspectorUrl: inspectorUrl(deployment),
    isInConcurrentBuildsQueue: false,
    isInSystemBuildsQueue: false,
    projectSettings: {},
    aliasAssigned: state === 'READY',
    buildSkipped: false,
    creator: { uid: USER_ID, username: 'emulator-user' },
    public: false,
    regions: ['iad1'],
    version: 2,
    projectId: deployment.projectId,
    project: { id: deployment.projectId, name: deployment.projectName },
    plan: 'pro',
    createdIn: 'sfo1',
    ownerId: deployment.ownerId,
    ...(team
      ? { team: { id: team.id, name: team.slug, slug: team.slug } }
      : {}),
    routes: null,
    gitSource: {
      type: 'github',
      org: 'acme',
      repo: deployment.projectName,
      ref: deployment.branch,
      sha: deployment.sha
    }
  }
}

function gitMeta(
  project: Project,
  branch: string,
  sha: string
): Record<string, string> {
  return {
    githubCommitRef: branch,
    githubCommitSha: sha,
    githubCommitOrg: 'acme',
    githubCommitRepo: project.name,
    githubOrg: 'acme',
    githubRepo: project.name,
    githubDeployment: '1'
  }
}

function inspectorUrl(deployment: DeploymentRecord): string {
  const team = TEAMS.find(({ id }) => id === deployment.ownerId)
  return `https://vercel.com/${team?.slug ?? 'emulator'}/${deployment.projectName}/${deployment.id.replace(/^dpl_/, '')}`
}

function deploymentHost(project: Project): string {
  const team = TEAMS.find(({ id }) => id === project.accountId)
  const suffix = randomAlphanumeric(9).toLowerCase()
  return `${project.name}-${suffix}-${team?.slug ?? 'emulator'}.vercel.app`
}

function newDeploymentId(): string {
  return `dpl_${randomAlphanumeric(28)}`
}

function randomHex(length: number): string {
  return Array.from({ length }, () =>
    Math.floor(Math.random() * 16).toString(16)
  ).join('')
}
