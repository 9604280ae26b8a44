// What the GitHub emulator holds: repositories, their branches, pull
// requests and the comments on them, and the JSON GitHub's REST API gives
// for each.
import { addBranch, type BranchRecord } from './branches.ts'

import {
  pullFields,
  repoFields,
  singlePullFields,
  userFields
} from './rest-fields.ts'

export interface GitHubUser {
  login: string
  id: number
  type: 'User' | 'Bot'
}

/** The user of an Actions `GITHUB_TOKEN` (its real id). */
export const ACTIONS_BOT: GitHubUser = {
  login: 'github-actions[bot]',
  id: 41898282,
  type: 'Bot'
}

/**
 * The bot of another GitHub App, whose installation token
 * (`actions/create-github-app-token`) starts with `ghs_` as Actions' own
 * does (`appToken`).
 */
export const APP_BOT: GitHubUser = {
  login: 'my-app[bot]',
  id: 180_000_001,
  type: 'Bot'
}

/** The user of the emulator's personal access token (`userToken`). */
export const TOKEN_USER: GitHubUser = {
  login: 'deploy-user',
  id: 4_000_001,
  type: 'User'
}

export interface RepoRecord {
  id: number
  owner: string
  name: string
  /** Pull requests and issues share one sequence of numbers. */
  nextNumber: number
}

export interface PullRecord {
  id: number
  repoId: number
  number: number
  state: 'open' | 'closed'
  title: string
  user: GitHubUser
  head: string
  base: string
  headSha: string
  createdAt: string
  updatedAt: string
  closedAt: string | null
  mergedAt: string | null
}

export interface CommentRecord {
  id: number
  repoId: number
  issueNumber: number
  body: string
  user: GitHubUser
  createdAt: string
  updatedAt: string
}

export class GitHubState {
  repos: RepoRecord[] = []
  branches: BranchRecord[] = []
  pulls: PullRecord[] = []
  comments: CommentRecord[] = []
  #nextRepoId = 700_000_001
  #nextPullId = 1_900_000_001
  #nextCommentId = 2_400_000_001
  #nextUserId = 5_000_001
  #users = new Map<string, GitHubUser>([
    [ACTIONS_BOT.login, ACTIONS_BOT],
    [APP_BOT.login, APP_BOT],
    [TOKEN_USER.login, TOKEN_USER]
  ])

  /** GitHub matches owner and name without regard to case. */
  repo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.find(
      (repo) =>
        repo.owner.toLowerCase() === owner.toLowerCase() &&
        repo.name.toLowerCase() === name.toLowerCase()
    )
  }

  repoById(id: number): RepoRecord | undefined {
    return this.repos.find((repo) => repo.id === id)
  }

  addRepo(owner: string, name: string): RepoRecord {
    const existing = this.repo(owner, name)
    if (existing) return existing
    const repo = { id: this.#nextRepoId++, owner, name, nextNumber: 1 }
    this.repos.push(repo)
    // A repository starts with its default branch.
    addBranch(this.branches, repo, 'main')
    return repo
  }

  pull(repo: RepoRecord, number: number): PullRecord | undefined {
    return this.pulls.find(
      (pull) => pull.repoId === repo.id && pull.number === number
    )
  }

  newPullId(): number {
    return this.#nextPullId++
  }

  newCommentId(): number {
    return this.#nextCommentId++
  }

  /** A user by login, made up (type `User`) the first time it is named. */
  user(login: string): GitHubUser {
    let user = this.#users.get(login)
    if (!user) {
      user = {
        login,
        id: this.#nextUserId++,
        type: login.endsWith('[bot]') ? 'Bot' : 'User'
      }
      this.#users.set(login, user)
    }
    return user
  }
}

export function now(): string {
  // GitHub's timestamps have no milliseconds.
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export function userJson(
  user: GitHubUser,
  apiUrl = 'https://api.github.com'
): Record<string, unknown> {
  return {
    ...userFields(apiUrl, user),
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === 'Bot' ? 'BOT' : 'U', user.id),
    type: user.type,
    site_admin: false,
    html_url: `https://github.com/${user.type === 'Bot' ? 'apps/' + user.login.replace(/\[bot\]$/, '') : user.login}`
  }
}

export function commentJson(
  apiUrl: string,
  repo: RepoRecord,
  comment: CommentRecord,
  isPull: boolean
): Record<string, unknown> {
  const fullName = `${repo.owner}/${repo.name}`
  const kind = isPull ? 'pull' : 'issues'
  return {
    id: comment.id,
    node_id: nodeId('IC', comment.id),
    url: `${apiUrl}/repos/${fullName}/issues/comments/${comment.id}`,
    html_url: `https://github.com/${fullName}/${kind}/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${apiUrl}/repos/${fullName}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: userJson(comment.user, apiUrl),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: comment.user.type === 'Bot' ? 'NONE' : 'CONTRIBUTOR'
  }
}

export function pullJson(
  apiUrl: string,
  repo: RepoRecord,
  pull: PullRecord,
  single: boolean
): Record<string, unknown> {
  const fullName = `${repo.owner}/${repo.name}`
  const owner = { login: repo.owner }
  const repoJson = {
    ...repoFields(apiUrl, repo, {
      ...userJson({ login: repo.owner, id: repo.id, type: 'User' }, apiUrl),
      ...owner
    }),
    id: repo.id,
    name: repo.name,
    full_name: fullName,
    owner: {
      ...userJson({ login: repo.owner, id: repo.id, type: 'User' }, apiUrl),
      ...owner
    }
  }
  const json: Record<string, unknown> = {
    ...pullFields(apiUrl, repo, pull),
    id: pull.id,
    node_id: nodeId('PR', pull.id),
    number: pull.number,
    url: `${apiUrl}/repos/${fullName}/pulls/${pull.number}`,
    html_url: `https://github.com/${fullName}/pull/${pull.number}`,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: userJson(pull.user, apiUrl),
    body: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt,
    merged_at: pull.mergedAt,
    draft: false,
    head: {
      label: `${repo.owner}:${pull.head}`,
      ref: pull.head,
      sha: pull.headSha,
      repo: repoJson,
      user: repoJson.owner
    },
    base: {
      label: `${repo.owner}:${pull.base}`,
      ref: pull.base,
      sha: '0'.repeat(40),
      repo: repoJson,
      user: repoJson.owner
    }
  }
  // Only the single pull request says whether it was merged.
  if (single) {
    Object.assign(json, singlePullFields(pull))
    json.merged = pull.mergedAt !== null
  }
  return json
}

/** A node id shaped like GitHub's (a prefix, then base64 of the number). */
function nodeId(prefix: string, id: number): string {
  return `${prefix}_kwDO${Buffer.from(String(id)).toString('base64url')}`
}
