// Issue 13 through dist/: the comment's whole life and a nightly prune on
// the bundle, and the default path's start-up, which must not load
// @actions/github at all.
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../emulator/index.ts'
import {
  ACTIONS_BOT,
  APP_BOT,
  GITHUB_ROUTES,
  startGitHubEmulator,
  type GitHubEmulator
} from '../emulator/github/index.ts'
import { BUNDLE, runBundle } from '../harness/run-action.ts'
import { commentMarker } from '../src/comment.ts'
import { pullRequestStoreName } from '../src/naming.ts'
import { neonIdInputs, warningLines } from './support/run-result.ts'

let emulator: Emulator
let github: GitHubEmulator

beforeEach(async () => {
  ;[emulator, github] = await Promise.all([
    startEmulator(),
    startGitHubEmulator()
  ])
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

describe('the bundle', () => {
  it('keeps one comment through three runs and the close', async () => {
    const pull = github.seedPull({ owner: 'acme', repo: 'web', head: 'x' })
    const other = github.seedComment({
      owner: 'acme',
      repo: 'web',
      issueNumber: pull.number,
      body: 'Nice'
    })
    const run = (extra: Record<string, string> = {}, action = 'synchronize') =>
      runBundle({
        pullRequest: pull.number,
        pullRequestAction: action,
        githubApiUrl: github.url,
        inputs: inputs(extra)
      })

    const results = [await run(), await run(), await run()]
    for (const result of results) expect(result.exitCode).toBe(0)
    const storeId = results[0].outputs['store-id']
    expect(results.map(({ outputs }) => outputs['store-id'])).toEqual([
      storeId,
      storeId,
      storeId
    ])
    expect(github.count(GITHUB_ROUTES.createComment)).toBe(1)
    expect(github.count(GITHUB_ROUTES.updateComment)).toBe(2)
    const ours = () =>
      github
        .comments('acme', 'web', pull.number)
        .filter(({ id }) => id !== other.id)
    expect(ours()).toHaveLength(1)
    expect(ours()[0].body).toContain(storeId)
    expect(ours()[0].body).toContain('found by its key and reused')

    github.closePull('acme', 'web', pull.number)
    const closed = await run({ state: 'absent' }, 'closed')
    expect(closed.exitCode).toBe(0)
    expect(closed.outputs['deleted-store-ids']).toBe(JSON.stringify([storeId]))
    expect(ours()).toHaveLength(1)
    expect(ours()[0].body).toContain(
      `<p><b>Deleted</b> the Vercel store of this pull request: ${results[0].outputs['store-name']} <code>${storeId}</code>`
    )
    expect(github.comments('acme', 'web', pull.number)[0]).toEqual(other)
  })

  it('with another App’s ghs_ token, keeps one comment of its own over three runs, and never edits github-actions[bot]’s (issue 23)', async () => {
    // The finding's reproduction: a token of actions/create-github-app-token
    // starts with ghs_ as GITHUB_TOKEN does. On one pull request another
    // workflow's github-actions[bot] comment carries the step's marker; on
    // the other there is none.
    const pulls = ['with-theirs', 'alone'].map(
      (head) => github.seedPull({ owner: 'acme', repo: 'web', head }).number
    )
    const theirs = github.seedComment({
      owner: 'acme',
      repo: 'web',
      issueNumber: pulls[0],
      body: `${commentMarker(`acme/web#${pulls[0]}`)}\nanother workflow's`,
      user: ACTIONS_BOT.login
    })
    for (const pull of pulls) {
      for (let round = 1; round <= 3; round++) {
        const result = await runBundle({
          pullRequest: pull,
          githubApiUrl: github.url,
          inputs: inputs({ 'github-token': github.appToken })
        })
        expect(result.exitCode).toBe(0)
        expect(warningLines(result)).toEqual([])
      }
    }
    const [withTheirs, alone] = pulls.map((pull) =>
      github.comments('acme', 'web', pull)
    )
    expect(withTheirs[0]).toEqual(theirs)
    for (const [all, pull] of [
      [withTheirs.slice(1), pulls[0]],
      [alone, pulls[1]]
    ] as const) {
      expect(all.map(({ user }) => user.login)).toEqual([APP_BOT.login])
      expect(all[0].body).toContain(commentMarker(`acme/web#${pull}`))
      expect(all[0].body).toContain('found by its key and reused')
    }
    const writes = github.requests
      .filter(({ route }) =>
        [GITHUB_ROUTES.createComment, GITHUB_ROUTES.updateComment].some(
          (write) => write === route
        )
      )
      .map(({ route, path }) => `${route} ${path}`)
    const created = (pull: number) =>
      `${GITHUB_ROUTES.createComment} /repos/acme/web/issues/${pull}/comments`
    const updated = (id: number) =>
      `${GITHUB_ROUTES.updateComment} /repos/acme/web/issues/comments/${id}`
    expect(writes).toEqual([
      created(pulls[0]),
      updated(withTheirs[1].id),
      updated(withTheirs[1].id),
      created(pulls[1]),
      updated(alone[0].id),
      updated(alone[0].id)
    ])
  })

  it('prunes exactly the stores of closed pull requests, after a dry run that deletes nothing', async () => {
    const acmeWeb = { owner: 'acme', repo: 'web' }
    const closed = github.seedPull({ ...acmeWeb, head: 'one', state: 'closed' })
    const open = github.seedPull({ ...acmeWeb, head: 'two' })
    const { neon } = emulator.installations
    const seed = (name: string) =>
      emulator.seedStore({
        installationId: neon.id,
        productIdOrSlug: neon.products[0].id,
        name
      })
    const ofClosed = seed(pullRequestStoreName(acmeWeb, closed.number))
    const kept = [
      seed(pullRequestStoreName(acmeWeb, open.number)),
      // Another owner's repository of the same name: never this one's.
      seed(pullRequestStoreName({ owner: 'other', repo: 'web' }, 1)),
      seed('web-pr-1')
    ].map(({ id }) => id)
    const prune = (extra: Record<string, string> = {}) =>
      runBundle({
        eventName: 'schedule',
        githubApiUrl: github.url,
        inputs: neonIdInputs(emulator, {
          state: 'prune',
          'github-token': github.token,
          ...extra
        })
      })
    const ids = () => emulator.stores().map(({ id }) => id)

    const dryRun = await prune({ 'dry-run': 'true' })
    expect(dryRun.exitCode).toBe(0)
    expect(dryRun.outputs['deleted-count']).toBe('0')
    expect(dryRun.stdout).toContain(ofClosed.id)
    expect(ids().sort()).toEqual([ofClosed.id, ...kept].sort())

    const result = await prune()
    expect(result.exitCode).toBe(0)
    expect(result.outputs['deleted-store-ids']).toBe(
      JSON.stringify([ofClosed.id])
    )
    expect(result.outputs['deleted-count']).toBe('1')
    expect(result.summary).toContain(`&#35;${closed.number}`)
    expect(ids().sort()).toEqual([...kept].sort())
  })

  it('runs the default path without @actions/github on disk; a comment then cannot load it', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'vercel-store-action-dist-'))
    try {
      await cp(dirname(BUNDLE), copy, { recursive: true })
      const chunks: string[] = []
      for (const file of await readdir(copy)) {
        if (!file.endsWith('.js') || file === 'index.js') continue
        if ((await readFile(join(copy, file), 'utf8')).includes('@octokit')) {
          chunks.push(file)
          await rm(join(copy, file))
        }
      }
      // The chunk exists, and the main file holds none of Octokit.
      expect(chunks).toHaveLength(1)
      const main = await readFile(join(copy, 'index.js'), 'utf8')
      expect(main).not.toContain('@octokit/core')
      expect(main).not.toContain('before-after-hook')

      const pull = github.seedPull({ owner: 'acme', repo: 'web', head: 'y' })
      const plain = await runBundle({
        bundlePath: join(copy, 'index.js'),
        pullRequest: pull.number,
        githubApiUrl: github.url,
        inputs: neonIdInputs(emulator)
      })
      expect(plain.exitCode).toBe(0)
      expect(plain.outputs.created).toBe('true')
      expect(warningLines(plain)).toEqual([])

      const commenting = await runBundle({
        bundlePath: join(copy, 'index.js'),
        pullRequest: pull.number,
        githubApiUrl: github.url,
        inputs: inputs()
      })
      // The store is what matters: the step succeeds, and says why there
      // is no comment.
      expect(commenting.exitCode).toBe(0)
      expect(commenting.outputs.created).toBe('false')
      expect(warningLines(commenting).join('\n')).toMatch(
        new RegExp(`pull request comment.*${chunks[0].replace('.', '\\.')}`)
      )
      expect(github.requests).toEqual([])
    } finally {
      await rm(copy, { recursive: true, force: true })
    }
  })
})
