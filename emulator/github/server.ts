// The GitHub REST routes the action's comment and prune need (issue 13),
// with GitHub's authentication, errors and page links.
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import {
  describeFault,
  faultStatus,
  runBefore,
  runsRoute,
  sendFault
} from '../faults.ts'
import type { Fault, FaultPlan } from '../faults.ts'
import { readText } from '../http.ts'
import { branchJson, findBranch } from './branches.ts'
import { signedInUserFields } from './rest-fields.ts'
import {
  ACTIONS_BOT,
  APP_BOT,
  TOKEN_USER,
  commentJson,
  now,
  pullJson,
  userJson
} from './state.ts'
import type { GitHubState, GitHubUser, RepoRecord } from './state.ts'

export const GITHUB_ROUTES = {
  listComments: 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
  createComment: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
  updateComment: 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
  listPulls: 'GET /repos/{owner}/{repo}/pulls',
  getPull: 'GET /repos/{owner}/{repo}/pulls/{pull_number}',
  getBranch: 'GET /repos/{owner}/{repo}/branches/{branch}',
  getUser: 'GET /user',
  graphql: 'POST /graphql',
  unknown: 'UNKNOWN'
} as const

export type GitHubRouteKey = (typeof GITHUB_ROUTES)[keyof typeof GITHUB_ROUTES]

export interface GitHubSettings {
  port: number
  /** May read and write. */
  token: string
  /** May only read, as a fork's `GITHUB_TOKEN` on `pull_request`. */
  readOnlyToken: string
  /** A personal access token of `TOKEN_USER`: reads and writes as them. */
  userToken: string
  /** Another GitHub App's installation token: reads and writes as `APP_BOT`. */
  appToken: string
}

export interface GitHubRecordedRequest {
  method: string
  /** The path without the query string. */
  path: string
  route: GitHubRouteKey
  query: Record<string, string>
  body?: unknown
  /** Which token came: `write`, `read-only`, `user`, `app`, `wrong` or `missing`. */
  auth: 'write' | 'read-only' | 'user' | 'app' | 'wrong' | 'missing'
  status: number
  fault?: string
}

export interface GitHubServerState {
  settings: GitHubSettings
  data: GitHubState
  requests: GitHubRecordedRequest[]
  faults: FaultPlan
  /** Where the emulator is reached, for the URLs in answers. */
  url(): string
}

interface Reply {
  status: number
  body: unknown
  headers?: Record<string, string>
}

interface Matched {
  key: GitHubRouteKey
  params: Record<string, string>
  /** The repository, when the path names it by id (as page links do). */
  repoId?: number
}

const DOCS = 'https://docs.github.com/rest'
const DEFAULT_PER_PAGE = 30
const MAX_PER_PAGE = 100

export function createGitHubServer(state: GitHubServerState): Server {
  return createServer((req, res) => {
    answer(state, req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        send(res, githubError(500, `Emulator error: ${error}`))
      }
    })
  })
}

async function answer(
  state: GitHubServerState,
  req: IncomingMessage,
  res: ServerResponse
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid')
  const method = req.method ?? 'GET'
  const route = matchGitHubRoute(method, url.pathname)
  const query = Object.fromEntries(url.searchParams)
  const text = await readText(req)
  const body = parseBody(text)
  const auth = authOf(req, state.settings)

  const fault = state.faults.take(route.key)
  runBefore(fault)
  const reply =
    fault && !runsRoute(fault)
      ? undefined
      : dispatch(state, { route, query, body, auth, search: url.searchParams })

  const recorded: GitHubRecordedRequest = {
    method,
    path: url.pathname,
    route: route.key,
    query,
    auth,
    status: fault ? faultStatus(fault, reply) : (reply?.status ?? 0)
  }
  if (text !== '') recorded.body = body === INVALID ? text : body
  if (fault) recorded.fault = describeFault(fault)
  state.requests.push(recorded)
  if (fault) return sendFault(res, withGitHubBody(fault), reply)
  if (reply) send(res, reply)
}

interface Request {
  route: Matched
  query: Record<string, string>
  search: URLSearchParams
  body: unknown
  auth: GitHubRecordedRequest['auth']
}

