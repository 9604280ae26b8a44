import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator, type Emulator } from '../emulator/index.ts'
import type { SeedDeploymentInput } from '../emulator/index.ts'
import { runAction, type RunOptions } from '../harness/run-action.ts'
import { errorLine, redeployStep, warningLines } from './support/run-result.ts'

// Issue 19, items 2 and 4. The Git integration's first build of a pull
// request starts before the branch's variables exist and builds, migrations
// and all, against the project's other ones; with `redeploy` it is
// cancelled before the redeploy, so it never finishes or takes the branch's
// URL. And the branch's variables are read back after the write: one
// missing, or someone else's, fails the step naming it. The done-when runs
// through dist/index.js; the variants in-process.

const WEB = 'prj_emuWeb0001'
const API = 'prj_emuApi0001'
const BRANCH = 'feature/login'
const CANCEL = ROUTES.cancelDeployment
const REDEPLOY = ROUTES.createDeployment
const LIST_ENV = ROUTES.listProjectEnv
const WRITE_ENV = ROUTES.createProjectEnv
const LIST_DEPLOYMENTS = ROUTES.listDeployments

let emulator: Emulator

beforeEach(async () => {
  // A redeploy builds for ten minutes: on the rerun it is still BUILDING.
  emulator = await startEmulator({ deploymentBuildMs: 600_000 })
})

afterEach(async () => {
  await emulator.close()
})

function step(bundle = false, extra: Record<string, string> = {}): RunOptions {
  return redeployStep(emulator, bundle, extra)
}

/** An emulator whose answers take a while, so that requests sent together overlap. */
async function withLatency(): Promise<void> {
  await emulator.close()
  emulator = await startEmulator({ deploymentBuildMs: 600_000, latencyMs: 50 })
}

/** The Git integration's build of a push, started a minute before the step. */
function racing(extra: Partial<SeedDeploymentInput> = {}) {
  return emulator.seedDeployment({
    projectId: WEB,
    branch: BRANCH,
    createdAt: Date.now() - 60_000,
    state: 'BUILDING',
    ...extra
  })
}

function sent(route: string) {
  return emulator.requests.filter((request) => request.route === route)
}

/** Where the deployment's build is, as Vercel's listing says. */
function stateOf(id: string): string {
  const { deployments } = emulator.deploymentListing([id]) as {
    deployments: { readyState: string }[]
  }
  return deployments[0].readyState
}

describe('a preview built before the variables, still building (through dist/index.js)', () => {
  it('is cancelled exactly once and redeployed exactly once; a rerun cancels and redeploys nothing', async () => {
    const raced = racing()
    const opened = await runAction(step(true))
    expect(opened.exitCode).toBe(0)
    expect(sent(CANCEL).map(({ path, status }) => [path, status])).toEqual([
      [`/v12/deployments/${raced.id}/cancel`, 200]
    ])
    expect(sent(REDEPLOY).map(({ body }) => body)).toEqual([
      { name: 'web', deploymentId: raced.id }
    ])
    // The cancel first: the racing build never finishes.
    const routes = emulator.requests.map(({ route }) => route)
    expect(routes.indexOf(CANCEL)).toBeLessThan(routes.indexOf(REDEPLOY))
    expect(stateOf(raced.id)).toBe('CANCELED')
    const redeploy = emulator
      .deployments()
      .find(({ redeployOf }) => redeployOf === raced.id)
    expect(redeploy?.env.DATABASE_URL).toMatch(/^postgres/)
    expect(opened.outputs).toMatchObject({
      'cancelled-deployment-ids': JSON.stringify([raced.id]),
      'redeployed-deployment-id': redeploy?.id
    })
    expect(opened.summary).toContain(
      `<h2>Created Vercel store ${opened.outputs['store-name']}, cancelled 1 build that predated its variables, redeployed its preview</h2>`
    )
    expect(opened.summary).toContain(
      `<tr><td><b>Cancelled</b></td><td>the branch's builds created before its variables, which would have built against the project's other ones: <code>${raced.id}</code></td></tr>`
    )

    // The rerun, while the redeploy still builds: it was created after the
    // variables, so it is never cancelled, and nothing is redeployed.
    expect(stateOf(redeploy?.id ?? '')).toBe('BUILDING')
    emulator.resetRequests()
    const rerun = await runAction(step(true))
    expect(rerun.exitCode).toBe(0)
    expect(emulator.requests.filter(({ method }) => method !== 'GET')).toEqual(
      []
    )
    expect(stateOf(redeploy?.id ?? '')).toBe('BUILDING')
    expect(rerun.outputs).toMatchObject({
      'cancelled-deployment-ids': '[]',
      'redeployed-deployment-id': ''
    })
    expect(rerun.summary).not.toContain('Cancelled')
    expect(rerun.summary).not.toMatch(/cancelled|redeployed/i)
  })
})

