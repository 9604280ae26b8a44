/**
 * The one client of the Vercel API: each request with the token and team
 * scope, bounded in time by the step's `Deadline` and in size, sent again
 * where `retry.ts` allows, and failed with one error type per way it can
 * fail.
 */
import { setTimeout as wait } from 'node:timers/promises'
import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici'
import type { TeamScope } from './vercel-types.ts'
import {
  StepTimeoutError,
  VercelAnswerTooLargeError,
  VercelApiError,
  VercelNetworkError,
  VercelResponseError,
  noteAttempts
} from './errors.ts'
import {
  describeBody,
  describeUnreadableBody,
  readErrorBody
} from './error-body.ts'
import {
  MAX_RETRIES,
  backoffMs,
  formatSeconds,
  isRetryableNetworkError,
  isRetryableStatus,
  requestedWaitMs,
  type Method
} from './retry.ts'

interface VercelClientOptions {
  token: string
  apiUrl: string
  team?: TeamScope
  userAgent: string
  dispatcher?: Dispatcher
  /** Called with one line per request, for the step's debug log. */
  log?: (line: string) => void
  /** Called with one line per retry, for the step's warnings. */
  warn?: (line: string) => void
  /** The step's deadline: no request or retry goes past it. */
  deadline?: Deadline
  /** For unit tests: the wait between retries, and the jitter's source. */
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

type Query = Record<string, string | undefined>

const CONNECT_TIMEOUT_MS = 10_000
const HEADERS_TIMEOUT_MS = 30_000
const BODY_TIMEOUT_MS = 30_000
// A create provisions the store at the partner before Vercel answers.
const POST_HEADERS_TIMEOUT_MS = 120_000
// undici's timers are coarse: one that fires this near the deadline is it.
const TIMER_SLACK_MS = 1_000
// The most read of one answer. The largest the action expects is the store
// listing, about 1 KB a store: 10,000 stores make some 10 MB. Three times
// that leaves room for growth while a broken or hostile server can no longer
// make the step hold hundreds of MB (and crash on them).
const MAX_ANSWER_BYTES = 32 * 1024 * 1024
const MAX_ANSWER_SIZE = '32 MiB'

/** One try of a request: the answer, or why it may be tried again. */
type Attempt<T> =
  | { ok: true; value: T }
  | {
      ok: false
      error: Error
      retryable: boolean
      reason: string
      waitMs?: number
    }

/**
 * A small JSON client for the Vercel REST API: Bearer token, team scope on
 * every request, and one error type per way a request can fail.
 */
export class VercelClient {
  private readonly options: VercelClientOptions
  private readonly dispatcher: Dispatcher
  private readonly stopped = new AbortController()

  constructor(options: VercelClientOptions) {
    this.options = options
    this.dispatcher = options.dispatcher ?? createDispatcher(options.apiUrl)
  }

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.send<T>('GET', path, query)
  }

  post<T>(path: string, body: unknown, query: Query = {}): Promise<T> {
    return this.send<T>('POST', path, query, body)
  }

  /**
   * A POST whose answer carries nothing the caller reads: any 2xx will do,
   * so an unreadable body cannot fail a request that took effect.
   */
  async postIgnoringAnswer(
    path: string,
    body: unknown,
    query: Query = {}
  ): Promise<void> {
    await this.send<undefined>('POST', path, query, body, false)
  }

  /** A PATCH whose answer carries nothing the caller reads: any 2xx will do. */
  async patchIgnoringAnswer(
    path: string,
    body: unknown,
    query: Query = {}
  ): Promise<void> {
    await this.send<undefined>('PATCH', path, query, body, false)
  }

  /**
   * A delete's answer carries nothing the action reads: any 2xx will do. A
   * batch delete names what goes in its body.
   */
  async delete(path: string, query: Query = {}, body?: unknown): Promise<void> {
    await this.send<undefined>('DELETE', path, query, body, false)
  }

  /**
   * Ends every request and retry still under way (a listing started early,
   * say) once the step has its result, so that none logs after it.
   */
  stop(): void {
    this.stopped.abort()
  }

