import { clock } from './clock.ts'
import { createServer } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { ServerOptions as TlsOptions } from 'node:https'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import {
  connect,
  deleteStore,
  disconnect,
  disconnectAll,
  getProject,
  listConnections
} from './connection-routes.ts'
import {
  listConfigurations,
  listPlans,
  listProducts
} from './discovery-routes.ts'
import {
  getCustomEnvironment,
  getTeam,
  getUser,
  listCustomEnvironments,
  pullEnv
} from './account-routes.ts'
import {
  batchRemoveProjectEnv,
  createProjectEnv,
  editProjectEnv,
  removeProjectEnv
} from './branch-env-routes.ts'
import {
  cancelDeployment,
  createDeployment,
  getDeployment,
  listDeployments
} from './deployments.ts'
import type { DeploymentRegistry, DeploymentSettings } from './deployments.ts'
import { getProjectEnv, listProjectEnv } from './env-routes.ts'
import type { EnvRouteSettings } from './env-routes.ts'
import {
  describeFault,
  faultStatus,
  runBefore,
  runsRoute,
  sendFault
} from './faults.ts'
import type { FaultPlan } from './faults.ts'
import { bearerToken, errorReply, readText, sendJson } from './http.ts'
import type { Reply } from './http.ts'
import { ROUTES, matchRoute } from './routes.ts'
import type { MatchedRoute, RouteKey } from './routes.ts'
import { MEMBER_TEAM_IDS, TEAMS, USER_ID } from './seed.ts'
import { createStore, getStore, listStores } from './store-routes.ts'
import type { ParsedBody, StoreRouteSettings } from './store-routes.ts'
import type { StoreRegistry } from './stores.ts'
import type { ProjectRegistry } from './projects.ts'
import type { ShapeRules } from './shapes.ts'

export interface EmulatorSettings
  extends StoreRouteSettings, EnvRouteSettings, DeploymentSettings {
  port: number
  token: string
  latencyMs: number
  hold?: { routes: string[]; until: number }
}

export interface RecordedRequest {
  method: string
  /** The path without the query string. */
  path: string
  route: RouteKey
  query: Record<string, string>
  body?: unknown
  /** 0 where no answer was sent (a reset or a dropped connection). */
  status: number
  /** How many other requests were being handled when it arrived; absent if none. */
  concurrent?: number
  /** The injected fault, if any (`describeFault`). */
  fault?: string
}

export interface EmulatorState {
  settings: EmulatorSettings
  stores: StoreRegistry
  projects: ProjectRegistry
  deployments: DeploymentRegistry
  requests: RecordedRequest[]
  faults: FaultPlan
  /** Answers shaped like a live report's (`startEmulator({ shapes })`). */
  shapes?: ShapeRules
}

/** An HTTP server, or HTTPS where given a key and certificate. */
export function createEmulatorServer(
  state: EmulatorState,
  tls?: Pick<TlsOptions, 'key' | 'cert'>
): Server {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(state, req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        sendJson(
          res,
          errorReply(500, 'internal_server_error', `Emulator error: ${error}`)
        )
      }
    })
  }
  return tls ? createTlsServer(tls, listener) : createServer(listener)
}

// Requests being handled now, per server state: shows which requests a
// client sent concurrently.
const inFlight = new WeakMap<EmulatorState, number>()

async function handle(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse
): Promise<void> {
  const concurrent = inFlight.get(state) ?? 0
  inFlight.set(state, concurrent + 1)
  try {
    await answer(state, req, res, concurrent)
  } finally {
    inFlight.set(state, (inFlight.get(state) ?? 1) - 1)
  }
}

async function answer(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  concurrent: number
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid')
  const method = req.method ?? 'GET'
  const route = matchRoute(method, url.pathname)
  const query = Object.fromEntries(url.searchParams)
  const body = parseBody(await readText(req))

  const fault = state.faults.take(route.key)
  runBefore(fault)
  const latest = state.stores.latest()
  const reply =
    fault && !runsRoute(fault)
      ? undefined
      : dispatch(state, req, route, query, body)
  const created = state.stores.latest()
  if (fault && typeof fault !== 'object' && created && created !== latest) {
    // The create was committed but its answer is lost or spoilt: a lagging
    // listing does not show it yet.
    state.stores.hideFromListings(created.id, state.settings.listingLag ?? 0)
  }

  await clock.pause(state.settings.latencyMs)
  await held(state, route.key)
  const recorded: RecordedRequest = {
    method,
    path: url.pathname,
    route: route.key,
    query,
    status: fault ? faultStatus(fault, reply) : (reply?.status ?? 0)
  }
  if (concurrent > 0) recorded.concurrent = concurrent
  if (body.kind === 'json') recorded.body = body.value
  if (body.kind === 'invalid') recorded.body = body.text
  if (fault) recorded.fault = describeFault(fault)
  state.requests.push(recorded)
  if (fault) return sendFault(res, fault, reply)
  if (reply) sendJson(res, shaped(state, route.key, reply))
}

