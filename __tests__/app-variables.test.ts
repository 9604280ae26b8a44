import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator, type Emulator } from '../emulator/index.ts'
import { NEON_INSTALLATION, SUPABASE_INSTALLATIONS } from '../emulator/seed.ts'
import {
  runAction,
  type RunOptions,
  type RunResult
} from '../harness/run-action.ts'
import { parseVariables } from '../src/name-inputs.ts'
import { errorLine, warningLines } from './support/run-result.ts'

// Issue 24, part 1: `variables` gives the app the names it reads (a Prisma
// schema's DATABASE_URL and DIRECT_URL), each from one of the store's, on
// the branch, in the job's environment and in `env`, and nothing else of
// the store's.

const WEB = 'prj_emuWeb0001'
const BRANCH = 'feature/login'
const PREFIX = 'PR1_'
const MARK = 'vercel-store-action: store '

let emulator: Emulator
/** The project's own variables, before any run. */
let projectsOwn: ReturnType<Emulator['envVars']>

beforeEach(async () => {
  emulator = await startEmulator()
  projectsOwn = emulator.envVars(WEB)
})

afterEach(async () => {
  await emulator.close()
})

interface Vendor {
  vendor: string
  installation: () => string
  product: () => string
  /** The product's names, as the emulator's routes read them (the seed's). */
  secrets: () => string[]
  variables: string
  /** App name to the store name it takes its value from. */
  expected: Record<string, string>
  /** What tells the provider's pooled URL from its direct one. */
  pooledAndDirect: (pooled: URL, direct: URL) => void
}

const SUPABASE: Vendor = {
  vendor: 'Supabase',
  installation: () => SUPABASE_INSTALLATIONS[0].id,
  product: () => SUPABASE_INSTALLATIONS[0].products[0].id,
  secrets: () => SUPABASE_INSTALLATIONS[0].products[0].secrets,
  variables:
    'DATABASE_URL=POSTGRES_PRISMA_URL\nDIRECT_URL=POSTGRES_URL_NON_POOLING',
  expected: {
    DATABASE_URL: 'POSTGRES_PRISMA_URL',
    DIRECT_URL: 'POSTGRES_URL_NON_POOLING'
  },
  // Supavisor: transaction mode for Prisma, session mode for migrations.
  pooledAndDirect: (pooled, direct) => {
    expect([pooled.port, pooled.searchParams.get('pgbouncer')]).toEqual([
      '6543',
      'true'
    ])
    expect([direct.port, direct.searchParams.get('pgbouncer')]).toEqual([
      '5432',
      null
    ])
  }
}

const NEON: Vendor = {
  vendor: 'Neon',
  installation: () => NEON_INSTALLATION.id,
  product: () => NEON_INSTALLATION.products[0].id,
  secrets: () => NEON_INSTALLATION.products[0].secrets,
  variables: 'DATABASE_URL=DATABASE_URL\nDIRECT_URL=DATABASE_URL_UNPOOLED',
  expected: {
    DATABASE_URL: 'DATABASE_URL',
    DIRECT_URL: 'DATABASE_URL_UNPOOLED'
  },
  pooledAndDirect: (pooled, direct) => {
    expect(pooled.hostname).toMatch(/^ep-[\w-]+-pooler\./)
    expect(direct.hostname).toBe(pooled.hostname.replace('-pooler.', '.'))
  }
}

function step(
  vendor: Vendor,
  extra: Record<string, string | undefined> = {},
  bundle = false
): RunOptions {
  return {
    inputs: {
      token: emulator.token,
      team: emulator.team.slug,
      integration: vendor.installation(),
      product: vendor.product(),
      'api-url': emulator.url,
      project: WEB,
      'git-branch': BRANCH,
      'export-env': 'true',
      variables: vendor.variables,
      ...extra
    },
    pullRequest: 1,
    env: { GITHUB_HEAD_REF: BRANCH },
    bundle
  }
}

const neonStep = (extra: Record<string, string | undefined> = {}) =>
  step(NEON, extra)

function branchVariables() {
  return emulator
    .envVars(WEB)
    .filter(({ gitBranch }) => gitBranch === BRANCH)
    .sort((a, b) => a.key.localeCompare(b.key))
}

function branchEnv(): Record<string, string> {
  return Object.fromEntries(
    branchVariables().map(({ key, value }) => [key, value])
  )
}

/** The value the connection put on the project for one of the store's names. */
function connectionValue(storeName: string): string {
  const variable = emulator
    .envVars(WEB)
    .find(({ key, gitBranch }) => key === `${PREFIX}${storeName}` && !gitBranch)
  if (!variable) throw new Error(`no ${PREFIX}${storeName} on ${WEB}`)
  return variable.value
}

function writes() {
  return emulator.requests
    .filter(({ method }) => method !== 'GET')
    .map(({ route }) => route)
}

