/**
 * The paths a run can take, each with the fewest requests it needs. The
 * round-trip test asserts that the bundle makes exactly these requests, in
 * this order; the benchmark times the bundle on each and compares it with a
 * plain `fetch` script that makes the same requests (scripts/bench/baseline.mjs).
 *
 * A new path is one entry in SCENARIOS.
 */
import type { Emulator } from '../emulator/index.ts'
import type { RunOptions } from './run-action.ts'

export interface PlannedRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  /**
   * A path as in the emulator's route keys (`/v1/storage/stores/{id}`). The
   * baseline fills `{id}` with the store's id from the last response that
   * named it.
   */
  path: string
  /** The emulator's route key, where `path` is a concrete one. */
  route?: string
  query?: Record<string, string>
  body?: unknown
}

/** One round trip: a request, or requests that are made concurrently. */
export type RoundTrip = PlannedRequest | PlannedRequest[]

export interface Scenario {
  name: string
  /** Puts the emulator in the starting state and says how to run the action. */
  prepare(emulator: Emulator): RunOptions
  /** The requests this path needs, in order. */
  roundTrips(emulator: Emulator): RoundTrip[]
  /** The store the run ends with; the baseline looks for it in listings. */
  storeName: string
  /** Outputs the run must set (a subset). */
  outputs: Record<string, string>
}

const LIST = '/v1/storage/stores'
const CREATE = '/v1/storage/stores/integration/direct'
const PULL_REQUEST = 42
// The default names end in a hash of the repository, "acme/web".
const REPOSITORY_HASH = '86f279ce'
const STORE_NAME = `web-pr-${PULL_REQUEST}-${REPOSITORY_HASH}`
const EXTERNAL_ID = `acme/web#${PULL_REQUEST}`
const PROJECT_ID = 'prj_emuWeb0001'

/** The installation and product by id: no request is needed to resolve them. */
function withIds(emulator: Emulator): RunOptions {
  const { neon } = emulator.installations
  return {
    inputs: {
      token: emulator.token,
      team: emulator.team.slug,
      integration: neon.id,
      product: neon.products[0].id,
      'api-url': emulator.url
    },
    pullRequest: PULL_REQUEST
  }
}

function seedOwnStore(emulator: Emulator, createdAt?: number): void {
  const { neon } = emulator.installations
  emulator.seedStore({
    installationId: neon.id,
    productIdOrSlug: neon.products[0].id,
    name: STORE_NAME,
    externalId: EXTERNAL_ID,
    createdAt
  })
}

/** The step's store, already connected to the project for `preview`. */
function seedConnectedStore(emulator: Emulator): void {
  seedOwnStore(emulator)
  const [store] = emulator.stores()
  emulator.connectStore(store.id, PROJECT_ID, ['preview'])
}

function listRequest(emulator: Emulator): PlannedRequest {
  return {
    method: 'GET',
    path: LIST,
    query: {
      slug: emulator.team.slug,
      integrationConfigurationId: emulator.installations.neon.id
    }
  }
}

function createRequest(emulator: Emulator): PlannedRequest {
  const { neon } = emulator.installations
  return {
    method: 'POST',
    path: CREATE,
    query: { slug: emulator.team.slug },
    body: {
      name: STORE_NAME,
      integrationConfigurationId: neon.id,
      integrationProductIdOrSlug: neon.products[0].id,
      externalId: EXTERNAL_ID
    }
  }
}

function installationsRequest(emulator: Emulator): PlannedRequest {
  return {
    method: 'GET',
    path: '/v1/integrations/configurations',
    query: {
      slug: emulator.team.slug,
      view: 'account',
      installationType: 'marketplace',
      integrationIdOrSlug: 'neon'
    }
  }
}

function productsRequest(emulator: Emulator): PlannedRequest {
  return {
    method: 'GET',
    path: `/v1/integrations/configuration/${emulator.installations.neon.id}/products`,
    route: 'GET /v1/integrations/configuration/{id}/products',
    query: { slug: emulator.team.slug }
  }
}

function storeRequest(emulator: Emulator): PlannedRequest {
  return {
    method: 'GET',
    path: '/v1/storage/stores/{id}',
    query: { slug: emulator.team.slug }
  }
}

function connectRequest(emulator: Emulator): PlannedRequest {
  return {
    method: 'POST',
    path: '/v1/storage/stores/{id}/connections',
    query: { slug: emulator.team.slug },
    body: {
      projectId: PROJECT_ID,
      envVarEnvironments: ['preview'],
      type: 'integration',
      // The default prefix in a pull request.
      envVarPrefix: `PR${PULL_REQUEST}_`
    }
  }
}

/** The project's variables: before a create, and to read the values. */
function projectEnvRequest(emulator: Emulator): PlannedRequest {
  return {
    method: 'GET',
    path: `/v10/projects/${PROJECT_ID}/env`,
    route: 'GET /v10/projects/{idOrName}/env',
    query: { slug: emulator.team.slug }
  }
}

/** Every store variable's value at once. */
function valueRequests(emulator: Emulator): PlannedRequest[] {
  const { secrets } = emulator.installations.neon.products[0]
  return secrets.map((): PlannedRequest => ({
    method: 'GET',
    path: `/v1/projects/${PROJECT_ID}/env/{id}`,
    route: 'GET /v1/projects/{idOrName}/env/{id}',
    query: { slug: emulator.team.slug }
  }))
}

function withReadEnv(options: RunOptions): RunOptions {
  return {
    ...options,
    inputs: { ...options.inputs, project: PROJECT_ID, 'read-env': 'true' }
  }
}

export const OTHER_STORES = 10_000