function shaped(state: EmulatorState, route: RouteKey, reply: Reply): Reply {
  if (!state.shapes) return reply
  return {
    status: reply.status,
    body: state.shapes.apply(route, reply.status, reply.body)
  }
}

function dispatch(
  state: EmulatorState,
  req: IncomingMessage,
  route: MatchedRoute,
  query: Record<string, string>,
  body: ParsedBody
): Reply {
  if (route.key === ROUTES.unknown) {
    return errorReply(404, 'not_found', 'The requested path was not found')
  }
  const authError = authenticate(req, state.settings.token)
  if (authError) return authError
  const scope = resolveScope(query)
  if (typeof scope !== 'string') return scope

  const request = {
    ownerId: scope,
    query,
    params: route.params,
    body,
    stores: state.stores,
    settings: state.settings,
    projects: state.projects,
    deployments: state.deployments
  }
  switch (route.key) {
    case ROUTES.listStores:
      return listStores(request)
    case ROUTES.getStore:
      return getStore(request)
    case ROUTES.createStore:
      return createStore(request)
    case ROUTES.listConnections:
      return listConnections(request)
    case ROUTES.connect:
      return connect(request)
    case ROUTES.disconnectAll:
      return disconnectAll(request)
    case ROUTES.disconnect:
      return disconnect(request)
    case ROUTES.deleteStore:
      return deleteStore(request)
    case ROUTES.getProject:
      return getProject(request)
    case ROUTES.listConfigurations:
      return listConfigurations(request)
    case ROUTES.listProducts:
      return listProducts(request)
    case ROUTES.listPlans:
      return listPlans(request)
    case ROUTES.listProjectEnv:
      return listProjectEnv(request)
    case ROUTES.getProjectEnv:
      return getProjectEnv(request)
    case ROUTES.createProjectEnv:
      return createProjectEnv(request)
    case ROUTES.editProjectEnv:
      return editProjectEnv(request)
    case ROUTES.removeProjectEnv:
    case ROUTES.removeProjectEnvV10:
      return removeProjectEnv(request)
    case ROUTES.getUser:
      return getUser()
    case ROUTES.getTeam:
    case ROUTES.getTeamV2:
      return getTeam(request)
    case ROUTES.listCustomEnvironments:
    case ROUTES.listCustomEnvironmentsUnversioned:
      return listCustomEnvironments(request)
    case ROUTES.getCustomEnvironment:
      return getCustomEnvironment(request)
    case ROUTES.pullEnv:
      return pullEnv(request)
    case ROUTES.batchRemoveProjectEnv:
      return batchRemoveProjectEnv(request)
    case ROUTES.listDeployments:
      return listDeployments(request)
    case ROUTES.createDeployment:
      return createDeployment(request)
    case ROUTES.getDeployment:
      return getDeployment(request)
    case ROUTES.cancelDeployment:
      return cancelDeployment(request)
  }
}

function authenticate(
  req: IncomingMessage,
  validToken: string
): Reply | undefined {
  const token = bearerToken(req)
  if (token === undefined) {
    return errorReply(
      403,
      'forbidden',
      'The request is missing an authentication token',
      { missingToken: true }
    )
  }
  if (token !== validToken) {
    return errorReply(403, 'forbidden', 'Not authorized', {
      invalidToken: true
    })
  }
  return undefined
}

/** The owner id the request acts for: a team id, or the user's own id. */
function resolveScope(query: Record<string, string>): string | Reply {
  const { teamId, slug } = query
  if (!teamId && !slug) return USER_ID
  const team = teamId
    ? TEAMS.find((candidate) => candidate.id === teamId)
    : TEAMS.find((candidate) => candidate.slug === slug)
  if (!team || !MEMBER_TEAM_IDS.has(team.id)) {
    return errorReply(
      403,
      'forbidden',
      'Not authorized: you do not have access to this team'
    )
  }
  return team.id
}

function parseBody(text: string): ParsedBody {
  if (text === '') return { kind: 'none' }
  try {
    return { kind: 'json', value: JSON.parse(text) }
  } catch {
    return { kind: 'invalid', text }
  }
}

const heldRequests = new WeakMap<EmulatorState, (() => void)[]>()

/**
 * Waits until `hold.until` requests of the held routes have arrived (their
 * answers are already computed), then lets them all go; never longer than a
 * few seconds, so a run that sends them one by one fails its test instead of
 * hanging it.
 */
async function held(state: EmulatorState, route: string): Promise<void> {
  const hold = state.settings.hold
  if (!hold?.routes.includes(route)) return
  const waiting = heldRequests.get(state) ?? []
  heldRequests.set(state, waiting)
  await new Promise<void>((release) => {
    waiting.push(release)
    if (waiting.length >= hold.until) {
      heldRequests.set(state, [])
      for (const go of waiting) go()
      return
    }
    setTimeout(release, 5_000).unref()
  })
}
