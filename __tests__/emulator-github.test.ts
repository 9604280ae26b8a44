// The GitHub emulator (issue 13) over HTTP on loopback: authentication,
// pagination and the comment and pull request routes, as GitHub's REST API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  ACTIONS_BOT,
  APP_BOT,
  GITHUB_ROUTES,
  TOKEN_USER,
  startGitHubEmulator
} from '../emulator/github/index.ts'
import type { GitHubEmulator } from '../emulator/github/index.ts'

interface CallResult {
  status: number
  link: string | null
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON under test
  body: any
}

let github: GitHubEmulator

beforeAll(async () => {
  github = await startGitHubEmulator()
  // 250 pull requests: 120 open, 130 closed (every other one from #2 on,
  // plus the last 10).
  for (let i = 1; i <= 250; i++) {
    github.seedPull({
      owner: 'acme',
      repo: 'many',
      head: `feat-${i}`,
      state: (i % 2 === 0 && i <= 240) || i > 240 ? 'closed' : 'open',
      merged: i % 4 === 0
    })
  }
  github.seedRepo('other', 'many')
})

afterAll(async () => {
  await github.close()
})

beforeEach(() => {
  github.resetRequests()
  github.faults.clear()
})

async function call(
  method: string,
  pathOrUrl: string,
  options: { body?: unknown; authorization?: string | null } = {}
): Promise<CallResult> {
  const headers: Record<string, string> = {}
  const authorization =
    options.authorization === undefined
      ? `token ${github.token}`
      : options.authorization
  if (authorization !== null) headers.authorization = authorization
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  const url = pathOrUrl.startsWith('http')
    ? pathOrUrl
    : `${github.url}${pathOrUrl}`
  const response = await fetch(url, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body)
  })
  return {
    status: response.status,
    link: response.headers.get('link'),
    body: await response.json()
  }
}

/** The `Link` header as GitHub clients parse it: rel → URL. */
function parseLink(header: string | null): Record<string, string> {
  const links: Record<string, string> = {}
  for (const part of (header ?? '').split(', ')) {
    const match = /^<([^>]+)>; rel="(\w+)"$/.exec(part)
    if (match) links[match[2]] = match[1]
  }
  return links
}

describe('GET /repos/{owner}/{repo}/pulls', () => {
  it('pages 250 pull requests by 100: three pages, linked with next and last', async () => {
    const numbers: number[] = []
    const links: Record<string, string>[] = []
    let next: string | undefined =
      '/repos/acme/many/pulls?state=all&per_page=100'
    while (next) {
      const page = await call('GET', next)
      expect(page.status).toBe(200)
      numbers.push(...page.body.map(({ number }: { number: number }) => number))
      const parsed = parseLink(page.link)
      links.push(parsed)
      next = parsed.next
    }
    expect(links).toHaveLength(3)
    const repoId = github.seedRepo('acme', 'many').id
    const pageUrl = (page: number) =>
      `${github.url}/repositories/${repoId}/pulls?state=all&per_page=100&page=${page}`
    expect(links).toEqual([
      { next: pageUrl(2), last: pageUrl(3) },
      {
        prev: pageUrl(1),
        next: pageUrl(3),
        last: pageUrl(3),
        first: pageUrl(1)
      },
      { prev: pageUrl(2), first: pageUrl(1) }
    ])
    // Newest first, each once.
    expect(numbers).toEqual(
      Array.from({ length: 250 }, (_, index) => 250 - index)
    )
    expect(github.requests.map(({ path }) => path)).toEqual([
      '/repos/acme/many/pulls',
      `/repositories/${repoId}/pulls`,
      `/repositories/${repoId}/pulls`
    ])
  })

  it('formats the Link header as GitHub does', async () => {
    const page = await call(
      'GET',
      '/repos/acme/many/pulls?state=all&per_page=100'
    )
    const repoId = github.seedRepo('acme', 'many').id
    expect(page.link).toBe(
      `<${github.url}/repositories/${repoId}/pulls?state=all&per_page=100&page=2>; rel="next", ` +
        `<${github.url}/repositories/${repoId}/pulls?state=all&per_page=100&page=3>; rel="last"`
    )
  })

  it.each([
    { query: '', count: 30, first: 239, link: true },
    { query: '?state=open&per_page=100', count: 100, first: 239, link: true },
    {
      query: '?state=open&per_page=100&page=2',
      count: 20,
      first: 39,
      link: true
    },
    { query: '?state=closed&per_page=500', count: 100, first: 250, link: true },
    {
      query: '?state=all&per_page=100&page=4',
      count: 0,
      first: undefined,
      link: true
    }
  ])(
    'lists $query: $count pull requests',
    async ({ query, count, first, link }) => {
      const page = await call('GET', `/repos/acme/many/pulls${query}`)
      expect(page.status).toBe(200)
      expect(page.body).toHaveLength(count)
      expect(page.body[0]?.number).toBe(first)
      expect(page.link !== null).toBe(link)
    }
  )

  it('answers one page without a Link header', async () => {
    github.seedPull({ owner: 'acme', repo: 'few', head: 'feat-x' })
    const page = await call('GET', '/repos/acme/few/pulls')
    expect(page.status).toBe(200)
    expect(page.link).toBeNull()
    expect(page.body).toHaveLength(1)
  })

  it('gives the fields a client reads', async () => {
    const page = await call(
      'GET',
      '/repos/acme/many/pulls?state=closed&per_page=1'
    )
    expect(page.body[0]).toMatchObject({
      number: 250,
      state: 'closed',
      title: 'Change feat-250',
      head: { ref: 'feat-250' },
      base: { ref: 'main' },
      user: { login: 'octocat', type: 'User' },
      closed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      merged_at: null
    })
    expect(page.body[0]).not.toHaveProperty('merged')
  })

  it('refuses an unknown state with 422', async () => {
    const page = await call('GET', '/repos/acme/many/pulls?state=merged')
    expect(page.status).toBe(422)
    expect(page.body.message).toBe('Validation Failed')
  })
})

