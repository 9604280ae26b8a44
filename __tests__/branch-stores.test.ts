// Issue 24, deliverable 4: the store an `on: push` run makes for a branch
// (`web-branch-<branch>-<hash>`, key `acme/web@<branch>`) goes once its
// branch is gone: by `state: prune` when GitHub answers "Branch not found",
// and by `state: absent` on the branch's `delete` event. A store whose
// branch cannot be got back exactly is kept, with a warning naming it.
// Against both emulators; the first test through the bundle.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator, type Emulator } from '../emulator/index.ts'
import {
  GITHUB_ROUTES,
  startGitHubEmulator,
  type GitHubEmulator
} from '../emulator/github/index.ts'
import { runAction, type RunOptions } from '../harness/run-action.ts'
import { MAX_BRANCH_READS } from '../src/branch-stores.ts'
import { branchStoreName, pullRequestStoreName } from '../src/naming.ts'
import { errorLine, neonIdInputs, warningLines } from './support/run-result.ts'

const WEB = 'prj_emuWeb0001'
const ACME_WEB = { owner: 'acme', repo: 'web' }

let emulator: Emulator
let github: GitHubEmulator

beforeEach(async () => {
  ;[emulator, github] = await Promise.all([
    startEmulator(),
    startGitHubEmulator()
  ])
  github.seedRepo('acme', 'web')
})

afterEach(async () => {
  await Promise.all([emulator.close(), github.close()])
})

/** A push build of the branch: its store, written to the branch's previews. */
function push(branch: string, extra: Record<string, string> = {}): RunOptions {
  return {
    env: { GITHUB_REF_NAME: branch },
    inputs: neonIdInputs(emulator, {
      project: WEB,
      'git-branch': branch,
      ...extra
    })
  }
}

function prune(extra: Record<string, string> = {}, bundle = false) {
  return runAction({
    eventName: 'schedule',
    githubApiUrl: github.url,
    inputs: neonIdInputs(emulator, {
      state: 'prune',
      'github-token': github.token,
      ...extra
    }),
    bundle
  })
}

function storeOfKey(key: string) {
  const stores = emulator
    .stores()
    .filter(({ externalId }) => externalId === key)
  expect(stores).toHaveLength(1)
  return stores[0]
}

/** The project's variables whose mark names the store. */
const markedWith = (storeId: string) =>
  emulator
    .envVars(WEB)
    .filter(({ comment }) => comment?.includes(`store ${storeId} `))

const ids = () =>
  emulator
    .stores()
    .map(({ id }) => id)
    .sort()

function seedNeonStore(name: string) {
  const { neon } = emulator.installations
  return emulator.seedStore({
    installationId: neon.id,
    productIdOrSlug: neon.products[0].id,
    name
  })
}

