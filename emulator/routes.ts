import { PATHS } from '../src/vercel-api.ts'

/**
 * Every route the emulator serves: the action's endpoints as src/ spells
 * them (one table, so the two cannot drift apart), and the routes only
 * other callers use (a single variable's removal, a deployment's read, the
 * connection listing).
 */
export const ROUTES = {
  ...PATHS,
  listConnections: 'GET /v1/storage/stores/{id}/connections',
  disconnect: 'DELETE /v1/storage/stores/{id}/connections/{connectionId}',
  removeProjectEnv: 'DELETE /v9/projects/{idOrName}/env/{id}',
  getDeployment: 'GET /v13/deployments/{idOrUrl}',
  // What the Vercel CLI and @vercel/sdk need beyond the action (issue 20).
  removeProjectEnvV10: 'DELETE /v10/projects/{idOrName}/env/{id}',
  getUser: 'GET /v2/user',
  getTeam: 'GET /teams/{idOrSlug}',
  getTeamV2: 'GET /v2/teams/{teamId}',
  listCustomEnvironmentsUnversioned:
    'GET /projects/{idOrName}/custom-environments',
  getCustomEnvironment:
    'GET /v9/projects/{idOrName}/custom-environments/{environmentSlugOrId}',
  pullEnv: 'GET /v3/env/pull/{idOrName}/{target}/{gitBranch}',
  unknown: 'UNKNOWN'
} as const

export type RouteKey = (typeof ROUTES)[keyof typeof ROUTES]

export interface MatchedRoute {
  key: RouteKey
  params: Record<string, string>
}

export function matchRoute(method: string, path: string): MatchedRoute {
  if (method === 'GET' && path === '/v1/storage/stores') {
    return { key: ROUTES.listStores, params: {} }
  }
  if (method === 'POST' && path === '/v1/storage/stores/integration/direct') {
    return { key: ROUTES.createStore, params: {} }
  }
  const discovery = matchDiscoveryRoute(method, path)
  if (discovery) return discovery
  const account = matchAccountRoute(method, path)
  if (account) return account
  const store = /^\/v1\/storage\/stores\/([^/]+)$/.exec(path)
  if (method === 'GET' && store) {
    return {
      key: ROUTES.getStore,
      params: { id: safeDecode(store[1]) }
    }
  }
  return matchLifecycleRoute(method, path)
}

function matchLifecycleRoute(method: string, path: string): MatchedRoute {
  const connections = /^\/v1\/storage\/stores\/([^/]+)\/connections$/.exec(path)
  if (connections) {
    const params = { id: safeDecode(connections[1]) }
    if (method === 'GET') return { key: ROUTES.listConnections, params }
    if (method === 'POST') return { key: ROUTES.connect, params }
    if (method === 'DELETE') return { key: ROUTES.disconnectAll, params }
  }
  const connection =
    /^\/v1\/storage\/stores\/([^/]+)\/connections\/([^/]+)$/.exec(path)
  if (method === 'DELETE' && connection) {
    return {
      key: ROUTES.disconnect,
      params: {
        id: safeDecode(connection[1]),
        connectionId: safeDecode(connection[2])
      }
    }
  }
  const integration = /^\/v1\/storage\/stores\/integration\/([^/]+)$/.exec(path)
  if (method === 'DELETE' && integration) {
    return {
      key: ROUTES.deleteStore,
      params: { id: safeDecode(integration[1]) }
    }
  }
  const project = /^\/v9\/projects\/([^/]+)$/.exec(path)
  if (method === 'GET' && project) {
    return {
      key: ROUTES.getProject,
      params: { idOrName: safeDecode(project[1]) }
    }
  }
  return (
    matchEnvRoute(method, path) ??
    matchPreviewRoute(method, path) ?? { key: ROUTES.unknown, params: {} }
  )
}

