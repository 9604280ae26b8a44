import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../emulator/index.ts'
import { runAction, type RunOptions } from '../harness/run-action.ts'
import { pullRequestStoreName } from '../src/naming.ts'
import { STAGING_ENVIRONMENT_ID } from '../emulator/projects.ts'
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
      `Store ${store.id} may reach only production, as the team set it (Production-only access), and this step needs development, preview`
    )
    expect(line).toContain('nothing was connected or written')
    expect(writes()).toEqual([])
  })

  it('stops after the create of a store the team makes production-only, before it is connected (dist/index.js)', async () => {
    emulator.options.resourceTargets = ['production']
    const line = errorLine(await runAction(opened(1, {}, true)))
    expect(line).toContain(
      'as the team set it (Production-only access), and this step needs development, preview'
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

describe('each preview sees its own store and nothing else', () => {
  const secretValues = (storeId: string) =>
    emulator
      .envVars(WEB)
      .filter(({ contentHint }) => contentHint?.storeId === storeId)
      .map(({ value }) => value)

  it('two pull requests with git-branch and redeploy, through dist/index.js: no deployment can read the other’s values, and the closes leave the project as it was', async () => {
    const before = emulator.envVars(WEB)
    const pulls = [1, 2].map((number) => ({
      number,
      branch: `feature/pr-${number}`
    }))
    for (const { number, branch } of pulls) {
      emulator.seedDeployment({ projectId: WEB, branch })
      const result = await runAction(opened(number, { redeploy: 'true' }, true))
      expect(result.exitCode).toBe(0)
    }
    const stores = emulator.stores()
    expect(stores).toHaveLength(2)
    const valuesOf = (index: number) => new Set(secretValues(stores[index].id))
    for (const [index, { branch }] of pulls.entries()) {
      const own = valuesOf(index)
      // Values both stores share (a user or database name) say nothing of
      // which store a build reads.
      const other = new Set(
        [...valuesOf(1 - index)].filter((value) => !own.has(value))
      )
      // What any deployment of this branch can read: production's, every
      // preview's, and this branch's own preview variables.
      const readable = emulator
        .envVars(WEB)
        .filter(
          ({ target, gitBranch }) =>
            target.includes('production') ||
            (target.includes('preview') &&
              (gitBranch === undefined || gitBranch === branch))
        )
      for (const { value } of readable) expect(other.has(value)).toBe(false)
      const databaseUrl = readable.find(
        ({ key, gitBranch }) => key === 'DATABASE_URL' && gitBranch === branch
      )
      expect(own.has(databaseUrl?.value ?? '')).toBe(true)
      // The redeployed build read the branch's own DATABASE_URL.
      const rebuilt = emulator
        .deployments()
        .filter((deployment) => deployment.branch === branch)
        .at(-1)
      expect(rebuilt?.source).toBe('redeploy')
      expect(rebuilt?.env.DATABASE_URL).toBe(databaseUrl?.value)
      expect(
        Object.values(rebuilt?.env ?? {}).some((value) => other.has(value))
      ).toBe(false)
    }
    // The connections are for development, which no deployment reads.
    const connected = emulator
      .envVars(WEB)
      .filter(({ contentHint }) => contentHint !== undefined)
    expect(connected.length).toBeGreaterThan(0)
    for (const { target } of connected) expect(target).toEqual(['development'])
    for (const { number } of pulls) {
      const close = await runAction(opened(number, { state: 'absent' }, true))
      expect(close.exitCode).toBe(0)
    }
    expect(emulator.envVars(WEB)).toEqual(before)
  })

  it('keeps a store connected for preview by an earlier version, reports it, and connects nothing twice', async () => {
    const store = emulator.seedStore({
      installationId: emulator.installations.neon.id,
      productIdOrSlug: 'neon',
      name: pullRequestStoreName(REPOSITORY, 1),
      externalId: 'acme/web#1'
    })
    emulator.connectStore(store.id, WEB, ['preview'], 'PR1_')
    emulator.resetRequests()
    const result = await runAction(opened(1))
    expect(result.exitCode).toBe(0)
    expect(emulator.count('POST /v1/storage/stores/{id}/connections')).toBe(0)
    const kept = warningLines(result).filter((line) =>
      line.includes('as this action connected stores before')
    )
    expect(kept).toHaveLength(1)
    expect(kept[0]).toContain(
      'its PR1_variables reach every deployment of preview'
    )
    const branch = emulator
      .envVars(WEB)
      .filter(({ gitBranch }) => gitBranch === 'feature/pr-1')
    expect(branch.map(({ key }) => key)).toContain('DATABASE_URL')
  })

  it('connects for a custom environment given by slug, resolved with one request, through dist/index.js', async () => {
    const result = await runAction(
      opened(1, { environments: 'development, staging' }, true)
    )
    expect(result.exitCode).toBe(0)
    const connects = emulator.requests.filter(
      ({ route }) => route === 'POST /v1/storage/stores/{id}/connections'
    )
    expect(connects.map(({ body }) => body)).toMatchObject([
      { envVarEnvironments: ['development', STAGING_ENVIRONMENT_ID] }
    ])
    expect(
      emulator.count('GET /v9/projects/{idOrName}/custom-environments')
    ).toBe(1)
    emulator.resetRequests()
    const byId = await runAction(
      opened(2, { environments: `development,${STAGING_ENVIRONMENT_ID}` })
    )
    expect(byId.exitCode).toBe(0)
    expect(
      emulator.count('GET /v9/projects/{idOrName}/custom-environments')
    ).toBe(0)
  })

  it('names the custom environments a project has for a slug it has not', async () => {
    const line = errorLine(
      await runAction(opened(1, { environments: 'development, qa' }))
    )
    expect(line).toContain(
      `Project ${WEB} has no custom environment qa; its custom environments are staging (${STAGING_ENVIRONMENT_ID}); fix "environments".`
    )
    expect(writes()).toEqual([])
  })
})

describe('what the review of the day found (issue 19)', () => {
  it('never removes the branch variables of a live store of the same key: a second product on the branch stops before its create', async () => {
    const neon = await runAction(opened(7))
    expect(neon.exitCode).toBe(0)
    const branchKeys = () =>
      emulator
        .envVars(WEB)
        .filter(({ gitBranch }) => gitBranch === 'feature/pr-7')
        .map(({ key, value }) => `${key}=${value}`)
        .sort()
    const before = branchKeys()
    expect(before.length).toBeGreaterThan(0)
    emulator.resetRequests()
    const upstash = emulator.installations.upstash
    const line = errorLine(
      await runAction({
        ...opened(7, {
          integration: upstash.id,
          product: upstash.products[0].id,
          'env-prefix': 'KV_PR7_'
        })
      })
    )
    expect(line).toContain(
      'made by another step of this key (acme/web#7), which is still there; no store was created'
    )
    expect(writes()).toEqual([])
    expect(branchKeys()).toEqual(before)
    expect(emulator.stores()).toHaveLength(1)
  })

  it('checks only standard environments against the store’s targets: a custom one connects', async () => {
    emulator.options.resourceTargets = ['production', 'preview', 'development']
    const result = await runAction(
      opened(1, { environments: 'development, staging' })
    )
    expect(result.exitCode).toBe(0)
    expect(
      emulator.requests.filter(
        ({ route }) => route === 'POST /v1/storage/stores/{id}/connections'
      )
    ).toHaveLength(1)
  })

  it('counts the stores the user named toward max-stores, where the listing shows their key', async () => {
    emulator.options.listIncludesExternalId = true
    for (const number of [1, 2]) {
      const result = await runAction(
        opened(number, { name: `web-named-${number}`, 'max-stores': '2' })
      )
      expect(result.exitCode).toBe(0)
    }
    emulator.resetRequests()
    const line = errorLine(
      await runAction(opened(3, { name: 'web-named-3', 'max-stores': '2' }))
    )
    expect(line).toContain('acme/web already has 2 stores of this product')
    expect(writes()).toEqual([])
  })

  it('fails naming environments, rather than keep a development connection, where the default is now preview', async () => {
    expect((await runAction(opened(4))).exitCode).toBe(0)
    emulator.resetRequests()
    const line = errorLine(
      await runAction({
        inputs: neonIdInputs(emulator, { project: WEB }),
        pullRequest: 4
      })
    )
    expect(line).toContain(
      'is already connected to project prj_emuWeb0001 for development'
    )
    expect(line).toContain('but this step asks for preview')
    expect(line).toContain('"environments"')
    expect(writes()).toEqual([])
  })
})