describe('state: prune, through the bundle', () => {
  it('deletes a pushed branch’s store once GitHub deletes the branch, with its branch variables, after a dry run that names it', async () => {
    github.seedBranch('acme', 'web', 'feat/b')
    github.seedBranch('acme', 'web', 'develop')
    const pull = github.seedPull({ ...ACME_WEB, head: 'feature/open' })
    const made = await runAction({ ...push('feat/b'), bundle: true })
    expect(made.exitCode).toBe(0)
    expect(made.outputs['store-name']).toBe(branchStoreName(ACME_WEB, 'feat/b'))
    expect((await runAction(push('develop'))).exitCode).toBe(0)
    const opened = await runAction({
      pullRequest: pull.number,
      env: { GITHUB_HEAD_REF: 'feature/open' },
      inputs: neonIdInputs(emulator, { project: WEB })
    })
    expect(opened.exitCode).toBe(0)
    const gone = storeOfKey('acme/web@feat/b')
    const kept = [
      storeOfKey('acme/web@develop'),
      storeOfKey(`acme/web#${pull.number}`)
    ]
    const marked = markedWith(gone.id)
    expect(marked.length).toBeGreaterThan(0)
    // What the project keeps: all but the store's branch variables and its
    // connection's.
    const others = emulator
      .envVars(WEB)
      .filter(
        ({ id, contentHint }) =>
          !marked.some((variable) => variable.id === id) &&
          contentHint?.storeId !== gone.id
      )
    expect(others.length).toBeGreaterThan(0)

    github.deleteBranch('acme', 'web', 'feat/b')
    const dryRun = await prune({ project: WEB, 'dry-run': 'true' }, true)
    expect(dryRun.exitCode).toBe(0)
    expect(dryRun.outputs['deleted-count']).toBe('0')
    expect(dryRun.stdout).toContain(
      `Dry run: would delete 1 store(s) of acme/web's closed pull requests and deleted branches, with the branch variables the action wrote for them on project ${WEB}: ${gone.id} (branch feat/b, deleted)`
    )
    expect(dryRun.summary).toContain('branch <code>feat/b</code> (deleted)')
    expect(ids()).toEqual([gone.id, ...kept.map(({ id }) => id)].sort())

    github.resetRequests()
    const result = await prune({ project: WEB }, true)
    expect(result.exitCode).toBe(0)
    expect(warningLines(result)).toEqual([])
    expect(result.outputs['deleted-store-ids']).toBe(JSON.stringify([gone.id]))
    expect(result.outputs['deleted-count']).toBe('1')
    expect(ids()).toEqual(kept.map(({ id }) => id).sort())
    expect(markedWith(gone.id)).toEqual([])
    expect(emulator.envVars(WEB)).toEqual(others)
    expect(result.summary).toContain(
      'Pruned 1 Vercel store(s) of closed pull requests and deleted branches'
    )
    expect(result.stdout).toContain(
      '1 store(s) of open pull requests and 1 of branches that are still there'
    )
    // One listing of the open pull requests, then one read per branch.
    expect(
      github.requests.map(({ route, path }) =>
        route === GITHUB_ROUTES.getBranch ? path : route
      )
    ).toEqual([
      GITHUB_ROUTES.listPulls,
      '/repos/acme/web/branches/feat%2Fb',
      '/repos/acme/web/branches/develop'
    ])
  })
})

