import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'

/** What the defaults for `name` and `external-id` are derived from. */
export interface GitHubContext {
  owner?: string
  repo?: string
  pullRequestNumber?: number
  branch?: string
  /** `GITHUB_EVENT_NAME`: `pull_request`, `push`, `schedule`… */
  eventName?: string
  /** `GITHUB_ACTOR`, for saying why a run has no secrets (Dependabot). */
  actor?: string
  /** The pull request comes from a fork, whose runs get no secrets. */
  fromFork?: boolean
}

/**
 * Reads the few `GITHUB_*` variables the runner sets. `@actions/github` would
 * do the same, but loading it brings Octokit into a step that never calls the
 * GitHub API.
 */
export function readGitHubContext(
  env: NodeJS.ProcessEnv = process.env
): GitHubContext {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/', 2)
  const event = readEvent(env.GITHUB_EVENT_PATH)
  const pullRequest = readPullRequest(event)
  const eventName = env.GITHUB_EVENT_NAME || undefined
  return {
    owner: owner || undefined,
    repo: repo || undefined,
    pullRequestNumber: pullRequest?.number,
    fromFork: pullRequest?.fromFork,
    // On `delete`, GITHUB_REF_NAME is the default branch, not the one
    // deleted: that one is the event's `ref`.
    branch:
      eventName === 'delete'
        ? deletedBranch(event)
        : env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || undefined,
    eventName,
    actor: env.GITHUB_ACTOR || undefined
  }
}

/** The event file's payload: untrusted, like every string in it. */
type EventPayload = Record<string, unknown> | undefined

