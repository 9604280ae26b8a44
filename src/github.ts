import { fetch } from 'undici'
import { ActionError, StepTimeoutError } from './errors.ts'
import { Inputs, USER_AGENT } from './constants.ts'
import type { Repository } from './naming.ts'
import { createDispatcher, type Deadline } from './vercel-client.ts'

/*
 * The one module that talks to GitHub's API (REST, and GraphQL for who the
 * token is), and the only one that loads `@actions/github`: with a dynamic
 * `import()`, which ncc puts in a chunk of its own, so that a step without
 * `comment` or `state: prune` never reads Octokit from disk and keeps its
 * start-up time.
 *
 * No retry or throttling plugin: a step makes a few GitHub requests (a
 * comment: who the token is, one listing and one write; a prune: one
 * listing per 100 open pull requests, and one read per branch store, at
 * most `MAX_BRANCH_READS`), far from any rate limit, and a
 * failed comment is only a warning while a failed prune deletes nothing and
 * runs again the next night. Retrying would only stretch a step whose store
 * is already done.
 */

/** Who GitHub says wrote a comment, or who a token writes as. */
export interface GitHubIdentity {
  login: string
  /** The user id: a login can be renamed, and a bot's is spelled two ways. */
  id: number
}

/** A comment on an issue or pull request, as much of it as the action reads. */
interface IssueComment {
  id: number
  body: string
  author: GitHubIdentity
}

/** The GitHub endpoints the comment and the prune use. */
export interface GitHubApi {
  /**
   * The comments of one pull request, oldest first, page by page, until
   * `found` accepts one (which is returned), or none is left.
   */
  findComment(
    repository: Repository,
    issueNumber: number,
    found: (comment: IssueComment) => boolean
  ): Promise<IssueComment | undefined>
  /** Posts the comment; returns its author as GitHub's answer names it. */
  createComment(
    repository: Repository,
    issueNumber: number,
    body: string
  ): Promise<GitHubIdentity>
  updateComment(
    repository: Repository,
    commentId: number,
    body: string
  ): Promise<void>
  /** The numbers of the repository's open pull requests, every page read. */
  openPullRequests(repository: Repository): Promise<Set<number>>
  /**
   * Whether the repository has the branch: false only on GitHub's "Branch
   * not found"; any other answer but 200 throws.
   */
  branchExists(repository: Repository, branch: string): Promise<boolean>
  /**
   * Who the token writes as (GraphQL `viewer`): a person for a personal
   * access token, an app's bot for an installation token, which has no
   * `GET /user`.
   */
  tokenIdentity(): Promise<GitHubIdentity>
}

export interface GitHubOptions {
  token: string
  /** `GITHUB_API_URL`: api.github.com, or a GitHub Enterprise Server's. */
  apiUrl: string
  /** The step's deadline, which ends every request. */
  deadline: Pick<Deadline, 'signal' | 'remainingMs' | 'seconds'>
}

/** A GitHub request that failed, with what GitHub said. */
export class GitHubApiError extends ActionError {
  readonly status: number

  constructor(status: number, what: string, said: string) {
    super(
      `GitHub answered ${status || 'nothing'} to ${what}${said ? ` (${said})` : ''}`
    )
    this.name = 'GitHubApiError'
    this.status = status
  }
}

// GitHub's largest page.
const PER_PAGE = 100
// Characters of GitHub's message quoted in an error.
const MAX_SAID_LENGTH = 200

