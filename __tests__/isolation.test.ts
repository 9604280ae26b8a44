import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../emulator/index.ts'
import { runAction, type RunOptions } from '../harness/run-action.ts'
import { pullRequestStoreName } from '../src/naming.ts'
import { errorLine, neonIdInputs, warningLines } from './support/run-result.ts'

// Issue 19: what keeps each preview on its own store and bounds the stores,
// decided from what the step reads anyway and before anything is written:
// a project-wide preview variable the racing first build would read, the
// team's Production-only setting, `max-stores`, and the plan's limits.

const WEB = 'prj_emuWeb0001'
const REPOSITORY = { owner: 'acme', repo: 'web' }
const CREATE = 'POST /v1/storage/stores/integration/direct'

let emulator: Emulator

beforeEach(async () => {
  emulator = await startEmulator()
})

afterEach(async () => {
  await emulator.close()
})

function opened(
  number: number,
  extra: Record<string, string> = {},
  bundle = false
): RunOptions {
  const branch = `feature/pr-${number}`
  return {
    inputs: neonIdInputs(emulator, {
      project: WEB,
      'git-branch': branch,
      ...extra
    }),
    pullRequest: number,
    env: { GITHUB_HEAD_REF: branch },
    bundle
  }
}

/** The requests that changed something: none may precede a refusal. */
function writes(): string[] {
  return emulator.requests
    .filter(({ method }) => method !== 'GET')
    .map(({ method, path }) => `${method} ${path}`)
}

function putProjectWideDatabaseUrl(): void {
  emulator.putEnvVar(WEB, {
    id: 'env_sharedStaging01',
    key: 'DATABASE_URL',
    value: 'postgres://staging.example/shared',
    target: ['preview', 'development'],
    type: 'encrypted'
  })
}

describe('a project-wide preview variable of a store name', () => {
  it('gives one warning naming it, through dist/index.js, and the store is made', async () => {
    putProjectWideDatabaseUrl()
    const result = await runAction(opened(1, {}, true))
    expect(result.exitCode).toBe(0)
    const fallbacks = warningLines(result).filter((line) =>
      line.includes('for all previews')
    )
    expect(fallbacks).toHaveLength(1)
    expect(fallbacks[0]).toContain(
      `Project ${WEB} has a variable DATABASE_URL for all previews`
    )
    expect(fallbacks[0]).toContain('set "fallback" to fail')
    expect(emulator.count(CREATE)).toBe(1)
  })

  it('fails before any store exists with fallback: fail, through dist/index.js', async () => {
    putProjectWideDatabaseUrl()
    const line = errorLine(
      await runAction(opened(1, { fallback: 'fail' }, true))
    )
    expect(line).toContain(
      `Project ${WEB} has a variable DATABASE_URL for all previews`
    )
    expect(line).toContain('no store was created')
    expect(writes()).toEqual([])
    expect(emulator.stores()).toEqual([])
  })

  it('says nothing of a variable scoped to a branch, or to production only', async () => {
    emulator.putEnvVar(WEB, {
      id: 'env_otherBranch001',
      key: 'DATABASE_URL',
      value: 'postgres://x.example/other',
      target: ['preview'],
      gitBranch: 'someone/else',
      type: 'encrypted'
    })
    emulator.putEnvVar(WEB, {
      id: 'env_production0001',
      key: 'DATABASE_URL',
      value: 'postgres://x.example/production',
      target: ['production'],
      type: 'encrypted'
    })
    const result = await runAction(opened(1, { fallback: 'fail' }))
    expect(result.exitCode).toBe(0)
    expect(result.stdout).not.toContain('for all previews')
  })
})

