import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { connect } from './connection-routes.ts'
import { FaultPlan } from './faults.ts'
import { createEmulatorServer } from './server.ts'
import type {
  EmulatorSettings,
  EmulatorState,
  RecordedRequest
} from './server.ts'
import {
  NEON_INSTALLATION,
  OTHER_TEAM,
  PRISMA_INSTALLATION,
  SUPABASE_INSTALLATIONS,
  TEAM,
  TEAMS,
  UPSTASH_INSTALLATION,
  defaultPlan,
  findInstallation,
  findProduct
} from './seed.ts'
import type { Installation, Team } from './seed.ts'
import { StoreRegistry } from './stores.ts'
import type { StoreNotification, StoreRecord } from './stores.ts'
import { ProjectRegistry } from './projects.ts'
import type { EnvVar, Project } from './projects.ts'
import type { LifecycleSettings } from './lifecycle.ts'
import { DeploymentRegistry, listingOf, seedDeployment } from './deployments.ts'
import type { DeploymentRecord, SeedDeploymentInput } from './deployments.ts'
import { ShapeRules } from './shapes.ts'
import type { ShapeReport } from './shapes.ts'

export type { EmulatorSettings, RecordedRequest } from './server.ts'
export type { Fault } from './faults.ts'
export { FaultPlan } from './faults.ts'
export type { RouteKey } from './routes.ts'
export { ROUTES } from './routes.ts'
export type {
  BillingPlan,
  Installation,
  Integration,
  MetadataSchema,
  Product,
  Team
} from './seed.ts'
export type {
  ProjectMetadata,
  StoreJson,
  StoreNotification,
  StoreRecord
} from './stores.ts'
export type { EnvVar, Project } from './projects.ts'
export { SEED_PROJECTS } from './projects.ts'
export type {
  DeploymentRecord,
  ReadyState,
  SeedDeploymentInput
} from './deployments.ts'
export { PRODUCTION_BRANCH } from './branch-env-routes.ts'
export type { ShapeReport } from './shapes.ts'

export interface EmulatorOptions extends LifecycleSettings {
  /** Default 0 (ephemeral). The emulator always listens on 127.0.0.1. */
  port?: number
  /** Serves HTTPS with this key and certificate (PEM); HTTP without. */
  tls?: { key: string | Buffer; cert: string | Buffer }
  /** The one valid bearer token. Default: `emu_` + 24 random hex chars. */
  token?: string
  /** Whether GET list / GET one return `externalId` (the live API is not known to). */
  listIncludesExternalId?: boolean
  /** The POST /direct 200 response leaves out `store.id` (like `@vercel/sdk`). */
  createResponseOmitsId?: boolean
  /**
   * GET /v1/storage/stores returns the fields of the Vercel CLI's `Resource`
   * type only: no product id, no secrets, no metadata.
   */
  minimalListing?: boolean
  /**
   * A store whose create was committed but answered with a fault stays out
   * of this many listings after it (default 0: listed at once).
   */
  listingLag?: number
  /** When set, GET /v1/storage/stores pages by `createdAt` desc with `?until=`. */
  pageSize?: number
  /** When set, GET /v10/projects/{idOrName}/env answers this many a page. */
  envPageSize?: number
  /** Delay before every response. */
  latencyMs?: number
  /**
   * Holds the answers of these routes until `until` of their requests have
   * arrived, then answers them all: requests a run sends together are seen
   * together, and runs that race all list before any creates, with no
   * waiting on the clock.
   */
  hold?: { routes: string[]; until: number }
  /** The variables store connections make are `sensitive` (unreadable). */
  sensitiveStoreVariables?: boolean
  /** How `GET …/env?gitBranch=` filters (see `BranchEnvSettings`). */
  gitBranchFilter?: 'applies' | 'exact'
  /** How long a redeploy is `BUILDING` before it is `READY`. Default 0. */
  deploymentBuildMs?: number
  /** How long a redeploy is `QUEUED` before it builds. Default 0. */
  deploymentQueueMs?: number
  /**
   * A live report (`npm run live`): every answer of a route the report
   * holds is shaped like the live API's, keys it never sent dropped.
   */
  shapes?: ShapeReport
}