  /**
   * Sends the request, and again on a retryable failure (see `retry.ts`)
   * after the wait the server asks for or a jittered backoff, never past the
   * step's deadline.
   */
  private async send<T>(
    method: Method,
    path: string,
    query: Query,
    body?: unknown,
    readAnswer = true
  ): Promise<T> {
    const url = this.url(path, query)
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt<T>(method, path, url, body, readAnswer)
      if (result.ok) return result.value
      const stopped = this.stopped.signal.aborted
      if (stopped || !result.retryable || attempt > MAX_RETRIES) {
        throw noteAttempts(result.error, attempt)
      }
      const delay =
        result.waitMs ?? backoffMs(attempt, this.options.random ?? Math.random)
      const deadline = this.options.deadline
      if (deadline && delay >= deadline.remainingMs()) {
        throw StepTimeoutError.waitTooLong(
          deadline.seconds,
          noteAttempts(result.error, attempt).message,
          {
            ms: formatSeconds(delay),
            askedBy: result.waitMs === undefined ? undefined : 'Vercel'
          },
          formatSeconds(deadline.remainingMs())
        )
      }
      this.options.warn?.(
        `${method} ${path} → ${result.reason}; retry ${attempt} of ${MAX_RETRIES} in ${formatSeconds(delay)}`
      )
      await this.sleep(delay)
    }
  }

  private async attempt<T>(
    method: Method,
    path: string,
    url: string,
    body: unknown,
    readAnswer: boolean
  ): Promise<Attempt<T>> {
    const deadline = this.options.deadline
    const remaining = deadline?.remainingMs() ?? Number.POSITIVE_INFINITY
    if (deadline && remaining === 0) {
      throw StepTimeoutError.ranOut(deadline.seconds, `${method} ${path}`)
    }
    const headersTimeout =
      method === 'POST' ? POST_HEADERS_TIMEOUT_MS : HEADERS_TIMEOUT_MS
    // The deadline, where it is nearer than a timeout, takes its place; and
    // it bounds the whole request, whose phases could together outlast it.
    const capped =
      remaining < Math.max(headersTimeout, BODY_TIMEOUT_MS, CONNECT_TIMEOUT_MS)
    const signal = AbortSignal.any([
      this.stopped.signal,
      ...(deadline ? [deadline.signal()] : [])
    ])
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
        headersTimeout: Math.min(headersTimeout, remaining),
        bodyTimeout: Math.min(BODY_TIMEOUT_MS, remaining),
        signal
      })
      text = await response.body.text()
    } catch (error) {
      // undici stopped reading at MAX_ANSWER_BYTES: the part read is not
      // used (a listing cut short must never pass for a whole one), and the
      // request is not retried, since the same answer would come again.
      if (isAnswerTooLarge(error)) {
        return {
          ok: false,
          error: new VercelAnswerTooLargeError(method, path, MAX_ANSWER_SIZE),
          retryable: false,
          reason: 'answer too large'
        }
      }
      // A timeout of undici's own is the deadline's only where it was cut to
      // it; a connect timeout with time left is a network error.
      const deadlinePassed =
        deadline &&
        !this.stopped.signal.aborted &&
        (signal.aborted ||
          (capped &&
            isTimeout(error) &&
            deadline.remainingMs() < TIMER_SLACK_MS))
      if (deadlinePassed) {
        throw StepTimeoutError.ranOut(
          deadline.seconds,
          `waiting for ${method} ${path}`,
          // A create may be made although its answer is late.
          method === 'POST' ? ' (it may have taken effect all the same)' : ''
        )
      }
      const reason = networkReason(error)
      return {
        ok: false,
        error: new VercelNetworkError(method, path, reason),
        retryable: isRetryableNetworkError(method),
        reason: (error as { code?: string }).code ?? 'no answer'
      }
    }
    const { statusCode, headers } = response
    this.options.log?.(
      `${method} ${path} → ${statusCode} (${Date.now() - started} ms)`
    )
    const contentType = String(headers['content-type'] ?? '')
    if (statusCode < 200 || statusCode > 299) {
      return {
        ok: false,
        error: new VercelApiError(
          method,
          path,
          statusCode,
          readErrorBody(text),
          describeBody(text, contentType)
        ),
        retryable: isRetryableStatus(method, statusCode),
        reason: String(statusCode),
        waitMs: requestedWaitMs(statusCode, headers, Date.now())
      }
    }
    if (!readAnswer) return { ok: true, value: undefined as T }
    try {
      return { ok: true, value: JSON.parse(text) as T }
    } catch {
      throw new VercelResponseError(
        method,
        path,
        statusCode,
        describeUnreadableBody(text, contentType)
      )
    }
  }

  private async sleep(ms: number): Promise<void> {
    if (this.options.sleep) return this.options.sleep(ms)
    // Stopped: the retry after this wait will not be made.
    await wait(ms, undefined, { signal: this.stopped.signal }).catch(
      () => undefined
    )
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
 * One dispatcher for every call to `apiUrl`: proxy settings from the
 * environment (as on self-hosted runners), a bound on every answer, and
 * timeouts far shorter than undici's 5 minutes. A loopback `apiUrl` never
 * goes through a proxy, as with @actions/http-client: an emulator or tunnel
 * on the runner is reached directly, and the token never goes to the proxy.
 */
export function createDispatcher(apiUrl: string): Dispatcher {
  const options = {
    connectTimeout: CONNECT_TIMEOUT_MS,
    headersTimeout: HEADERS_TIMEOUT_MS,
    bodyTimeout: BODY_TIMEOUT_MS,
    maxResponseSize: MAX_ANSWER_BYTES
  }
  return isLoopback(new URL(apiUrl).hostname)
    ? new Agent(options)
    : new EnvHttpProxyAgent(options)
}

/** 127.0.0.0/8, `localhost` and `[::1]`, as a URL's `hostname` gives them. */
export function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(hostname)
  )
}

function isAnswerTooLarge(error: unknown): boolean {
  return (error as { code?: string }).code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE'
}

function isTimeout(error: unknown): boolean {
  const { code, name } = error as { code?: string; name?: string }
  return (
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    /TIMEOUT/.test(code ?? '')
  )
}

function networkReason(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string }
  return [code, message].filter(Boolean).join(': ') || String(error)
}

/**
 * The step's one deadline: every request, retry and wait takes its time from
 * here, so `timeout` bounds the whole step rather than each call.
 */
export class Deadline {
  readonly seconds: number
  readonly at: number
  private readonly now: () => number
  private readonly abortAfter: (ms: number) => AbortSignal

  /** `now` and `abortAfter` are the clock: real time, or a test's. */
  constructor(
    seconds: number,
    now: () => number = Date.now,
    abortAfter: (ms: number) => AbortSignal = (ms) => AbortSignal.timeout(ms)
  ) {
    this.seconds = seconds
    this.now = now
    this.abortAfter = abortAfter
    this.at = now() + seconds * 1000
  }

  /** Aborts when the deadline passes: what bounds every request. */
  signal(): AbortSignal {
    return this.abortAfter(this.remainingMs())
  }

  remainingMs(): number {
    return Math.max(0, this.at - this.now())
  }

  expired(): boolean {
    return this.remainingMs() === 0
  }
}
