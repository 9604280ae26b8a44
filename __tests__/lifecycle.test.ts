import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator, type Emulator } from '../emulator/index.ts'
import {
  runAction,
  type RunOptions,
  type RunResult
} from '../harness/run-action.ts'
import { errorLine, neonIdInputs } from './support/run-result.ts'

// The preview's whole life through dist/index.js: create, wait, connect,
// reuse, delete.

const WEB = 'prj_emuWeb0001'
const API = 'prj_emuApi0001'
const END_STATUSES = [
  'error',
  'suspended',
  'limits-exceeded-suspended',
  'limits-exceeded-suspended-store-count',
  'uninstalled'
]

let emulator: Emulator

beforeEach(async () => {
  emulator = await startEmulator()
})

afterEach(async () => {
  await emulator.close()
})

const neonSecrets = () => emulator.installations.neon.products[0].secrets

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return neonIdInputs(emulator, extra)
}

/** Runs the bundle for pull request 42 (the harness checks every run for secrets). */
function run(options: RunOptions): Promise<RunResult> {
  return runAction({ pullRequest: 42, ...options })
}

function storesNamed(name: string) {
  return emulator
    .stores()
    .filter((store) => store.teamId === emulator.team.id && store.name === name)
}

/** The variables store connections made on a project. */
function storeVars(projectId: string) {
  return emulator.envVars(projectId).filter(({ contentHint }) => contentHint)
}

function seedNeon(
  name: string,
  extra: { status?: string; createdAt?: number } = {}
) {
  return emulator.seedStore({
    installationId: emulator.installations.neon.id,
    productIdOrSlug: 'neon',
    name,
    ...extra
  })
}

