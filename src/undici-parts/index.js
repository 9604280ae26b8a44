// The bundle's 'undici': only what this action and @actions/http-client use,
// taken from undici's own files, so that the bundle leaves out the rest of
// undici's index (fetch, WebSocket, caches, mocks…) and starts faster.
// tsconfig.json maps 'undici' here for ncc; tsc (NodeNext) does not resolve a
// directory there and keeps undici's own types, and the tests use undici.
// The files below are undici 8.13's; package.json pins that minor version and
// __tests__/undici-parts.test.ts fails if they move.
import { URL } from 'node:url'
import apiRequest from 'undici/lib/api/api-request.js'
import util from 'undici/lib/core/util.js'
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js'
import ProxyAgent from 'undici/lib/dispatcher/proxy-agent.js'
import { getGlobalDispatcher } from 'undici/lib/global.js'

export { EnvHttpProxyAgent, ProxyAgent }

/** undici's `request(url, options)` (the promise form), as its index makes it. */
export function request(url, options = {}) {
  const { dispatcher = getGlobalDispatcher(), ...rest } = options
  const target =
    rest.path == null
      ? util.parseURL(url)
      : new URL(
          util.parseOrigin(url).origin +
            (rest.path.startsWith('/') ? rest.path : `/${rest.path}`)
        )
  return apiRequest.call(dispatcher, {
    ...rest,
    origin: target.origin,
    path: `${target.pathname}${target.search}`,
    method: rest.method || (rest.body ? 'PUT' : 'GET')
  })
}
