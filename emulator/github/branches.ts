// The branches of the emulator's repositories (issue 24), for the one route
// the prune asks of each branch store: `GET /repos/{owner}/{repo}/branches/
// {branch}`. A repository starts with `main`, a seeded pull request adds its
// head and base, and a test deletes a branch the way a merged pull request's
// "Delete branch" does. The answer is shaped like GitHub's
// `branch-with-protection` (its required fields, and those of `commit`).
import { randomBytes } from 'node:crypto'
import type { RepoRecord } from './state.ts'

export interface BranchRecord {
  repoId: number
  name: string
  /** The commit the branch points at. */
  sha: string
}

/** GitHub tells branches apart by case: `Main` is not `main`. */
export function findBranch(
  branches: BranchRecord[],
  repo: RepoRecord,
  name: string
): BranchRecord | undefined {
  return branches.find(
    (branch) => branch.repoId === repo.id && branch.name === name
  )
}

/** Adds the branch where the repository does not have it yet. */
export function addBranch(
  branches: BranchRecord[],
  repo: RepoRecord,
  name: string
): BranchRecord {
  const existing = findBranch(branches, repo, name)
  if (existing) return existing
  const branch = {
    repoId: repo.id,
    name,
    sha: randomBytes(20).toString('hex')
  }
  branches.push(branch)
  return branch
}

const EPOCH = '2020-01-01T00:00:00Z'

/** `GET …/branches/{branch}`'s answer: GitHub's `branch-with-protection`. */
export function branchJson(
  apiUrl: string,
  repo: RepoRecord,
  branch: BranchRecord
): Record<string, unknown> {
  const fullName = `${repo.owner}/${repo.name}`
  const api = `${apiUrl}/repos/${fullName}`
  const path = encodeURIComponent(branch.name)
  const person = { name: 'The Octocat', email: 'octocat@example.com' }
  return {
    name: branch.name,
    commit: {
      sha: branch.sha,
      node_id: `C_kwDO${Buffer.from(branch.sha.slice(0, 12)).toString('base64url')}`,
      commit: {
        author: { ...person, date: EPOCH },
        committer: { ...person, date: EPOCH },
        message: `The head of ${branch.name}`,
        tree: {
          sha: branch.sha,
          url: `${api}/git/trees/${branch.sha}`
        },
        url: `${api}/git/commits/${branch.sha}`,
        comment_count: 0,
        verification: {
          verified: false,
          reason: 'unsigned',
          signature: null,
          payload: null,
          verified_at: null
        }
      },
      url: `${api}/commits/${branch.sha}`,
      html_url: `https://github.com/${fullName}/commit/${branch.sha}`,
      comments_url: `${api}/commits/${branch.sha}/comments`,
      // A commit whose author has no GitHub account: GitHub answers null.
      author: null,
      committer: null,
      parents: []
    },
    _links: {
      self: `${api}/branches/${path}`,
      html: `https://github.com/${fullName}/tree/${path}`
    },
    protected: false,
    protection: {
      enabled: false,
      required_status_checks: {
        enforcement_level: 'off',
        contexts: [],
        checks: []
      }
    },
    protection_url: `${api}/branches/${path}/protection`
  }
}
