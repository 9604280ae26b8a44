// Issue 13: `comment: true` keeps one pull request comment current through
// the store's life, against both emulators (in-process runs; the bundle's
// smoke test is in github-bundle.test.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../emulator/index.ts'
import {
  ACTIONS_BOT,
  APP_BOT,
  GITHUB_ROUTES,
  TOKEN_USER,
  startGitHubEmulator,
  type GitHubEmulator
} from '../emulator/github/index.ts'
import { runAction, type RunOptions } from '../harness/run-action.ts'
import { commentBody, commentMarker } from '../src/comment.ts'
import { linksAndImages } from './support/rendered.ts'
import { errorLine, neonIdInputs, warningLines } from './support/run-result.ts'

let emulator: Emulator
let github: GitHubEmulator
let pull: number

beforeEach(async () => {
  ;[emulator, github] = await Promise.all([
    startEmulator(),
    startGitHubEmulator()
  ])
  pull = github.seedPull({
    owner: 'acme',
    repo: 'web',
    head: 'feature/login'
  }).number
})

afterEach(async () => {
  await Promise.all([emulator.close(), github.close()])
})

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return neonIdInputs(emulator, {
    comment: 'true',
    'github-token': github.token,
    ...extra
  })
}

function run(options: RunOptions = {}) {
  return runAction({
    pullRequest: pull,
    githubApiUrl: github.url,
    inputs: inputs(),
    ...options
  })
}

const comments = () => github.comments('acme', 'web', pull)
const ours = () =>
  comments().filter(({ body }) => body.includes('vercel-store-action'))