/** Loads `@actions/github` and returns the endpoints on an Octokit of it. */
export async function openGitHub(options: GitHubOptions): Promise<GitHubApi> {
  const { getOctokit } = await import('@actions/github')
  // The action's own dispatcher: the runner's proxy settings, timeouts, and
  // the URL of this run (@actions/github fixes its own when it is loaded).
  const dispatcher = createDispatcher(options.apiUrl)
  const octokit = getOctokit(options.token, {
    baseUrl: options.apiUrl,
    userAgent: USER_AGENT,
    request: {
      fetch: (url: string, init: Parameters<typeof fetch>[1]) =>
        fetch(url, { ...init, dispatcher })
    }
  })
  // Every request, the pages a paginated listing follows included, ends at
  // the step's deadline, and goes to GITHUB_API_URL's origin: a page link
  // is the answer's to write, and the token must not follow it elsewhere.
  const origin = new URL(options.apiUrl).origin
  octokit.hook.before('request', (endpoint) => {
    checkSameOrigin(endpoint.url, options.apiUrl, origin)
    endpoint.request = {
      ...endpoint.request,
      signal: options.deadline.signal()
    }
  })

  return {
    async findComment({ owner, repo }, issueNumber, found) {
      const pages = octokit.paginate.iterator(
        'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
        {
          owner,
          repo,
          issue_number: issueNumber,
          per_page: PER_PAGE
        }
      )
      try {
        for await (const { data } of pages) {
          for (const comment of data) {
            const read = readComment(comment)
            if (read && found(read)) return read
          }
        }
      } catch (error) {
        throw fromOctokit(
          error,
          `the listing of pull request #${issueNumber}'s comments`,
          options.deadline
        )
      }
      return undefined
    },

    async createComment({ owner, repo }, issueNumber, body) {
      const what = `a new comment on pull request #${issueNumber}`
      let data: unknown
      try {
        ;({ data } = await octokit.request(
          'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
          { owner, repo, issue_number: issueNumber, body }
        ))
      } catch (error) {
        throw fromOctokit(error, what, options.deadline)
      }
      const author = identityOf((data as { user?: unknown } | null)?.user)
      if (!author) throw new GitHubApiError(201, what, 'no author')
      return author
    },

    async updateComment({ owner, repo }, commentId, body) {
      try {
        await octokit.request(
          'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
          { owner, repo, comment_id: commentId, body }
        )
      } catch (error) {
        throw fromOctokit(
          error,
          `an update of comment ${commentId}`,
          options.deadline
        )
      }
    },

    async tokenIdentity() {
      const what = "the query of the token's identity"
      let viewer: unknown
      try {
        ;({ viewer } = await octokit.graphql<{ viewer: unknown }>(
          'query { viewer { login databaseId } }'
        ))
      } catch (error) {
        // GraphQL answers a query it refuses 200, with its errors.
        const { errors } = error as { errors?: { message?: unknown }[] }
        const said = errors?.[0]?.message
        throw typeof said === 'string'
          ? new GitHubApiError(200, what, said.slice(0, MAX_SAID_LENGTH))
          : fromOctokit(error, what, options.deadline)
      }
      const { login, databaseId } = (viewer ?? {}) as {
        login?: unknown
        databaseId?: unknown
      }
      const identity = identityOf({ login, id: databaseId })
      if (!identity) throw new GitHubApiError(200, what, 'no login or id')
      return identity
    },

    async openPullRequests({ owner, repo }) {
      const numbers = new Set<number>()
      try {
        for await (const { data } of octokit.paginate.iterator(
          'GET /repos/{owner}/{repo}/pulls',
          { owner, repo, state: 'open', per_page: PER_PAGE }
        )) {
          for (const pull of data) {
            const number = (pull as { number?: unknown }).number
            // A listing that cannot be read must not pass for a short one:
            // a store of an open pull request would be deleted.
            if (!Number.isSafeInteger(number)) {
              throw new GitHubApiError(
                200,
                `the listing of ${owner}/${repo}'s open pull requests`,
                'a pull request without a number'
              )
            }
            numbers.add(number as number)
          }
        }
      } catch (error) {
        throw fromOctokit(
          error,
          `the listing of ${owner}/${repo}'s open pull requests`,
          options.deadline
        )
      }
      return numbers
    },

    async branchExists({ owner, repo }, branch) {
      const what = `the read of branch ${JSON.stringify(branch)} of ${owner}/${repo}`
      try {
        await octokit.request('GET /repos/{owner}/{repo}/branches/{branch}', {
          owner,
          repo,
          branch
        })
        return true
      } catch (error) {
        // GitHub answers a repository the token cannot read 404 "Not Found"
        // as well: only its "Branch not found" says the branch is gone.
        if (isBranchNotFound(error)) return false
        throw fromOctokit(error, what, options.deadline)
      }
    }
  }
}

function isBranchNotFound(error: unknown): boolean {
  const { status, response } = (error ?? {}) as {
    status?: unknown
    response?: { data?: { message?: unknown } }
  }
  const message = response?.data?.message
  return (
    status === 404 &&
    typeof message === 'string' &&
    message.trim().toLowerCase() === 'branch not found'
  )
}

/** A request about to leave GITHUB_API_URL's origin, stopped before it is sent. */
class OtherOriginRequest extends Error {
  readonly url: string
  readonly origin: string