describe('the whole life of a preview store', () => {
  it('creates, waits through initializing, connects, reuses with one request, and deletes without a trace', async () => {
    emulator.options.initializingReads = 2
    const open = inputs({ project: 'web', 'env-prefix': 'PR42_' })
    const prefixed = neonSecrets().map((name) => `PR42_${name}`)

    const first = await run({ inputs: open })
    expect(first.exitCode).toBe(0)
    const [store] = storesNamed('web-pr-42-86f279ce')
    expect(emulator.counts()).toEqual({
      [ROUTES.listStores]: 1,
      // Before the create: the project's id, and whether it already has
      // variables with the prefix.
      [ROUTES.getProject]: 1,
      [ROUTES.listProjectEnv]: 1,
      [ROUTES.createStore]: 1,
      [ROUTES.getStore]: 2,
      [ROUTES.connect]: 1
    })
    expect(first.outputs).toMatchObject({
      'store-id': store.id,
      created: 'true',
      status: 'available',
      deleted: 'false',
      'connected-project': WEB,
      'env-var-names': JSON.stringify(prefixed)
    })
    expect(first.stdout).toContain(`Store ${store.id} is initializing`)
    expect(first.summary).toContain(
      `<code>web</code> (<code>${WEB}</code>), connected by this run for <code>preview</code>, its variables named <code>PR42_</code>…`
    )
    // Each variable once, by the store's name, under the project's column.
    expect(first.summary).toContain(
      '<th>Variable</th><th>Project <code>web</code>, as <code>PR42_</code>…</th></tr><tr><td><code>DATABASE_URL</code></td><td>✓</td></tr>'
    )
    expect(storeVars(WEB).map(({ key, target }) => [key, target])).toEqual(
      prefixed.map((key) => [key, ['preview']])
    )
    expect(emulator.secretValues()).toHaveLength(neonSecrets().length)

    emulator.resetRequests()
    const second = await run({ inputs: open })
    expect(second.exitCode).toBe(0)
    expect(emulator.counts()).toEqual({ [ROUTES.listStores]: 1 })
    expect(second.outputs).toMatchObject({
      'store-id': store.id,
      created: 'false',
      'connected-project': WEB,
      'env-var-names': JSON.stringify(prefixed)
    })
    expect(second.summary).toContain(
      `<code>web</code> (<code>${WEB}</code>), already connected for <code>preview</code>`
    )

    emulator.resetRequests()
    const close = await run({ inputs: { ...open, state: 'absent' } })
    expect(close.exitCode).toBe(0)
    // With project: its variables are listed for those the action marked
    // with the store (none here), whether or not the step names a branch.
    expect(emulator.counts()).toEqual({
      [ROUTES.listStores]: 1,
      [ROUTES.listProjectEnv]: 1,
      [ROUTES.disconnectAll]: 1,
      [ROUTES.deleteStore]: 1
    })
    expect(close.outputs).toMatchObject({
      deleted: 'true',
      'store-id': store.id,
      'store-name': 'web-pr-42-86f279ce'
    })
    expect(close.summary).toContain('Deleted Vercel store web-pr-42-86f279ce')
    expect(close.summary).toContain(`<code>${store.id}</code>`)
    expect(close.summary).toContain('<code>web</code>')

    expect(storesNamed('web-pr-42-86f279ce')).toEqual([])
    expect(storeVars(WEB)).toEqual([])
    expect(emulator.envVars(WEB).map(({ key }) => key)).toEqual([
      'NEXT_PUBLIC_SITE_NAME'
    ])
  })

  it.each([1_200, 4_000, 9_000, 30_000])(
    'goes on within a second of a store that takes %i ms, reading it about once a second',
    async (readyAfterMs) => {
      emulator.options.initializingMs = readyAfterMs
      const result = await run({ inputs: inputs() })
      expect(result.exitCode).toBe(0)
      expect(result.outputs.status).toBe('available')
      expect(result.virtualWaitMs).toBeGreaterThanOrEqual(readyAfterMs)
      expect(result.virtualWaitMs).toBeLessThanOrEqual(readyAfterMs + 1_000)
      // A read at once, then one after each pause of 0.9 s or more.
      const reads = emulator.count(ROUTES.getStore)
      expect(reads).toBeGreaterThanOrEqual(2)
      expect(reads).toBeLessThanOrEqual(
        1 + Math.floor(result.virtualWaitMs / 900)
      )
    }
  )

  it('trusts a create response that says available: no read', async () => {
    const result = await run({ inputs: inputs() })
    expect(result.exitCode).toBe(0)
    expect(emulator.counts()).toEqual({
      [ROUTES.listStores]: 1,
      [ROUTES.createStore]: 1
    })
  })

  it('does not wait with wait: False', async () => {
    emulator.options.initializingReads = 1000
    const result = await run({ inputs: inputs({ wait: 'False' }) })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.status).toBe('initializing')
    expect(emulator.count(ROUTES.getStore)).toBe(0)
  })
})

describe('end states and the timeout', () => {
  it.each(END_STATUSES)(
    'fails on a store that is %s, with Vercel’s notification',
    async (status) => {
      const store = seedNeon('web-pr-42-86f279ce', { status })
      emulator.setStoreStatus(store.id, status, {
        title: 'Neon project suspended',
        level: 'error',
        message: 'The compute hours of the free plan are used up.'
      })
      const result = await run({ inputs: inputs() })
      // A plan's limit says what frees room under it instead.
      const next =
        {
          'limits-exceeded-suspended':
            'The store went past its plan\'s usage limits: raise the plan, or delete the stores of closed pull requests (a nightly "state: prune") to free usage.',
          'limits-exceeded-suspended-store-count':
            'The team has more stores of this product than its plan allows: delete the stores of closed pull requests (a nightly "state: prune"), set "max-stores" under the plan\'s limit, or raise the plan.'
        }[status] ??
        'Resolve it in the Vercel dashboard, or delete the store and run the job again.'
      expect(errorLine(result)).toBe(
        `::error::Store "web-pr-42-86f279ce" (${store.id}) is ${status}, which it will not leave by itself. Vercel says: Neon project suspended: The compute hours of the free plan are used up. ${next}`
      )
      expect(emulator.counts()).toEqual({
        [ROUTES.listStores]: 1,
        [ROUTES.getStore]: 1
      })
      expect(result.summary).toContain('Neon project suspended')
      // Set before the wait, so that a cleanup step can find the store.
      expect(result.outputs['store-id']).toBe(store.id)
    }
  )

  it('fails on a new store that settles in error', async () => {
    emulator.options.initializingReads = 2
    emulator.options.settleTo = {
      status: 'error',
      notification: { title: 'Provisioning failed', level: 'error' }
    }
    const result = await run({ inputs: inputs() })
    expect(errorLine(result)).toContain(
      'is error, which it will not leave by itself. Vercel says: Provisioning failed.'
    )
    expect(emulator.count(ROUTES.getStore)).toBe(2)
  })

  it('ends a wait that outlasts the timeout, naming the last status', async () => {
    emulator.options.initializingReads = 1_000_000
    const result = await run({ inputs: inputs({ timeout: '4' }) })
    expect(errorLine(result)).toMatch(
      /^::error::Store "web-pr-42-86f279ce" \(store_\w+\) is still initializing after [1-4] s of waiting, and the step's 4 s are up; raise "timeout", or set "wait" to false to go on without waiting\.$/
    )
    expect(emulator.count(ROUTES.getStore)).toBeGreaterThanOrEqual(2)
    expect(emulator.count(ROUTES.connect)).toBe(0)
  })
})

