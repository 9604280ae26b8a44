import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator, type Emulator } from '../emulator/index.ts'
import { INSTALLATIONS, NEON_INSTALLATION } from '../emulator/seed.ts'
import {
  runAction,
  type RunOptions,
  type RunResult
} from '../harness/run-action.ts'
import { isStoreShaped, unlistable } from '../src/variable-names.ts'
import { errorLine, neonIdInputs, warningLines } from './support/run-result.ts'

// Issue 23, finding 1: `export-env` and `git-branch` let a store's variables
// leave it under their own names by an allowlist, the names the user lists
// or those of the shapes database stores give, never by a denylist of
// tools' settings, which a vendor's product or a hostile answer can step
// around (`GNUMAKEFLAGS` ran a command in the next step's `make`).

const WEB = 'prj_emuWeb0001'
const BRANCH = 'feature/login'

/*
 * Names the review's reproduction got past the old denylist (37 of 56):
 * each makes a later step's tool run a command, load code, or fetch from
 * elsewhere, and a Marketplace product may give any of them.
 */
const SETTINGS_OF_THE_REVIEW = [
  'GNUMAKEFLAGS',
  'CMAKE_C_COMPILER_LAUNCHER',
  'LESSOPEN',
  'GOAUTH',
  'CGO_LDFLAGS',
  'OPENSSL_CONF',
  'CLASSPATH',
  'GH_HOST',
  'PRISMA_ENGINES_MIRROR',
  'PLAYWRIGHT_DOWNLOAD_HOST',
  'ELECTRON_MIRROR'
]

/** What the stores of the emulator's products, and real ones, give. */
const STORES_OWN = [
  ...new Set([
    ...INSTALLATIONS.flatMap(({ products }) =>
      products.flatMap(({ secrets }) => secrets)
    ),
    'DATABASE_URL_UNPOOLED',
    'POSTGRES_URL_NON_POOLING',
    'POSTGRES_PRISMA_URL',
    'POSTGRES_HOST',
    'POSTGRES_PASSWORD',
    'PGHOST_UNPOOLED',
    'PGPORT',
    'PGSSLMODE',
    'UPSTASH_REDIS_REST_URL',
    'UPSTASH_REDIS_REST_TOKEN',
    'SUPABASE_SERVICE_ROLE_KEY',
    'SUPABASE_JWT_SECRET',
    'NEXT_PUBLIC_SUPABASE_URL',
    'NEXT_PUBLIC_SUPABASE_ANON_KEY',
    'NEON_PROJECT_ID',
    'MONGODB_URI',
    'TURSO_DATABASE_URL',
    'TURSO_AUTH_TOKEN'
  ])
]

describe('the shapes of the names database stores give', () => {
  it.each(STORES_OWN)('lets %s leave the store', (name) => {
    expect(isStoreShaped(name)).toBe(true)
  })

  it.each([
    ...SETTINGS_OF_THE_REVIEW,
    // libpq's names of files, of a service file's section, of server options.
    'PGPASSFILE',
    'PGSERVICEFILE',
    'PGSERVICE',
    'PGSYSCONFDIR',
    'PGSSLKEYLOGFILE',
    'PGSSLROOTCERT',
    'PGSSLKEY',
    'PGOPTIONS',
    // Vendors' command-line tools' settings under a store's prefix.
    'SUPABASE_ACCESS_TOKEN',
    'SUPABASE_INTERNAL_IMAGE_REGISTRY',
    'NEON_API_HOST',
    'MONGODB_ATLAS_OPS_MANAGER_URL',
    'TURSO_API_TOKEN',
    'POSTGRES_INITDB_ARGS',
    // Refused before as well, as settings or as no variable name.
    'MAKEFLAGS',
    'NODE_OPTIONS',
    'https_proxy',
    'DATABASE_PROXY',
    'KV_CA_BUNDLE',
    'GIT_SSH_COMMAND',
    'LD_PRELOAD',
    'BASH_ENV',
    'GITHUB_TOKEN',
    'VERCEL_TOKEN',
    'database_url',
    'A B',
    'X\nY',
    ''
  ])('keeps %j in the store', (name) => {
    expect(isStoreShaped(name)).toBe(false)
  })

  it.each([
    'GNUMAKEFLAGS',
    'NODE_OPTIONS',
    'PRISMA_ENGINES_MIRROR',
    'https_proxy'
  ])('refuses %s where a user lists it, as a setting', (name) => {
    expect(unlistable(name)).toContain("later steps' tools read as a setting")
  })

  it.each(['DIRECT_URL', 'MY_APP_DB', 'PRISMA_DATABASE_URL'])(
    'takes %s where a user lists it',
    (name) => {
      expect(unlistable(name)).toBeUndefined()
    }
  )
})

let emulator: Emulator

beforeEach(async () => {
  emulator = await startEmulator()
})

afterEach(async () => {
  await emulator.close()
})

/**
 * The Neon product's names, which every new store of it gives: the seed's,
 * which the emulator's routes read (`emulator.installations` is a copy).
 */
const productNames = () => NEON_INSTALLATION.products[0].secrets

/** The review's store: its product also names variables after settings. */
function withHostileNames<T>(run: () => Promise<T>): Promise<T> {
  const names = productNames()
  const own = [...names]
  names.push(...SETTINGS_OF_THE_REVIEW)
  return run().finally(() => names.splice(0, names.length, ...own))
}

function step(extra: Record<string, string> = {}, bundle = false): RunOptions {
  return {
    inputs: neonIdInputs(emulator, {
      project: WEB,
      'git-branch': BRANCH,
      'export-env': 'true',
      ...extra
    }),
    pullRequest: 1,
    env: { GITHUB_HEAD_REF: BRANCH },
    bundle
  }
}