/** The routes of branch variables and deployments (issue 12). */
function matchPreviewRoute(
  method: string,
  path: string
): MatchedRoute | undefined {
  const env = /^\/v10\/projects\/([^/]+)\/env$/.exec(path)
  if (method === 'POST' && env) {
    return {
      key: ROUTES.createProjectEnv,
      params: { idOrName: safeDecode(env[1]) }
    }
  }
  const batch = /^\/v1\/projects\/([^/]+)\/env$/.exec(path)
  if (method === 'DELETE' && batch) {
    return {
      key: ROUTES.batchRemoveProjectEnv,
      params: { idOrName: safeDecode(batch[1]) }
    }
  }
  const one = /^\/v(9|10)\/projects\/([^/]+)\/env\/([^/]+)$/.exec(path)
  if (one && (method === 'DELETE' || (method === 'PATCH' && one[1] === '9'))) {
    return {
      key:
        method === 'PATCH'
          ? ROUTES.editProjectEnv
          : one[1] === '9'
            ? ROUTES.removeProjectEnv
            : ROUTES.removeProjectEnvV10,
      params: { idOrName: safeDecode(one[2]), id: safeDecode(one[3]) }
    }
  }
  if (method === 'GET' && path === '/v6/deployments') {
    return { key: ROUTES.listDeployments, params: {} }
  }
  if (method === 'POST' && path === '/v13/deployments') {
    return { key: ROUTES.createDeployment, params: {} }
  }
  const cancel = /^\/v12\/deployments\/([^/]+)\/cancel$/.exec(path)
  if (method === 'PATCH' && cancel) {
    return {
      key: ROUTES.cancelDeployment,
      params: { id: safeDecode(cancel[1]) }
    }
  }
  const deployment = /^\/v13\/deployments\/([^/]+)$/.exec(path)
  if (method === 'GET' && deployment) {
    return {
      key: ROUTES.getDeployment,
      params: { idOrUrl: safeDecode(deployment[1]) }
    }
  }
  return undefined
}

function matchEnvRoute(method: string, path: string): MatchedRoute | undefined {
  if (method !== 'GET') return undefined
  const list = /^\/v10\/projects\/([^/]+)\/env$/.exec(path)
  if (list) {
    return {
      key: ROUTES.listProjectEnv,
      params: { idOrName: safeDecode(list[1]) }
    }
  }
  const one = /^\/v1\/projects\/([^/]+)\/env\/([^/]+)$/.exec(path)
  if (one) {
    return {
      key: ROUTES.getProjectEnv,
      params: { idOrName: safeDecode(one[1]), id: safeDecode(one[2]) }
    }
  }
  return undefined
}

function matchDiscoveryRoute(
  method: string,
  path: string
): MatchedRoute | undefined {
  if (method !== 'GET') return undefined
  if (path === '/v1/integrations/configurations') {
    return { key: ROUTES.listConfigurations, params: {} }
  }
  const products =
    /^\/v1\/integrations\/configuration\/([^/]+)\/products$/.exec(path)
  if (products) {
    return { key: ROUTES.listProducts, params: { id: safeDecode(products[1]) } }
  }
  const plans =
    /^\/v1\/integrations\/integration\/([^/]+)\/products\/([^/]+)\/plans$/.exec(
      path
    )
  if (plans) {
    return {
      key: ROUTES.listPlans,
      params: {
        integrationIdOrSlug: safeDecode(plans[1]),
        productIdOrSlug: safeDecode(plans[2])
      }
    }
  }
  return undefined
}

/** Who the token is, its team, custom environments, `env pull`. */
function matchAccountRoute(
  method: string,
  path: string
): MatchedRoute | undefined {
  if (method !== 'GET') return undefined
  if (path === '/v2/user') return { key: ROUTES.getUser, params: {} }
  const team = /^\/(v2\/)?teams\/([^/]+)$/.exec(path)
  if (team) {
    return {
      key: team[1] ? ROUTES.getTeamV2 : ROUTES.getTeam,
      params: { idOrSlug: safeDecode(team[2]) }
    }
  }
  const customs =
    /^\/(v9\/)?projects\/([^/]+)\/custom-environments(?:\/([^/]+))?$/.exec(path)
  if (customs) {
    const params = { idOrName: safeDecode(customs[2]) }
    if (customs[3] !== undefined && customs[1]) {
      return {
        key: ROUTES.getCustomEnvironment,
        params: { ...params, environmentSlugOrId: safeDecode(customs[3]) }
      }
    }
    if (customs[3] === undefined) {
      return {
        key: customs[1]
          ? ROUTES.listCustomEnvironments
          : ROUTES.listCustomEnvironmentsUnversioned,
        params
      }
    }
  }
  const pull = /^\/v3\/env\/pull\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(
    path
  )
  if (pull) {
    const params: Record<string, string> = { idOrName: safeDecode(pull[1]) }
    if (pull[2] !== undefined) params.target = safeDecode(pull[2])
    if (pull[3] !== undefined) params.gitBranch = safeDecode(pull[3])
    return { key: ROUTES.pullEnv, params }
  }
  return undefined
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