export interface SeedStoreInput {
  teamId?: string
  installationId: string
  productIdOrSlug: string
  name: string
  externalId?: string
  createdAt?: number
  status?: string
  notification?: StoreNotification
  /** The team's limit on where its credentials go: `["production"]`… */
  targets?: string[]
}

export interface Emulator {
  url: string
  token: string
  /** The team the token belongs to. */
  team: Team
  /** A team the token is not a member of. */
  otherTeam: Team
  installations: {
    neon: Installation
    upstash: Installation
    /** Two installations of one integration: `supabase` is ambiguous. */
    supabase: Installation[]
    /** Its product has a required metadata field without a default. */
    prisma: Installation
  }
  /** Live settings: changing them affects the next request. */
  options: EmulatorSettings
  requests: RecordedRequest[]
  /** Requests to one route key (e.g. `GET /v1/storage/stores`), or all. */
  count(route?: string): number
  counts(): Record<string, number>
  /** Every store of every team, as stored (with `teamId` and `externalId`). */
  stores(): StoreRecord[]
  /** Puts a store in place directly; not recorded as a request. */
  seedStore(input: SeedStoreInput): StoreRecord
  /** Puts a store in a status (an end state, say) with Vercel's notification. */
  setStoreStatus(
    id: string,
    status: string,
    notification?: StoreNotification
  ): void
  /**
   * Connects a store to a project as `POST …/connections` would; not
   * recorded as a request.
   */
  connectStore(
    storeId: string,
    projectId: string,
    environments: string[],
    envVarPrefix?: string
  ): void
  /** Every project of every team, variables and values included. */
  projects(): Project[]
  /** One project's variables, values included. */
  envVars(projectId: string): EnvVar[]
  /**
   * Puts a variable on a project, replacing the one of its id if any, as a
   * person in the dashboard would; not recorded as a request.
   */
  putEnvVar(projectId: string, envVar: EnvVar): void
  /**
   * Unlinks a project from its Git repository: GET /v9/projects then
   * answers no `link`, and so no production branch.
   */
  unlinkGit(projectId: string): void
  /**
   * A deployment built by the Git integration from a push to `branch`,
   * reading the project's variables as they are now; not recorded as a
   * request.
   */
  seedDeployment(input: SeedDeploymentInput): DeploymentRecord
  /**
   * The body `GET /v6/deployments` would answer with these deployments (of
   * the token's team), whatever the query: for a fault whose listing names
   * the wrong one.
   */
  deploymentListing(ids: readonly string[]): Record<string, unknown>
  /**
   * Every deployment of every team, with `env`: the variables (values
   * included) its build read.
   */
  deployments(): DeploymentRecord[]
  /** Every secret value a store connection has put on a project. */
  secretValues(): string[]
  /**
   * Sets the values some of a store's secrets get when it is connected (a
   * multi-line one, say); the others are made up as usual.
   */
  presetSecrets(storeId: string, values: Record<string, string>): void
  resetRequests(): void
  /** Faults to inject, per route key, one per request in order. */
  faults: FaultPlan
  /**
   * With `shapes`: keys the live API sent that the emulator's answers lack
   * (`route path`), which it cannot invent.
   */
  shapeGaps(): string[]
  close(): Promise<void>
}

const running = new Set<Emulator>()

/**
 * The emulators running in this process: the harness scans every run's
 * output for their tokens and secret values, so no test can forget to.
 */
export function runningEmulators(): Emulator[] {
  return [...running]
}

