// The emulator's routes for branch-scoped preview variables and deployments
// (issue 12), over HTTP on loopback; every answer checked against Vercel's
// official response schema.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator } from '../emulator/index.ts'
import type { Emulator, EmulatorOptions } from '../emulator/index.ts'
import { expectOfficialShape } from './support/vercel-schema.ts'

const TEAM_ID = 'team_emulator0000000000000001'
const OTHER_TEAM_ID = 'team_emulator0000000000000002'
const WEB = 'prj_emuWeb0001'
const API = 'prj_emuApi0001'
const ENV = '/v10/projects/{idOrName}/env'
const ENV_ONE = '/v9/projects/{idOrName}/env/{id}'
const ENV_BATCH = '/v1/projects/{idOrName}/env'

interface CallResult {
  status: number
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON under test
  body: any
}

async function call(
  emulator: Emulator,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = emulator.token
): Promise<CallResult> {
  const headers: Record<string, string> = {}
  if (token !== null) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const separator = path.includes('?') ? '&' : '?'
  const scoped = path.includes('teamId=')
    ? path
    : `${path}${separator}teamId=${TEAM_ID}`
  const response = await fetch(`${emulator.url}${scoped}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return { status: response.status, body: await response.json() }
}

function useEmulator(options?: EmulatorOptions): () => Emulator {
  let emulator: Emulator | undefined
  beforeAll(async () => {
    emulator = await startEmulator(options)
  })
  afterAll(async () => {
    await emulator?.close()
  })
  return () => {
    if (!emulator) throw new Error('emulator not started')
    return emulator
  }
}

function branchVar(key: string, value: string, gitBranch: string) {
  return {
    key,
    value,
    type: 'encrypted',
    target: ['preview'],
    gitBranch,
    comment: 'vercel-store-action'
  }
}

/** The project's variables of one branch, as stored: key → value. */
function branchValues(emulator: Emulator, projectId: string, branch: string) {
  return Object.fromEntries(
    emulator
      .envVars(projectId)
      .filter(({ gitBranch }) => gitBranch === branch)
      .map(({ key, value }) => [key, value])
  )
}

describe('GET /v9/projects/{idOrName}', () => {
  const emulator = useEmulator()

  it('names the production branch in link, as the official answer does; none once unlinked', async () => {
    const linked = await call(emulator(), 'GET', '/v9/projects/web')
    expect(linked.status).toBe(200)
    expectOfficialShape('GET', '/v9/projects/{idOrName}', 200, linked.body)
    expect(linked.body.link.productionBranch).toBe('main')
    emulator().unlinkGit(API)
    const unlinked = await call(emulator(), 'GET', `/v9/projects/${API}`)
    expectOfficialShape('GET', '/v9/projects/{idOrName}', 200, unlinked.body)
    expect(unlinked.body.link).toBeUndefined()
  })
})

describe('POST /v10/projects/{idOrName}/env', () => {
  const emulator = useEmulator()

  it('writes an array of branch variables in one request, and upsert overrides them in place', async () => {
    const first = await call(
      emulator(),
      'POST',
      `/v10/projects/${WEB}/env?upsert=true`,
      [
        branchVar('DATABASE_URL', 'postgres://one', 'feat-upsert'),
        branchVar('PGHOST', 'one.example', 'feat-upsert')
      ]
    )
    expect(first.status).toBe(201)
    expectOfficialShape('POST', ENV, 201, first.body)
    expect(first.body.failed).toEqual([])
    expect(first.body.created).toEqual(
      ['DATABASE_URL', 'PGHOST'].map((key) =>
        expect.objectContaining({
          key,
          gitBranch: 'feat-upsert',
          comment: 'vercel-store-action',
          target: ['preview'],
          decrypted: false
        })
      )
    )
    // The answer never carries the value as written.
    expect(JSON.stringify(first.body)).not.toContain('postgres://one')

    const second = await call(
      emulator(),
      'POST',
      `/v10/projects/${WEB}/env?upsert=true`,
      [branchVar('DATABASE_URL', 'postgres://two', 'feat-upsert')]
    )
    expect(second.status).toBe(201)
    expectOfficialShape('POST', ENV, 201, second.body)
    expect(second.body.created.map(({ id }: { id: string }) => id)).toEqual([
      first.body.created[0].id
    ])
    expect(branchValues(emulator(), WEB, 'feat-upsert')).toEqual({
      DATABASE_URL: 'postgres://two',
      PGHOST: 'one.example'
    })
  })

  it('answers one object with one object in `created`', async () => {
    const result = await call(
      emulator(),
      'POST',
      `/v10/projects/web/env`,
      branchVar('REDIS_URL', 'rediss://x', 'feat-single')
    )
    expect(result.status).toBe(201)
    expectOfficialShape('POST', ENV, 201, result.body)
    expect(result.body.created).toMatchObject({
      key: 'REDIS_URL',
      gitBranch: 'feat-single',
      type: 'encrypted'
    })
  })

  const ONLY_PREVIEW =
    'Environment Variables with `gitBranch` can only be used with `target=preview`'
  it.each([
    {
      case: 'preview and production',
      item: {
        ...branchVar('K', 'v', 'feat-x'),
        target: ['preview', 'production']
      },
      message: ONLY_PREVIEW,
      inArray: ONLY_PREVIEW
    },
    {
      case: 'production only',
      item: { ...branchVar('K', 'v', 'feat-x'), target: ['production'] },
      message: ONLY_PREVIEW,
      inArray: ONLY_PREVIEW
    },
    {
      case: 'the production branch',
      item: branchVar('K', 'v', 'main'),
      message:
        'Cannot set Production Branch "main" for a Preview Environment Variable',
      inArray:
        'Cannot set Production Branch "main" for a Preview Environment Variable'
    },
    {
      case: 'a branch of 251 characters',
      item: branchVar('K', 'v', 'b'.repeat(251)),
      message:
        'Invalid request: `gitBranch` should NOT be longer than 250 characters.',
      inArray:
        'Invalid request: `1.gitBranch` should NOT be longer than 250 characters.'
    },
    {
      case: 'no value',
      item: { key: 'K', type: 'encrypted', target: ['preview'] },
      message: 'Invalid request: missing required property `value`.',
      inArray: 'Invalid request: `1` missing required property `value`.'
    }
  ])(
    'refuses $case with 400 and writes nothing',
    async ({ item, message, inArray }) => {
      const before = emulator().envVars(WEB)
      const alone = await call(
        emulator(),
        'POST',
        `/v10/projects/${WEB}/env`,
        item
      )
      expect(alone).toEqual({
        status: 400,
        body: { error: { code: 'bad_request', message } }
      })
      // A bad item fails the whole array: its good items are not written.
      const batch = await call(emulator(), 'POST', `/v10/projects/${WEB}/env`, [
        branchVar('OK', 'v', 'feat-x'),
        item
      ])
      expect(batch).toEqual({
        status: 400,
        body: { error: { code: 'bad_request', message: inArray } }
      })
      expect(emulator().envVars(WEB)).toEqual(before)
    }
  )

  it('answers a clash without upsert as ENV_CONFLICT and leaves the variable alone', async () => {
    const written = await call(
      emulator(),
      'POST',
      `/v10/projects/${WEB}/env`,
      branchVar('DATABASE_URL', 'postgres://mine', 'feat-clash')
    )
    expect(written.status).toBe(201)
    const existingId = written.body.created.id

    const single = await call(
      emulator(),
      'POST',
      `/v10/projects/${WEB}/env`,
      branchVar('DATABASE_URL', 'postgres://theirs', 'feat-clash')
    )
    expect(single.status).toBe(400)
    expect(single.body).toEqual({
      error: {
        code: 'ENV_CONFLICT',
        message:
          'A variable with the name `DATABASE_URL` already exists for the target preview on branch feat-clash',
        key: 'DATABASE_URL',
        envVarKey: 'DATABASE_URL',
        envVarId: existingId,
        target: ['preview'],
        gitBranch: 'feat-clash',
        project: WEB
      }
    })

    const batch = await call(emulator(), 'POST', `/v10/projects/${WEB}/env`, [
      branchVar('DATABASE_URL', 'postgres://theirs', 'feat-clash'),
      branchVar('PGUSER', 'someone', 'feat-clash'),
      // The same key on another branch, or with no branch, is no clash.
      branchVar('DATABASE_URL', 'postgres://other-branch', 'feat-other')
    ])
    expect(batch.status).toBe(201)
    expectOfficialShape('POST', ENV, 201, batch.body)
    expect(
      batch.body.created.map(
        ({ key, gitBranch }: Record<string, string>) => `${key}@${gitBranch}`
      )
    ).toEqual(['PGUSER@feat-clash', 'DATABASE_URL@feat-other'])
    expect(batch.body.failed).toEqual([{ error: single.body.error }])
    expect(branchValues(emulator(), WEB, 'feat-clash')).toEqual({
      DATABASE_URL: 'postgres://mine',
      PGUSER: 'someone'
    })
  })

  it('lets a branch variable share its name with a shared preview variable', async () => {
    // The api project has a hand-made DATABASE_URL for preview and development.
    const result = await call(
      emulator(),
      'POST',
      `/v10/projects/${API}/env`,
      branchVar('DATABASE_URL', 'postgres://branch', 'feat-shadow')
    )
    expect(result.status).toBe(201)
    expect(
      emulator()
        .envVars(API)
        .filter(({ key }) => key === 'DATABASE_URL')
        .map(({ gitBranch }) => gitBranch ?? null)
    ).toEqual([null, 'feat-shadow'])
  })

  it('answers 404 for a project of another team or none', async () => {
    for (const project of ['prj_globexWeb01', 'nothing']) {
      const result = await call(
        emulator(),
        'POST',
        `/v10/projects/${project}/env`,
        branchVar('K', 'v', 'feat-x')
      )
      expect(result).toEqual({
        status: 404,
        body: { error: { code: 'not_found', message: 'Project not found' } }
      })
    }
  })
})

describe('GET /v10/projects/{idOrName}/env with branch variables', () => {
  const emulator = useEmulator()
  const exact = useEmulator({ gitBranchFilter: 'exact' })

  async function seedBranches(target: Emulator) {
    const result = await call(target, 'POST', `/v10/projects/${WEB}/env`, [
      branchVar('DATABASE_URL', 'postgres://a', 'feat-a'),
      branchVar('DATABASE_URL', 'postgres://b', 'feat-b')
    ])
    expect(result.status).toBe(201)
  }

  it('lists branch variables with their gitBranch and comment', async () => {
    await seedBranches(emulator())
    const result = await call(emulator(), 'GET', `/v10/projects/${WEB}/env`)
    expect(result.status).toBe(200)
    expectOfficialShape('GET', ENV, 200, result.body)
    expect(
      result.body.envs.map(
        ({ key, gitBranch, comment }: Record<string, string>) => [
          key,
          gitBranch ?? null,
          comment ?? null
        ]
      )
    ).toEqual([
      ['NEXT_PUBLIC_SITE_NAME', null, null],
      ['DATABASE_URL', 'feat-a', 'vercel-store-action'],
      ['DATABASE_URL', 'feat-b', 'vercel-store-action']
    ])
  })

  it('filters by gitBranch: the branch’s variables and those of no branch', async () => {
    const result = await call(
      emulator(),
      'GET',
      `/v10/projects/${WEB}/env?gitBranch=feat-a`
    )
    expect(result.status).toBe(200)
    expectOfficialShape('GET', ENV, 200, result.body)
    expect(
      result.body.envs.map(
        ({ key, gitBranch }: Record<string, string>) =>
          `${key}@${gitBranch ?? '*'}`
      )
    ).toEqual(['NEXT_PUBLIC_SITE_NAME@*', 'DATABASE_URL@feat-a'])
  })

  it('with gitBranchFilter: exact, lists only the branch’s variables', async () => {
    await seedBranches(exact())
    const result = await call(
      exact(),
      'GET',
      `/v10/projects/${WEB}/env?gitBranch=feat-b`
    )
    expect(
      result.body.envs.map(
        ({ key, gitBranch }: Record<string, string>) => `${key}@${gitBranch}`
      )
    ).toEqual(['DATABASE_URL@feat-b'])
  })
})

describe('DELETE of project variables', () => {
  const emulator = useEmulator()

  async function writeThree(branch: string): Promise<string[]> {
    const result = await call(emulator(), 'POST', `/v10/projects/${WEB}/env`, [
      branchVar('ONE', '1', branch),
      branchVar('TWO', '2', branch),
      branchVar('THREE', '3', branch)
    ])
    expect(result.status).toBe(201)
    return result.body.created.map(({ id }: { id: string }) => id)
  }

  it('batch delete removes exactly the given ids', async () => {
    const [one, two, three] = await writeThree('feat-batch')
    const before = emulator()
      .envVars(WEB)
      .map(({ id }) => id)
    const result = await call(emulator(), 'DELETE', `/v1/projects/${WEB}/env`, {
      ids: [one, three, 'env_not_there']
    })
    expect(result.status).toBe(200)
    expectOfficialShape('DELETE', ENV_BATCH, 200, result.body)
    expect(result.body).toEqual({ deleted: 2, ids: [one, three] })
    expect(
      emulator()
        .envVars(WEB)
        .map(({ id }) => id)
    ).toEqual(before.filter((id) => id !== one && id !== three))
    expect(
      emulator()
        .envVars(WEB)
        .map(({ id }) => id)
    ).toContain(two)
  })

  it.each([
    { case: 'no ids', body: { ids: [] } },
    { case: 'another field', body: { ids: ['x'], all: true } },
    { case: 'no body', body: undefined }
  ])('refuses a batch with $case', async ({ body }) => {
    const before = emulator().envVars(WEB)
    const result = await call(
      emulator(),
      'DELETE',
      `/v1/projects/${WEB}/env`,
      body
    )
    expect(result.status).toBe(400)
    expect(result.body.error.code).toBe('bad_request')
    expect(emulator().envVars(WEB)).toEqual(before)
  })

  it('deletes one variable and answers with it, then 404', async () => {
    const [, two] = await writeThree('feat-one')
    const result = await call(
      emulator(),
      'DELETE',
      `/v9/projects/${WEB}/env/${two}`
    )
    expect(result.status).toBe(200)
    expectOfficialShape('DELETE', ENV_ONE, 200, result.body)
    expect(result.body).toMatchObject({
      id: two,
      key: 'TWO',
      gitBranch: 'feat-one'
    })
    expect(
      emulator()
        .envVars(WEB)
        .map(({ id }) => id)
    ).not.toContain(two)
    const again = await call(
      emulator(),
      'DELETE',
      `/v9/projects/${WEB}/env/${two}`
    )
    expect(again).toEqual({
      status: 404,
      body: {
        error: { code: 'not_found', message: 'Environment variable not found' }
      }
    })
  })
})

describe('GET /v6/deployments', () => {
  const emulator = useEmulator()
  const T = 1_780_000_000_000
  let ids: Record<string, string>

  beforeAll(() => {
    const seed = (
      name: string,
      input: Parameters<Emulator['seedDeployment']>[0]
    ) => [name, emulator().seedDeployment(input).id] as const
    ids = Object.fromEntries([
      seed('a1', { projectId: WEB, branch: 'feat-a', createdAt: T + 1 }),
      seed('b2', { projectId: WEB, branch: 'feat-b', createdAt: T + 2 }),
      seed('a3', { projectId: WEB, branch: 'feat-a', createdAt: T + 3 }),
      seed('main4', {
        projectId: 'web',
        branch: 'main',
        createdAt: T + 4,
        target: 'production'
      }),
      seed('api5', { projectId: API, branch: 'feat-a', createdAt: T + 5 }),
      seed('err6', {
        projectId: WEB,
        branch: 'feat-a',
        createdAt: T + 6,
        state: 'ERROR'
      })
    ])
  })

  async function list(query: string): Promise<string[]> {
    const result = await call(emulator(), 'GET', `/v6/deployments?${query}`)
    expect(result.status).toBe(200)
    expectOfficialShape('GET', '/v6/deployments', 200, result.body)
    const names = Object.fromEntries(
      Object.entries(ids).map(([k, v]) => [v, k])
    )
    return result.body.deployments.map(({ uid }: { uid: string }) => names[uid])
  }

  it.each([
    {
      query: `projectId=${WEB}`,
      expected: ['err6', 'main4', 'a3', 'b2', 'a1']
    },
    { query: 'projectId=web&branch=feat-a', expected: ['err6', 'a3', 'a1'] },
    { query: 'branch=feat-a', expected: ['err6', 'api5', 'a3', 'a1'] },
    { query: `projectId=${WEB}&target=production`, expected: ['main4'] },
    {
      query: `projectId=${WEB}&target=preview&branch=feat-b`,
      expected: ['b2']
    },
    {
      query: `projectId=${WEB}&branch=feat-a&state=READY`,
      expected: ['a3', 'a1']
    },
    { query: `projectId=${WEB}&branch=feat-a&limit=1`, expected: ['err6'] },
    { query: `projectId=${WEB}&branch=feat-none`, expected: [] }
  ])('lists $query newest first', async ({ query, expected }) => {
    expect(await list(query)).toEqual(expected)
  })

  it('pages with limit and until', async () => {
    const first = await call(
      emulator(),
      'GET',
      `/v6/deployments?projectId=${WEB}&branch=feat-a&limit=2`
    )
    expect(first.body.pagination).toEqual({ count: 2, next: T + 3, prev: null })
    expect(
      await list(`projectId=${WEB}&branch=feat-a&limit=2&until=${T + 3}`)
    ).toEqual(['a1'])
  })

  it('gives the fields a client reads', async () => {
    const result = await call(
      emulator(),
      'GET',
      `/v6/deployments?projectId=${WEB}&branch=feat-b`
    )
    const [deployment] = result.body.deployments
    expect(deployment).toMatchObject({
      uid: ids.b2,
      url: expect.stringMatching(/^web-[a-z0-9]{9}-acme\.vercel\.app$/),
      created: T + 2,
      createdAt: T + 2,
      target: null,
      state: 'READY',
      readyState: 'READY',
      projectId: WEB,
      source: 'git',
      meta: { githubCommitRef: 'feat-b', githubCommitSha: expect.any(String) }
    })
  })

  it('gives, for a fault, a listing of the deployments a test names, whatever the query', async () => {
    const body = emulator().deploymentListing([ids.main4, ids.api5])
    expectOfficialShape('GET', '/v6/deployments', 200, body)
    expect(body).toMatchObject({
      deployments: [
        {
          uid: ids.main4,
          projectId: WEB,
          target: 'production',
          meta: { githubCommitRef: 'main' }
        },
        {
          uid: ids.api5,
          name: 'api',
          projectId: API,
          target: null,
          meta: { githubCommitRef: 'feat-a' }
        }
      ],
      pagination: { count: 2, next: null, prev: null }
    })
  })

  it('answers 404 for an unknown project', async () => {
    const result = await call(
      emulator(),
      'GET',
      '/v6/deployments?projectId=nothing'
    )
    expect(result.status).toBe(404)
  })
})

describe('POST /v13/deployments (redeploy)', () => {
  const emulator = useEmulator()

  it('redeploys a branch: a new deployment of the same branch that reads the new branch variables', async () => {
    const raced = emulator().seedDeployment({
      projectId: WEB,
      branch: 'feat-redeploy',
      createdAt: Date.now() - 60_000,
      sha: 'a'.repeat(40)
    })
    expect(raced.env).toEqual({ NEXT_PUBLIC_SITE_NAME: expect.any(String) })
    const written = await call(emulator(), 'POST', `/v10/projects/${WEB}/env`, [
      branchVar('DATABASE_URL', 'postgres://pr-1', 'feat-redeploy')
    ])
    expect(written.status).toBe(201)

    const result = await call(emulator(), 'POST', '/v13/deployments', {
      name: 'web',
      deploymentId: raced.id
    })
    expect(result.status).toBe(200)
    expectOfficialShape('POST', '/v13/deployments', 200, result.body)
    expect(result.body).toMatchObject({
      id: expect.stringMatching(/^dpl_/),
      url: expect.stringMatching(/^web-[a-z0-9]{9}-acme\.vercel\.app$/),
      projectId: WEB,
      target: null,
      source: 'redeploy',
      meta: {
        githubCommitRef: 'feat-redeploy',
        githubCommitSha: 'a'.repeat(40)
      },
      env: ['NEXT_PUBLIC_SITE_NAME', 'DATABASE_URL']
    })
    expect(result.body.id).not.toBe(raced.id)
    expect(result.body.url).not.toBe(raced.url)
    // Its build read the branch's value; the raced build did not.
    const redeployed = emulator()
      .deployments()
      .find(({ id }) => id === result.body.id)
    expect(redeployed).toMatchObject({
      redeployOf: raced.id,
      branch: 'feat-redeploy',
      env: { DATABASE_URL: 'postgres://pr-1' }
    })

    const listed = await call(
      emulator(),
      'GET',
      `/v6/deployments?projectId=${WEB}&branch=feat-redeploy`
    )
    expect(
      listed.body.deployments.map(({ uid }: { uid: string }) => uid)
    ).toEqual([result.body.id, raced.id])

    const one = await call(
      emulator(),
      'GET',
      `/v13/deployments/${result.body.id}`
    )
    expect(one.status).toBe(200)
    expectOfficialShape('GET', '/v13/deployments/{idOrUrl}', 200, one.body)
    const byUrl = await call(
      emulator(),
      'GET',
      `/v13/deployments/${encodeURIComponent(`https://${result.body.url}`)}`
    )
    expect(byUrl.body.id).toBe(result.body.id)
  })

  it('with withLatestCommit builds the branch’s newest commit', async () => {
    const old = emulator().seedDeployment({
      projectId: WEB,
      branch: 'feat-latest',
      sha: '1'.repeat(40),
      createdAt: Date.now() - 2000
    })
    emulator().seedDeployment({
      projectId: WEB,
      branch: 'feat-latest',
      sha: '2'.repeat(40),
      createdAt: Date.now() - 1000
    })
    const result = await call(emulator(), 'POST', '/v13/deployments', {
      name: 'web',
      deploymentId: old.id,
      withLatestCommit: true
    })
    expect(result.status).toBe(200)
    expect(result.body.meta.githubCommitSha).toBe('2'.repeat(40))
  })

  it.each([
    {
      case: 'an unknown deployment',
      body: { name: 'web', deploymentId: 'dpl_nothing' },
      status: 404,
      message: 'Deployment not found'
    },
    {
      case: 'no name',
      body: { deploymentId: 'dpl_nothing' },
      status: 400,
      message: 'Invalid request: missing required property `name`.'
    },
    {
      case: 'an unknown field',
      body: { name: 'web', deploymentId: 'dpl_nothing', branch: 'x' },
      status: 400,
      message: 'Invalid request: should NOT have additional property `branch`.'
    }
  ])('refuses $case', async ({ body, status, message }) => {
    const before = emulator().deployments().length
    const result = await call(emulator(), 'POST', '/v13/deployments', body)
    expect(result.status).toBe(status)
    expect(result.body.error.message).toBe(message)
    expect(emulator().deployments()).toHaveLength(before)
  })
})

describe('PATCH /v12/deployments/{id}/cancel, and builds on the clock', () => {
  const emulator = useEmulator({
    deploymentQueueMs: 60_000,
    deploymentBuildMs: 60_000
  })
  // Not in the vendored subset: the SDK's CancelDeploymentResponseBody has
  // exactly the required fields of getDeployment's answer, so the answer is
  // checked against that.
  const DEPLOYMENT = '/v13/deployments/{idOrUrl}'

  async function stateOf(id: string): Promise<string> {
    const listed = await call(
      emulator(),
      'GET',
      `/v6/deployments?projectId=${WEB}&limit=100`
    )
    expectOfficialShape('GET', '/v6/deployments', 200, listed.body)
    const found = listed.body.deployments.find(
      ({ uid }: { uid: string }) => uid === id
    )
    expect(found.state).toBe(found.readyState)
    return found.readyState
  }

  it.each(['QUEUED', 'INITIALIZING', 'BUILDING'] as const)(
    'cancels a build %s: 200 with the deployment CANCELED, listed so from then on',
    async (state) => {
      const building = emulator().seedDeployment({
        projectId: WEB,
        branch: `feat-cancel-${state}`,
        createdAt: Date.now() - 60_000,
        state
      })
      expect(await stateOf(building.id)).toBe(state)
      const result = await call(
        emulator(),
        'PATCH',
        `/v12/deployments/${building.id}/cancel`
      )
      expect(result.status).toBe(200)
      expectOfficialShape('GET', DEPLOYMENT, 200, result.body)
      expect(result.body).toMatchObject({
        id: building.id,
        readyState: 'CANCELED',
        status: 'CANCELED',
        canceledAt: expect.any(Number)
      })
      expect(await stateOf(building.id)).toBe('CANCELED')
      const again = await call(
        emulator(),
        'PATCH',
        `/v12/deployments/${building.id}/cancel`
      )
      expect(again.status).toBe(400)
      expect(again.body.error.message).toBe(
        'Cannot cancel a deployment that is CANCELED'
      )
    }
  )

  it.each(['READY', 'ERROR'] as const)(
    'answers 400 for a deployment %s: no longer cancelable',
    async (state) => {
      const done = emulator().seedDeployment({
        projectId: WEB,
        branch: 'feat-done',
        state
      })
      const result = await call(
        emulator(),
        'PATCH',
        `/v12/deployments/${done.id}/cancel`
      )
      expect(result).toEqual({
        status: 400,
        body: {
          error: {
            code: 'bad_request',
            message: `Cannot cancel a deployment that is ${state}`
          }
        }
      })
      expect(await stateOf(done.id)).toBe(state)
    }
  )

  it('answers 404 for a deployment of no one, or one named by its URL', async () => {
    const ready = emulator().seedDeployment({ projectId: WEB, branch: 'x' })
    for (const id of ['dpl_nothing', ready.url]) {
      const result = await call(
        emulator(),
        'PATCH',
        `/v12/deployments/${encodeURIComponent(id)}/cancel`
      )
      expect(result.status).toBe(404)
    }
  })

  it('builds a seeded deployment until its build time is over, then READY', async () => {
    const built = emulator().seedDeployment({
      projectId: WEB,
      branch: 'feat-built',
      createdAt: Date.now() - 2_000,
      state: 'BUILDING',
      buildMs: 1_000
    })
    expect(await stateOf(built.id)).toBe('READY')
  })

  it('has a redeploy QUEUED, then BUILDING, then READY on the clock', async () => {
    const old = emulator().seedDeployment({
      projectId: WEB,
      branch: 'feat-clock',
      createdAt: Date.now() - 60_000
    })
    const result = await call(emulator(), 'POST', '/v13/deployments', {
      name: 'web',
      deploymentId: old.id
    })
    expect(result.body.readyState).toBe('QUEUED')
    expect(await stateOf(result.body.id)).toBe('QUEUED')
    const record = emulator()
      .deployments()
      .find(({ id }) => id === result.body.id)
    const createdAt = record?.createdAt ?? NaN
    expect(record?.stages).toEqual([
      { state: 'QUEUED', until: createdAt + 60_000 },
      { state: 'BUILDING', until: createdAt + 120_000 }
    ])
    expect(record?.readyAt).toBe(createdAt + 120_000)
  })

  it('redeploys a cancelled deployment: the same commit, built again', async () => {
    const building = emulator().seedDeployment({
      projectId: WEB,
      branch: 'feat-again',
      createdAt: Date.now() - 60_000,
      state: 'BUILDING',
      sha: 'c'.repeat(40)
    })
    await call(emulator(), 'PATCH', `/v12/deployments/${building.id}/cancel`)
    const result = await call(emulator(), 'POST', '/v13/deployments', {
      name: 'web',
      deploymentId: building.id
    })
    expect(result.status).toBe(200)
    expect(result.body.meta.githubCommitSha).toBe('c'.repeat(40))
    expect(await stateOf(building.id)).toBe('CANCELED')
  })
})

describe('the new routes, like every route', () => {
  const emulator = useEmulator()
  beforeEach(() => {
    emulator().resetRequests()
    emulator().faults.clear()
  })

  const routes = [
    {
      key: ROUTES.createProjectEnv,
      method: 'POST',
      path: `/v10/projects/${WEB}/env`,
      body: branchVar('K', 'v', 'feat-r')
    },
    {
      key: ROUTES.removeProjectEnv,
      method: 'DELETE',
      path: `/v9/projects/${WEB}/env/env_x`
    },
    {
      key: ROUTES.batchRemoveProjectEnv,
      method: 'DELETE',
      path: `/v1/projects/${WEB}/env`,
      body: { ids: ['env_x'] }
    },
    {
      key: ROUTES.listDeployments,
      method: 'GET',
      path: `/v6/deployments?projectId=${WEB}`
    },
    {
      key: ROUTES.createDeployment,
      method: 'POST',
      path: '/v13/deployments',
      body: { name: 'web', deploymentId: 'dpl_x' }
    },
    {
      key: ROUTES.getDeployment,
      method: 'GET',
      path: '/v13/deployments/dpl_x'
    },
    {
      key: ROUTES.cancelDeployment,
      method: 'PATCH',
      path: '/v12/deployments/dpl_x/cancel'
    }
  ]

  it.each(routes)(
    '$key: authentication, team scope, faults, recorded requests',
    async ({ key, method, path, body }) => {
      const missing = await call(emulator(), method, path, body, null)
      expect(missing.status).toBe(403)
      expect(missing.body.error.missingToken).toBe(true)

      const otherTeam = path.includes('?')
        ? `${path}&teamId=${OTHER_TEAM_ID}`
        : `${path}?teamId=${OTHER_TEAM_ID}`
      const forbidden = await call(emulator(), method, otherTeam, body)
      expect(forbidden.status).toBe(403)

      emulator().faults.add(key, { status: 503 })
      const faulted = await call(emulator(), method, path, body)
      expect(faulted.status).toBe(503)

      expect(
        emulator().requests.map((r) => [r.route, r.status, r.fault ?? null])
      ).toEqual([
        [key, 403, null],
        [key, 403, null],
        [key, 503, 'status 503']
      ])
      expect(emulator().requests[2].body).toEqual(body)
    }
  )
})

describe('two pull requests on one project', () => {
  const emulator = useEmulator()

  it('keep their own DATABASE_URL on their own branch, and removing one leaves the project as the other left it', async () => {
    const before = emulator().envVars(WEB)
    const ids: Record<string, string[]> = {}
    for (const [branch, url] of [
      ['pr-1', 'postgres://one'],
      ['pr-2', 'postgres://two']
    ]) {
      const written = await call(
        emulator(),
        'POST',
        `/v10/projects/${WEB}/env?upsert=true`,
        [branchVar('DATABASE_URL', url, branch)]
      )
      expect(written.status).toBe(201)
      ids[branch] = written.body.created.map(({ id }: { id: string }) => id)
      emulator().seedDeployment({ projectId: WEB, branch })
    }
    expect(
      emulator()
        .deployments()
        .map(({ branch, env }) => [branch, env.DATABASE_URL])
    ).toEqual([
      ['pr-1', 'postgres://one'],
      ['pr-2', 'postgres://two']
    ])

    const removed = await call(
      emulator(),
      'DELETE',
      `/v1/projects/${WEB}/env`,
      {
        ids: ids['pr-1']
      }
    )
    expect(removed.body).toEqual({ deleted: 1, ids: ids['pr-1'] })
    expect(branchValues(emulator(), WEB, 'pr-2')).toEqual({
      DATABASE_URL: 'postgres://two'
    })
    await call(emulator(), 'DELETE', `/v1/projects/${WEB}/env`, {
      ids: ids['pr-2']
    })
    expect(emulator().envVars(WEB)).toEqual(before)
  })
})
