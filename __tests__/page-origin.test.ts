// Issue 23, finding 3: a listing's next page is followed only on the origin
// of GITHUB_API_URL (scheme, host and port); a `Link` that names another
// fails the step, naming it, and the token goes nowhere else. Vercel's
// listings take a cursor, sent as a query parameter on the api-url origin.
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator, type Emulator } from '../emulator/index.ts'
import {
  GITHUB_ROUTES,
  startGitHubEmulator,
  type GitHubEmulator
} from '../emulator/github/index.ts'
import { pullRequestStoreName } from '../src/naming.ts'
import { runAction, type RunOptions } from '../harness/run-action.ts'
import { errorLine, neonIdInputs } from './support/run-result.ts'

/** A loopback server that records whatever reaches it. */
interface Trap {
  port: number
  requests: { url: string; headers: IncomingHttpHeaders }[]
  close(): Promise<void>
}

async function startTrap(): Promise<Trap> {
  const requests: Trap['requests'] = []
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers })
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('[]')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}

let emulator: Emulator
let github: GitHubEmulator
let trap: Trap
let pull: number

beforeEach(async () => {
  ;[emulator, github, trap] = await Promise.all([
    startEmulator(),
    startGitHubEmulator(),
    startTrap()
  ])
  pull = github.seedPull({ owner: 'acme', repo: 'web', head: 'x' }).number
})

afterEach(async () => {
  await Promise.all([emulator.close(), github.close(), trap.close()])
})

/** GitHub's first page of a listing, empty, its next page elsewhere. */
function nextPageAt(route: string, next: string): void {
  github.faults.add(route, {
    status: 200,
    body: [],
    headers: { link: `<${next}>; rel="next"` }
  })
}

function commentRun(options: RunOptions = {}) {
  return runAction({
    pullRequest: pull,
    githubApiUrl: github.url,
    inputs: neonIdInputs(emulator, {
      comment: 'true',
      'github-token': github.token
    }),
    ...options
  })
}

/** The trap is reachable at the URL: its silence after a run means something. */
async function expectReachable(url: string): Promise<void> {
  await fetch(url)
  expect(trap.requests).toHaveLength(1)
  trap.requests.length = 0
}

describe('the comment listing through the bundle', () => {
  it.each([
    ['another host', () => `http://localhost:${trap.port}/stolen?page=2`],
    [
      'plain http on the same host, another port',
      () => `http://127.0.0.1:${trap.port}/stolen?page=2`
    ]
  ])('fails naming a next page on %s, and sends it nothing', async (_, url) => {
    const next = url()
    await expectReachable(next)
    nextPageAt(GITHUB_ROUTES.listComments, next)
    const result = await commentRun({ bundle: true })
    const error = errorLine(result)
    expect(error).toContain(next)
    expect(error).toContain(`not to ${github.url}`)
    expect(error).toContain("pull request #1's comments")
    expect(trap.requests).toEqual([])
    // The store was made; no comment was written after the refused page.
    expect(result.outputs['store-id']).toMatch(/^store_/)
    expect(github.count(GITHUB_ROUTES.createComment)).toBe(0)
  })
})

describe('a page link', () => {
  it('on another scheme of the same host and port is refused', async () => {
    const next = github.url.replace('http:', 'https:') + '/stolen?page=2'
    nextPageAt(GITHUB_ROUTES.listComments, next)
    const error = errorLine(await commentRun())
    expect(error).toContain(JSON.stringify(next))
    expect(github.count(GITHUB_ROUTES.listComments)).toBe(1)
  })

  it('of the prune’s pull request listing is refused, and nothing is deleted', async () => {
    const { neon } = emulator.installations
    const store = emulator.seedStore({
      installationId: neon.id,
      productIdOrSlug: neon.products[0].id,
      name: pullRequestStoreName({ owner: 'acme', repo: 'web' }, 7)
    })
    const next = `http://127.0.0.1:${trap.port}/repos/acme/web/pulls?page=2`
    nextPageAt(GITHUB_ROUTES.listPulls, next)
    const result = await runAction({
      eventName: 'schedule',
      githubApiUrl: github.url,
      inputs: neonIdInputs(emulator, {
        state: 'prune',
        'github-token': github.token
      })
    })
    const error = errorLine(result)
    expect(error).toContain(next)
    expect(error).toContain("acme/web's open pull requests")
    expect(trap.requests).toEqual([])
    expect(github.count(GITHUB_ROUTES.listPulls)).toBe(1)
    expect(
      emulator.requests.filter(({ method }) => method === 'DELETE')
    ).toEqual([])
    expect(emulator.stores().map(({ id }) => id)).toEqual([store.id])
  })

  it('on the same origin is followed: the comment on the second page is updated', async () => {
    for (let i = 0; i < 120; i++) {
      github.seedComment({
        owner: 'acme',
        repo: 'web',
        issueNumber: pull,
        body: `comment ${i}`
      })
    }
    expect((await commentRun()).exitCode).toBe(0)
    github.resetRequests()
    expect((await commentRun()).exitCode).toBe(0)
    expect(
      github.requests
        .filter(({ route }) => route === GITHUB_ROUTES.listComments)
        .map(({ query }) => query.page)
    ).toEqual([undefined, '2'])
    expect(github.count(GITHUB_ROUTES.updateComment)).toBe(1)
    expect(github.count(GITHUB_ROUTES.createComment)).toBe(0)
  })
})

describe("Vercel's store listing cursor", () => {
  it('is sent as the until query parameter on the api-url origin, whatever it holds', async () => {
    const cursor = `http://127.0.0.1:${trap.port}/../stolen?x=1#y`
    emulator.faults.add(ROUTES.listStores, {
      status: 200,
      body: { stores: [], pagination: { count: 0, next: cursor, prev: null } }
    })
    const result = await runAction({
      inputs: neonIdInputs(emulator, { 'dry-run': 'true' })
    })
    expect(result.exitCode).toBe(0)
    expect(trap.requests).toEqual([])
    const listings = emulator.requests.filter(
      ({ method, path }) => method === 'GET' && path === '/v1/storage/stores'
    )
    expect(listings.map(({ query }) => query.until)).toEqual([
      undefined,
      cursor
    ])
  })
})
