import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator, type Emulator } from '../emulator/index.ts'
import { runAction, type RunOptions } from '../harness/run-action.ts'
import { errorLine, redeployStep, warningLines } from './support/run-result.ts'

// Issue 23, finding 5: `redeploy` rebuilt whatever deployment the listing
// named, so an answer naming another project's production deployment on
// `main` had the action send POST /v13/deployments with that project's name,
// and the 404 that followed advised about "integration" and "product". A
// deployment is rebuilt only where the answer says it is a preview of this
// project and branch; the rebuild carries the project's own name. Through
// the bundle, with the variants in-process.

const WEB = 'prj_emuWeb0001'
const API = 'prj_emuApi0001'
const BRANCH = 'feature/login'
const LIST_DEPLOYMENTS = ROUTES.listDeployments
const REDEPLOY = ROUTES.createDeployment

let emulator: Emulator

beforeEach(async () => {
  emulator = await startEmulator()
})

afterEach(async () => {
  await emulator.close()
})

function step(bundle: boolean, extra: Record<string, string> = {}): RunOptions {
  return redeployStep(emulator, bundle, extra)
}

/** Built a minute ago, before the step writes the branch's variables. */
const BEFORE = () => Date.now() - 60_000

/** The listing answers with these deployments instead of its own choice. */
function listingNames(...ids: string[]): void {
  emulator.faults.add(LIST_DEPLOYMENTS, {
    status: 200,
    body: emulator.deploymentListing(ids)
  })
}

function redeploys() {
  return emulator.requests.filter(({ route }) => route === REDEPLOY)
}

describe('redeploy of a deployment the listing names', () => {
  it("skips another project's production deployment on main, with one warning, and sends nothing", async () => {
    const foreign = emulator.seedDeployment({
      projectId: API,
      branch: 'main',
      target: 'production',
      createdAt: BEFORE()
    })
    listingNames(foreign.id)
    const result = await runAction(step(true))
    expect(result.exitCode).toBe(0)
    expect(redeploys()).toEqual([])
    expect(emulator.deployments()).toHaveLength(1)
    const warnings = warningLines(result)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(
      `Did not redeploy ${foreign.id}, which Vercel listed as the newest preview of branch ${BRANCH} of project ${WEB}: it is of project ${API}, not ${WEB}.`
    )
    expect(result.outputs).toMatchObject({
      'redeployed-deployment-id': '',
      'redeployed-deployment-url': ''
    })
  })

  it.each([
    {
      name: "this project's production deployment",
      seed: { projectId: WEB, branch: BRANCH, target: 'production' as const },
      reason: 'it is a production deployment, not a preview'
    },
    {
      name: "this project's preview of another branch",
      seed: { projectId: WEB, branch: 'main' },
      reason: `it was built from branch main, not ${BRANCH}`
    }
  ])('skips $name with a warning', async ({ seed, reason }) => {
    const listed = emulator.seedDeployment({ ...seed, createdAt: BEFORE() })
    listingNames(listed.id)
    const result = await runAction(step(false))
    expect(result.exitCode).toBe(0)
    expect(redeploys()).toEqual([])
    const warnings = warningLines(result)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(`${reason}.`)
  })

  it.each([
    {
      missing: 'projectId',
      reason: 'the listing does not say which project it is of'
    },
    {
      missing: 'meta',
      reason: 'the listing does not say which branch it was built from'
    }
  ])(
    'skips a deployment whose listing leaves out $missing',
    async ({ missing, reason }) => {
      const listed = emulator.seedDeployment({
        projectId: WEB,
        branch: BRANCH,
        createdAt: BEFORE()
      })
      const body = emulator.deploymentListing([listed.id]) as {
        deployments: Record<string, unknown>[]
      }
      const [deployment] = body.deployments
      body.deployments = [
        Object.fromEntries(
          Object.entries(deployment).filter(([key]) => key !== missing)
        )
      ]
      emulator.faults.add(LIST_DEPLOYMENTS, { status: 200, body })
      const result = await runAction(step(false))
      expect(result.exitCode).toBe(0)
      expect(redeploys()).toEqual([])
      expect(warningLines(result)[0]).toContain(`${reason}.`)
    }
  )

  it("sends the project's own name, whatever name the listing gives the deployment", async () => {
    const racing = emulator.seedDeployment({
      projectId: WEB,
      branch: BRANCH,
      createdAt: BEFORE()
    })
    const body = emulator.deploymentListing([racing.id]) as {
      deployments: Record<string, unknown>[]
    }
    body.deployments[0].name = 'billing-api'
    emulator.faults.add(LIST_DEPLOYMENTS, { status: 200, body })
    const result = await runAction(step(true))
    expect(result.exitCode).toBe(0)
    expect(redeploys().map(({ body }) => body)).toEqual([
      { name: 'web', deploymentId: racing.id }
    ])
    expect(warningLines(result)).toEqual([])
  })

  it('advises about the project, not the integration or product, when the redeploy fails', async () => {
    emulator.seedDeployment({
      projectId: WEB,
      branch: BRANCH,
      createdAt: BEFORE()
    })
    emulator.faults.add(REDEPLOY, {
      status: 404,
      body: { error: { code: 'not_found', message: 'Deployment not found' } }
    })
    const result = await runAction(step(true))
    const line = errorLine(result)
    expect(line).toContain('POST /v13/deployments answered HTTP 404')
    expect(line).toContain('check "project" and "team"')
    expect(line).not.toMatch(/integration|product/i)
  })
})