describe('cancelling racing builds, in-process', () => {
  it.each(['QUEUED', 'INITIALIZING'] as const)(
    'cancels a build %s as well',
    async (state) => {
      const raced = racing({ state })
      const result = await runAction(step())
      expect(result.exitCode).toBe(0)
      expect(sent(CANCEL).map(({ path }) => path)).toEqual([
        `/v12/deployments/${raced.id}/cancel`
      ])
      expect(sent(REDEPLOY)).toHaveLength(1)
    }
  )

  it('cancels every racing build of the branch in one round trip, and redeploys the newest once', async () => {
    await withLatency()
    const older = racing({ createdAt: Date.now() - 120_000 })
    const newer = racing({ state: 'QUEUED' })
    const result = await runAction(step())
    expect(result.exitCode).toBe(0)
    expect(
      sent(CANCEL)
        .map(({ path }) => path)
        .sort()
    ).toEqual(
      [older.id, newer.id].map((id) => `/v12/deployments/${id}/cancel`).sort()
    )
    expect(sent(CANCEL).filter(({ concurrent }) => concurrent)).toHaveLength(1)
    expect(sent(REDEPLOY).map(({ body }) => body)).toEqual([
      { name: 'web', deploymentId: newer.id }
    ])
    expect(
      JSON.parse(result.outputs['cancelled-deployment-ids']).sort()
    ).toEqual([older.id, newer.id].sort())
  })

  it('does not cancel a racing build that is already READY, and redeploys it', async () => {
    const raced = racing({ state: 'READY' })
    const result = await runAction(step())
    expect(result.exitCode).toBe(0)
    expect(sent(CANCEL)).toEqual([])
    expect(sent(REDEPLOY).map(({ body }) => body)).toEqual([
      { name: 'web', deploymentId: raced.id }
    ])
    expect(result.outputs['cancelled-deployment-ids']).toBe('[]')
  })

  it('goes on where the cancel answers that the build has finished', async () => {
    const raced = racing()
    emulator.faults.add(CANCEL, {
      status: 400,
      body: {
        error: {
          code: 'bad_request',
          message: 'Cannot cancel a deployment that is READY'
        }
      }
    })
    const result = await runAction(step())
    expect(result.exitCode).toBe(0)
    expect(sent(CANCEL)).toHaveLength(1)
    expect(sent(REDEPLOY).map(({ body }) => body)).toEqual([
      { name: 'web', deploymentId: raced.id }
    ])
    expect(result.stdout).toContain(
      `Did not cancel ${raced.id}: Vercel answered that it can no longer be cancelled (Cannot cancel a deployment that is READY), so it finished first; going on.`
    )
    expect(result.outputs['cancelled-deployment-ids']).toBe('[]')
    expect(result.summary).toContain(
      `<tr><td><b>Not cancelled</b></td><td>built before its variables, finished before it could be cancelled: <code>${raced.id}</code></td></tr>`
    )
    expect(result.summary).not.toMatch(/<h2>[^<]*cancelled/)
    expect(warningLines(result)).toEqual([])
  })

  it('fails, naming the build, where the cancel is refused otherwise; nothing is redeployed', async () => {
    const raced = racing()
    emulator.faults.add(CANCEL, {
      status: 403,
      body: { error: { code: 'forbidden', message: 'Not authorized' } }
    })
    const result = await runAction(step())
    expect(errorLine(result)).toContain(
      `PATCH /v12/deployments/${raced.id}/cancel answered HTTP 403`
    )
    expect(sent(REDEPLOY)).toEqual([])
  })

  it("leaves another project's and another branch's builds alone", async () => {
    const theirs = [
      racing({ projectId: API }),
      racing({ branch: 'main' }),
      racing({ target: 'production' })
    ]
    const result = await runAction(step())
    expect(result.exitCode).toBe(0)
    expect(sent(CANCEL)).toEqual([])
    expect(sent(REDEPLOY)).toEqual([])
    for (const { id } of theirs) expect(stateOf(id)).toBe('BUILDING')
  })

  it('leaves alone a building deployment the listing names that is not of the branch, with one warning', async () => {
    const ours = racing()
    const theirs = racing({ projectId: API })
    emulator.faults.add(LIST_DEPLOYMENTS, {
      status: 200,
      body: emulator.deploymentListing([ours.id, theirs.id])
    })
    const result = await runAction(step())
    expect(result.exitCode).toBe(0)
    expect(sent(CANCEL).map(({ path }) => path)).toEqual([
      `/v12/deployments/${ours.id}/cancel`
    ])
    expect(stateOf(theirs.id)).toBe('BUILDING')
    expect(warningLines(result)).toEqual([
      expect.stringContaining(
        `Left ${theirs.id} (it is of project ${API}, not ${WEB}) alone, which Vercel listed among the previews of branch ${BRANCH} of project ${WEB}.`
      )
    ])
  })

  it('cancels and redeploys once after a run that wrote the variables but stopped before the cancel', async () => {
    const raced = racing()
    // As a run that crashed after writing: the variables, nothing else.
    expect((await runAction(step(false, { redeploy: 'false' }))).exitCode).toBe(
      0
    )
    expect(stateOf(raced.id)).toBe('BUILDING')
    emulator.resetRequests()
    const rerun = await runAction(step())
    expect(rerun.exitCode).toBe(0)
    expect(sent(WRITE_ENV)).toEqual([])
    expect(sent(CANCEL).map(({ path }) => path)).toEqual([
      `/v12/deployments/${raced.id}/cancel`
    ])
    expect(sent(REDEPLOY)).toHaveLength(1)
    emulator.resetRequests()
    expect((await runAction(step())).exitCode).toBe(0)
    expect(emulator.requests.filter(({ method }) => method !== 'GET')).toEqual(
      []
    )
  })

  it('never cancels a build created after the variables', async () => {
    // A run without redeploy writes the variables; the push after it is
    // built with them.
    expect((await runAction(step(false, { redeploy: 'false' }))).exitCode).toBe(
      0
    )
    const after = racing({ createdAt: Date.now() + 1 })
    emulator.resetRequests()
    const result = await runAction(step())
    expect(result.exitCode).toBe(0)
    expect(sent(CANCEL)).toEqual([])
    expect(sent(REDEPLOY)).toEqual([])
    expect(stateOf(after.id)).toBe('BUILDING')
  })
})