describe('GET /repos/{owner}/{repo}/pulls/{pull_number}', () => {
  it('gives one pull request, merged or not', async () => {
    const merged = await call('GET', '/repos/acme/many/pulls/4')
    expect(merged.status).toBe(200)
    expect(merged.body).toMatchObject({
      number: 4,
      state: 'closed',
      merged: true,
      merged_at: expect.any(String),
      head: { ref: 'feat-4' }
    })
    const open = await call('GET', '/repos/ACME/Many/pulls/1')
    expect(open.body).toMatchObject({
      number: 1,
      state: 'open',
      merged: false,
      closed_at: null,
      merged_at: null
    })
  })

  it('answers 404 for a number that is not a pull request', async () => {
    const result = await call('GET', '/repos/acme/many/pulls/251')
    expect(result.status).toBe(404)
    expect(result.body).toMatchObject({ message: 'Not Found' })
  })
})

describe('authentication', () => {
  const routes = [
    ['GET', '/repos/acme/many/pulls'],
    ['GET', '/repos/acme/many/pulls/1'],
    ['GET', '/repos/acme/many/issues/1/comments'],
    ['POST', '/repos/acme/many/issues/1/comments'],
    ['PATCH', '/repos/acme/many/issues/comments/1']
  ]

  it.each([
    { case: 'no token', authorization: null },
    { case: 'a wrong token', authorization: 'token ghs_wrong' },
    { case: 'a wrong bearer token', authorization: 'Bearer ghs_wrong' },
    { case: 'a bare token', authorization: 'ghs_wrong' }
  ])(
    'answers $case with 401 Bad credentials on every route',
    async ({ authorization }) => {
      for (const [method, path] of routes) {
        const result = await call(method, path, {
          authorization,
          body: method === 'GET' ? undefined : { body: 'x' }
        })
        expect(result.status).toBe(401)
        expect(result.body).toEqual({
          message: 'Bad credentials',
          documentation_url: 'https://docs.github.com/rest',
          status: '401'
        })
      }
      expect(github.comments('acme', 'many', 1)).toEqual([])
    }
  )

  it.each(['token X', 'Bearer X', 'bearer X', 'TOKEN X'])(
    'takes the token as %s',
    async (form) => {
      const authorization = form.replace('X', github.token)
      const result = await call('GET', '/repos/acme/many/pulls/1', {
        authorization
      })
      expect(result.status).toBe(200)
    }
  )

  it('lets a read-only token read, and answers its writes 403', async () => {
    const authorization = `token ${github.readOnlyToken}`
    const read = await call('GET', '/repos/acme/many/issues/3/comments', {
      authorization
    })
    expect(read.status).toBe(200)
    const theirs = github.seedComment({
      owner: 'acme',
      repo: 'many',
      issueNumber: 3,
      body: 'looks good'
    })
    for (const [method, path] of [
      ['POST', '/repos/acme/many/issues/3/comments'],
      ['PATCH', `/repos/acme/many/issues/comments/${theirs.id}`]
    ]) {
      const write = await call(method, path, {
        authorization,
        body: { body: 'store ready' }
      })
      expect(write.status).toBe(403)
      expect(write.body).toMatchObject({
        message: 'Resource not accessible by integration'
      })
    }
    expect(github.comments('acme', 'many', 3)).toEqual([theirs])
    expect(github.requests.map(({ auth, status }) => [auth, status])).toEqual([
      ['read-only', 200],
      ['read-only', 403],
      ['read-only', 403]
    ])
  })

  it('answers 404 Not Found for an unknown repository or path', async () => {
    for (const path of [
      '/repos/acme/nothing/pulls',
      '/repos/nobody/many/issues/1/comments',
      '/repos/acme/many/labels'
    ]) {
      const result = await call('GET', path)
      expect(result.status).toBe(404)
      expect(result.body.message).toBe('Not Found')
    }
  })
})

