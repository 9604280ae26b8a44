import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator, type Emulator } from '../emulator/index.ts'
import { runAction, runBundle, type RunOptions } from '../harness/run-action.ts'
import { errorLine, neonIdInputs, warningLines } from './support/run-result.ts'

// Issue 10's data-loss and hostile-answer defects (5, 7, 9, 10, 11, 12)
// against the emulator. Each has a test through dist/index.js but 11, whose
// pauses would be real there and run in-process on the injected clock; the
// variants of each defect run in-process too.

const WEB = 'prj_emuWeb0001'
const API = 'prj_emuApi0001'

let emulator: Emulator

beforeEach(async () => {
  emulator = await startEmulator()
})

afterEach(async () => {
  await emulator.close()
})

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return neonIdInputs(emulator, extra)
}

function run(options: RunOptions) {
  return runAction({ pullRequest: 42, ...options })
}

function runThroughBundle(options: RunOptions) {
  return runBundle({ pullRequest: 42, ...options })
}

function teamStores() {
  return emulator.stores().filter(({ teamId }) => teamId === emulator.team.id)
}

/** A store seeded under the default name of acme/web's pull request 42. */
async function seedOwnStore() {
  const dryRun = await run({ inputs: inputs({ 'dry-run': 'true' }) })
  const name = dryRun.outputs['store-name']
  expect(name).toMatch(/^web-pr-42/)
  const { neon } = emulator.installations
  const store = emulator.seedStore({
    installationId: neon.id,
    productIdOrSlug: neon.products[0].id,
    name
  })
  emulator.resetRequests()
  return store
}

/** The store as the emulator's listing shows it, to build answers from. */
async function listedJson(id: string): Promise<Record<string, unknown>> {
  const response = await fetch(
    `${emulator.url}/v1/storage/stores?teamId=${emulator.team.id}`,
    { headers: { authorization: `Bearer ${emulator.token}` } }
  )
  const { stores } = (await response.json()) as {
    stores: Record<string, unknown>[]
  }
  emulator.resetRequests()
  const store = stores.find((listed) => listed.id === id)
  if (!store) throw new Error(`not listed: ${id}`)
  return store
}

describe('defect 5: default names are unique per repository, owner included', () => {
  it('gives acme/web, acme-labs/web and acme/labs-web PR 42 three stores, and closing one leaves the others connected', async () => {
    const web = await runThroughBundle({
      repository: 'acme/web',
      inputs: inputs({ project: WEB })
    })
    const labs = await runThroughBundle({
      repository: 'acme-labs/web',
      inputs: inputs({ project: API, 'env-prefix': 'PR42_' })
    })
    const labsWeb = await runThroughBundle({
      repository: 'acme/labs-web',
      inputs: inputs()
    })
    for (const result of [web, labs, labsWeb]) {
      expect(result.exitCode).toBe(0)
      expect(result.outputs.created).toBe('true')
    }
    const ids = [web, labs, labsWeb].map(({ outputs }) => outputs['store-id'])
    expect(new Set(ids).size).toBe(3)
    expect(new Set(teamStores().map(({ name }) => name)).size).toBe(3)
    expect(
      [web, labs, labsWeb].map(({ outputs }) => outputs['external-id'])
    ).toEqual(['acme/web#42', 'acme-labs/web#42', 'acme/labs-web#42'])

    const close = await runThroughBundle({
      repository: 'acme-labs/web',
      inputs: inputs({ state: 'absent' })
    })
    expect(close.exitCode).toBe(0)
    expect(close.outputs.deleted).toBe('true')
    const left = teamStores()
    expect(left.map(({ id }) => id).sort()).toEqual(
      [web.outputs['store-id'], labsWeb.outputs['store-id']].sort()
    )
    const webStore = left.find(({ id }) => id === web.outputs['store-id'])
    expect(
      webStore?.projectsMetadata.map(({ projectId }) => projectId)
    ).toEqual([WEB])
    expect(
      emulator.envVars(WEB).filter(({ contentHint }) => contentHint).length
    ).toBeGreaterThan(0)
    expect(
      emulator.envVars(API).filter(({ contentHint }) => contentHint)
    ).toEqual([])
  })
})

describe('defect 7: ids of . or .. never reach a path', () => {
  it.each([
    ['project', '..'],
    ['project', '.'],
    ['product', '..']
  ])(
    'refuses %s: %s naming the input, before any request',
    async (input, value) => {
      const result = await run({ inputs: inputs({ [input]: value }) })
      expect(errorLine(result)).toContain(`Input "${input}" must be`)
      expect(emulator.count()).toBe(0)
    }
  )

  it('takes a listed store whose id is .. for an unreadable answer, and deletes nothing', async () => {
    const store = await seedOwnStore()
    emulator.faults.add(ROUTES.listStores, {
      status: 200,
      body: { stores: [{ ...(await listedJson(store.id)), id: '..' }] }
    })
    const result = await runThroughBundle({
      inputs: inputs({ state: 'absent' })
    })
    expect(errorLine(result)).toBe(
      `::error::Vercel's answer to GET /v1/storage/stores has "stores[0].id" as "..", which is not an id; check "api-url", or try again if Vercel is having an incident.`
    )
    expect(
      emulator.requests.map(({ method, path }) => `${method} ${path}`)
    ).toEqual(['GET /v1/storage/stores'])
    expect(teamStores().map(({ id }) => id)).toEqual([store.id])
  })
})

