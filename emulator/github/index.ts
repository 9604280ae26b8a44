// A small GitHub REST API for the action's pull request comment and prune
// (issue 13), beside the Vercel emulator: its own server and its own tokens.
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { FaultPlan } from '../faults.ts'
import { createGitHubServer } from './server.ts'
import type {
  GitHubRecordedRequest,
  GitHubServerState,
  GitHubSettings
} from './server.ts'
import { addBranch, findBranch } from './branches.ts'
import { GitHubState, now } from './state.ts'
import type { CommentRecord, PullRecord, RepoRecord } from './state.ts'

export { GITHUB_ROUTES } from './server.ts'
export type { GitHubRecordedRequest, GitHubRouteKey } from './server.ts'
export { ACTIONS_BOT, APP_BOT, TOKEN_USER } from './state.ts'
export type {
  CommentRecord,
  GitHubUser,
  PullRecord,
  RepoRecord
} from './state.ts'

export interface GitHubEmulatorOptions {
  /** Default 0 (ephemeral). Always on 127.0.0.1. */
  port?: number
  /** The token that may write (`github-actions[bot]`). Default: random. */
  token?: string
  /** A token of the same bot that may only read. Default: random. */
  readOnlyToken?: string
  /** A personal access token of `TOKEN_USER`. Default: random `ghp_…`. */
  userToken?: string
  /** Another GitHub App's installation token (`APP_BOT`). Default: random `ghs_…`. */
  appToken?: string
}

export interface SeedPullInput {
  owner: string
  repo: string
  /** The branch of the pull request. */
  head: string
  /** Default `main`. */
  base?: string
  /** Default `open`. */
  state?: 'open' | 'closed'
  /** A closed pull request that was merged. Default false. */
  merged?: boolean
  title?: string
  /** Its author's login. Default `octocat`. */
  user?: string
}

export interface SeedCommentInput {
  owner: string
  repo: string
  issueNumber: number
  body: string
  /** Its author's login. Default `octocat`. */
  user?: string
}

export interface GitHubEmulator {
  url: string
  /** May read and write, as `github-actions[bot]`. */
  token: string
  /** May only read (a fork's `GITHUB_TOKEN`): writes answer 403. */
  readOnlyToken: string
  /** A personal access token: reads and writes as `TOKEN_USER`. */
  userToken: string
  /**
   * Another GitHub App's installation token, `ghs_…` like `token`: reads and
   * writes as `APP_BOT`, and has no `GET /user` either.
   */
  appToken: string
  requests: GitHubRecordedRequest[]
  /** Requests to one route key, or all. */
  count(route?: string): number
  resetRequests(): void
  /** Faults to inject, per route key, one per request in order. */
  faults: FaultPlan
  /** Creates a repository with its `main` branch (or returns the one of that name). */
  seedRepo(owner: string, repo: string): RepoRecord
  /** Adds a branch (and the repository, if need be). */
  seedBranch(owner: string, repo: string, branch: string): void
  /** Deletes a branch, as a merged pull request's "Delete branch" does. */
  deleteBranch(owner: string, repo: string, branch: string): void
  /** The repository's branches' names, in the order they were made. */
  branches(owner: string, repo: string): string[]
  /**
   * A pull request, numbered next in its repository (created if need be),
   * whose head and base branches are added where missing.
   */
  seedPull(input: SeedPullInput): PullRecord
  /** A comment by someone (`octocat` by default) on a pull request. */
  seedComment(input: SeedCommentInput): CommentRecord
  /** Closes a pull request, merged or not. */
  closePull(owner: string, repo: string, number: number, merged?: boolean): void
  /** The comments on one pull request, oldest first, as stored. */
  comments(owner: string, repo: string, issueNumber: number): CommentRecord[]
  pulls(owner: string, repo: string): PullRecord[]
  close(): Promise<void>
}

const running = new Set<GitHubEmulator>()

/** The GitHub emulators running in this process (their tokens are secrets). */
export function runningGitHubEmulators(): GitHubEmulator[] {
  return [...running]
}