describe('connecting to a project', () => {
  it('connects by id without looking the project up, then by name with no request', async () => {
    const byId = await run({
      inputs: inputs({ project: WEB, 'env-prefix': 'PR42_' })
    })
    expect(byId.exitCode).toBe(0)
    expect(emulator.counts()).toEqual({
      [ROUTES.listStores]: 1,
      [ROUTES.listProjectEnv]: 1,
      [ROUTES.createStore]: 1,
      [ROUTES.connect]: 1
    })
    const connect = emulator.requests.find(
      ({ route }) => route === ROUTES.connect
    )
    expect(connect?.body).toEqual({
      projectId: WEB,
      envVarEnvironments: ['preview'],
      type: 'integration',
      envVarPrefix: 'PR42_'
    })

    emulator.resetRequests()
    const byName = await run({
      inputs: inputs({ project: 'web', 'env-prefix': 'PR42_' })
    })
    expect(byName.exitCode).toBe(0)
    expect(emulator.counts()).toEqual({ [ROUTES.listStores]: 1 })
    expect(byName.outputs['connected-project']).toBe(WEB)
  })

  it('takes the project from VERCEL_PROJECT_ID, for every environment listed', async () => {
    const result = await run({
      inputs: inputs({
        'env-prefix': 'PR42_',
        environments: 'preview,\ndevelopment, production'
      }),
      env: { VERCEL_PROJECT_ID: API }
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['connected-project']).toBe(API)
    expect(storeVars(API).map(({ target }) => target)).toEqual(
      neonSecrets().map(() => ['preview', 'development', 'production'])
    )
  })

  it('makes no connection without a project', async () => {
    const result = await run({ inputs: inputs() })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['connected-project']).toBe('')
    expect(result.outputs['env-var-names']).toBe('[]')
    expect(emulator.count(ROUTES.connect)).toBe(0)
  })

  it('advises env-prefix when a variable of that name exists', async () => {
    // The step's store is there, not yet connected; another store took the
    // prefix on the project meanwhile.
    const store = seedNeon('web-pr-42-86f279ce', {})
    const other = seedNeon('another-store', {})
    emulator.connectStore(other.id, API, ['preview'], 'PR42_')
    const result = await run({ inputs: inputs({ project: 'api' }) })
    expect(errorLine(result)).toBe(
      `::error::Project api already has a variable named PR42_DATABASE_URL in preview, so store ${store.id} cannot add its own with the prefix PR42_; set "env-prefix" to a prefix no variable of the project starts with, to give this store's variables names of their own.`
    )
    expect(emulator.count(ROUTES.connect)).toBe(1)
    expect(
      storeVars(API).filter(
        ({ contentHint }) => contentHint?.storeId === store.id
      )
    ).toEqual([])
  })

  it('finds a variable with the prefix before it creates a store', async () => {
    const other = seedNeon('another-store', {})
    emulator.connectStore(other.id, API, ['preview'], 'PR42_')
    emulator.resetRequests()
    const result = await run({ inputs: inputs({ project: 'api' }) })
    expect(errorLine(result)).toBe(
      '::error::Project api already has a variable PR42_DATABASE_URL in preview, so a store connected with the prefix PR42_ could clash with it; no store was created. Set "env-prefix" to a prefix no variable of the project starts with.'
    )
    expect(emulator.count(ROUTES.createStore)).toBe(0)
    expect(storesNamed('web-pr-42-86f279ce')).toEqual([])
  })

  it('says what differs when the store is connected for other environments', async () => {
    const prefix = { project: 'web', 'env-prefix': 'PR42_' }
    expect((await run({ inputs: inputs(prefix) })).exitCode).toBe(0)
    emulator.resetRequests()
    const result = await run({
      inputs: inputs({ ...prefix, environments: 'preview,development' })
    })
    expect(errorLine(result)).toContain(
      'is already connected to project web for preview with prefix PR42_, but this step asks for preview, development with prefix PR42_; change "environments" and "env-prefix" to match'
    )
    expect(emulator.counts()).toEqual({ [ROUTES.listStores]: 1 })
  })

  it('names a project that does not exist', async () => {
    const result = await run({ inputs: inputs({ project: 'no-such-app' }) })
    expect(errorLine(result)).toContain(
      'Project "no-such-app" was not found in this team; check "project"'
    )
    expect(emulator.count(ROUTES.connect)).toBe(0)
  })
})

