// Issue 20: what the Vercel CLI asks of the emulator, as the CLI 64 sends it
// (scripts/vercel-cli-check.ts runs the CLI itself where it is installed):
// the user and team every command reads first, custom environments, the
// listing's environment filters, the v10 removal and `env pull`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator } from '../emulator/index.ts'
import type { Emulator } from '../emulator/index.ts'
import { STAGING_ENVIRONMENT_ID } from '../emulator/projects.ts'
import { expectOfficialShape } from './support/vercel-schema.ts'

const teamId = 'team_emulator0000000000000001'
let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator()
  const store = emulator.seedStore({
    installationId: 'icfg_emuNeon0001',
    productIdOrSlug: 'neon',
    name: 'cli-db'
  })
  emulator.connectStore(store.id, 'prj_emuWeb0001', [STAGING_ENVIRONMENT_ID])
})

afterAll(() => emulator.close())

async function get(path: string, method = 'GET') {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${emulator.token}` }
  })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON under test
  const body: any = await response.json()
  return { status: response.status, body }
}

function keys(body: { envs: { key: string }[] }): string[] {
  return body.envs.map(({ key }) => key).sort()
}

describe('the routes the Vercel CLI needs', () => {
  it('answers who the token is, and its team by id or slug', async () => {
    expect(await get('/v2/user')).toMatchObject({
      status: 200,
      body: { user: { id: 'user_emulator0001', username: 'emulator-dev' } }
    })
    for (const idOrSlug of [teamId, 'acme']) {
      expect(await get(`/teams/${idOrSlug}`)).toMatchObject({
        status: 200,
        body: { id: teamId, slug: 'acme' }
      })
    }
    expect((await get('/teams/globex')).status).toBe(403)
  })

  it('lists the custom environments, with and without the version', async () => {
    for (const path of [
      '/v9/projects/web/custom-environments',
      '/projects/prj_emuWeb0001/custom-environments'
    ]) {
      const { status, body } = await get(`${path}?teamId=${teamId}`)
      expect({ status, environments: body.environments }).toMatchObject({
        status: 200,
        environments: [{ id: STAGING_ENVIRONMENT_ID, slug: 'staging' }]
      })
    }
  })

  it('filters the listing by target, custom environment id or slug', async () => {
    const path = `/v10/projects/web/env?teamId=${teamId}`
    const production = await get(`${path}&target=production`)
    expect(keys(production.body)).toEqual(['NEXT_PUBLIC_SITE_NAME'])
    expectOfficialShape(
      'GET',
      '/v10/projects/{idOrName}/env',
      200,
      production.body
    )
    const preview = await get(`${path}&target=preview`)
    expect(keys(preview.body)).toEqual(['NEXT_PUBLIC_SITE_NAME'])
    const byId = await get(
      `${path}&customEnvironmentId=${STAGING_ENVIRONMENT_ID}`
    )
    // The CLI's `env ls staging` sends the slug as the id.
    const bySlug = await get(`${path}&customEnvironmentId=staging`)
    expect(keys(byId.body)).toContain('DATABASE_URL')
    expect(keys(byId.body)).not.toContain('NEXT_PUBLIC_SITE_NAME')
    expect(keys(bySlug.body)).toEqual(keys(byId.body))
    expect(byId.body.envs[0].customEnvironmentIds).toEqual([
      STAGING_ENVIRONMENT_ID
    ])
  })

  it('pulls the variables of a custom environment by slug, values decrypted', async () => {
    const { status, body } = await get(
      `/v3/env/pull/prj_emuWeb0001/staging?teamId=${teamId}`
    )
    const stored = emulator
      .envVars('prj_emuWeb0001')
      .find(({ key }) => key === 'DATABASE_URL')
    expect(status).toBe(200)
    expect(body.env.DATABASE_URL).toBe(stored?.value)
    expect(body.env).not.toHaveProperty('NEXT_PUBLIC_SITE_NAME')
  })

  it('removes a variable through the v10 path', async () => {
    const [variable] = emulator.envVars('prj_emuWeb0001')
    emulator.resetRequests()
    const removed = await get(
      `/v10/projects/web/env/${variable.id}?teamId=${teamId}`,
      'DELETE'
    )
    expect(removed).toMatchObject({ status: 200, body: { id: variable.id } })
    expect(emulator.requests.map(({ route }) => route)).toEqual([
      ROUTES.removeProjectEnvV10
    ])
    expect(
      emulator.envVars('prj_emuWeb0001').map(({ id }) => id)
    ).not.toContain(variable.id)
  })

  it('refuses a connection to a custom environment the project lacks', async () => {
    const [store] = emulator.stores()
    const response = await fetch(
      `${emulator.url}/v1/storage/stores/${store.id}/connections?teamId=${teamId}`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${emulator.token}`,
          'content-type': 'application/json'
        },
        body: JSON.stringify({
          projectId: 'prj_emuApi0001',
          envVarEnvironments: [STAGING_ENVIRONMENT_ID]
        })
      }
    )
    expect({
      status: response.status,
      body: await response.json()
    }).toEqual({
      status: 400,
      body: {
        error: {
          code: 'bad_request',
          message: `Project api has no custom environment ${STAGING_ENVIRONMENT_ID}`
        }
      }
    })
  })
})