function readEvent(eventPath?: string): EventPayload {
  if (!eventPath) return undefined
  try {
    const event: unknown = JSON.parse(readFileSync(eventPath, 'utf8'))
    return event && typeof event === 'object'
      ? (event as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

function readPullRequest(
  event: EventPayload
): { number?: number; fromFork?: boolean } | undefined {
  const pullRequest = event?.pull_request as
    { number?: unknown; head?: { repo?: { fork?: unknown } } } | undefined
  if (!pullRequest || typeof pullRequest !== 'object') return undefined
  const number = pullRequest.number
  return {
    number: Number.isSafeInteger(number) ? (number as number) : undefined,
    fromFork: pullRequest.head?.repo?.fork === true
  }
}

/**
 * The branch a `delete` event deleted (`ref`, with `ref_type: branch`);
 * undefined for a tag, which has no store.
 */
function deletedBranch(event: EventPayload): string | undefined {
  const { ref, ref_type: refType } = event ?? {}
  if (refType !== 'branch' || typeof ref !== 'string') return undefined
  // GitHub gives the short name; a `ref` that starts with refs/heads/ is a
  // branch named so, never another branch's full name.
  return ref || undefined
}

/**
 * The longest default name. The strictest product rule the Vercel CLI knows
 * (Aurora Postgres, `aws-apg` in generate-resource-name.ts) allows 50
 * characters that start with a letter, hold only letters, digits and single
 * hyphens, and do not end in one; every default name keeps to it.
 */
export const MAX_DEFAULT_NAME_LENGTH = 50

/** What the create spec and the `external-id` input allow for a key. */
const MAX_KEY_LENGTH = 256

const HASH_LENGTH = 8
const PRINTABLE = /^[\x20-\x7e]+$/

/** The repository a default name belongs to. */
export interface Repository {
  owner: string
  repo: string
}

/**
 * The default store name and idempotency key. For pull request 42 of
 * `acme/web`, the name `web-pr-42-<hash>` and the key `acme/web#42`; for a
 * branch build, `web-branch-main-<hash>` and `acme/web@main`. The hash is of
 * the lower-cased `owner/repo` (and the branch), so that `acme/web` and
 * `acme-labs/web` never share a store although the name shows only the
 * repository. Where the user names the store, the key follows that name
 * (`acme/web:<name>`), so that two steps with two names never share a key.
 * Each is undefined where the context cannot give it.
 */
export function deriveDefaults(
  context: GitHubContext,
  givenName?: string
): { name?: string; externalId?: string } {
  const { owner, repo, pullRequestNumber, branch } = context
  const repository = owner && repo ? { owner, repo } : undefined
  let name = givenName || undefined
  let externalId: string | undefined
  if (givenName) {
    externalId = repository
      ? fitKey(`${slugOf(repository)}:${givenName}`)
      : givenName
  } else if (repository && pullRequestNumber !== undefined) {
    name = pullRequestStoreName(repository, pullRequestNumber)
    externalId = `${slugOf(repository)}#${pullRequestNumber}`
  } else if (repository && branch) {
    name = branchStoreName(repository, branch)
    externalId = fitKey(`${slugOf(repository)}@${branch}`)
  }
  return { name, externalId }
}

/**
 * The default name of the store of this repository's pull request: the
 * readable `<repo>-pr-<n>`, cut to fit, and a hash of the repository.
 */
export function pullRequestStoreName(
  repository: Repository,
  pullRequestNumber: number
): string {
  return fitName(
    repository.repo,
    `-pr-${pullRequestNumber}`,
    hashOf(slugOf(repository))
  )
}

/**
 * The pull request whose default-named store of this repository has this
 * name, or undefined where the name is not one (another repository's, a
 * branch build's, or a name the user gave).
 */
export function pullRequestOfStoreName(
  name: string,
  repository: Repository
): number | undefined {
  const hash = hashOf(slugOf(repository))
  const match = new RegExp(`-pr-([1-9][0-9]{0,15})-${hash}$`).exec(name)
  if (!match) return undefined
  const number = Number(match[1])
  if (!Number.isSafeInteger(number)) return undefined
  // Derived again, so that the readable part must be this repository's too.
  return pullRequestStoreName(repository, number) === name ? number : undefined
}

/** The default name of a branch build's store. */
export function branchStoreName(
  repository: Repository,
  branch: string
): string {
  const branchPart = `-branch-${readable(branch)}`.replace(/-+$/, '')
  return fitName(
    repository.repo,
    branchPart,
    hashOf(`${slugOf(repository)}@${branch}`)
  )
}

/**
 * The readable parts of a name shaped like a branch store's of this
 * repository (`<repo>-branch-<readable branch>-<hash>`), one for each way
 * the name splits so; none where it is not shaped so. The shape is all the
 * name can say: the hash is of the branch, which only a candidate that
 * `branchOfStoreName` confirms gives back, and another owner's repository
 * of the same name makes names of the same shape.
 */
export function branchStoreNameParts(
  name: string,
  repository: Repository
): string[] {
  const match = /^(.+)-([0-9a-f]{8})$/.exec(name)
  if (!match) return []
  const head = headOf(repository.repo)
  const body = match[1]
  const parts: string[] = []
  for (let at = body.indexOf('-branch'); at > 0;) {
    const rest = body.slice(at + '-branch'.length)
    if (
      head.startsWith(body.slice(0, at)) &&
      (rest === '' || rest[0] === '-')
    ) {
      parts.push(rest.slice(1))
    }
    at = body.indexOf('-branch', at + 1)
  }
  return parts
}

/**
 * The branch of these candidates whose default store name is this name, or
 * undefined. Only a candidate that gives exactly this name counts: the
 * readable part of a name is lossy (`feat/B` and `feat-b` read the same),
 * and a wrong branch would let a live branch's store go.
 */
export function branchOfStoreName(
  name: string,
  repository: Repository,
  candidates: Iterable<string>
): string | undefined {
  for (const candidate of candidates) {
    if (candidate && branchStoreName(repository, candidate) === name) {
      return candidate
    }
  }
  return undefined
}

/** The branch a key of this repository names (`owner/repo@branch`). */
export function branchOfKey(
  key: string,
  repository: Repository
): string | undefined {
  const prefix = `${slugOf(repository)}@`
  if (!key.startsWith(prefix)) return undefined
  const branch = key.slice(prefix.length)
  return branch && fitKey(key) === key ? branch : undefined
}

/** `owner/repo`, lower-cased: GitHub does not tell names apart by case. */
function slugOf({ owner, repo }: Repository): string {
  return `${owner}/${repo}`.toLowerCase()
}

/**
 * `<repo><suffix>-<hash>` within the length limit: the repository's part is
 * cut first, then the suffix, so the hash that keeps names apart always
 * stays. A name that would not start with a letter gets an `r-` in front.
 */
function fitName(repo: string, suffix: string, hash: string): string {
  const head = headOf(repo)
  const room = MAX_DEFAULT_NAME_LENGTH - hash.length - 1
  const full = `${head}${suffix}`
  const cut =
    full.length <= room
      ? full
      : `${head.slice(0, Math.max(1, room - suffix.length)).replace(/-+$/, '')}${suffix}`.slice(
          0,
          room
        )
  return `${cut.replace(/-+$/, '')}-${hash}`
}

/** The repository's part of a default name, before any cut. */
function headOf(repo: string): string {
  const head = readable(repo)
  return /^[a-z]/.test(head) ? head : `r-${head}`.replace(/-+$/, '')
}

/** Lower-case letters and digits, every other run of characters one `-`. */
function readable(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/** The key as it is where it is printable and short enough; else cleaned. */
function fitKey(key: string): string {
  if (PRINTABLE.test(key) && key.length <= MAX_KEY_LENGTH) return key
  const hash = hashOf(key)
  const head = key
    .replace(/[^\x20-\x7e]+/g, '-')
    .slice(0, MAX_KEY_LENGTH - hash.length - 1)
  return `${head}-${hash}`
}

function hashOf(raw: string): string {
  return createHash('sha256').update(raw).digest('hex').slice(0, HASH_LENGTH)
}