function dispatch(state: GitHubServerState, request: Request): Reply {
  const { route, auth } = request
  if (route.key === GITHUB_ROUTES.unknown) return githubError(404, 'Not Found')
  // The brief's rule, close to GitHub's: a wrong token is `401 Bad
  // credentials`. GitHub answers a request without a token to a private
  // repository `404 Not Found`, and a write without one `401 Requires
  // authentication`; the emulator's repositories are private, but it treats
  // a missing token as a bad one, the way an action sees it.
  if (auth === 'missing' || auth === 'wrong') {
    return githubError(401, 'Bad credentials')
  }
  const user = identityOf(auth)
  if (route.key === GITHUB_ROUTES.getUser) {
    // An installation token (Actions' `GITHUB_TOKEN`, another App's) has no
    // user to show.
    return auth === 'user'
      ? {
          status: 200,
          body: {
            ...userJson(user, state.url()),
            ...signedInUserFields(user)
          }
        }
      : githubError(403, 'Resource not accessible by integration')
  }
  if (route.key === GITHUB_ROUTES.graphql) return graphql(request.body, user)
  const repo =
    route.repoId !== undefined
      ? state.data.repoById(route.repoId)
      : state.data.repo(route.params.owner, route.params.repo)
  if (!repo) return githubError(404, 'Not Found')
  const writes =
    route.key === GITHUB_ROUTES.createComment ||
    route.key === GITHUB_ROUTES.updateComment
  if (writes && auth === 'read-only') {
    return githubError(403, 'Resource not accessible by integration')
  }
  switch (route.key) {
    case GITHUB_ROUTES.listComments:
      return listComments(state, repo, request)
    case GITHUB_ROUTES.createComment:
      return createComment(state, repo, request, user)
    case GITHUB_ROUTES.updateComment:
      return updateComment(state, repo, request)
    case GITHUB_ROUTES.listPulls:
      return listPulls(state, repo, request)
    case GITHUB_ROUTES.getPull:
      return getPull(state, repo, request)
    case GITHUB_ROUTES.getBranch:
      return getBranch(state, repo, request)
    default:
      return githubError(404, 'Not Found')
  }
}

function listComments(
  state: GitHubServerState,
  repo: RepoRecord,
  request: Request
): Reply {
  const number = Number(request.route.params.issue_number)
  const pull = state.data.pull(repo, number)
  if (!pull) return githubError(404, 'Not Found')
  const comments = state.data.comments
    .filter((c) => c.repoId === repo.id && c.issueNumber === number)
    .sort((a, b) => a.id - b.id)
    .map((comment) => commentJson(state.url(), repo, comment, true))
  return paginate(
    state,
    request,
    `/repositories/${repo.id}/issues/${number}/comments`,
    comments
  )
}

function createComment(
  state: GitHubServerState,
  repo: RepoRecord,
  request: Request,
  user: GitHubUser
): Reply {
  const number = Number(request.route.params.issue_number)
  if (!state.data.pull(repo, number)) return githubError(404, 'Not Found')
  const text = commentBody(request.body)
  if (typeof text !== 'string') return text
  const stamp = now()
  const comment = {
    id: state.data.newCommentId(),
    repoId: repo.id,
    issueNumber: number,
    body: text,
    user,
    createdAt: stamp,
    updatedAt: stamp
  }
  state.data.comments.push(comment)
  const json = commentJson(state.url(), repo, comment, true)
  return {
    status: 201,
    body: json,
    headers: { location: String(json.url) }
  }
}

/**
 * A token that may write to the repository may edit anyone's comment there,
 * as on GitHub: keeping other people's comments untouched is the client's
 * job, and the tests check the client does it.
 */
function updateComment(
  state: GitHubServerState,
  repo: RepoRecord,
  request: Request
): Reply {
  const id = Number(request.route.params.comment_id)
  const comment = state.data.comments.find(
    (c) => c.repoId === repo.id && c.id === id
  )
  if (!comment) return githubError(404, 'Not Found')
  const text = commentBody(request.body)
  if (typeof text !== 'string') return text
  comment.body = text
  comment.updatedAt = now()
  return {
    status: 200,
    body: commentJson(state.url(), repo, comment, true)
  }
}

function listPulls(
  state: GitHubServerState,
  repo: RepoRecord,
  request: Request
): Reply {
  const { query } = request
  const wanted = query.state ?? 'open'
  if (!['open', 'closed', 'all'].includes(wanted)) {
    return validationFailed('state', wanted)
  }
  // GitHub's default order: newest first (sort=created, direction=desc).
  const ascending = query.direction === 'asc'
  const pulls = state.data.pulls
    .filter(
      (pull) =>
        pull.repoId === repo.id &&
        (wanted === 'all' || pull.state === wanted) &&
        (!query.base || pull.base === query.base) &&
        (!query.head || `${repo.owner}:${pull.head}` === query.head)
    )
    .sort((a, b) => (ascending ? a.number - b.number : b.number - a.number))
    .map((pull) => pullJson(state.url(), repo, pull, false))
  return paginate(state, request, `/repositories/${repo.id}/pulls`, pulls)
}

