import { EnvHttpProxyAgent, request, type Dispatcher } from 'undici'
import {
  VercelApiError,
  VercelNetworkError,
  VercelResponseError,
  describeBody,
  readErrorBody
} from './errors.js'
import type { TeamScope } from './types.js'

export interface VercelClientOptions {
  token: string
  apiUrl: string
  team?: TeamScope
  userAgent: string
  dispatcher?: Dispatcher
  /** Called with one line per request, for the step's debug log. */
  log?: (line: string) => void
}

type Query = Record<string, string | undefined>

const POST_HEADERS_TIMEOUT_MS = 120_000

/**
 * A small JSON client for the Vercel REST API: Bearer token, team scope on
 * every request, and one error type per way a request can fail.
 */
export class VercelClient {
  private readonly options: VercelClientOptions
  private readonly dispatcher: Dispatcher

  constructor(options: VercelClientOptions) {
    this.options = options
    this.dispatcher = options.dispatcher ?? createDispatcher()
  }

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.send<T>('GET', path, query)
  }

  post<T>(path: string, body: unknown, query: Query = {}): Promise<T> {
    return this.send<T>('POST', path, query, body)
  }

  delete<T>(path: string, query: Query = {}): Promise<T | undefined> {
    return this.send<T | undefined>('DELETE', path, query)
  }

  private async send<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    query: Query,
    body?: unknown
  ): Promise<T> {
    const url = this.url(path, query)
    const started = Date.now()
    let response: Dispatcher.ResponseData
    let text: string
    try {
      response = await request(url, {
        method,
        dispatcher: this.dispatcher,
        headers: {
          authorization: `Bearer ${this.options.token}`,
          'user-agent': this.options.userAgent,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' })
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        // A create provisions the store at the partner before Vercel answers.
        ...(method === 'POST' && { headersTimeout: POST_HEADERS_TIMEOUT_MS })
      })
      text = await response.body.text()
    } catch (error) {
      throw new VercelNetworkError(method, path, networkReason(error))
    }
    const { statusCode, headers } = response
    this.options.log?.(
      `${method} ${path} → ${statusCode} (${Date.now() - started} ms)`
    )
    const contentType = String(headers['content-type'] ?? '')
    if (statusCode < 200 || statusCode > 299) {
      throw new VercelApiError(
        method,
        path,
        statusCode,
        readErrorBody(text),
        describeBody(text, contentType)
      )
    }
    // A delete may answer 204, or 200 with an empty body.
    if (text === '' && method === 'DELETE') return undefined as T
    try {
      return JSON.parse(text) as T
    } catch {
      throw new VercelResponseError(
        method,
        path,
        statusCode,
        `${describeBody(text, contentType)} instead of JSON`
      )
    }
  }

  private url(path: string, query: Query): string {
    const url = new URL(this.options.apiUrl + path)
    for (const [key, value] of Object.entries({
      ...this.options.team,
      ...query
    })) {
      if (value !== undefined) url.searchParams.set(key, value)
    }
    return url.href
  }
}

/**
 * One dispatcher for every call: proxy settings from the environment (as on
 * self-hosted runners) and timeouts far shorter than undici's 5 minutes.
 */
export function createDispatcher(): Dispatcher {
  return new EnvHttpProxyAgent({
    connectTimeout: 10_000,
    headersTimeout: 30_000,
    bodyTimeout: 30_000
  })
}

function networkReason(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string }
  return [code, message].filter(Boolean).join(': ') || String(error)
}
