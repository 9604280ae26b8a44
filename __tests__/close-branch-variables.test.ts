import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator, type Emulator } from '../emulator/index.ts'
import type { EnvVar } from '../emulator/index.ts'
import {
  startGitHubEmulator,
  type GitHubEmulator
} from '../emulator/github/index.ts'
import { runAction, type RunOptions } from '../harness/run-action.ts'
import { neonIdInputs } from './support/run-result.ts'

// Issue 23, finding 2: a close step with `project` but without `git-branch`
// (the README's workflow drops the branch on close) left the store's branch
// variables behind, so a reopened pull request failed after creating a new,
// unconnected store. The variables are found by the store their mark names,
// whatever `git-branch` says; a reopen that meets an older close's leftovers
// removes them before it creates anything. Through the bundle, as the
// runner runs it, except the one seeded leftover.

const WEB = 'prj_emuWeb0001'
const REPOSITORY = 'acme/web'
const PR = { number: 7, branch: 'feature/reopen' }
const OTHER = { number: 8, branch: 'feature/other' }

let emulator: Emulator

beforeEach(async () => {
  emulator = await startEmulator()
})

afterEach(async () => {
  await emulator.close()
})

function open(
  pr: typeof PR,
  extra: Record<string, string> = {},
  bundle = true
): RunOptions {
  return {
    inputs: neonIdInputs(emulator, {
      project: WEB,
      'git-branch': pr.branch,
      ...extra
    }),
    pullRequest: pr.number,
    env: { GITHUB_HEAD_REF: pr.branch },
    bundle
  }
}

/** The close as the README's workflow writes it: `project`, no branch. */
function closeWithoutBranch(pr: typeof PR): RunOptions {
  return {
    inputs: neonIdInputs(emulator, { project: WEB, state: 'absent' }),
    pullRequest: pr.number,
    pullRequestAction: 'closed',
    env: { GITHUB_HEAD_REF: pr.branch },
    bundle: true
  }
}

function storesOf(pr: typeof PR) {
  return emulator
    .stores()
    .filter(({ externalId }) => externalId === `${REPOSITORY}#${pr.number}`)
}

/** The project's variables, of any branch, whose mark names the store. */
function markedWith(storeId: string): EnvVar[] {
  return emulator
    .envVars(WEB)
    .filter(({ comment }) => comment?.includes(`store ${storeId} `))
}

function branchVariables(branch: string): EnvVar[] {
  return emulator.envVars(WEB).filter(({ gitBranch }) => gitBranch === branch)
}

/** A store gone without its branch variables, as the old close left it. */
async function deleteStoreOnly(storeId: string): Promise<void> {
  for (const path of [
    `/v1/storage/stores/${storeId}/connections`,
    `/v1/storage/stores/integration/${storeId}`
  ]) {
    const response = await fetch(
      `${emulator.url}${path}?teamId=${emulator.team.id}`,
      {
        method: 'DELETE',
        headers: { authorization: `Bearer ${emulator.token}` }
      }
    )
    expect(response.ok).toBe(true)
  }
}

function expectOneConnectedStore(pr: typeof PR): string {
  const stores = storesOf(pr)
  expect(stores).toHaveLength(1)
  const [store] = stores
  expect(store.projectsMetadata.map(({ projectId }) => projectId)).toEqual([
    WEB
  ])
  const secrets = emulator.installations.neon.products[0].secrets
  expect(
    markedWith(store.id)
      .map(({ key, gitBranch }) => `${key}@${gitBranch}`)
      .sort()
  ).toEqual(secrets.map((name) => `${name}@${pr.branch}`).sort())
  return store.id
}

