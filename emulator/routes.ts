export const ROUTES = {
  listStores: 'GET /v1/storage/stores',
  getStore: 'GET /v1/storage/stores/{id}',
  createStore: 'POST /v1/storage/stores/integration/direct',
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
  const store = /^\/v1\/storage\/stores\/([^/]+)$/.exec(path)
  if (method === 'GET' && store) {
    return {
      key: ROUTES.getStore,
      params: { id: safeDecode(store[1]) }
    }
  }
  return { key: ROUTES.unknown, params: {} }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