describe('the branch variables, read back after the write', () => {
  it('are read in the same round trip as the deployments, after the write', async () => {
    await withLatency()
    racing()
    const result = await runAction(step())
    expect(result.exitCode).toBe(0)
    const routes = emulator.requests.map(({ route }) => route)
    const write = routes.indexOf(WRITE_ENV)
    const after = emulator.requests.slice(write + 1, write + 3)
    expect(after.map(({ route }) => route).sort()).toEqual(
      [LIST_ENV, LIST_DEPLOYMENTS].sort()
    )
    // Sent together: the second arrived while the first was answered.
    expect(after.filter(({ concurrent }) => concurrent)).toHaveLength(1)
    expect(sent(LIST_DEPLOYMENTS)).toHaveLength(1)
  })

  it('fail naming the variables Vercel answered for but did not keep; nothing is cancelled or redeployed', async () => {
    racing()
    // The write is answered, but never made.
    emulator.faults.add(WRITE_ENV, { status: 201, body: { created: [] } })
    const result = await runAction(step())
    const line = errorLine(result)
    expect(line).toContain(
      `Vercel's variables of branch ${BRANCH} of project ${WEB}, listed again after the write, lack DATABASE_URL`
    )
    expect(line).toContain('no deployment is touched')
    expect(sent(CANCEL)).toEqual([])
    expect(sent(REDEPLOY)).toEqual([])
  })

  it("fail naming a variable someone else put on the branch in the write's place", async () => {
    racing()
    emulator.faults.add(WRITE_ENV, { status: 201, body: { created: [] } })
    // Before the create and after the connection: as they are. The third
    // listing, the read-back, finds another tool's DATABASE_URL there.
    emulator.faults.add(
      LIST_ENV,
      { delay: 0 },
      { delay: 0 },
      {
        before: () =>
          emulator.putEnvVar(WEB, {
            id: 'env_someoneElse0001',
            key: 'DATABASE_URL',
            value: 'postgres://staging',
            type: 'encrypted',
            target: ['preview'],
            gitBranch: BRANCH,
            createdAt: Date.now(),
            updatedAt: Date.now()
          })
      }
    )
    const result = await runAction(step())
    expect(errorLine(result)).toContain(
      `listed again after the write, have DATABASE_URL set by someone else, not for store`
    )
    expect(sent(CANCEL)).toEqual([])
    expect(sent(REDEPLOY)).toEqual([])
  })

  it('are not read back on a rerun, which writes nothing', async () => {
    expect((await runAction(step())).exitCode).toBe(0)
    emulator.resetRequests()
    expect((await runAction(step())).exitCode).toBe(0)
    expect(sent(LIST_ENV)).toHaveLength(1)
  })
})