function branchNames(): string[] {
  return emulator
    .envVars(WEB)
    .filter(({ gitBranch }) => gitBranch === BRANCH)
    .map(({ key }) => key)
    .sort()
}

function writes() {
  return emulator.requests.filter(({ method }) => method !== 'GET')
}

/**
 * What the review's store leaves in the job and on the branch: only the
 * store's own names, and one warning naming each of the others.
 */
function expectOnlyStoresOwn(result: RunResult, own: string[]): void {
  expect(result.exitCode).toBe(0)
  expect(Object.keys(result.exportedEnv).sort()).toEqual([...own].sort())
  expect(branchNames()).toEqual([...own].sort())
  const skipped = warningLines(result).filter((line) =>
    line.includes('not of the names database stores give')
  )
  expect(skipped).toHaveLength(1)
  for (const name of SETTINGS_OF_THE_REVIEW) {
    expect(skipped[0]).toContain(name)
    expect(result.exportedEnv).not.toHaveProperty(name)
  }
  expect(skipped[0]).toContain(
    `neither put into the job's environment nor written to branch ${BRANCH}`
  )
  // The `env` output still has every variable, for a step that asks by name.
  expect(Object.keys(JSON.parse(result.outputs.env)).sort()).toEqual(
    [...own, ...SETTINGS_OF_THE_REVIEW].sort()
  )
}

describe('export-env: true and git-branch, with a store that names variables after settings', () => {
  it('through dist/index.js, puts none of them into GITHUB_ENV nor onto the branch, and names each in one warning', async () => {
    const own = [...productNames()]
    const result = await withHostileNames(() => runAction(step({}, true)))
    expect(result.stderr).toBe('')
    expectOnlyStoresOwn(result, own)
  })

  it('in-process, the same; and a rerun writes nothing and warns again', async () => {
    const own = [...productNames()]
    expectOnlyStoresOwn(await withHostileNames(() => runAction(step())), own)
    emulator.resetRequests()
    const rerun = await withHostileNames(() => runAction(step()))
    expectOnlyStoresOwn(rerun, own)
    expect(writes()).toEqual([])
  })

  it('removes a name outside the shapes that an earlier version wrote to the branch for the store', async () => {
    expect((await runAction(step())).exitCode).toBe(0)
    const [mine] = emulator
      .envVars(WEB)
      .filter(({ gitBranch }) => gitBranch === BRANCH)
    await withHostileNames(async () => {
      const response = await fetch(
        `${emulator.url}/v10/projects/${WEB}/env?upsert=true&teamId=${emulator.team.id}`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${emulator.token}`,
            'content-type': 'application/json'
          },
          body: JSON.stringify({
            key: 'GNUMAKEFLAGS',
            value: '--eval=$(shell id -un > PROOF)',
            type: 'encrypted',
            target: ['preview'],
            gitBranch: BRANCH,
            comment: mine.comment
          })
        }
      )
      expect(response.status).toBe(201)
      emulator.resetRequests()
      const result = await runAction(step({ 'export-env': '' }))
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain(
        `Removed GNUMAKEFLAGS from branch ${BRANCH}`
      )
    })
    expect(branchNames()).not.toContain('GNUMAKEFLAGS')
    expect(writes().map(({ route }) => route)).toEqual([
      ROUTES.batchRemoveProjectEnv
    ])
  })
})

describe('export-env with a list of names', () => {
  it('puts only the names listed into GITHUB_ENV, warning of none, while the branch gets the shapes', async () => {
    const result = await withHostileNames(() =>
      runAction(step({ 'export-env': 'DATABASE_URL\n  PGHOST DATABASE_URL' }))
    )
    expect(result.exitCode).toBe(0)
    expect(Object.keys(result.exportedEnv).sort()).toEqual([
      'DATABASE_URL',
      'PGHOST'
    ])
    const [warning, ...others] = warningLines(result)
    expect(others).toEqual([])
    // Only the branch leaves names out that the user did not choose to.
    expect(warning).toContain(`not written to branch ${BRANCH}`)
    const named = warning.split(', not of the names')[0]
    expect(named).toContain('GNUMAKEFLAGS')
    expect(named).not.toContain('PGUSER')
    expect(warning).not.toContain('takes a list')
  })

  it('fails naming a listed name the store does not have, before the store is connected', async () => {
    const result = await runAction(
      step({ 'export-env': 'DATABASE_URL DIRECT_URL' })
    )
    expect(errorLine(result)).toContain(
      'Input "export-env" lists DIRECT_URL, which store'
    )
    expect(result.exportedEnv).toEqual({})
    expect(writes().map(({ route }) => route)).toEqual([ROUTES.createStore])
    expect(branchNames()).toEqual([])
  })

  it.each([
    ['NODE_OPTIONS', "is a name later steps' tools read as a setting"],
    ['GNUMAKEFLAGS', "is a name later steps' tools read as a setting"],
    ['DATABASE_URL 1ABC', 'is not a variable name'],
    ['DATABASE_URL,PGHOST', 'is not a variable name'],
    ['yes', 'must be true, false or the names'],
    ['Off', 'must be true, false or the names']
  ])('refuses export-env: %j before any request', async (value, reason) => {
    const line = errorLine(await runAction(step({ 'export-env': value })))
    expect(line).toContain('Input "export-env" ')
    expect(line).toContain(reason)
    expect(emulator.requests).toEqual([])
  })
})