function getPull(
  state: GitHubServerState,
  repo: RepoRecord,
  request: Request
): Reply {
  const pull = state.data.pull(repo, Number(request.route.params.pull_number))
  if (!pull) return githubError(404, 'Not Found')
  return { status: 200, body: pullJson(state.url(), repo, pull, true) }
}

/**
 * A branch; for one the repository does not have, GitHub's own 404, whose
 * "Branch not found" differs from the "Not Found" of a repository the token
 * cannot read.
 */
function getBranch(
  state: GitHubServerState,
  repo: RepoRecord,
  request: Request
): Reply {
  const branch = findBranch(
    state.data.branches,
    repo,
    request.route.params.branch
  )
  if (!branch) return githubError(404, 'Branch not found')
  return { status: 200, body: branchJson(state.url(), repo, branch) }
}

/**
 * One page of `items`, with GitHub's `Link` header: absolute URLs that name
 * the repository by id (`/repositories/{id}/…`, as api.github.com writes
 * them), the request's query kept, `page` last; `prev`, `next`, `last` and
 * `first` where they apply, in that order.
 */
function paginate(
  state: GitHubServerState,
  { search }: Request,
  linkPath: string,
  items: unknown[]
): Reply {
  const asked = Number(search.get('per_page') ?? DEFAULT_PER_PAGE)
  const perPage =
    Number.isInteger(asked) && asked >= 1
      ? Math.min(asked, MAX_PER_PAGE)
      : DEFAULT_PER_PAGE
  const askedPage = Number(search.get('page') ?? 1)
  const page = Number.isInteger(askedPage) && askedPage >= 1 ? askedPage : 1
  const lastPage = Math.max(1, Math.ceil(items.length / perPage))
  const body = items.slice((page - 1) * perPage, page * perPage)

  const link = (target: number, rel: string) => {
    const params = new URLSearchParams(search)
    params.delete('page')
    params.set('page', String(target))
    return `<${state.url()}${linkPath}?${params}>; rel="${rel}"`
  }
  const links: string[] = []
  if (page > 1) links.push(link(Math.min(page - 1, lastPage), 'prev'))
  if (page < lastPage) {
    links.push(link(page + 1, 'next'), link(lastPage, 'last'))
  }
  if (page > 1) links.push(link(1, 'first'))
  return {
    status: 200,
    body,
    headers: links.length > 0 ? { link: links.join(', ') } : undefined
  }
}

function commentBody(body: unknown): string | Reply {
  const text = (body as { body?: unknown } | undefined)?.body
  if (typeof text === 'string') return text
  if (body === INVALID) {
    return githubError(400, 'Problems parsing JSON')
  }
  // GitHub's wording for a missing field (a guess at this exact form).
  return githubError(422, 'Invalid request.\n\n"body" wasn\'t supplied.')
}

function validationFailed(field: string, value: string): Reply {
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [
        {
          resource: 'Issue',
          field,
          code: 'invalid',
          value
        }
      ],
      documentation_url: DOCS,
      status: '422'
    }
  }
}

/** GitHub's error body: `message`, `documentation_url` and, lately, `status`. */
function githubError(status: number, message: string): Reply {
  return {
    status,
    body: { message, documentation_url: DOCS, status: String(status) }
  }
}

/** A status fault without a body answers with GitHub's error body. */
function withGitHubBody(fault: Fault): Fault {
  if (typeof fault !== 'object' || !('status' in fault) || fault.body) {
    return fault
  }
  return {
    ...fault,
    body: githubError(fault.status, `Injected fault: HTTP ${fault.status}`).body
  }
}

function authOf(
  req: IncomingMessage,
  settings: GitHubSettings
): GitHubRecordedRequest['auth'] {
  const header = req.headers.authorization
  if (!header) return 'missing'
  // GitHub takes `token X` and `Bearer X`, either case.
  const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header)
  if (match?.[1] === settings.token) return 'write'
  if (match?.[1] === settings.readOnlyToken) return 'read-only'
  if (match?.[1] === settings.userToken) return 'user'
  if (match?.[1] === settings.appToken) return 'app'
  return 'wrong'
}

