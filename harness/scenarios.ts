/**
 * The paths a run can take, each with the fewest requests it needs. The
 * round-trip test asserts that the bundle makes exactly these requests, in
 * this order; the benchmark times the bundle on each and compares it with a
 * plain `fetch` script that makes the same requests (scripts/bench/baseline.mjs).
 *
 * To add a path (slugs, readiness polls, connections, deletion), add one
 * entry to SCENARIOS.
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
const STORE_NAME = `web-pr-${PULL_REQUEST}`
const EXTERNAL_ID = `acme-web-pr-${PULL_REQUEST}`

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
  // reuseWithSlugs: the slug inputs' discovery requests (issue 3), made
  // concurrently, then the list.
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
          name: `web-pr-${pullRequest}`,
          externalId: `acme-web-pr-${pullRequest}`,
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
  return `${request.method} ${request.path}`
}