export async function startEmulator(
  options: EmulatorOptions = {}
): Promise<Emulator> {
  const settings: EmulatorSettings = {
    port: options.port ?? 0,
    token: options.token ?? `emu_${randomBytes(12).toString('hex')}`,
    listIncludesExternalId: options.listIncludesExternalId ?? false,
    createResponseOmitsId: options.createResponseOmitsId ?? false,
    minimalListing: options.minimalListing ?? false,
    listingLag: options.listingLag,
    pageSize: options.pageSize,
    envPageSize: options.envPageSize,
    latencyMs: options.latencyMs ?? 0,
    hold: options.hold,
    sensitiveStoreVariables: options.sensitiveStoreVariables,
    initializingReads: options.initializingReads,
    initializingMs: options.initializingMs,
    settleTo: options.settleTo,
    gitBranchFilter: options.gitBranchFilter,
    deploymentBuildMs: options.deploymentBuildMs,
    deploymentQueueMs: options.deploymentQueueMs
  }
  const state: EmulatorState = {
    settings,
    stores: new StoreRegistry(),
    projects: new ProjectRegistry(),
    deployments: new DeploymentRegistry(),
    requests: [],
    faults: new FaultPlan(),
    shapes: options.shapes && new ShapeRules(options.shapes)
  }
  const server = createEmulatorServer(state, options.tls)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(settings.port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  settings.port = (server.address() as AddressInfo).port

  const emulator: Emulator = {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${settings.port}`,
    token: settings.token,
    team: { ...TEAM },
    otherTeam: { ...OTHER_TEAM },
    installations: {
      neon: structuredClone(NEON_INSTALLATION),
      upstash: structuredClone(UPSTASH_INSTALLATION),
      supabase: structuredClone(SUPABASE_INSTALLATIONS),
      prisma: structuredClone(PRISMA_INSTALLATION)
    },
    options: settings,
    // The same array the server appends to, so it stays current.
    get requests() {
      return state.requests
    },
    count(route) {
      return state.requests.filter(
        (request) => route === undefined || request.route === route
      ).length
    },
    counts() {
      const counts: Record<string, number> = {}
      for (const { route } of state.requests) {
        counts[route] = (counts[route] ?? 0) + 1
      }
      return counts
    },
    stores: () => state.stores.all(),
    seedStore: (input) => seedStore(state.stores, input),
    setStoreStatus(id, status, notification) {
      const store = state.stores.byId(id)
      if (!store) throw new Error(`setStoreStatus: no store ${id}`)
      store.status = status
      if (notification) store.notification = structuredClone(notification)
      else delete store.notification
    },
    connectStore(storeId, projectId, environments, envVarPrefix) {
      const store = state.stores.byId(storeId)
      if (!store) throw new Error(`connectStore: no store ${storeId}`)
      const reply = connect({
        ownerId: store.teamId,
        params: { id: storeId },
        body: {
          kind: 'json',
          value: { projectId, envVarEnvironments: environments, envVarPrefix }
        },
        stores: state.stores,
        projects: state.projects
      })
      if (reply.status >= 300) {
        throw new Error(`connectStore: ${JSON.stringify(reply.body)}`)
      }
    },
    projects: () => state.projects.all(),
    envVars(projectId) {
      const project = state.projects.all().find(({ id }) => id === projectId)
      if (!project) throw new Error(`envVars: no project ${projectId}`)
      return project.env
    },
    putEnvVar: (projectId, envVar) => state.projects.putEnv(projectId, envVar),
    unlinkGit: (projectId) => state.projects.unlinkGit(projectId),
    seedDeployment: (input) =>
      seedDeployment(state.projects, state.deployments, input, TEAM.id),
    deploymentListing: (ids) => listingOf(state.deployments, TEAM.id, ids),
    deployments: () => state.deployments.all(),
    secretValues: () => state.projects.secretValues(),
    presetSecrets: (storeId, values) =>
      state.projects.presetSecrets(storeId, values),
    resetRequests() {
      state.requests.length = 0
    },
    faults: state.faults,
    shapeGaps: () => [...(state.shapes?.gaps ?? [])].sort(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        running.delete(emulator)
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
  }
  running.add(emulator)
  return emulator
}

function seedStore(stores: StoreRegistry, input: SeedStoreInput): StoreRecord {
  const teamId = input.teamId ?? TEAM.id
  if (!TEAMS.some((team) => team.id === teamId)) {
    throw new Error(`seedStore: unknown team ${teamId}`)
  }
  const installation = findInstallation(teamId, input.installationId)
  if (!installation) {
    throw new Error(
      `seedStore: installation ${input.installationId} not in team ${teamId}`
    )
  }
  const product = findProduct(installation, input.productIdOrSlug)
  if (!product) {
    throw new Error(
      `seedStore: product ${input.productIdOrSlug} not in ${installation.id}`
    )
  }
  const record = stores.add({
    teamId,
    installation,
    product,
    name: input.name,
    billingPlan: defaultPlan(installation),
    externalId: input.externalId,
    createdAt: input.createdAt,
    status: input.status,
    notification: input.notification,
    targets: input.targets
  })
  return structuredClone(record)
}