/** Who a (valid) token writes as, as GitHub names the author of its comments. */
function identityOf(auth: GitHubRecordedRequest['auth']): GitHubUser {
  if (auth === 'user') return TOKEN_USER
  if (auth === 'app') return APP_BOT
  return ACTIONS_BOT
}

const VIEWER_QUERY = /^\s*(?:query\b[^{]*)?\{\s*viewer\s*\{([^{}]*)\}\s*\}\s*$/

/**
 * `POST /graphql` for the one query it answers: `{ viewer { … } }` with
 * `login`, `databaseId` and `__typename`, which GitHub answers for every
 * kind of token (an installation token's viewer is its app's bot). Any
 * other query gets GitHub's 200 with `errors`. GitHub may spell a bot's
 * GraphQL login without REST's `[bot]`; the action compares ids only.
 */
function graphql(body: unknown, user: GitHubUser): Reply {
  const query = (body as { query?: unknown } | undefined)?.query
  if (body === INVALID) return githubError(400, 'Problems parsing JSON')
  if (typeof query !== 'string') {
    return graphqlErrors(
      'A query attribute must be specified and must be a string.'
    )
  }
  const fields = VIEWER_QUERY.exec(query)?.[1]
    .split(/[\s,]+/)
    .filter(Boolean)
  if (!fields || fields.length === 0) {
    return graphqlErrors('The emulator answers only { viewer { … } }.')
  }
  const known: Record<string, unknown> = {
    login: user.login,
    databaseId: user.id,
    __typename: user.type
  }
  const unknown = fields.find((field) => !(field in known))
  if (unknown) {
    return graphqlErrors(
      `Field '${unknown}' doesn't exist on type '${user.type}'`
    )
  }
  const viewer = Object.fromEntries(
    fields.map((field) => [field, known[field]])
  )
  return { status: 200, body: { data: { viewer } } }
}

function graphqlErrors(message: string): Reply {
  return { status: 200, body: { errors: [{ message }] } }
}

export function matchGitHubRoute(method: string, path: string): Matched {
  if (path === '/user' && method === 'GET') {
    return { key: GITHUB_ROUTES.getUser, params: {} }
  }
  if (path === '/graphql' && method === 'POST') {
    return { key: GITHUB_ROUTES.graphql, params: {} }
  }
  // The paths by owner and name, and the same by repository id (which
  // GitHub's page links use).
  const repoPart = '(?:repos/([^/]+)/([^/]+)|repositories/(\\d+))'
  const match = (pattern: string) =>
    new RegExp(`^/${repoPart}${pattern}$`).exec(path)
  const base = (
    m: RegExpExecArray
  ): { params: Record<string, string>; repoId?: number } =>
    m[3] !== undefined
      ? { params: {}, repoId: Number(m[3]) }
      : { params: { owner: decode(m[1]), repo: decode(m[2]) } }
  const comments = match('/issues/(\\d+)/comments')
  if (comments && (method === 'GET' || method === 'POST')) {
    const { params, repoId } = base(comments)
    return {
      key:
        method === 'GET'
          ? GITHUB_ROUTES.listComments
          : GITHUB_ROUTES.createComment,
      params: { ...params, issue_number: comments[4] },
      repoId
    }
  }
  const comment = match('/issues/comments/(\\d+)')
  if (comment && method === 'PATCH') {
    const { params, repoId } = base(comment)
    return {
      key: GITHUB_ROUTES.updateComment,
      params: { ...params, comment_id: comment[4] },
      repoId
    }
  }
  const pulls = match('/pulls')
  if (pulls && method === 'GET') {
    return { key: GITHUB_ROUTES.listPulls, ...base(pulls) }
  }
  const pull = match('/pulls/(\\d+)')
  if (pull && method === 'GET') {
    const { params, repoId } = base(pull)
    return {
      key: GITHUB_ROUTES.getPull,
      params: { ...params, pull_number: pull[4] },
      repoId
    }
  }
  // A branch's name may hold `/`, sent as `%2F` (Octokit) or as it is.
  const branch = match('/branches/(.+)')
  if (branch && method === 'GET') {
    const { params, repoId } = base(branch)
    return {
      key: GITHUB_ROUTES.getBranch,
      params: { ...params, branch: decode(branch[4]) },
      repoId
    }
  }
  return { key: GITHUB_ROUTES.unknown, params: {} }
}

const INVALID = Symbol('invalid JSON')

function parseBody(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return INVALID
  }
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

function send(res: ServerResponse, reply: Reply): void {
  const text = JSON.stringify(reply.body)
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text)
  })
  res.end(text)
}
