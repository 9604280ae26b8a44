// Issue 23, finding 4: the project's variables are listed to the last page,
// so the clash checks, the write and the removals see every one; and the
// branch's variables are created without `upsert`, the action's own edited
// by id, so that a variable someone made since the listing is reported and
// never overwritten.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator, type Emulator } from '../emulator/index.ts'
import { newEnvId } from '../emulator/projects.ts'
import { runAction, type RunOptions } from '../harness/run-action.ts'
import { errorLine, neonIdInputs } from './support/run-result.ts'
import { expectOfficialShape } from './support/vercel-schema.ts'

const WEB = 'prj_emuWeb0001'
const BRANCH = 'feature/login'
const HAND_SET = 'postgres://hand-set-by-a-person'

let emulator: Emulator

beforeEach(async () => {
  emulator = await startEmulator({ envPageSize: 2 })
})

afterEach(async () => {
  await emulator.close()
})

function step(extra: Record<string, string> = {}, bundle = false): RunOptions {
  return {
    inputs: neonIdInputs(emulator, {
      project: WEB,
      'git-branch': BRANCH,
      ...extra
    }),
    pullRequest: 1,
    env: { GITHUB_HEAD_REF: BRANCH },
    bundle
  }
}

/** Someone's own variable of the branch, put on the project directly. */
function handSetDatabaseUrl(): void {
  emulator.putEnvVar(WEB, {
    id: newEnvId(),
    key: 'DATABASE_URL',
    value: HAND_SET,
    target: ['preview'],
    type: 'encrypted',
    gitBranch: BRANCH
  })
}

/** Other variables, listed before it: it comes on a later page. */
function fillFirstPage(): void {
  for (const key of ['SENTRY_DSN', 'ANALYTICS_ID', 'FEATURE_FLAGS']) {
    emulator.putEnvVar(WEB, {
      id: newEnvId(),
      key,
      value: `value of ${key}`,
      target: ['preview', 'production'],
      type: 'encrypted'
    })
  }
}

const databaseUrls = () =>
  emulator
    .envVars(WEB)
    .filter(({ key, gitBranch }) => key === 'DATABASE_URL' && gitBranch)

const listings = () =>
  emulator.requests.filter(({ route }) => route === ROUTES.listProjectEnv)

const writes = () =>
  emulator.requests.filter(
    ({ route }) =>
      route === ROUTES.createProjectEnv || route === ROUTES.editProjectEnv
  )

describe('a hand-set branch DATABASE_URL on a later page of the listing', () => {
  it('fails naming it through the bundle, and leaves it as it was', async () => {
    fillFirstPage()
    handSetDatabaseUrl()
    const line = errorLine(await runAction(step({}, true)))
    expect(line).toContain('preview variable DATABASE_URL')
    expect(line).toContain(`branch ${BRANCH}`)
    expect(line).toContain('set by someone else')
    // Every page was asked for, each with the cursor the one before gave.
    const untils = listings().map(({ query }) => query.until)
    expect(untils.length).toBeGreaterThan(1)
    expect(untils.slice(1).every((until) => /^\d+$/.test(until))).toBe(true)
    expect(writes()).toEqual([])
    expect(
      databaseUrls().map(({ value, comment }) => [value, comment])
    ).toEqual([[HAND_SET, undefined]])
  })
})

describe('a variable made between the listing and the write', () => {
  it('is refused by the create, read again and reported, not overwritten', async () => {
    fillFirstPage()
    emulator.faults.add(ROUTES.createProjectEnv, { before: handSetDatabaseUrl })
    const result = await runAction(step())
    const line = errorLine(result)
    expect(line).toContain('Vercel refused to create DATABASE_URL')
    expect(line).toContain('made since this step listed the variables')
    expect(line).toContain('set by someone else')
    const [create] = emulator.requests.filter(
      ({ route }) => route === ROUTES.createProjectEnv
    )
    expect(create.query.upsert).toBeUndefined()
    // The listing after the refused write is what names the variable.
    const lastListing = emulator.requests.findLastIndex(
      ({ route }) => route === ROUTES.listProjectEnv
    )
    expect(lastListing).toBeGreaterThan(emulator.requests.indexOf(create))
    expect(databaseUrls().map(({ value }) => value)).toEqual([HAND_SET])
  })

  it('is edited by id where it is the action’s own, and nothing else is', async () => {
    expect((await runAction(step())).exitCode).toBe(0)
    const own = databaseUrls()
    expect(own).toHaveLength(1)
    // The store's credentials changed: the branch still has the old value.
    emulator.putEnvVar(WEB, { ...own[0], value: 'postgres://old-credentials' })
    fillFirstPage()
    emulator.resetRequests()
    const result = await runAction(step())
    expect(result.exitCode).toBe(0)
    expect(writes().map(({ route, path }) => [route, path])).toEqual([
      [ROUTES.editProjectEnv, `/v9/projects/${WEB}/env/${own[0].id}`]
    ])
    expect(databaseUrls()).toHaveLength(1)
    expect(databaseUrls()[0].value).not.toBe('postgres://old-credentials')
  })
})

describe('the close', () => {
  it('removes the action’s variables from every page, and only those', async () => {
    expect((await runAction(step())).exitCode).toBe(0)
    const own = emulator
      .envVars(WEB)
      .filter(({ gitBranch }) => gitBranch === BRANCH)
      .map(({ id }) => id)
    expect(own.length).toBeGreaterThan(2)
    fillFirstPage()
    emulator.resetRequests()
    expect((await runAction(step({ state: 'absent' }))).exitCode).toBe(0)
    expect(listings().length).toBeGreaterThan(1)
    const [removal] = emulator.requests.filter(
      ({ route }) => route === ROUTES.batchRemoveProjectEnv
    )
    expect(new Set((removal.body as { ids: string[] }).ids)).toEqual(
      new Set(own)
    )
    expect(
      emulator.envVars(WEB).filter(({ gitBranch }) => gitBranch === BRANCH)
    ).toEqual([])
    expect(emulator.envVars(WEB).map(({ key }) => key)).toEqual(
      expect.arrayContaining(['SENTRY_DSN', 'ANALYTICS_ID', 'FEATURE_FLAGS'])
    )
  })
})

describe('the emulator', () => {
  it('pages the listing in the official shape, and refuses a create over a variable without upsert', async () => {
    fillFirstPage()
    handSetDatabaseUrl()
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${emulator.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${emulator.token}`,
          'content-type': 'application/json'
        },
        body: body === undefined ? undefined : JSON.stringify(body)
      })
    const team = `teamId=${emulator.team.id}`
    const first = await call('GET', `/v10/projects/${WEB}/env?${team}`)
    const page = (await first.json()) as {
      envs: unknown[]
      pagination: { next: number }
    }
    expectOfficialShape('GET', '/v10/projects/{idOrName}/env', 200, page)
    expect(page.envs).toHaveLength(2)
    expect(typeof page.pagination.next).toBe('number')

    const created = await call('POST', `/v10/projects/${WEB}/env?${team}`, [
      {
        key: 'DATABASE_URL',
        value: 'postgres://overwrite',
        type: 'encrypted',
        target: ['preview'],
        gitBranch: BRANCH
      }
    ])
    const answer = (await created.json()) as {
      failed: { error: { code: string } }[]
    }
    expect(created.status).toBe(201)
    expectOfficialShape('POST', '/v10/projects/{idOrName}/env', 201, answer)
    expect(answer.failed.map(({ error }) => error.code)).toEqual([
      'ENV_CONFLICT'
    ])
    expect(databaseUrls().map(({ value }) => value)).toEqual([HAND_SET])
  })
})
