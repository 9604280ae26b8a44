// Issue 13: `state: prune` deletes the stores of this repository's closed
// pull requests and nothing else, against both emulators (in-process runs).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator, type Emulator } from '../emulator/index.ts'
import {
  GITHUB_ROUTES,
  startGitHubEmulator,
  type GitHubEmulator
} from '../emulator/github/index.ts'
import { runAction, type RunOptions } from '../harness/run-action.ts'
import { pullRequestStoreName } from '../src/naming.ts'
import { errorLine } from './support/run-result.ts'

const WEB = 'prj_emuWeb0001'
const ACME_WEB = { owner: 'acme', repo: 'web' }

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
  const { upstash } = emulator.installations
  return {
    token: emulator.token,
    team: emulator.team.slug,
    integration: upstash.id,
    product: 'iap_emu_upstash_kv',
    'api-url': emulator.url,
    'github-token': github.token,
    state: 'prune',
    ...extra
  }
}

/** A nightly run: a `schedule` event on the default branch. */
function prune(options: RunOptions = {}) {
  return runAction({
    eventName: 'schedule',
    githubApiUrl: github.url,
    inputs: inputs(),
    ...options
  })
}

function seedStore(name: string, product = 'iap_emu_upstash_kv') {
  return emulator.seedStore({
    installationId: emulator.installations.upstash.id,
    productIdOrSlug: product,
    name
  })
}

/** Pull requests 1 to 4 of acme/web: 1 and 3 closed (3 merged), 2 and 4 open. */
function seedPulls(): void {
  github.seedPull({ ...ACME_WEB, head: 'one', state: 'closed' })
  github.seedPull({ ...ACME_WEB, head: 'two' })
  github.seedPull({ ...ACME_WEB, head: 'three', merged: true })
  github.seedPull({ ...ACME_WEB, head: 'four' })
  // The same repository name under another owner, whose pull request 1 is
  // open but whose stores must never be this repository's to delete.
  github.seedPull({ owner: 'other', repo: 'web', head: 'one', state: 'closed' })
}

const remainingIds = () => emulator.stores().map(({ id }) => id)