describe('comments', () => {
  it('creates a comment as the token’s bot, then updates it in place; another user’s comment is untouched', async () => {
    const theirs = github.seedComment({
      owner: 'acme',
      repo: 'many',
      issueNumber: 5,
      body: '<!-- vercel-store-action --> not really',
      user: 'mallory'
    })

    const created = await call('POST', '/repos/acme/many/issues/5/comments', {
      body: { body: 'store: creating' }
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      id: expect.any(Number),
      node_id: expect.stringMatching(/^IC_/),
      body: 'store: creating',
      user: { login: 'github-actions[bot]', type: 'Bot' },
      html_url: `https://github.com/acme/many/pull/5#issuecomment-${created.body.id}`,
      created_at: expect.any(String),
      updated_at: expect.any(String)
    })

    const updated = await call(
      'PATCH',
      `/repos/acme/many/issues/comments/${created.body.id}`,
      { body: { body: 'store: available' } }
    )
    expect(updated.status).toBe(200)
    expect(updated.body).toMatchObject({
      id: created.body.id,
      body: 'store: available',
      created_at: created.body.created_at
    })

    const listed = await call('GET', '/repos/acme/many/issues/5/comments')
    expect(listed.status).toBe(200)
    expect(
      listed.body.map(({ id, body, user }: Record<string, never>) => [
        id,
        body,
        (user as { login: string }).login
      ])
    ).toEqual([
      [theirs.id, '<!-- vercel-store-action --> not really', 'mallory'],
      [created.body.id, 'store: available', 'github-actions[bot]']
    ])
    expect(github.comments('acme', 'many', 5)[0]).toEqual(theirs)
    expect(
      github.requests.map(({ route, status, body }) => [route, status, body])
    ).toEqual([
      [GITHUB_ROUTES.createComment, 201, { body: 'store: creating' }],
      [GITHUB_ROUTES.updateComment, 200, { body: 'store: available' }],
      [GITHUB_ROUTES.listComments, 200, undefined]
    ])
  })

  it('pages comments like pull requests', async () => {
    for (let i = 0; i < 45; i++) {
      github.seedComment({
        owner: 'acme',
        repo: 'many',
        issueNumber: 7,
        body: `c${i}`
      })
    }
    const first = await call('GET', '/repos/acme/many/issues/7/comments')
    expect(first.body).toHaveLength(30)
    const next = parseLink(first.link).next
    expect(next).toMatch(/\/repositories\/\d+\/issues\/7\/comments\?page=2$/)
    const second = await call('GET', next)
    expect(second.body.map(({ body }: { body: string }) => body)).toEqual(
      Array.from({ length: 15 }, (_, i) => `c${30 + i}`)
    )
  })

  it.each([
    { case: 'no body field', body: { text: 'x' }, status: 422 },
    {
      case: 'an unknown comment',
      path: '/repos/acme/many/issues/comments/1',
      body: { body: 'x' },
      status: 404
    },
    {
      case: 'an unknown pull request',
      path: '/repos/acme/many/issues/999/comments',
      method: 'POST',
      body: { body: 'x' },
      status: 404
    }
  ])('refuses $case', async ({ body, status, path, method }) => {
    const before = github.comments('acme', 'many', 9)
    const result = await call(
      method ?? 'POST',
      path ?? '/repos/acme/many/issues/9/comments',
      { body }
    )
    expect(result.status).toBe(status)
    expect(github.comments('acme', 'many', 9)).toEqual(before)
  })
})

