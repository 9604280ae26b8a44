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
  const pullRequest = readPullRequest(env.GITHUB_EVENT_PATH)
  return {
    owner: owner || undefined,
    repo: repo || undefined,
    pullRequestNumber: pullRequest?.number,
    fromFork: pullRequest?.fromFork,
    branch: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || undefined,
    eventName: env.GITHUB_EVENT_NAME || undefined,
    actor: env.GITHUB_ACTOR || undefined
  }
}

function readPullRequest(
  eventPath?: string
): { number?: number; fromFork?: boolean } | undefined {
  if (!eventPath) return undefined
  let event: {
    pull_request?: { number?: unknown; head?: { repo?: { fork?: unknown } } }
  }
  try {
    event = JSON.parse(readFileSync(eventPath, 'utf8'))
  } catch {
    return undefined
  }
  const pullRequest = event?.pull_request
  if (!pullRequest) return undefined
  const number = pullRequest.number
  return {
    number: Number.isSafeInteger(number) ? (number as number) : undefined,
    fromFork: pullRequest.head?.repo?.fork === true
  }
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
  let head = readable(repo)
  if (!/^[a-z]/.test(head)) head = `r-${head}`.replace(/-+$/, '')
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