describe('defect 9: a store on two listing pages is one store', () => {
  async function listTwice() {
    const store = await seedOwnStore()
    const json = await listedJson(store.id)
    emulator.faults.add(
      ROUTES.listStores,
      { status: 200, body: { stores: [json], pagination: { next: 1 } } },
      { status: 200, body: { stores: [json], pagination: { next: null } } }
    )
    return store
  }

  it('reuses a store listed on two pages without a duplicate warning', async () => {
    const store = await listTwice()
    const result = await run({ inputs: inputs() })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['store-id']).toBe(store.id)
    expect(emulator.count(ROUTES.listStores)).toBe(2)
    expect(warningLines(result).join('\n')).not.toContain('share the key')
    expect(result.summary).not.toMatch(/duplicate/i)
  })

  it('sends exactly one DELETE for a store listed on two pages', async () => {
    const store = await listTwice()
    const result = await runThroughBundle({
      inputs: inputs({ state: 'absent' })
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.deleted).toBe('true')
    expect(
      emulator.requests
        .filter(({ method }) => method === 'DELETE')
        .map(({ path }) => path)
    ).toEqual([`/v1/storage/stores/integration/${store.id}`])
    expect(teamStores()).toEqual([])
  })
})

describe('defect 10: an api-url ending in a bare ? or #', () => {
  // The review's two endings through the bundle, their variants in-process.
  it.each([
    ['?', runThroughBundle],
    ['#', runThroughBundle],
    ['/?', run],
    ['?#', run]
  ])(
    'refuses api-url ending in %s before any request',
    async (ending, runner) => {
      const result = await runner({
        inputs: inputs({ 'api-url': `${emulator.url}${ending}` })
      })
      expect(errorLine(result)).toContain(
        'Input "api-url" must be an https:// URL without credentials, query or fragment'
      )
      expect(emulator.count()).toBe(0)
    }
  )
})

describe('defect 11: a lost create and a lagging listing make one store', () => {
  it('lists again after pauses, rather than create a second store, when the create answered 502 after committing and the listing lags two listings', async () => {
    emulator.options.listingLag = 2
    emulator.faults.add(ROUTES.createStore, 'commit-then-502')
    const result = await run({ inputs: inputs() })
    expect(result.exitCode).toBe(0)
    const stores = teamStores()
    expect(stores).toHaveLength(1)
    expect(result.outputs).toMatchObject({
      'store-id': stores[0].id,
      created: 'true'
    })
    expect(emulator.count(ROUTES.createStore)).toBe(1)
    // The first listing, two that lag, and the one that shows the store.
    expect(emulator.count(ROUTES.listStores)).toBe(4)
  })
})

describe('defect 12: wrongly typed fields fail on one line naming the field', () => {
  it('fails on a listed store whose name is a number, and creates nothing', async () => {
    emulator.faults.add(ROUTES.listStores, {
      status: 200,
      body: { stores: [{ id: 'store_1', name: 42, type: 'integration' }] }
    })
    const result = await runThroughBundle({ inputs: inputs() })
    expect(errorLine(result)).toBe(
      `::error::Vercel's answer to GET /v1/storage/stores has "stores[0].name" as a number, not a string; check "api-url", or try again if Vercel is having an incident.`
    )
    expect(emulator.count(ROUTES.createStore)).toBe(0)
    expect(teamStores()).toEqual([])
  })

  it('fails on a read store whose secrets are an object', async () => {
    const store = await seedOwnStore()
    const json = await listedJson(store.id)
    // The listing leaves out the connections' prefixes, so the store is read.
    emulator.options.minimalListing = true
    emulator.faults.add(ROUTES.getStore, {
      status: 200,
      body: { store: { ...json, secrets: { DATABASE_URL: 'x' } } }
    })
    const result = await run({ inputs: inputs() })
    expect(errorLine(result)).toBe(
      `::error::Vercel's answer to GET /v1/storage/stores/${store.id} has "store.secrets" as an object, not a list; check "api-url", or try again if Vercel is having an incident.`
    )
  })

  it('quotes no message from an error body whose message is 100,000 lists deep', async () => {
    const depth = 100_000
    emulator.faults.add(ROUTES.listStores, {
      status: 400,
      text: `{"error":{"code":"bad_request","message":${'['.repeat(depth)}${']'.repeat(depth)}}}`
    })
    const result = await run({ inputs: inputs() })
    expect(errorLine(result)).toBe(
      `::error::GET /v1/storage/stores answered HTTP 400: bad_request (an error whose "message" is a list, not text). Vercel rejected the request: fix the input its message names.`
    )
    expect(emulator.count(ROUTES.createStore)).toBe(0)
  })

  it('says a redirect is not followed, rather than point to a message there is none of', async () => {
    emulator.faults.add(ROUTES.listStores, {
      status: 302,
      text: '',
      headers: { location: 'https://elsewhere.example/' }
    })
    const line = errorLine(await run({ inputs: inputs() }))
    expect(line).toContain(
      'GET /v1/storage/stores answered HTTP 302: an empty body'
    )
    expect(line).toContain('Redirects are not followed')
    expect(line).not.toContain('message above')
  })
})