describe('comment: true', () => {
  it('leaves one comment over three runs and the close, updated each time, and never touches another user’s', async () => {
    const other = github.seedComment({
      owner: 'acme',
      repo: 'web',
      issueNumber: pull,
      body: 'Looks good to me',
      user: 'octocat'
    })

    const first = await run({
      inputs: inputs({ project: 'web', 'env-prefix': 'PR1_' })
    })
    expect(first.exitCode).toBe(0)
    const storeId = first.outputs['store-id']
    const storeName = first.outputs['store-name']
    expect(ours()).toHaveLength(1)
    const [created] = ours()
    expect(created.user.login).toBe(ACTIONS_BOT.login)
    expect(created.body).toContain(
      '<!-- vercel-store-action:acme%2Fweb%231 -->'
    )
    expect(created.body).toContain(storeId)
    expect(created.body).toContain(storeName)
    expect(created.body).toContain('created by this run')
    expect(created.body).toContain('available')
    expect(created.body).toContain('Neon Postgres, plan Free')
    expect(created.body).toContain(
      `<a href="${first.outputs['dashboard-url']}">`
    )
    // Each variable once, by the store's name, the project's prefix said once.
    expect(created.body).toContain(
      'Project <code>web</code>, as <code>PR1_</code>…'
    )
    expect(created.body).toContain(
      '<tr><td><code>DATABASE_URL</code></td><td>✓</td></tr>'
    )
    expect(created.body).not.toContain('PR1_DATABASE_URL')
    // Variables by name only: no value a connection made is in the comment.
    for (const value of emulator.secretValues()) {
      expect(created.body).not.toContain(value)
    }
    expect(github.count(GITHUB_ROUTES.createComment)).toBe(1)

    for (let round = 2; round <= 3; round++) {
      github.resetRequests()
      const again = await run({
        inputs: inputs({ project: 'web', 'env-prefix': 'PR1_' })
      })
      expect(again.exitCode).toBe(0)
      expect(again.outputs['store-id']).toBe(storeId)
      expect(github.count(GITHUB_ROUTES.createComment)).toBe(0)
      expect(github.count(GITHUB_ROUTES.updateComment)).toBe(1)
      expect(ours()).toHaveLength(1)
      expect(ours()[0].id).toBe(created.id)
      expect(ours()[0].body).toContain('found by its key and reused')
    }

    github.closePull('acme', 'web', pull)
    const closed = await run({
      pullRequestAction: 'closed',
      inputs: inputs({ state: 'absent' })
    })
    expect(closed.exitCode).toBe(0)
    expect(closed.outputs.deleted).toBe('true')
    expect(ours()).toHaveLength(1)
    expect(ours()[0].id).toBe(created.id)
    expect(ours()[0].body).toMatch(/deleted/i)
    expect(ours()[0].body).toContain(storeId)
    expect(comments()).toHaveLength(2)
    expect(comments().find(({ id }) => id === other.id)).toEqual(other)
  })

  it('keeps what a close deleted on its rerun, and writes nothing on a pull request that never had a store', async () => {
    const opened = await run()
    const storeId = opened.outputs['store-id']
    github.closePull('acme', 'web', pull)
    const close = () =>
      run({ pullRequestAction: 'closed', inputs: inputs({ state: 'absent' }) })

    const closed = await close()
    expect(closed.outputs.deleted).toBe('true')
    const [afterClose] = ours()
    expect(afterClose.body).toBe(
      `${commentMarker(`acme/web#${pull}`)}\n<p><b>Deleted</b> the Vercel store of this pull request: ${opened.outputs['store-name']} <code>${storeId}</code>.</p>\n`
    )

    // The rerun finds nothing left to delete: the record stays as it was.
    github.resetRequests()
    const rerun = await close()
    expect(rerun.exitCode).toBe(0)
    expect(rerun.outputs.deleted).toBe('false')
    expect(github.requests.map(({ route }) => route)).toEqual([
      GITHUB_ROUTES.graphql,
      GITHUB_ROUTES.listComments
    ])
    expect(ours()).toEqual([afterClose])
    expect(rerun.stdout).toContain(
      `The comment on pull request #${pull} already says what the close deleted: left as it is.`
    )

    // A pull request closed without ever having had a store gets no comment.
    pull = github.seedPull({ owner: 'acme', repo: 'web', head: 'docs' }).number
    github.closePull('acme', 'web', pull)
    github.resetRequests()
    const never = await close()
    expect(never.exitCode).toBe(0)
    expect(github.requests.map(({ route }) => route)).toEqual([
      GITHUB_ROUTES.graphql,
      GITHUB_ROUTES.listComments
    ])
    expect(comments()).toEqual([])
    expect(warningLines(never)).toEqual([])
  })

  it('names the preview variables git-branch wrote, by name only', async () => {
    const result = await run({
      env: { GITHUB_HEAD_REF: 'feature/login' },
      inputs: inputs({ project: 'web', 'git-branch': 'feature/login' })
    })
    expect(result.exitCode).toBe(0)
    const [comment] = ours()
    expect(comment.body).toContain(
      '<td><code>feature/login</code></td><td>—</td>'
    )
    expect(comment.body).toContain(
      '<th>Branch <code>feature/login</code></th></tr><tr><td><code>DATABASE_URL</code></td><td>✓</td><td>✓</td><td>written</td></tr>'
    )
    for (const value of emulator.secretValues()) {
      expect(comment.body).not.toContain(value)
    }
  })

  it('keeps one comment per step: two stores of one pull request, two comments', async () => {
    await run({ inputs: inputs({ name: 'app-db' }) })
    await run({ inputs: inputs({ name: 'app-cache' }) })
    await run({ inputs: inputs({ name: 'app-db' }) })
    expect(ours()).toHaveLength(2)
    expect(ours()[0].body).toContain('app-db')
    expect(ours()[1].body).toContain('app-cache')
  })

  it('never updates a comment that carries the marker but another user wrote', async () => {
    await run()
    const [mine] = ours()
    const forged = github.seedComment({
      owner: 'acme',
      repo: 'web',
      issueNumber: pull,
      body: mine.body,
      user: 'mallory'
    })
    // The forged one is older than a fresh comment would be, and first in
    // the listing: it must still be passed over.
    github.resetRequests()
    await run()
    expect(comments().find(({ id }) => id === forged.id)?.updatedAt).toBe(
      forged.updatedAt
    )
    expect(github.requests.map(({ route }) => route)).toEqual([
      GITHUB_ROUTES.graphql,
      GITHUB_ROUTES.listComments,
      GITHUB_ROUTES.updateComment
    ])
    expect(github.requests[2].path).toContain(String(mine.id))
  })

  it("with GITHUB_TOKEN, never updates another bot's comment that starts with the marker", async () => {
    // Another app (any installed one) posts, or quotes, a comment that
    // starts with the step's marker before the step first runs.
    const renovate = github.seedComment({
      owner: 'acme',
      repo: 'web',
      issueNumber: pull,
      body: `${commentMarker('acme/web#1')}\nhello`,
      user: 'renovate[bot]'
    })
    for (const expected of [
      GITHUB_ROUTES.createComment,
      GITHUB_ROUTES.updateComment
    ]) {
      github.resetRequests()
      expect((await run()).exitCode).toBe(0)
      expect(github.requests.map(({ route }) => route)).toEqual([
        GITHUB_ROUTES.graphql,
        GITHUB_ROUTES.listComments,
        expected
      ])
    }
    expect(comments().map(({ user }) => user.login)).toEqual([
      'renovate[bot]',
      ACTIONS_BOT.login
    ])
    expect(comments()[0]).toEqual(renovate)
    expect(comments()[1].body).toContain('found by its key and reused')
  })

  it('with a personal access token, updates only the comment its user wrote', async () => {
    const pat = () =>
      run({ inputs: inputs({ 'github-token': github.userToken }) })
    // A bot's comment with the same marker (the step ran with GITHUB_TOKEN
    // before) is not this token's.
    await run()
    const [botComment] = ours()
    expect(botComment.user.login).toBe(ACTIONS_BOT.login)

    github.resetRequests()
    expect((await pat()).exitCode).toBe(0)
    expect(github.requests.map(({ route }) => route)).toEqual([
      GITHUB_ROUTES.graphql,
      GITHUB_ROUTES.listComments,
      GITHUB_ROUTES.createComment
    ])
    github.resetRequests()
    expect((await pat()).exitCode).toBe(0)
    expect(github.count(GITHUB_ROUTES.updateComment)).toBe(1)
    expect(ours().map(({ user }) => user.login)).toEqual([
      ACTIONS_BOT.login,
      TOKEN_USER.login
    ])
    expect(ours()[0]).toEqual(botComment)
  })

  it('finds its comment among more than a page of others', async () => {
    for (let i = 0; i < 130; i++) {
      github.seedComment({
        owner: 'acme',
        repo: 'web',
        issueNumber: pull,
        body: `comment ${i}`
      })
    }
    await run()
    github.resetRequests()
    await run()
    expect(ours()).toHaveLength(1)
    expect(github.count(GITHUB_ROUTES.listComments)).toBe(2)
    expect(github.count(GITHUB_ROUTES.updateComment)).toBe(1)
  })

  it('warns, and the step succeeds, when a fork’s read-only token cannot write', async () => {
    const result = await run({
      inputs: inputs({ 'github-token': github.readOnlyToken })
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.created).toBe('true')
    expect(warningLines(result).join('\n')).toMatch(
      /pull request comment.*403.*pull-requests: write/i
    )
    expect(ours()).toHaveLength(0)
  })

  it('warns, and the step succeeds, when GitHub fails', async () => {
    github.faults.add(GITHUB_ROUTES.listComments, { status: 502 })
    const result = await run()
    expect(result.exitCode).toBe(0)
    expect(result.outputs['store-id']).toMatch(/^store_/)
    expect(warningLines(result).join('\n')).toMatch(/pull request comment/i)
  })

  it('warns outside a pull request, and asks GitHub nothing', async () => {
    const result = await runAction({
      githubApiUrl: github.url,
      inputs: inputs()
    })
    expect(result.exitCode).toBe(0)
    expect(warningLines(result).join('\n')).toMatch(
      /comment.*only on a pull request/i
    )
    expect(github.requests).toEqual([])
  })

  it('fails naming github-token when it is empty, before any request', async () => {
    const result = await run({ inputs: inputs({ 'github-token': '' }) })
    expect(errorLine(result)).toContain('"github-token"')
    expect(emulator.requests).toEqual([])
    expect(github.requests).toEqual([])
  })

  it('fails naming comment when it is not a boolean', async () => {
    const result = await run({ inputs: inputs({ comment: 'yes' }) })
    expect(errorLine(result)).toContain('"comment"')
    expect(emulator.requests).toEqual([])
  })

  it('writes no comment on a dry run', async () => {
    const result = await run({ inputs: inputs({ 'dry-run': 'true' }) })
    expect(result.exitCode).toBe(0)
    expect(github.requests).toEqual([])
  })

  it('shows an API’s strings as text: no link, image or markup from them', async () => {
    const { neon } = emulator.installations
    const hostile = 'x](https://evil.example)![i](https://evil.example/i.png)'
    emulator.seedStore({
      installationId: neon.id,
      productIdOrSlug: neon.products[0].id,
      name: 'web-pr-1-86f279ce',
      externalId: 'acme/web#1',
      status: 'available'
    })
    const [store] = emulator.stores()
    emulator.setStoreStatus(store.id, `available<img src=x>${hostile}`)
    await run({ inputs: inputs({ wait: 'false' }) })
    const [comment] = ours()
    expect(comment.body).not.toContain('https://evil')
    expect(comment.body).not.toContain('<img')
    expect(comment.body).not.toMatch(/\]\(/)
  })
})

describe('whose comment it is: the token’s identity, never its prefix (issue 23)', () => {
  const identities = [
    { token: 'token', name: 'Actions’ GITHUB_TOKEN', user: ACTIONS_BOT },
    { token: 'appToken', name: 'another App’s ghs_ token', user: APP_BOT },
    { token: 'userToken', name: 'a personal access token', user: TOKEN_USER }
  ] as const

  it.each(identities)(
    'with $name, three runs and the close leave one comment of its own, and every other marker comment as it was',
    async ({ token, user }) => {
      const marker = commentMarker(`acme/web#${pull}`)
      // The same marker, first in the listing, by every other identity the
      // emulator knows, a person and another app: none of them is this
      // token's, whatever its prefix.
      const others = [
        ...identities.filter((other) => other.user !== user),
        { user: { login: 'mallory' } },
        { user: { login: 'renovate[bot]' } }
      ].map((other) =>
        github.seedComment({
          owner: 'acme',
          repo: 'web',
          issueNumber: pull,
          body: `${marker}\nposted by ${other.user.login}`,
          user: other.user.login
        })
      )
      const withToken = (extra: Record<string, string> = {}) =>
        inputs({ 'github-token': github[token], ...extra })

      const results = []
      for (let round = 1; round <= 3; round++) {
        results.push(await run({ inputs: withToken() }))
      }
      github.closePull('acme', 'web', pull)
      results.push(
        await run({
          pullRequestAction: 'closed',
          inputs: withToken({ state: 'absent' })
        })
      )
      for (const result of results) {
        expect(result.exitCode).toBe(0)
        expect(warningLines(result)).toEqual([])
      }
      expect(github.count(GITHUB_ROUTES.createComment)).toBe(1)
      expect(github.count(GITHUB_ROUTES.updateComment)).toBe(3)
      const own = comments().filter(({ user: { id } }) => id === user.id)
      expect(own).toHaveLength(1)
      expect(own[0].body).toContain(
        '<p><b>Deleted</b> the Vercel store of this pull request'
      )
      expect(comments()).toEqual([...others, ...own])
      const patched = github.requests
        .filter(({ route }) => route === GITHUB_ROUTES.updateComment)
        .map(({ path }) => path)
      expect(patched).toEqual(
        Array(3).fill(`/repos/acme/web/issues/comments/${own[0].id}`)
      )
      expect(results[0].stdout).toContain(
        `Wrote the comment on pull request #${pull} as ${user.login}.`
      )
      expect(results[1].stdout).toContain(
        `Updated ${user.login}'s comment on pull request #${pull}.`
      )
    }
  )

  it('warns, and writes nothing, when GitHub will not say who the token is', async () => {
    github.faults.add(GITHUB_ROUTES.graphql, {
      status: 200,
      body: { errors: [{ message: 'Something went wrong' }] }
    })
    const result = await run()
    expect(result.exitCode).toBe(0)
    expect(result.outputs.created).toBe('true')
    expect(warningLines(result)).toEqual([
      "::warning::Could not write the pull request comment: GitHub answered 200 to the query of the token's identity (Something went wrong)"
    ])
    expect(github.requests.map(({ route }) => route)).toEqual([
      GITHUB_ROUTES.graphql
    ])
    expect(comments()).toEqual([])
  })

  it('warns when GitHub writes the comment as someone other than the identity it named', async () => {
    github.faults.add(GITHUB_ROUTES.graphql, {
      status: 200,
      body: { data: { viewer: { login: 'someone', databaseId: 7 } } }
    })
    const result = await run()
    expect(result.exitCode).toBe(0)
    expect(ours().map(({ user: { login } }) => login)).toEqual([
      ACTIONS_BOT.login
    ])
    expect(warningLines(result)).toEqual([
      `::warning::GitHub wrote the comment as ${ACTIONS_BOT.login} (id ${ACTIONS_BOT.id}), but named the token's identity someone (id 7): the next run will not find this comment, and will write another.`
    ])
  })
})

describe('the marker', () => {
  it('holds the key percent-encoded, so no key can end the hidden comment or break its line', () => {
    const key = 'acme/web:db --> <b>x</b>\n<!--'
    expect(commentMarker(key)).toBe(
      `<!-- vercel-store-action:${encodeURIComponent(key)} -->`
    )
    const [first, ...rest] = commentBody(key, {
      state: 'absent',
      removed: []
    }).split('\n')
    expect(first).toBe(commentMarker(key))
    expect(first.match(/-->/g)).toHaveLength(1)
    expect(rest.join('\n')).not.toContain('<b>x</b>')
  })
})

describe('the comment of a branch preview (issues 12 and 21)', () => {
  it('links the preview redeploy started, from the deployment host Vercel gave', async () => {
    // The Git integration built the branch before the step wrote its
    // variables: the step rebuilds it, and the comment links the rebuild.
    const raced = emulator.seedDeployment({
      projectId: 'web',
      branch: 'feature/login',
      createdAt: Date.now() - 60_000
    })
    const result = await run({
      inputs: inputs({
        project: 'web',
        'git-branch': 'feature/login',
        redeploy: 'true'
      })
    })
    expect(result.exitCode).toBe(0)
    const rebuilt = emulator
      .deployments()
      .find(({ redeployOf }) => redeployOf === raced.id)
    expect(rebuilt?.url).toMatch(/^web-[a-z0-9]+-acme\.vercel\.app$/)
    const [comment] = ours()
    expect(comment.body).toContain(
      `<td><code>feature/login</code></td><td><a href="https://${rebuilt?.url}">Visit preview</a></td>`
    )
    expect(linksAndImages(comment.body).links).toEqual([
      result.outputs['dashboard-url'],
      `https://${rebuilt?.url}`
    ])
    expect(comment.body).toContain(
      `<code>${rebuilt?.id}</code>, a rebuild of the branch's newest preview <code>${raced.id}</code>`
    )
    // A rerun rebuilds nothing, and still links the branch's preview: the
    // rebuild, now its newest, built with the variables.
    const rerun = await run({
      inputs: inputs({
        project: 'web',
        'git-branch': 'feature/login',
        redeploy: 'true'
      })
    })
    expect(rerun.exitCode).toBe(0)
    expect(rerun.outputs['redeployed-deployment-id'] ?? '').toBe('')
    const [again] = ours()
    expect(linksAndImages(again.body).links).toEqual([
      result.outputs['dashboard-url'],
      `https://${rebuilt?.url}`
    ])
  })
})
