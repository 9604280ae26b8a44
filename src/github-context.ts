import { readFileSync } from 'node:fs'

/** What the defaults for `name` and `external-id` are derived from. */
export interface GitHubContext {
  owner?: string
  repo?: string
  pullRequestNumber?: number
  branch?: string
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
  return {
    owner: owner || undefined,
    repo: repo || undefined,
    pullRequestNumber: readPullRequestNumber(env.GITHUB_EVENT_PATH),
    branch: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || undefined
  }
}

function readPullRequestNumber(eventPath?: string): number | undefined {
  if (!eventPath) return undefined
  let event: { pull_request?: { number?: unknown } }
  try {
    event = JSON.parse(readFileSync(eventPath, 'utf8'))
  } catch {
    return undefined
  }
  const number = event?.pull_request?.number
  return Number.isSafeInteger(number) ? (number as number) : undefined
}
