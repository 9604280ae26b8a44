import type { ServerResponse } from 'node:http'
import { clock } from './clock.ts'
import type { Reply } from './http.ts'

/**
 * A fault to inject into one request. A status fault answers without running
 * the route (a gateway or rate limiter refused it), as does `html-502`, a
 * proxy's error page. `delay`, `commit-then-drop`, `empty-body`,
 * `invalid-json`, `truncated-json`, `omit-id` and `commit-then-502` run the
 * route first, so a create is made, and then spoil or hold back the answer
 * (`commit-then-502`: a gateway gave up waiting after Vercel committed). `reset` destroys
 * the connection before the route runs.
 */
export type Fault =
  | {
      status: number
      body?: unknown
      /** The body as it is, where JSON could not say it (a 100,000-deep value). */
      text?: string
      headers?: Record<string, string>
    }
  | { delay: number }
  /** Runs just before the route, which then answers as usual: a change made meanwhile. */
  | { before: () => void }
  | 'reset'
  | 'commit-then-drop'
  | 'commit-then-502'
  | 'html-502'
  | 'empty-body'
  | 'invalid-json'
  | 'truncated-json'
  | 'omit-id'

/** Per route key (any, e.g. `GET /v1/storage/stores`), a FIFO of faults. */
export class FaultPlan {
  #queues = new Map<string, Fault[]>()

  add(route: string, ...faults: Fault[]): void {
    this.#queues.set(route, [...(this.#queues.get(route) ?? []), ...faults])
  }

  clear(): void {
    this.#queues.clear()
  }

  /** The faults not yet consumed, by route. */
  pending(): Record<string, Fault[]> {
    return Object.fromEntries(
      [...this.#queues].filter(([, faults]) => faults.length > 0)
    )
  }

  take(route: string): Fault | undefined {
    return this.#queues.get(route)?.shift()
  }
}

export function describeFault(fault: Fault): string {
  if (typeof fault === 'string') return fault
  if ('delay' in fault) return `delay ${fault.delay} ms`
  if ('before' in fault) return 'before'
  return `status ${fault.status}`
}

/** Whether the route's own handler runs before the fault spoils its answer. */
export function runsRoute(fault: Fault): boolean {
  if (typeof fault === 'string') {
    return fault !== 'reset' && fault !== 'html-502'
  }
  return 'delay' in fault || 'before' in fault
}

/** Runs the change a `before` fault makes, where the fault is one. */
export function runBefore(fault: Fault | undefined): void {
  if (typeof fault === 'object' && 'before' in fault) fault.before()
}

/** The status the fault answers with, or 0 where it gives no answer. */
export function faultStatus(fault: Fault, routed?: Reply): number {
  if (fault === 'reset' || fault === 'commit-then-drop') return 0
  if (fault === 'html-502' || fault === 'commit-then-502') return 502
  if (typeof fault === 'object' && 'status' in fault) return fault.status
  return routed?.status ?? 0
}

/**
 * Answers (or does not) as the fault says. `routed` is the route's own reply
 * where `runsRoute(fault)`.
 */
export async function sendFault(
  res: ServerResponse,
  fault: Fault,
  routed?: Reply
): Promise<void> {
  if (fault === 'reset' || fault === 'commit-then-drop') {
    res.socket?.destroy()
    return
  }
  if (typeof fault === 'object' && 'delay' in fault) {
    await clock.pause(fault.delay)
    if (!res.socket?.destroyed) sendText(res, routed?.status ?? 200, routed)
    return
  }
  if (typeof fault === 'object' && 'before' in fault) {
    sendText(res, routed?.status ?? 200, routed)
    return
  }
  if (typeof fault === 'object') {
    const body = fault.body ?? defaultErrorBody(fault.status)
    send(
      res,
      fault.status,
      fault.text ?? JSON.stringify(body),
      'application/json',
      fault.headers
    )
    return
  }
  const status = routed?.status ?? 200
  const json = JSON.stringify(routed?.body ?? {})
  switch (fault) {
    case 'html-502':
      send(
        res,
        502,
        '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>',
        'text/html; charset=utf-8'
      )
      return
    case 'commit-then-502':
      send(res, 502, JSON.stringify(defaultErrorBody(502)), 'application/json')
      return
    case 'empty-body':
      send(res, status, '', 'application/json')
      return
    case 'invalid-json':
      send(res, status, json.replace(/"([^"]+)":/g, '$1:'), 'application/json')
      return
    case 'truncated-json':
      // Whole as HTTP (its length matches), cut as JSON.
      send(
        res,
        status,
        json.slice(0, Math.ceil(json.length / 2)),
        'application/json'
      )
      return
    case 'omit-id':
      sendText(res, status, { status, body: withoutStoreId(routed?.body) })
      return
  }
}

/** The routed answer as it was, headers too (a GitHub page's `Link`). */
function sendText(
  res: ServerResponse,
  status: number,
  reply?: Reply & { headers?: Record<string, string> }
): void {
  send(
    res,
    status,
    JSON.stringify(reply?.body ?? {}),
    'application/json',
    reply?.headers
  )
}

function send(
  res: ServerResponse,
  status: number,
  text: string,
  contentType: string,
  headers: Record<string, string> = {}
): void {
  res.writeHead(status, {
    ...headers,
    'content-type': contentType,
    'content-length': Buffer.byteLength(text)
  })
  res.end(text)
}

/** Vercel's error shape for the status (api-notes §7). */
function defaultErrorBody(status: number): unknown {
  const code =
    status === 429
      ? 'rate_limited'
      : status >= 500
        ? 'internal_server_error'
        : status === 409
          ? 'conflict'
          : 'bad_request'
  return { error: { code, message: `Injected fault: HTTP ${status}` } }
}

function withoutStoreId(body: unknown): unknown {
  const store = (body as { store?: Record<string, unknown> })?.store
  if (!store || typeof store !== 'object') return body
  const rest = { ...store }
  delete rest.id
  return { ...(body as object), store: rest }
}