describe('max-stores', () => {
  function seedPullRequestStore(number: number): string {
    return emulator.seedStore({
      installationId: emulator.installations.neon.id,
      productIdOrSlug: 'neon',
      name: pullRequestStoreName(REPOSITORY, number),
      externalId: `acme/web#${number}`
    }).id
  }

  it('refuses the third store with two open pull requests’ stores, naming both, before any write (dist/index.js)', async () => {
    seedPullRequestStore(42)
    seedPullRequestStore(41)
    // Another repository's store of the product is not this one's to count.
    emulator.seedStore({
      installationId: emulator.installations.neon.id,
      productIdOrSlug: 'neon',
      name: pullRequestStoreName({ owner: 'acme', repo: 'api' }, 7)
    })
    emulator.resetRequests()
    const line = errorLine(
      await runAction(opened(43, { 'max-stores': '2' }, true))
    )
    expect(line).toBe(
      `::error::acme/web already has 2 stores of this product (#41, #42), and "max-stores" is 2; no store was created. Close or merge one of those pull requests (a prune deletes the stores of closed ones), or raise "max-stores".`
    )
    expect(writes()).toEqual([])
    // Zero extra requests: the listing it read for its own key.
    expect(emulator.count('GET /v1/storage/stores')).toBe(1)
  })

  it('creates while under the bound, and a rerun at the bound reuses its own store', async () => {
    seedPullRequestStore(41)
    expect((await runAction(opened(43, { 'max-stores': '2' }))).exitCode).toBe(
      0
    )
    emulator.resetRequests()
    expect((await runAction(opened(43, { 'max-stores': '2' }))).exitCode).toBe(
      0
    )
    expect(writes()).toEqual([])
  })
})

describe('the team’s Production-only setting (store targets)', () => {
  it('refuses, before any write, to hand a production-only store to previews', async () => {
    const store = emulator.seedStore({
      installationId: emulator.installations.neon.id,
      productIdOrSlug: 'neon',
      name: pullRequestStoreName(REPOSITORY, 1),
      externalId: 'acme/web#1',
      targets: ['production']
    })
    emulator.resetRequests()
    const line = errorLine(await runAction(opened(1)))
    expect(line).toContain(
      `Store ${store.id} may reach only production, as the team set it (Production-only access), and this step needs preview`
    )
    expect(line).toContain('nothing was connected or written')
    expect(writes()).toEqual([])
  })

  it('stops after the create of a store the team makes production-only, before it is connected (dist/index.js)', async () => {
    emulator.options.resourceTargets = ['production']
    const line = errorLine(await runAction(opened(1, {}, true)))
    expect(line).toContain(
      'as the team set it (Production-only access), and this step needs preview'
    )
    expect(line).toContain(
      'the store was created but not connected, and the close (or a prune) deletes it'
    )
    expect(writes()).toEqual([`POST /v1/storage/stores/integration/direct`])
  })
})

describe('the plan’s limits', () => {
  it('names the limit and the prune when the provider refuses another store', async () => {
    emulator.options.storeLimit = 0
    const line = errorLine(await runAction(opened(1)))
    expect(line).toContain('answered HTTP 403')
    expect(line).toContain(
      "The provider refused another store: its plan's limit on stores (or projects) is reached"
    )
    expect(line).toContain('"state: prune"')
    expect(line).toContain('"max-stores"')
  })

  it('names the limit and the prune for a store suspended for the store count', async () => {
    const store = emulator.seedStore({
      installationId: emulator.installations.neon.id,
      productIdOrSlug: 'neon',
      name: pullRequestStoreName(REPOSITORY, 1),
      externalId: 'acme/web#1',
      status: 'limits-exceeded-suspended-store-count'
    })
    const line = errorLine(await runAction(opened(1)))
    expect(line).toBe(
      `::error::Store "${store.name}" (${store.id}) is limits-exceeded-suspended-store-count, which it will not leave by itself. Vercel gives no reason. The team has more stores of this product than its plan allows: delete the stores of closed pull requests (a nightly "state: prune"), set "max-stores" under the plan's limit, or raise the plan.`
    )
  })
})