describe('a close with project but without git-branch', () => {
  it('removes the branch variables marked with the store, and the reopen makes one connected store', async () => {
    expect((await runAction(open(OTHER, {}, false))).exitCode).toBe(0)
    const others = branchVariables(OTHER.branch)
    expect((await runAction(open(PR))).exitCode).toBe(0)
    const first = expectOneConnectedStore(PR)

    emulator.resetRequests()
    const close = await runAction(closeWithoutBranch(PR))
    expect(close.exitCode).toBe(0)
    expect(close.outputs['deleted-store-ids']).toBe(JSON.stringify([first]))
    expect(markedWith(first)).toEqual([])
    expect(branchVariables(PR.branch)).toEqual([])
    expect(branchVariables(OTHER.branch)).toEqual(others)
    expect(emulator.counts()).toMatchObject({
      [ROUTES.listProjectEnv]: 1,
      [ROUTES.batchRemoveProjectEnv]: 1
    })

    const reopen = await runAction(open(PR))
    expect(reopen.exitCode).toBe(0)
    expect(reopen.outputs.created).toBe('true')
    const second = expectOneConnectedStore(PR)
    expect(second).not.toBe(first)
    expect(branchVariables(OTHER.branch)).toEqual(others)
  })

  it('says in a dry run that the branch variables would go', async () => {
    expect((await runAction(open(PR, {}, false))).exitCode).toBe(0)
    const before = emulator.envVars(WEB)
    const result = await runAction({
      ...closeWithoutBranch(PR),
      inputs: neonIdInputs(emulator, {
        project: WEB,
        state: 'absent',
        'dry-run': 'true'
      }),
      bundle: false
    })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(
      `after the preview variables written for them on project ${WEB}`
    )
    expect(emulator.envVars(WEB)).toEqual(before)
  })
})

describe('a reopen after a close that left the branch variables', () => {
  it('removes the earlier store’s variables before it creates the store, and connects it', async () => {
    expect((await runAction(open(PR, {}, false))).exitCode).toBe(0)
    const [earlier] = storesOf(PR)
    await deleteStoreOnly(earlier.id)
    const leftovers = markedWith(earlier.id)
    expect(leftovers.length).toBeGreaterThan(0)

    emulator.resetRequests()
    const reopen = await runAction(open(PR))
    expect(reopen.exitCode).toBe(0)
    expect(markedWith(earlier.id)).toEqual([])
    expectOneConnectedStore(PR)
    const routes = emulator.requests.map(({ route }) => route)
    expect(routes.indexOf(ROUTES.batchRemoveProjectEnv)).toBeGreaterThan(-1)
    expect(routes.indexOf(ROUTES.batchRemoveProjectEnv)).toBeLessThan(
      routes.indexOf(ROUTES.createStore)
    )
    const [removal] = emulator.requests.filter(
      ({ route }) => route === ROUTES.batchRemoveProjectEnv
    )
    expect((removal.body as { ids: string[] }).ids.sort()).toEqual(
      leftovers.map(({ id }) => id).sort()
    )
    expect(reopen.stdout).toContain(
      `this action wrote them for an earlier store of key ${REPOSITORY}#${PR.number}`
    )
  })

  it('leaves another key’s variables and fails before any create where the branch carries them', async () => {
    expect((await runAction(open(OTHER, {}, false))).exitCode).toBe(0)
    emulator.resetRequests()
    // This pull request opened from the other one's branch.
    const result = await runAction(
      open({ number: PR.number, branch: OTHER.branch })
    )
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('no store was created')
    expect(storesOf(PR)).toEqual([])
    expect(emulator.count(ROUTES.createStore)).toBe(0)
    expect(emulator.count(ROUTES.batchRemoveProjectEnv)).toBe(0)
  })
})

describe('a prune with project, for a missed close', () => {
  let github: GitHubEmulator

  beforeEach(async () => {
    github = await startGitHubEmulator()
  })

  afterEach(async () => {
    await github.close()
  })

  it('removes the branch variables marked with the store it deletes, and the reopen works', async () => {
    for (let number = 1; number <= OTHER.number; number++) {
      github.seedPull({ owner: 'acme', repo: 'web', head: `head-${number}` })
    }
    expect((await runAction(open(OTHER, {}, false))).exitCode).toBe(0)
    const others = branchVariables(OTHER.branch)
    expect((await runAction(open(PR))).exitCode).toBe(0)
    const first = expectOneConnectedStore(PR)
    github.closePull('acme', 'web', PR.number)

    const prune = await runAction({
      eventName: 'schedule',
      githubApiUrl: github.url,
      inputs: neonIdInputs(emulator, {
        project: WEB,
        state: 'prune',
        'github-token': github.token
      }),
      bundle: true
    })
    expect(prune.exitCode).toBe(0)
    expect(prune.outputs['deleted-store-ids']).toBe(JSON.stringify([first]))
    expect(markedWith(first)).toEqual([])
    expect(branchVariables(OTHER.branch)).toEqual(others)

    const reopen = await runAction(open(PR))
    expect(reopen.exitCode).toBe(0)
    expect(expectOneConnectedStore(PR)).not.toBe(first)
  })
})
