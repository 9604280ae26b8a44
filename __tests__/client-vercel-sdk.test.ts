// Issue 20: the emulator as Vercel's own SDK sees it. `@vercel/sdk` checks
// every answer against its zod schemas (generated from Vercel's OpenAPI
// description, stricter than the vendored subset in places) and throws
// `ResponseValidationError` where one does not fit. Each test calls the SDK's
// real method against the emulator over loopback and asserts the answer was
// accepted, and that the request reached the route the action uses with a
// 2xx status (so every request the SDK builds is one the emulator takes).
import { Vercel } from '@vercel/sdk'
import { ResponseValidationError } from '@vercel/sdk/models/responsevalidationerror.js'
import { VercelError } from '@vercel/sdk/models/vercelerror.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator } from '../emulator/index.ts'
import type { Emulator } from '../emulator/index.ts'
import { STAGING_ENVIRONMENT_ID } from '../emulator/projects.ts'
import { PATHS } from '../src/vercel-api.ts'

const teamId = 'team_emulator0000000000000001'

/**
 * Every endpoint of the action, and the SDK method that calls it; `null`
 * where the SDK has no operation on that path (the storage routes are
 * undocumented, api-notes §4–5; the SDK lists deployments on /v7 only).
 */
const SDK_METHODS: Record<keyof typeof PATHS, string | null> = {
  listStores: null,
  getStore: null,
  createStore: 'integrations.createIntegrationStoreDirect',
  connect: null,
  disconnectAll: null,
  deleteStore: null,
  getProject: 'projects.getProject',
  listCustomEnvironments: 'environment.getProjectsByIdOrNameCustomEnvironments',
  listProjectEnv: 'projects.filterProjectEnvs',
  getProjectEnv: 'projects.getProjectEnv',
  createProjectEnv: 'projects.createProjectEnv',
  editProjectEnv: 'projects.editProjectEnv',
  batchRemoveProjectEnv: 'projects.batchRemoveProjectEnv',
  listDeployments: null,
  createDeployment: 'deployments.createDeployment',
  cancelDeployment: 'deployments.cancelDeployment',
  listConfigurations: 'integrations.getConfigurations',
  listProducts: 'integrations.getConfigurationProducts',
  listPlans: 'integrations.getBillingPlans'
}

let emulator: Emulator
let vercel: Vercel

beforeAll(async () => {
  emulator = await startEmulator()
  vercel = new Vercel({ bearerToken: emulator.token, serverURL: emulator.url })
  const store = emulator.seedStore({
    installationId: 'icfg_emuNeon0001',
    productIdOrSlug: 'neon',
    name: 'sdk-store'
  })
  emulator.connectStore(store.id, 'prj_emuWeb0001', [
    'preview',
    STAGING_ENVIRONMENT_ID
  ])
  emulator.seedDeployment({ projectId: 'web', branch: 'feature/sdk' })
})

afterAll(() => emulator.close())

/** The answer, failing with the SDK's own account of a mismatch. */
async function accepted<T>(call: () => Promise<T>, route: string): Promise<T> {
  emulator.resetRequests()
  let answer: T
  try {
    answer = await call()
  } catch (error) {
    if (error instanceof ResponseValidationError) {
      throw new Error(`${route}: ${error.pretty()}`, { cause: error })
    }
    throw error
  }
  expect(
    emulator.requests.map(({ route, status }) => ({
      route,
      ok: status >= 200 && status < 300
    }))
  ).toEqual([{ route, ok: true }])
  return answer
}