/** The branch, the job's environment and `env` hold exactly the app's names. */
function expectAppNames(
  result: RunResult,
  expected: Record<string, string>
): void {
  expect(result.exitCode).toBe(0)
  const values = Object.fromEntries(
    Object.entries(expected).map(([name, from]) => [
      name,
      connectionValue(from)
    ])
  )
  expect(branchEnv()).toEqual(values)
  expect(result.exportedEnv).toEqual(values)
  expect(JSON.parse(result.outputs.env)).toEqual(values)
  for (const { comment } of branchVariables()) {
    expect(comment).toMatch(new RegExp(`^${MARK}store_\\w+ \\(acme/web#1\\)$`))
  }
}

describe('variables, through dist/index.js', () => {
  it.each([SUPABASE, NEON])(
    'gives a new $vendor store’s branch exactly DATABASE_URL and DIRECT_URL, with the values of the store’s names they map',
    async (vendor) => {
      // The emulator's product gives the provider's names (docs/providers.md).
      for (const name of Object.values(vendor.expected)) {
        expect(vendor.secrets()).toContain(name)
      }
      const result = await runAction(step(vendor, {}, true))
      expect(result.stderr).toBe('')
      expect(result.outputs.created).toBe('true')
      expectAppNames(result, vendor.expected)
      // Pooled and direct are two values, not one copied twice.
      expect(branchEnv().DATABASE_URL).not.toBe(branchEnv().DIRECT_URL)
      vendor.pooledAndDirect(
        new URL(branchEnv().DATABASE_URL),
        new URL(branchEnv().DIRECT_URL)
      )
      expect(warningLines(result)).toEqual([])
    }
  )
})