describe('state: prune, for branch stores', () => {
  it('gets the branch back from the marks of its variables where the name cannot give it', async () => {
    // Upper case: the name reads `feat-upper`, which hashes otherwise.
    github.seedBranch('acme', 'web', 'Feat/Upper')
    expect((await runAction(push('Feat/Upper'))).exitCode).toBe(0)
    const store = storeOfKey('acme/web@Feat/Upper')
    github.deleteBranch('acme', 'web', 'Feat/Upper')

    const result = await prune({ project: WEB })

    expect(result.exitCode).toBe(0)
    expect(result.outputs['deleted-store-ids']).toBe(JSON.stringify([store.id]))
    expect(markedWith(store.id)).toEqual([])
    expect(github.requests.map(({ path }) => path)).toContain(
      '/repos/acme/web/branches/Feat%2FUpper'
    )
  })

  it('without project, reads the marks from the project the store is connected to; one it cannot read keeps the store, with a warning', async () => {
    github.seedBranch('acme', 'web', 'Feat/Upper')
    expect((await runAction(push('Feat/Upper'))).exitCode).toBe(0)
    const store = storeOfKey('acme/web@Feat/Upper')
    github.deleteBranch('acme', 'web', 'Feat/Upper')

    emulator.faults.add(ROUTES.listProjectEnv, { status: 403 })
    const refused = await prune()
    expect(refused.exitCode).toBe(0)
    expect(refused.outputs['deleted-count']).toBe('0')
    expect(warningLines(refused)).toEqual([
      expect.stringContaining(`Could not read the variables of project ${WEB}`),
      expect.stringContaining(`Kept store ${store.id}`)
    ])

    const result = await prune()
    expect(result.exitCode).toBe(0)
    expect(result.outputs['deleted-store-ids']).toBe(JSON.stringify([store.id]))
    expect(markedWith(store.id)).toEqual([])
  })

  it('gets the branch back from the name alone, slashes and all, and from the key where the listing shows it', async () => {
    const byName = seedNeonStore(
      branchStoreName(ACME_WEB, 'feature/login-form')
    )
    emulator.options.listIncludesExternalId = true
    const byKey = emulator.seedStore({
      installationId: emulator.installations.neon.id,
      productIdOrSlug: emulator.installations.neon.products[0].id,
      name: branchStoreName(ACME_WEB, 'Release/2.0'),
      externalId: 'acme/web@Release/2.0'
    })

    const result = await prune()

    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.outputs['deleted-store-ids']).sort()).toEqual(
      [byName.id, byKey.id].sort()
    )
    expect(warningLines(result)).toEqual([])
  })

  it('shows a branch name from the listing as text only: no HTML, link or image in the summary', async () => {
    emulator.options.listIncludesExternalId = true
    const branch = 'fix/<b>x</b>![i](https://e.example/i.png)'
    const store = emulator.seedStore({
      installationId: emulator.installations.neon.id,
      productIdOrSlug: emulator.installations.neon.products[0].id,
      name: branchStoreName(ACME_WEB, branch),
      externalId: `acme/web@${branch}`
    })

    const result = await prune()

    expect(result.outputs['deleted-store-ids']).toBe(JSON.stringify([store.id]))
    expect(result.summary).toContain('&lt;b&gt;x&lt;/b&gt;')
    expect(result.summary).not.toContain('<b>')
    expect(result.summary).not.toContain('![i]')
    expect(result.summary).not.toContain('https://e.example')
  })

  it('keeps a store whose branch cannot be got back exactly, and says so, naming it', async () => {
    // No project, no variables, no key in the listing: only the lossy name.
    const lost = seedNeonStore(branchStoreName(ACME_WEB, 'Feat/Upper'))
    // Another repository's branch store of the same repository name looks
    // the same, and is kept the same way.
    const other = seedNeonStore(
      branchStoreName({ owner: 'other', repo: 'web' }, 'x/y-z')
    )

    const result = await prune()

    expect(result.exitCode).toBe(0)
    expect(result.outputs['deleted-count']).toBe('0')
    expect(ids()).toEqual([lost.id, other.id].sort())
    const warnings = warningLines(result)
    expect(warnings).toHaveLength(2)
    const about = (id: string) => warnings.filter((line) => line.includes(id))
    expect(about(lost.id)).toEqual([
      expect.stringContaining(
        `Kept store ${lost.id} ("${lost.name}"): it is named like the store of a branch of acme/web, but neither its key nor the variables this action wrote for it say which branch`
      )
    ])
    expect(about(other.id)).toHaveLength(1)
    expect(github.count(GITHUB_ROUTES.getBranch)).toBe(0)
  })

  it('keeps the store where GitHub answers the branch read 502, with a warning, and still prunes a closed pull request’s', async () => {
    const closed = github.seedPull({ ...ACME_WEB, head: 'x', state: 'closed' })
    const ofClosed = seedNeonStore(
      pullRequestStoreName(ACME_WEB, closed.number)
    )
    const ofBranch = seedNeonStore(branchStoreName(ACME_WEB, 'feat-b'))
    github.faults.add(GITHUB_ROUTES.getBranch, { status: 502 })

    const result = await prune()

    expect(result.exitCode).toBe(0)
    expect(result.outputs['deleted-store-ids']).toBe(
      JSON.stringify([ofClosed.id])
    )
    expect(ids()).toEqual([ofBranch.id])
    const [warning] = warningLines(result)
    expect(warning).toContain(
      `Kept ${ofBranch.id}, the store(s) of branch "feat-b"`
    )
    expect(warning).toContain('GitHub answered 502')
  })

  it('deletes nothing and fails where GitHub’s 404 is not "Branch not found": the token may not read the repository', async () => {
    const ofBranch = seedNeonStore(branchStoreName(ACME_WEB, 'feat-b'))
    github.faults.add(GITHUB_ROUTES.getBranch, {
      status: 404,
      body: { message: 'Not Found' }
    })

    const result = await prune()

    expect(errorLine(result)).toMatch(
      /GitHub answered 404 to the read of branch "feat-b" of acme\/web.*contents: read/
    )
    expect(ids()).toEqual([ofBranch.id])
    expect(emulator.count(ROUTES.deleteStore)).toBe(0)
  })

  it(`reads at most ${MAX_BRANCH_READS} branches a run, the oldest stores’ first, and keeps the others with a warning`, async () => {
    const { neon } = emulator.installations
    const stores = Array.from({ length: MAX_BRANCH_READS + 2 }, (_, index) =>
      emulator.seedStore({
        installationId: neon.id,
        productIdOrSlug: neon.products[0].id,
        name: branchStoreName(ACME_WEB, `b${index}`),
        createdAt: 1_700_000_000_000 + index
      })
    )

    const result = await prune()

    expect(result.exitCode).toBe(0)
    expect(github.count(GITHUB_ROUTES.getBranch)).toBe(MAX_BRANCH_READS)
    const deleted: string[] = JSON.parse(result.outputs['deleted-store-ids'])
    expect(deleted.sort()).toEqual(
      stores
        .slice(0, MAX_BRANCH_READS)
        .map(({ id }) => id)
        .sort()
    )
    expect(ids()).toEqual(
      stores
        .slice(MAX_BRANCH_READS)
        .map(({ id }) => id)
        .sort()
    )
    expect(warningLines(result)).toEqual([
      expect.stringContaining(
        `Kept 2 store(s) of acme/web's branches without asking GitHub about their branch: a prune reads at most ${MAX_BRANCH_READS} branches a run`
      )
    ])
  })
})