describe('faults', () => {
  it('answers a route with the planned status, in GitHub’s error shape, and records it', async () => {
    github.faults.add(GITHUB_ROUTES.createComment, { status: 502 })
    const result = await call('POST', '/repos/acme/many/issues/11/comments', {
      body: { body: 'x' }
    })
    expect(result.status).toBe(502)
    expect(result.body).toMatchObject({ message: 'Injected fault: HTTP 502' })
    expect(github.comments('acme', 'many', 11)).toEqual([])
    expect(github.requests).toEqual([
      {
        method: 'POST',
        path: '/repos/acme/many/issues/11/comments',
        route: GITHUB_ROUTES.createComment,
        query: {},
        body: { body: 'x' },
        auth: 'write',
        status: 502,
        fault: 'status 502'
      }
    ])
    // The next request runs the route.
    const again = await call('POST', '/repos/acme/many/issues/11/comments', {
      body: { body: 'x' }
    })
    expect(again.status).toBe(201)
  })
})

describe('GET /user', () => {
  it('names the user of a personal access token, and refuses an installation token as GitHub does', async () => {
    const user = await call('GET', '/user', {
      authorization: `token ${github.userToken}`
    })
    expect(user.status).toBe(200)
    expect(user.body).toMatchObject({ login: 'deploy-user', type: 'User' })
    const bot = await call('GET', '/user')
    expect(bot.status).toBe(403)
    expect(bot.body.message).toBe('Resource not accessible by integration')
    const app = await call('GET', '/user', {
      authorization: `token ${github.appToken}`
    })
    expect(app.status).toBe(403)
    expect(app.body.message).toBe('Resource not accessible by integration')
    expect(github.requests.map(({ route, auth }) => [route, auth])).toEqual([
      [GITHUB_ROUTES.getUser, 'user'],
      [GITHUB_ROUTES.getUser, 'write'],
      [GITHUB_ROUTES.getUser, 'app']
    ])
  })
})

describe('tokens and who they write as', () => {
  it('gives Actions’ token and another App’s the same ghs_ prefix', () => {
    expect(github.token).toMatch(/^ghs_/)
    expect(github.appToken).toMatch(/^ghs_/)
    expect(github.userToken).toMatch(/^ghp_/)
  })

  it.each([
    { token: 'token', user: ACTIONS_BOT },
    { token: 'readOnlyToken', user: ACTIONS_BOT },
    { token: 'appToken', user: APP_BOT },
    { token: 'userToken', user: TOKEN_USER }
  ] as const)(
    'names $user.login as the viewer of $token in GraphQL',
    async ({ token, user }) => {
      const result = await call('POST', '/graphql', {
        authorization: `bearer ${github[token]}`,
        body: { query: 'query { viewer { login databaseId __typename } }' }
      })
      expect(result.status).toBe(200)
      expect(result.body).toEqual({
        data: {
          viewer: {
            login: user.login,
            databaseId: user.id,
            __typename: user.type
          }
        }
      })
    }
  )

  it.each(['appToken', 'userToken'] as const)(
    'writes a comment with %s as that token’s identity',
    async (token) => {
      const created = await call('POST', '/repos/acme/many/issues/7/comments', {
        authorization: `token ${github[token]}`,
        body: { body: 'hello' }
      })
      const user = token === 'appToken' ? APP_BOT : TOKEN_USER
      expect(created.status).toBe(201)
      expect(created.body.user).toMatchObject({
        login: user.login,
        id: user.id,
        type: user.type
      })
    }
  )

  it('answers GraphQL’s errors for a field or query it does not know, and 401 for a wrong token', async () => {
    const field = await call('POST', '/graphql', {
      body: { query: '{ viewer { email } }' }
    })
    expect(field.status).toBe(200)
    expect(field.body).toEqual({
      errors: [{ message: "Field 'email' doesn't exist on type 'Bot'" }]
    })
    const other = await call('POST', '/graphql', {
      body: { query: '{ repository(owner: "acme", name: "many") { id } }' }
    })
    expect(other.body.errors[0].message).toMatch(/only \{ viewer/)
    const wrong = await call('POST', '/graphql', {
      authorization: 'bearer ghs_wrong',
      body: { query: '{ viewer { login } }' }
    })
    expect(wrong.status).toBe(401)
    expect(wrong.body.message).toBe('Bad credentials')
  })
})