export async function startGitHubEmulator(
  options: GitHubEmulatorOptions = {}
): Promise<GitHubEmulator> {
  const settings: GitHubSettings = {
    port: options.port ?? 0,
    token: options.token ?? `ghs_${randomBytes(18).toString('hex')}`,
    readOnlyToken:
      options.readOnlyToken ?? `ghs_${randomBytes(18).toString('hex')}`,
    userToken: options.userToken ?? `ghp_${randomBytes(18).toString('hex')}`,
    appToken: options.appToken ?? `ghs_${randomBytes(18).toString('hex')}`
  }
  const tokens = [
    settings.token,
    settings.readOnlyToken,
    settings.userToken,
    settings.appToken
  ]
  if (new Set(tokens).size !== tokens.length) {
    throw new Error('startGitHubEmulator: the tokens must differ')
  }
  const data = new GitHubState()
  let url = ''
  const state: GitHubServerState = {
    settings,
    data,
    requests: [],
    faults: new FaultPlan(),
    url: () => url
  }
  const server = createGitHubServer(state)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(settings.port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  settings.port = (server.address() as AddressInfo).port
  url = `http://127.0.0.1:${settings.port}`

  const findRepo = (owner: string, repo: string, caller: string) => {
    const found = data.repo(owner, repo)
    if (!found) throw new Error(`${caller}: no repository ${owner}/${repo}`)
    return found
  }

  const emulator: GitHubEmulator = {
    url,
    token: settings.token,
    readOnlyToken: settings.readOnlyToken,
    userToken: settings.userToken,
    appToken: settings.appToken,
    get requests() {
      return state.requests
    },
    count: (route) =>
      state.requests.filter((r) => route === undefined || r.route === route)
        .length,
    resetRequests() {
      state.requests.length = 0
    },
    faults: state.faults,
    seedRepo: (owner, repo) => structuredClone(data.addRepo(owner, repo)),
    seedBranch(owner, repo, branch) {
      addBranch(data.branches, data.addRepo(owner, repo), branch)
    },
    deleteBranch(owner, repo, branch) {
      const found = findRepo(owner, repo, 'deleteBranch')
      const record = findBranch(data.branches, found, branch)
      if (!record) throw new Error(`deleteBranch: no branch ${branch}`)
      data.branches.splice(data.branches.indexOf(record), 1)
    },
    branches(owner, repo) {
      const { id } = findRepo(owner, repo, 'branches')
      return data.branches
        .filter(({ repoId }) => repoId === id)
        .map(({ name }) => name)
    },
    seedPull(input) {
      const repo = data.addRepo(input.owner, input.repo)
      addBranch(data.branches, repo, input.head)
      addBranch(data.branches, repo, input.base ?? 'main')
      const stamp = now()
      const closed = input.state === 'closed' || input.merged === true
      const pull: PullRecord = {
        id: data.newPullId(),
        repoId: repo.id,
        number: repo.nextNumber++,
        state: closed ? 'closed' : 'open',
        title: input.title ?? `Change ${input.head}`,
        user: data.user(input.user ?? 'octocat'),
        head: input.head,
        base: input.base ?? 'main',
        headSha: randomBytes(20).toString('hex'),
        createdAt: stamp,
        updatedAt: stamp,
        closedAt: closed ? stamp : null,
        mergedAt: input.merged ? stamp : null
      }
      data.pulls.push(pull)
      return structuredClone(pull)
    },
    seedComment(input) {
      const repo = findRepo(input.owner, input.repo, 'seedComment')
      if (!data.pull(repo, input.issueNumber)) {
        throw new Error(`seedComment: no pull request #${input.issueNumber}`)
      }
      const stamp = now()
      const comment: CommentRecord = {
        id: data.newCommentId(),
        repoId: repo.id,
        issueNumber: input.issueNumber,
        body: input.body,
        user: data.user(input.user ?? 'octocat'),
        createdAt: stamp,
        updatedAt: stamp
      }
      data.comments.push(comment)
      return structuredClone(comment)
    },
    closePull(owner, repo, number, merged = false) {
      const pull = data.pull(findRepo(owner, repo, 'closePull'), number)
      if (!pull) throw new Error(`closePull: no pull request #${number}`)
      const stamp = now()
      pull.state = 'closed'
      pull.closedAt = stamp
      pull.updatedAt = stamp
      if (merged) pull.mergedAt = stamp
    },
    comments(owner, repo, issueNumber) {
      const { id } = findRepo(owner, repo, 'comments')
      return structuredClone(
        data.comments
          .filter((c) => c.repoId === id && c.issueNumber === issueNumber)
          .sort((a, b) => a.id - b.id)
      )
    },
    pulls(owner, repo) {
      const { id } = findRepo(owner, repo, 'pulls')
      return structuredClone(data.pulls.filter((p) => p.repoId === id))
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        running.delete(emulator)
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
  }
  running.add(emulator)
  return emulator
}