describe('state: prune', () => {
  it('deletes exactly the stores of closed pull requests, connections first', async () => {
    seedPulls()
    const closed1 = seedStore(pullRequestStoreName(ACME_WEB, 1))
    const open2 = seedStore(pullRequestStoreName(ACME_WEB, 2))
    const closed3 = seedStore(pullRequestStoreName(ACME_WEB, 3))
    const open4 = seedStore(pullRequestStoreName(ACME_WEB, 4))
    // Pull request 5 was never opened (a store left by a deleted one): not
    // open, so its store goes too.
    const gone5 = seedStore(pullRequestStoreName(ACME_WEB, 5))
    const otherOwner = seedStore(
      pullRequestStoreName({ owner: 'other', repo: 'web' }, 1)
    )
    const userNamed = seedStore('web-pr-1')
    const otherProduct = seedStore(
      pullRequestStoreName(ACME_WEB, 1),
      'iap_emu_upstash_vector'
    )
    emulator.connectStore(closed3.id, WEB, ['preview'], 'PR3_')

    const result = await prune()

    expect(result.exitCode).toBe(0)
    const deleted = [closed1.id, closed3.id, gone5.id]
    expect(JSON.parse(result.outputs['deleted-store-ids']).sort()).toEqual(
      [...deleted].sort()
    )
    expect(result.outputs['deleted-count']).toBe('3')
    expect(result.outputs.deleted).toBe('true')
    expect(remainingIds().sort()).toEqual(
      [open2.id, open4.id, otherOwner.id, userNamed.id, otherProduct.id].sort()
    )
    // The connected one was disconnected before its delete.
    const deletes = emulator.requests
      .filter(({ method }) => method === 'DELETE')
      .map(({ path }) => path)
    expect(deletes).toContain(`/v1/storage/stores/${closed3.id}/connections`)
    expect(
      deletes.indexOf(`/v1/storage/stores/${closed3.id}/connections`)
    ).toBeLessThan(
      deletes.indexOf(`/v1/storage/stores/integration/${closed3.id}`)
    )
    expect(
      emulator.envVars(WEB).filter(({ key }) => key.startsWith('PR3_'))
    ).toEqual([])
    // The stores were listed once, and the open pull requests read once.
    expect(emulator.count(ROUTES.listStores)).toBe(1)
    expect(github.requests.map(({ route, query }) => [route, query])).toEqual([
      [GITHUB_ROUTES.listPulls, { state: 'open', per_page: '100' }]
    ])
    for (const [store, number] of [
      [closed1, 1],
      [closed3, 3],
      [gone5, 5]
    ] as const) {
      expect(result.summary).toContain(`<code>${store.id}</code>`)
      expect(result.summary).toContain(`&#35;${number}`)
    }
    expect(result.summary).not.toContain(open2.id)
  })

  it('removes the branch variables the action wrote for the stores it deletes, where project is set', async () => {
    github.seedPull({ ...ACME_WEB, head: 'feature/one' })
    github.seedPull({ ...ACME_WEB, head: 'feature/two' })
    const branches = { 1: 'feature/one', 2: 'feature/two' }
    for (const [number, branch] of Object.entries(branches)) {
      const result = await runAction({
        pullRequest: Number(number),
        env: { GITHUB_HEAD_REF: branch },
        inputs: inputs({
          state: 'present',
          'github-token': '',
          project: 'web',
          'git-branch': branch
        })
      })
      expect(result.exitCode).toBe(0)
    }
    const branchVariables = (branch: string) =>
      emulator.envVars(WEB).filter((variable) => variable.gitBranch === branch)
    expect(branchVariables('feature/one').length).toBeGreaterThan(0)
    const kept = branchVariables('feature/two')
    expect(kept.length).toBeGreaterThan(0)
    github.closePull('acme', 'web', 1)
    const closedStore = emulator
      .stores()
      .find(({ name }) => name === pullRequestStoreName(ACME_WEB, 1))

    emulator.resetRequests()
    const result = await prune({ inputs: inputs({ project: 'web' }) })

    expect(result.exitCode).toBe(0)
    expect(result.outputs['deleted-store-ids']).toBe(
      JSON.stringify([closedStore?.id])
    )
    expect(branchVariables('feature/one')).toEqual([])
    expect(branchVariables('feature/two')).toEqual(kept)
    expect(result.stdout).toContain('branch variables')
  })

  it('removes the deleted stores’ branch variables without project, from each project they are connected to, in one listing and one removal per project', async () => {
    const branches = { 1: 'feature/one', 2: 'feature/two', 3: 'feature/three' }
    for (const branch of Object.values(branches)) {
      github.seedPull({ ...ACME_WEB, head: branch })
    }
    for (const [number, branch] of Object.entries(branches)) {
      const result = await runAction({
        pullRequest: Number(number),
        env: { GITHUB_HEAD_REF: branch },
        inputs: inputs({
          state: 'present',
          'github-token': '',
          project: 'web',
          'git-branch': branch
        })
      })
      expect(result.exitCode).toBe(0)
    }
    const branchVariables = (branch: string) =>
      emulator.envVars(WEB).filter((variable) => variable.gitBranch === branch)
    const kept = branchVariables('feature/three')
    expect(kept.length).toBeGreaterThan(0)
    github.closePull('acme', 'web', 1)
    github.closePull('acme', 'web', 2)

    emulator.resetRequests()
    const result = await prune()

    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.outputs['deleted-store-ids'])).toHaveLength(2)
    expect(branchVariables('feature/one')).toEqual([])
    expect(branchVariables('feature/two')).toEqual([])
    expect(branchVariables('feature/three')).toEqual(kept)
    expect(result.stdout).toContain(
      'with the branch variables the action wrote for them on each project they are connected to'
    )
    // Both stores are connected to web only: one listing and one removal,
    // before the first store is disconnected.
    expect(emulator.counts()).toMatchObject({
      [ROUTES.listProjectEnv]: 1,
      [ROUTES.batchRemoveProjectEnv]: 1,
      [ROUTES.disconnectAll]: 2,
      [ROUTES.deleteStore]: 2
    })
    const routes = emulator.requests.map(({ route }) => route)
    expect(routes.indexOf(ROUTES.batchRemoveProjectEnv)).toBeLessThan(
      routes.indexOf(ROUTES.disconnectAll)
    )
  })

  it('deletes nothing on a dry run, and lists what it would', async () => {
    seedPulls()
    const closed1 = seedStore(pullRequestStoreName(ACME_WEB, 1))
    seedStore(pullRequestStoreName(ACME_WEB, 2))
    const before = remainingIds()

    const result = await prune({ inputs: inputs({ 'dry-run': 'true' }) })

    expect(result.exitCode).toBe(0)
    expect(remainingIds()).toEqual(before)
    expect(emulator.requests.filter(({ method }) => method !== 'GET')).toEqual(
      []
    )
    expect(result.outputs['deleted-store-ids']).toBe('[]')
    expect(result.outputs['deleted-count']).toBe('0')
    expect(result.stdout).toContain(`would delete`)
    expect(result.stdout).toContain(closed1.id)
    expect(result.summary).toContain(closed1.id)
  })

  it('reads 250 open pull requests in three requests', async () => {
    for (let i = 1; i <= 250; i++) {
      github.seedPull({ ...ACME_WEB, head: `f${i}` })
    }
    github.closePull('acme', 'web', 250)
    const open = seedStore(pullRequestStoreName(ACME_WEB, 1))
    const closed = seedStore(pullRequestStoreName(ACME_WEB, 250))

    const result = await prune()

    expect(result.exitCode).toBe(0)
    expect(github.count(GITHUB_ROUTES.listPulls)).toBe(3)
    expect(github.requests.map(({ query }) => query.per_page)).toEqual([
      '100',
      '100',
      '100'
    ])
    expect(remainingIds()).toEqual([open.id])
    expect(result.outputs['deleted-store-ids']).toBe(
      JSON.stringify([closed.id])
    )
  })

  it('lists the stores before it reads the pull requests, so one opened meanwhile counts as open', async () => {
    seedPulls()
    seedStore(pullRequestStoreName(ACME_WEB, 1))
    // Were the two read at once, GitHub would be asked before the listing
    // failed.
    emulator.faults.add(ROUTES.listStores, { status: 403 })
    const result = await prune()
    expect(result.exitCode).toBe(1)
    expect(github.requests).toEqual([])
  })

  it('deletes nothing when a page of the open pull requests cannot be read', async () => {
    seedPulls()
    for (let i = 0; i < 150; i++)
      github.seedPull({ ...ACME_WEB, head: `x${i}` })
    seedStore(pullRequestStoreName(ACME_WEB, 1))
    const before = remainingIds()
    // The first page answers; the second fails: what was read is not all
    // that is open.
    github.faults.add(GITHUB_ROUTES.listPulls, { delay: 0 }, { status: 500 })

    const result = await prune()

    expect(errorLine(result)).toMatch(/GitHub answered 500.*open pull requests/)
    expect(github.count(GITHUB_ROUTES.listPulls)).toBe(2)
    expect(remainingIds()).toEqual(before)
    expect(emulator.count(ROUTES.deleteStore)).toBe(0)
  })

  it('deletes nothing when GitHub does not answer, and says so', async () => {
    seedPulls()
    seedStore(pullRequestStoreName(ACME_WEB, 1))
    const before = remainingIds()
    github.faults.add(GITHUB_ROUTES.listPulls, 'reset')

    const result = await prune()

    expect(errorLine(result)).toMatch(
      /GitHub answered nothing to the listing of acme\/web's open pull requests/
    )
    expect(remainingIds()).toEqual(before)
  })

  it('stops at the step’s deadline while GitHub holds its answer, and deletes nothing', async () => {
    seedPulls()
    seedStore(pullRequestStoreName(ACME_WEB, 1))
    const before = remainingIds()
    github.faults.add(GITHUB_ROUTES.listPulls, { delay: 120_000 })

    const result = await prune({ inputs: inputs({ timeout: '60' }) })

    expect(errorLine(result)).toContain(
      'The step\'s timeout (60 s) ran out while waiting for GitHub: the listing of acme/web\'s open pull requests; raise "timeout"'
    )
    expect(remainingIds()).toEqual(before)
  })

  it('fails naming github-token when it is empty, before any request', async () => {
    const result = await prune({ inputs: inputs({ 'github-token': '' }) })
    expect(errorLine(result)).toContain('"github-token"')
    expect(emulator.requests).toEqual([])
    expect(github.requests).toEqual([])
  })

  it('fails naming name when one is given: prune deletes default-named stores only', async () => {
    const result = await prune({ inputs: inputs({ name: 'my-db' }) })
    expect(errorLine(result)).toContain('"name"')
    expect(emulator.requests).toEqual([])
  })

  it('fails naming comment, or external-id, when given: a prune has no pull request', async () => {
    for (const [input, value] of [
      ['comment', 'true'],
      ['external-id', 'acme/web#1']
    ]) {
      const result = await prune({ inputs: inputs({ [input]: value }) })
      expect(errorLine(result)).toContain(`"${input}"`)
    }
    expect(emulator.requests).toEqual([])
  })

  it('fails naming git-branch, export-env or redeploy when given: a prune writes nothing for a branch', async () => {
    for (const [input, value] of [
      ['git-branch', 'feature/a'],
      ['export-env', 'true'],
      ['redeploy', 'true']
    ]) {
      const result = await prune({
        inputs: inputs({ project: WEB, [input]: value })
      })
      expect(result.exitCode).toBe(1)
      expect(errorLine(result)).toContain(`Input "${input}" does not apply`)
    }
    expect(emulator.requests).toEqual([])
    expect(github.requests).toEqual([])
  })

  it('fails naming state outside a repository (no GITHUB_REPOSITORY)', async () => {
    const result = await prune({ env: { GITHUB_REPOSITORY: '' } })
    expect(errorLine(result)).toMatch(/"state".*GITHUB_REPOSITORY/)
    expect(emulator.requests).toEqual([])
  })

  it('has nothing to prune where the integration is not installed, and asks GitHub nothing', async () => {
    seedPulls()
    const result = await prune({
      inputs: inputs({ integration: 'planetscale' })
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['deleted-count']).toBe('0')
    expect(result.outputs['deleted-store-ids']).toBe('[]')
    expect(result.stdout).toMatch(/::warning::Nothing to prune/)
    expect(github.requests).toEqual([])
  })

  it('asks GitHub nothing where no store is one of this repository’s pull requests', async () => {
    seedPulls()
    const userNamed = seedStore('my-db')
    const result = await prune()
    expect(result.exitCode).toBe(0)
    expect(result.outputs['deleted-count']).toBe('0')
    expect(remainingIds()).toEqual([userNamed.id])
    expect(github.requests).toEqual([])
  })

  it('fails on a 401 from GitHub, naming github-token, and deletes nothing', async () => {
    seedPulls()
    seedStore(pullRequestStoreName(ACME_WEB, 1))
    const before = remainingIds()
    const result = await prune({
      inputs: inputs({ 'github-token': 'ghs_wrong0000' })
    })
    expect(errorLine(result)).toContain('github-token')
    expect(remainingIds()).toEqual(before)
  })
})