export const SCENARIOS = {
  reuseWithIds: {
    name: 'reuse with ids',
    storeName: STORE_NAME,
    outputs: { 'store-name': STORE_NAME, created: 'false' },
    prepare(emulator) {
      seedOwnStore(emulator)
      return withIds(emulator)
    },
    roundTrips: (emulator) => [listRequest(emulator)]
  },
  createWithIds: {
    name: 'create with ids',
    storeName: STORE_NAME,
    outputs: { 'store-name': STORE_NAME, created: 'true' },
    prepare: withIds,
    roundTrips: (emulator) => [listRequest(emulator), createRequest(emulator)]
  },
  reuseWithSlugs: {
    name: 'reuse with slugs',
    storeName: STORE_NAME,
    outputs: { 'store-name': STORE_NAME, created: 'false' },
    prepare(emulator) {
      seedOwnStore(emulator)
      const options = withIds(emulator)
      return {
        ...options,
        inputs: { ...options.inputs, integration: 'neon', product: 'neon' }
      }
    },
    // The installation first; then its products and its stores at once.
    roundTrips: (emulator) => [
      installationsRequest(emulator),
      [productsRequest(emulator), listRequest(emulator)]
    ]
  },
  createAndWait: {
    name: 'create, then wait through initializing',
    storeName: STORE_NAME,
    outputs: { 'store-name': STORE_NAME, created: 'true', status: 'available' },
    prepare(emulator) {
      // Vercel answers the create with `initializing`; the first read of the
      // store already finds it available.
      emulator.options.initializingReads = 1
      return withIds(emulator)
    },
    roundTrips: (emulator) => [
      listRequest(emulator),
      createRequest(emulator),
      storeRequest(emulator)
    ]
  },
  createAndConnect: {
    name: 'create and connect to a project by id',
    storeName: STORE_NAME,
    outputs: {
      'store-name': STORE_NAME,
      created: 'true',
      'connected-project': PROJECT_ID
    },
    prepare(emulator) {
      const options = withIds(emulator)
      return { ...options, inputs: { ...options.inputs, project: PROJECT_ID } }
    },
    // Before the create, whether the project has variables with the prefix.
    roundTrips: (emulator) => [
      listRequest(emulator),
      projectEnvRequest(emulator),
      createRequest(emulator),
      connectRequest(emulator)
    ]
  },
  reuseConnected: {
    name: 'reuse a store already connected',
    storeName: STORE_NAME,
    outputs: { created: 'false', 'connected-project': PROJECT_ID },
    prepare(emulator) {
      seedConnectedStore(emulator)
      const options = withIds(emulator)
      return { ...options, inputs: { ...options.inputs, project: PROJECT_ID } }
    },
    roundTrips: (emulator) => [listRequest(emulator)]
  },
  createConnectAndReadEnv: {
    name: 'create, connect and read the values back',
    storeName: STORE_NAME,
    outputs: {
      'store-name': STORE_NAME,
      created: 'true',
      'connected-project': PROJECT_ID
    },
    prepare: (emulator) => withReadEnv(withIds(emulator)),
    // The project's variables beside the stores; again once connected.
    roundTrips: (emulator) => [
      [listRequest(emulator), projectEnvRequest(emulator)],
      createRequest(emulator),
      connectRequest(emulator),
      projectEnvRequest(emulator),
      valueRequests(emulator)
    ]
  },
  reuseConnectedAndReadEnv: {
    name: 'reuse a store already connected and read the values back',
    storeName: STORE_NAME,
    outputs: { created: 'false', 'connected-project': PROJECT_ID },
    prepare(emulator) {
      seedConnectedStore(emulator)
      return withReadEnv(withIds(emulator))
    },
    roundTrips: (emulator) => [
      [listRequest(emulator), projectEnvRequest(emulator)],
      valueRequests(emulator)
    ]
  },
  removeOnClose: {
    name: 'delete on close',
    storeName: STORE_NAME,
    outputs: { deleted: 'true', 'store-name': STORE_NAME },
    prepare(emulator) {
      seedOwnStore(emulator)
      const options = withIds(emulator)
      return { ...options, inputs: { ...options.inputs, state: 'absent' } }
    },
    // A store no project is connected to is deleted at once.
    roundTrips: (emulator) => [
      listRequest(emulator),
      { method: 'DELETE', path: '/v1/storage/stores/integration/{id}' }
    ]
  },
  lookupAmong10k: {
    name: `lookup among ${OTHER_STORES.toLocaleString('en')} stores`,
    storeName: STORE_NAME,
    outputs: { 'store-name': STORE_NAME, created: 'false' },
    prepare(emulator) {
      // Other pull requests' stores of the same installation: the listing is
      // filtered by installation on the server and is not paginated, so these
      // all come back in the one response, the action's own store last.
      const { neon } = emulator.installations
      const start = Date.now() - (OTHER_STORES + 1) * 1000
      seedOwnStore(emulator, start)
      for (let n = 1; n <= OTHER_STORES; n++) {
        const pullRequest = n < PULL_REQUEST ? n : n + 1
        emulator.seedStore({
          installationId: neon.id,
          productIdOrSlug: neon.products[0].id,
          name: `web-pr-${pullRequest}-${REPOSITORY_HASH}`,
          externalId: `acme/web#${pullRequest}`,
          createdAt: start + n * 1000
        })
      }
      return withIds(emulator)
    },
    roundTrips: (emulator) => [listRequest(emulator)]
  }
} satisfies Record<string, Scenario>

/** The emulator's route key of a planned request, e.g. `GET /v1/storage/stores`. */
export function routeOf(request: PlannedRequest): string {
  return request.route ?? `${request.method} ${request.path}`
}