  constructor(url: string, origin: string) {
    super(`a request to ${url}, outside ${origin}`)
    this.url = url
    this.origin = origin
  }
}

/**
 * Stops a request to another origin (scheme, host and port) than the step's
 * first: Octokit's pagination follows whatever URL a `Link: rel="next"`
 * names, and would send the token with it, to plain http or any host.
 */
function checkSameOrigin(url: string, apiUrl: string, origin: string): void {
  let target: URL
  try {
    target = new URL(url, apiUrl)
  } catch {
    throw new OtherOriginRequest(url, origin)
  }
  if (target.origin !== origin) throw new OtherOriginRequest(url, origin)
}

/**
 * GitHub's answer sent a listing on to another origin than GITHUB_API_URL's;
 * the request was not made. Not a warning: a comment that fails on it fails
 * the step, since an answer that tries to draw the token away must be seen.
 */
export class GitHubOriginError extends ActionError {
  constructor(what: string, url: string, origin: string) {
    const shown =
      url.length > MAX_SAID_LENGTH ? `${url.slice(0, MAX_SAID_LENGTH)}…` : url
    super(
      `GitHub's answer to ${what} sent the next page to ${JSON.stringify(shown)}, not to ${origin} (GITHUB_API_URL): the request was not made, so that the token goes nowhere else. Check the runner's GITHUB_API_URL and any proxy between the runner and GitHub.`
    )
    this.name = 'GitHubOriginError'
  }
}

/** The fields the action reads, where the comment has them all. */
function readComment(comment: unknown): IssueComment | undefined {
  const { id, body, user } = (comment ?? {}) as {
    id?: unknown
    body?: unknown
    user?: unknown
  }
  const author = identityOf(user)
  if (!Number.isSafeInteger(id) || typeof body !== 'string' || !author) {
    return undefined
  }
  return { id: id as number, body, author }
}

/** A user's login and id, where the answer has both. */
function identityOf(user: unknown): GitHubIdentity | undefined {
  const { login, id } = (user ?? {}) as { login?: unknown; id?: unknown }
  if (typeof login !== 'string' || !login || !Number.isSafeInteger(id)) {
    return undefined
  }
  return { login, id: id as number }
}

/**
 * Octokit's error as a GitHubApiError that says what to do. GitHub's own
 * message is quoted, cut short; Octokit's redacts the token already, and the
 * request's headers are never quoted.
 */
function fromOctokit(
  error: unknown,
  what: string,
  deadline: GitHubOptions['deadline']
): Error {
  if (error instanceof GitHubApiError) return error
  if (error instanceof OtherOriginRequest) {
    return new GitHubOriginError(what, error.url, error.origin)
  }
  const { status, response, message } = error as {
    status?: unknown
    response?: { data?: { message?: unknown } }
    message?: unknown
  }
  // Octokit reports a request that got no answer (a network error, the
  // deadline) as a 500 without a response, or as an AbortError.
  const code = response !== undefined && typeof status === 'number' ? status : 0
  if (code === 0 && deadline.remainingMs() === 0) {
    return StepTimeoutError.ranOut(
      deadline.seconds,
      `waiting for GitHub: ${what}`
    )
  }
  const said =
    code === 0
      ? typeof message === 'string'
        ? message
        : ''
      : typeof response?.data?.message === 'string'
        ? response.data.message
        : ''
  const shortened =
    said.length > MAX_SAID_LENGTH ? `${said.slice(0, MAX_SAID_LENGTH)}…` : said
  const failure = new GitHubApiError(code, what, shortened)
  failure.message += `. ${adviceFor(code)}`
  return failure
}

function adviceFor(status: number): string {
  switch (status) {
    case 401:
      return `GitHub did not accept the token: check "${Inputs.githubToken}" (default \${{ github.token }}).`
    case 403:
      return `The token may not do this: give the job "permissions: pull-requests: write" for a comment ("pull-requests: read" and "contents: read" for a prune); a pull request from a fork gets a read-only token.`
    case 404:
      return `Check that "${Inputs.githubToken}" can read this repository (a prune of branch stores reads its branches: "permissions: contents: read").`
    default:
      return status >= 500 || status === 0
        ? 'GitHub did not answer as it should; run the job again.'
        : "See GitHub's message above."
  }
}