describe('state: absent on a delete event', () => {
  /** The run GitHub starts when the branch is deleted. */
  function deleted(
    ref: string,
    extra: Record<string, string> = {},
    refType = 'branch'
  ): RunOptions {
    return {
      eventName: 'delete',
      // GITHUB_REF_NAME is the default branch on a delete event.
      env: { GITHUB_REF_NAME: 'main' },
      event: { ref, ref_type: refType },
      inputs: neonIdInputs(emulator, {
        state: 'absent',
        project: WEB,
        ...extra
      })
    }
  }

  it('deletes the deleted branch’s store and its branch variables, not the default branch’s', async () => {
    expect((await runAction(push('feat/b'))).exitCode).toBe(0)
    expect((await runAction(push('develop'))).exitCode).toBe(0)
    // The default branch's store, with the key GITHUB_REF_NAME would give.
    const main = await runAction({
      env: { GITHUB_REF_NAME: 'main' },
      inputs: neonIdInputs(emulator)
    })
    expect(main.exitCode).toBe(0)
    const gone = storeOfKey('acme/web@feat/b')
    const develop = markedWith(storeOfKey('acme/web@develop').id)

    const result = await runAction(deleted('feat/b'))

    expect(result.exitCode).toBe(0)
    expect(result.outputs['external-id']).toBe('acme/web@feat/b')
    expect(result.outputs['deleted-store-ids']).toBe(JSON.stringify([gone.id]))
    expect(markedWith(gone.id)).toEqual([])
    expect(
      emulator
        .stores()
        .map(({ externalId }) => externalId)
        .sort()
    ).toEqual(['acme/web@develop', 'acme/web@main'])
    expect(markedWith(storeOfKey('acme/web@develop').id)).toEqual(develop)
  })

  it('fails naming state, before any request, on a tag’s delete event or with state: present', async () => {
    const tag = await runAction(deleted('v1.0.0', {}, 'tag'))
    expect(errorLine(tag)).toContain('Input "state" has no store to work on')
    const present = await runAction(deleted('feat/b', { state: 'present' }))
    expect(errorLine(present)).toContain(
      'Input "state" is present on a delete event'
    )
    expect(emulator.requests).toEqual([])
  })
})