describe('variables, in-process', () => {
  it('writes nothing on a rerun with the same lines', async () => {
    expect((await runAction(neonStep())).exitCode).toBe(0)
    emulator.resetRequests()
    const rerun = await runAction(neonStep())
    expectAppNames(rerun, NEON.expected)
    expect(writes()).toEqual([])
    expect(rerun.stdout).toContain(
      `Branch ${BRANCH} of project ${WEB} already has DATABASE_URL, DIRECT_URL from store`
    )
  })

  it('removes a name dropped from the lines, and edits one mapped from another store name in place', async () => {
    expect((await runAction(neonStep())).exitCode).toBe(0)
    const [before] = branchVariables()
    emulator.resetRequests()
    const result = await runAction(
      neonStep({ variables: 'DATABASE_URL=DATABASE_URL_UNPOOLED' })
    )
    expectAppNames(result, { DATABASE_URL: 'DATABASE_URL_UNPOOLED' })
    expect(result.stdout).toContain(`Removed DIRECT_URL from branch ${BRANCH}`)
    expect(writes().sort()).toEqual(
      [ROUTES.batchRemoveProjectEnv, ROUTES.editProjectEnv].sort()
    )
    // The same variable, by id: the action's own, with its new value.
    expect(branchVariables()[0].id).toBe(before.id)
  })

  it('removes the store’s other names an earlier run without variables wrote', async () => {
    expect((await runAction(neonStep({ variables: undefined }))).exitCode).toBe(
      0
    )
    expect(Object.keys(branchEnv())).toContain('PGHOST')
    emulator.resetRequests()
    const result = await runAction(neonStep())
    expectAppNames(result, NEON.expected)
    expect(Object.keys(branchEnv())).toEqual(['DATABASE_URL', 'DIRECT_URL'])
  })

  it('gives two app names the value of one store name', async () => {
    const result = await runAction(
      neonStep({
        variables: 'DATABASE_URL=DATABASE_URL\nPOSTGRES_URL=DATABASE_URL'
      })
    )
    expectAppNames(result, {
      DATABASE_URL: 'DATABASE_URL',
      POSTGRES_URL: 'DATABASE_URL'
    })
    expect(branchVariables().map(({ key }) => key)).toEqual([
      'DATABASE_URL',
      'POSTGRES_URL'
    ])
  })

  it('exports only the app names export-env lists, while the branch gets every one', async () => {
    const result = await runAction(neonStep({ 'export-env': 'DIRECT_URL' }))
    expect(result.exitCode).toBe(0)
    const direct = connectionValue('DATABASE_URL_UNPOOLED')
    expect(result.exportedEnv).toEqual({ DIRECT_URL: direct })
    expect(branchEnv()).toEqual({
      DATABASE_URL: connectionValue('DATABASE_URL'),
      DIRECT_URL: direct
    })
  })

  it('with read-env only, holds the app names in env and writes no branch variable', async () => {
    const result = await runAction(
      neonStep({
        'git-branch': undefined,
        'export-env': undefined,
        'read-env': 'true'
      })
    )
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.outputs.env)).toEqual({
      DATABASE_URL: connectionValue('DATABASE_URL'),
      DIRECT_URL: connectionValue('DATABASE_URL_UNPOOLED')
    })
    expect(result.exportedEnv).toEqual({})
    expect(branchVariables()).toEqual([])
  })

  it('removes the mapped names on close', async () => {
    expect((await runAction(neonStep())).exitCode).toBe(0)
    expect(branchVariables()).toHaveLength(2)
    const closed = await runAction(neonStep({ state: 'absent' }))
    expect(closed.exitCode).toBe(0)
    expect(closed.outputs.deleted).toBe('true')
    expect(branchVariables()).toEqual([])
    expect(emulator.envVars(WEB)).toEqual(projectsOwn)
  })

  it('fails on a store name the new store does not have, listing its names, after the create and before any other write', async () => {
    const line = errorLine(
      await runAction(
        neonStep({
          // Neon's Prisma guide's name, which its Vercel stores do not give.
          variables: 'DATABASE_URL=DATABASE_URL\nDIRECT_URL=DIRECT_URL'
        })
      )
    )
    expect(line).toContain(
      'Input "variables" maps DIRECT_URL=DIRECT_URL, but store store_'
    )
    expect(line).toContain(
      `has no DIRECT_URL: it has ${NEON_INSTALLATION.products[0].secrets.join(', ')}.`
    )
    expect(writes()).toEqual([ROUTES.createStore])
    expect(emulator.envVars(WEB)).toEqual(projectsOwn)
  })

  it('fails on a store name the store found again does not have, with no write, in a dry run too', async () => {
    expect((await runAction(neonStep())).exitCode).toBe(0)
    const before = emulator.envVars(WEB)
    // Prisma Postgres's name, not Neon's.
    const bad = { variables: 'DATABASE_URL=DATABASE_URL_POOLED' }
    for (const extra of [bad, { ...bad, 'dry-run': 'true' }]) {
      emulator.resetRequests()
      const line = errorLine(await runAction(neonStep(extra)))
      expect(line).toContain(
        'Input "variables" maps DATABASE_URL=DATABASE_URL_POOLED, but store store_'
      )
      expect(line).toContain(
        'it has DATABASE_URL, DATABASE_URL_UNPOOLED, PGHOST'
      )
      expect(writes()).toEqual([])
    }
    expect(emulator.envVars(WEB)).toEqual(before)
  })

  it.each([
    [
      'DATABASE_URL',
      'has the line "DATABASE_URL", which is not APP_NAME=STORE_NAME'
    ],
    [
      'DATABASE_URL POSTGRES_URL',
      'has the line "DATABASE_URL POSTGRES_URL", which is not APP_NAME=STORE_NAME'
    ],
    [
      'NODE_OPTIONS=DATABASE_URL',
      `has the line "NODE_OPTIONS=DATABASE_URL", whose app name "NODE_OPTIONS" is a name later steps' tools read as a setting`
    ],
    [
      'DATABASE_URL=DATABASE_URL\nhttps_proxy=DATABASE_URL',
      `whose app name "https_proxy" is a name later steps' tools read as a setting`
    ],
    [
      '1DB=DATABASE_URL',
      'has the line "1DB=DATABASE_URL", whose app name "1DB" is not a variable name'
    ],
    ['=DATABASE_URL', 'whose app name "" is not a variable name'],
    [
      'DATABASE_URL=postgres://u:p@h/db',
      'has the line "DATABASE_URL=postgres://u:p@h/db", whose store name "postgres://u:p@h/db" is not a variable name'
    ],
    ['DATABASE_URL=', 'whose store name "" is not a variable name'],
    [
      'DATABASE_URL=DATABASE_URL\nDIRECT_URL=DATABASE_URL_UNPOOLED\nDATABASE_URL=PGHOST',
      'gives DATABASE_URL twice ("DATABASE_URL=PGHOST" is the second)'
    ]
  ])('refuses variables %j before any request', async (variables, reason) => {
    const line = errorLine(await runAction(neonStep({ variables })))
    expect(line).toContain('Input "variables" ')
    expect(line).toContain(reason)
    expect(emulator.requests).toEqual([])
  })

  it.each([
    [
      { 'git-branch': undefined, 'export-env': undefined },
      'Input "variables" needs "git-branch", "export-env" or "read-env"'
    ],
    [
      { 'export-env': 'DATABASE_URL PGHOST' },
      'Input "export-env" lists PGHOST, which "variables" does not give (it gives DATABASE_URL, DIRECT_URL)'
    ],
    [
      { state: 'prune', 'git-branch': undefined, 'export-env': undefined },
      'Input "variables" does not apply to state: prune'
    ]
  ])('refuses %j with variables before any request', async (extra, message) => {
    const line = errorLine(await runAction(neonStep(extra)))
    expect(line).toContain(message)
    expect(emulator.requests).toEqual([])
  })
})

describe('parseVariables', () => {
  it('reads one line each, with spaces around = and blank or CRLF lines', () => {
    expect(
      parseVariables(
        '  DATABASE_URL = POSTGRES_PRISMA_URL\r\n\n DIRECT_URL=POSTGRES_URL_NON_POOLING  \n'
      )
    ).toEqual([
      { name: 'DATABASE_URL', from: 'POSTGRES_PRISMA_URL' },
      { name: 'DIRECT_URL', from: 'POSTGRES_URL_NON_POOLING' }
    ])
  })

  it('is undefined where empty: the store’s own names, as before', () => {
    expect(parseVariables('')).toBeUndefined()
    expect(parseVariables(' \n ')).toBeUndefined()
  })
})