describe('state: absent', () => {
  it('disconnects and deletes every store with the key, duplicates included', async () => {
    expect(
      (await run({ inputs: inputs({ project: 'web', 'env-prefix': 'PR42_' }) }))
        .exitCode
    ).toBe(0)
    const [connected] = storesNamed('web-pr-42-86f279ce')
    const older = seedNeon('web-pr-42-86f279ce', {
      createdAt: connected.createdAt - 1000
    })
    const newer = seedNeon('web-pr-42-86f279ce')
    const other = seedNeon('web-pr-43-86f279ce')
    emulator.resetRequests()

    const result = await run({
      inputs: inputs({ state: 'absent', project: 'web' })
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({
      deleted: 'true',
      'store-id': older.id
    })
    expect(emulator.counts()).toEqual({
      [ROUTES.listStores]: 1,
      [ROUTES.listProjectEnv]: 1,
      [ROUTES.disconnectAll]: 1,
      [ROUTES.deleteStore]: 3
    })
    for (const { id } of [older, connected, newer]) {
      expect(result.summary).toContain(`<code>${id}</code>`)
    }
    expect(result.summary).toContain('Deleted 3 Vercel stores')
    expect(storesNamed('web-pr-42-86f279ce')).toEqual([])
    expect(storesNamed('web-pr-43-86f279ce').map(({ id }) => id)).toEqual([
      other.id
    ])
    expect(storeVars(WEB)).toEqual([])
  })

  it('succeeds with deleted=false when there is nothing to delete', async () => {
    const result = await run({ inputs: inputs({ state: 'absent' }) })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({ deleted: 'false', 'store-id': '' })
    expect(emulator.counts()).toEqual({ [ROUTES.listStores]: 1 })
    expect(result.summary).toContain('No Vercel store to delete')
  })
})

describe('a listing with only what the Vercel CLI reads', () => {
  it('reads the store once, for the names of its secrets and of the variables', async () => {
    emulator.options.minimalListing = true
    const store = seedNeon('web-pr-42-86f279ce')
    const result = await run({ inputs: inputs({ project: WEB }) })
    expect(result.exitCode).toBe(0)
    const names = neonSecrets()
    expect(result.outputs).toMatchObject({
      'store-id': store.id,
      'secret-names': JSON.stringify(names),
      'connected-project': WEB,
      'env-var-names': JSON.stringify(names.map((name) => `PR42_${name}`))
    })
    expect(emulator.counts()).toEqual({
      [ROUTES.listStores]: 1,
      [ROUTES.getStore]: 1,
      [ROUTES.connect]: 1
    })
  })
})

describe('a listing whose connections say neither prefix nor variables', () => {
  it('reads the store to judge its connection, and reuses it with its prefix', async () => {
    emulator.options.minimalListing = true
    const store = seedNeon('web-pr-42-86f279ce')
    emulator.connectStore(store.id, WEB, ['preview'], 'PR42_')
    const result = await run({
      inputs: inputs({ project: 'web', 'env-prefix': 'PR42_' })
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({
      'connected-project': WEB,
      'env-var-names': JSON.stringify(neonSecrets().map((n) => `PR42_${n}`))
    })
    expect(emulator.counts()).toEqual({
      [ROUTES.listStores]: 1,
      [ROUTES.getStore]: 1
    })
  })
})

describe('mistakes found before anything is written', () => {
  it('looks a project name up before it creates a store', async () => {
    const error = errorLine(
      await run({ inputs: inputs({ project: 'no-such-project' }) })
    )
    expect(error).toContain('Project "no-such-project" was not found')
    expect(emulator.count(ROUTES.createStore)).toBe(0)
    expect(emulator.stores()).toEqual([])
  })

  it('finds nothing to delete when the integration is no longer installed', async () => {
    const result = await run({
      inputs: inputs({ integration: 'redis-cloud', state: 'absent' })
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.deleted).toBe('false')
    expect(result.stdout).toMatch(
      /^::warning::Nothing to delete: .*has not installed/m
    )
    expect(result.summary).toContain('No Vercel store to delete')
  })
})

describe('the emulator’s connection routes', () => {
  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(
      `${emulator.url}${path}?teamId=${emulator.team.id}`,
      {
        method,
        headers: {
          authorization: `Bearer ${emulator.token}`,
          'content-type': 'application/json'
        },
        body: body === undefined ? undefined : JSON.stringify(body)
      }
    )
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Vercel JSON
    return { status: response.status, body: (await response.json()) as any }
  }

  it('refuses to delete a connected store, and lists and removes one connection', async () => {
    const store = seedNeon('routes')
    const connected = await call(
      'POST',
      `/v1/storage/stores/${store.id}/connections`,
      {
        projectId: WEB,
        envVarEnvironments: ['preview'],
        type: 'integration'
      }
    )
    expect(connected.status).toBe(201)
    const refused = await call(
      'DELETE',
      `/v1/storage/stores/integration/${store.id}`
    )
    expect(refused.status).toBe(400)
    expect(refused.body.error.code).toBe('bad_request')

    const listed = await call(
      'GET',
      `/v1/storage/stores/${store.id}/connections`
    )
    expect(listed.body.connections).toEqual([
      expect.objectContaining({
        projectId: WEB,
        envVarEnvironments: ['preview'],
        envVarPrefix: null,
        project: { id: WEB, name: 'web', framework: 'nextjs' }
      })
    ])
    const [{ id }] = listed.body.connections
    const read = await call('GET', `/v1/storage/stores/${store.id}`)
    expect(read.body.store.projectsMetadata).toEqual([
      {
        id,
        projectId: WEB,
        name: 'web',
        framework: 'nextjs',
        environments: ['preview'],
        envVarPrefix: null,
        environmentVariables: neonSecrets()
      }
    ])
    expect(
      (await call('DELETE', `/v1/storage/stores/${store.id}/connections/${id}`))
        .status
    ).toBe(200)
    expect(storeVars(WEB)).toEqual([])
    expect(
      (await call('DELETE', `/v1/storage/stores/integration/${store.id}`))
        .status
    ).toBe(200)
    expect(storesNamed('routes')).toEqual([])
  })

  it('answers an unknown project as Vercel does', async () => {
    const missing = await call('GET', '/v9/projects/nope')
    expect(missing).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'Project not found' } }
    })
    const web = await call('GET', '/v9/projects/web')
    expect(web.body).toMatchObject({ id: WEB, name: 'web' })
    expect(JSON.stringify(web.body)).not.toContain('NEXT_PUBLIC_SITE_NAME')
  })
})