describe('@vercel/sdk against the emulator', () => {
  it('names an SDK method, or none, for every endpoint the action calls', () => {
    expect(Object.keys(SDK_METHODS).sort()).toEqual(Object.keys(PATHS).sort())
    const sdk = vercel as unknown as Record<string, Record<string, unknown>>
    const kinds = Object.values(SDK_METHODS).flatMap((name) => {
      if (name === null) return []
      const [group, method] = name.split('.')
      return [[name, typeof sdk[group][method]]]
    })
    expect(kinds).toEqual(kinds.map(([name]) => [name, 'function']))
  })

  it('takes the project (projects.getProject)', async () => {
    const project = await accepted(
      () => vercel.projects.getProject({ idOrName: 'web', teamId }),
      PATHS.getProject
    )
    expect(project).toMatchObject({ id: 'prj_emuWeb0001', alias: [] })
  })

  it('takes the variables, filtered by custom environment (projects.filterProjectEnvs)', async () => {
    const all = await accepted(
      () => vercel.projects.filterProjectEnvs({ idOrName: 'web', teamId }),
      PATHS.listProjectEnv
    )
    const staging = await accepted(
      () =>
        vercel.projects.filterProjectEnvs({
          idOrName: 'web',
          teamId,
          customEnvironmentId: STAGING_ENVIRONMENT_ID
        }),
      PATHS.listProjectEnv
    )
    const keys = (answer: unknown) =>
      (answer as { envs: { key: string }[] }).envs.map(({ key }) => key).sort()
    expect(keys(all)).toContain('NEXT_PUBLIC_SITE_NAME')
    expect(keys(staging)).not.toContain('NEXT_PUBLIC_SITE_NAME')
    expect(keys(staging)).toContain('DATABASE_URL')
  })

  it('takes one variable (projects.getProjectEnv), a write and both removals', async () => {
    const created = await accepted(
      () =>
        vercel.projects.createProjectEnv({
          idOrName: 'web',
          teamId,
          upsert: 'true',
          requestBody: {
            key: 'SDK_FLAG',
            value: 'on',
            type: 'encrypted',
            target: ['preview'],
            gitBranch: 'feature/sdk'
          }
        }),
      PATHS.createProjectEnv
    )
    const id = (created.created as { id: string }).id
    const one = await accepted(
      () => vercel.projects.getProjectEnv({ idOrName: 'web', id, teamId }),
      PATHS.getProjectEnv
    )
    expect(one).toMatchObject({ key: 'SDK_FLAG', value: 'on' })
    const edited = await accepted(
      () =>
        vercel.projects.editProjectEnv({
          idOrName: 'web',
          id,
          teamId,
          requestBody: { value: 'off', target: ['preview'] }
        }),
      PATHS.editProjectEnv
    )
    expect(edited).toMatchObject({ key: 'SDK_FLAG' })
    await accepted(
      () => vercel.projects.removeProjectEnv({ idOrName: 'web', id, teamId }),
      ROUTES.removeProjectEnv
    )
    const batch = await accepted(
      () =>
        vercel.projects.batchRemoveProjectEnv({
          idOrName: 'web',
          teamId,
          requestBody: { ids: [id] }
        }),
      PATHS.batchRemoveProjectEnv
    )
    expect(batch).toEqual({ deleted: 0, ids: [] })
  })

  it('takes the installations, products and plans (integrations.*)', async () => {
    const configurations = await accepted(
      () => vercel.integrations.getConfigurations({ view: 'account', teamId }),
      PATHS.listConfigurations
    )
    expect(configurations).not.toHaveLength(0)
    await accepted(
      () =>
        vercel.integrations.getConfigurationProducts({
          id: 'icfg_emuNeon0001',
          teamId
        }),
      PATHS.listProducts
    )
    await accepted(
      () =>
        vercel.integrations.getBillingPlans({
          integrationIdOrSlug: 'neon',
          productIdOrSlug: 'neon',
          teamId
        }),
      PATHS.listPlans
    )
  })

  it('creates a store (integrations.createIntegrationStoreDirect)', async () => {
    const answer = await accepted(
      () =>
        vercel.integrations.createIntegrationStoreDirect({
          teamId,
          requestBody: {
            name: 'sdk-created',
            integrationConfigurationId: 'icfg_emuNeon0001',
            integrationProductIdOrSlug: 'neon',
            externalId: 'sdk-key'
          }
        }),
      PATHS.createStore
    )
    expect(answer.store?.status).toBe('available')
    expect(emulator.stores().map(({ name }) => name)).toContain('sdk-created')
  })

  it('redeploys and reads the deployment (deployments.*)', async () => {
    const [seeded] = emulator.deployments()
    const created = await accepted(
      () =>
        vercel.deployments.createDeployment({
          teamId,
          requestBody: { name: 'web', deploymentId: seeded.id }
        }),
      PATHS.createDeployment
    )
    const read = await accepted(
      () => vercel.deployments.getDeployment({ idOrUrl: created.id, teamId }),
      ROUTES.getDeployment
    )
    expect(read.id).toBe(created.id)
  })

  it('takes the cancel of a build under way (deployments.cancelDeployment)', async () => {
    const building = emulator.seedDeployment({
      projectId: 'web',
      branch: 'feature/sdk-cancel',
      state: 'BUILDING'
    })
    const cancelled = await accepted(
      () => vercel.deployments.cancelDeployment({ id: building.id, teamId }),
      PATHS.cancelDeployment
    )
    expect(cancelled).toMatchObject({ id: building.id, readyState: 'CANCELED' })
  })

  it('takes what the CLI asks first: the user, the team, custom environments', async () => {
    const me = await accepted(() => vercel.user.getAuthUser(), ROUTES.getUser)
    expect(me?.user.id).toBe('user_emulator0001')
    const team = await accepted(
      () => vercel.teams.getTeam({ teamId }),
      ROUTES.getTeamV2
    )
    expect(team.slug).toBe('acme')
    const customs = await accepted(
      () =>
        vercel.environment.getProjectsByIdOrNameCustomEnvironments({
          idOrName: 'web',
          teamId
        }),
      PATHS.listCustomEnvironments
    )
    expect(customs.environments.map(({ slug }) => slug)).toEqual(['staging'])
    const staging = await accepted(
      () =>
        vercel.environment.getCustomEnvironment({
          idOrName: 'web',
          environmentSlugOrId: 'staging',
          teamId
        }),
      ROUTES.getCustomEnvironment
    )
    expect(staging.id).toBe(STAGING_ENVIRONMENT_ID)
  })

  // The SDK reads these operations' 4xx answers without a schema: each must
  // come out as a `VercelError` of its status, never as a mismatch.
  it.each([
    [
      'an unknown project',
      () => vercel.projects.getProject({ idOrName: 'missing', teamId }),
      404
    ],
    [
      'the variables of an unknown project',
      () => vercel.projects.filterProjectEnvs({ idOrName: 'missing', teamId }),
      404
    ],
    [
      'a team the token is not a member of',
      () =>
        vercel.projects.getProject({
          idOrName: 'web',
          teamId: 'team_emulator0000000000000002'
        }),
      403
    ],
    [
      'an unknown installation',
      () =>
        vercel.integrations.createIntegrationStoreDirect({
          teamId,
          requestBody: {
            name: 'x',
            integrationConfigurationId: 'icfg_missing',
            integrationProductIdOrSlug: 'neon'
          }
        }),
      404
    ],
    [
      'a bad token',
      () =>
        new Vercel({
          bearerToken: 'wrong',
          serverURL: emulator.url
        }).projects.getProject({ idOrName: 'web', teamId }),
      403
    ]
  ])('answers %s with an error the SDK reads', async (_, call, status) => {
    const error = await call().then(
      () => undefined,
      (thrown: unknown) => thrown
    )
    expect(error).toBeInstanceOf(VercelError)
    expect(error).not.toBeInstanceOf(ResponseValidationError)
    const { statusCode, body } = error as VercelError
    expect(statusCode).toBe(status)
    expect(JSON.parse(body)).toMatchObject({
      error: { code: expect.any(String), message: expect.any(String) }
    })
  })
})
