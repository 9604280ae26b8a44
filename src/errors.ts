import { DEFAULT_API_URL, Inputs } from './constants.ts'

/** What Vercel said in an error body: `{ error: { code, message, … } }`. */
export interface VercelErrorBody {
  code?: string
  message?: string
  /** Where `code` or `message` is there but not text: what it is instead. */
  notText?: string
  invalidToken?: boolean
  missingToken?: boolean
}

/** A request that Vercel answered with a status other than 2xx. */
export class VercelApiError extends Error {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly body: VercelErrorBody | undefined

  constructor(
    method: string,
    path: string,
    status: number,
    body: VercelErrorBody | undefined,
    bodyDescription: string
  ) {
    super(`${method} ${path} answered HTTP ${status}: ${bodyDescription}`)
    this.name = 'VercelApiError'
    this.method = method
    this.path = path
    this.status = status
    this.body = body
  }
}

/** A 2xx response whose body is not what the endpoint returns. */
export class VercelResponseError extends Error {
  constructor(method: string, path: string, status: number, problem: string) {
    super(`${method} ${path} answered HTTP ${status} with ${problem}`)
    this.name = 'VercelResponseError'
  }
}

/**
 * A 2xx or error answer larger than the client reads of one answer: it is
 * not read, so nothing (a create after a listing, say) is done on it.
 */
export class VercelAnswerTooLargeError extends VercelResponseError {
  readonly limit: string

  constructor(method: string, path: string, limit: string) {
    super(method, path, 0, '')
    // Its own message: the status is beside the point, and may be unknown.
    this.message = `Vercel's answer to ${method} ${path} was larger than ${limit}, far more than any answer this action reads, so it was not read`
    this.name = 'VercelAnswerTooLargeError'
    this.limit = limit
  }
}

/** A request that got no answer: refused, reset, timed out. */
export class VercelNetworkError extends Error {
  constructor(method: string, path: string, reason: string) {
    super(`${method} ${path} got no answer: ${reason}`)
    this.name = 'VercelNetworkError'
  }
}

/** Describes a body for a person: Vercel's error, or what else came back. */
export function describeBody(text: string, contentType = ''): string {
  const trimmed = text.trim()
  if (!trimmed) return 'an empty body'
  if (/html/i.test(contentType) || /^<(!doctype|html)/i.test(trimmed)) {
    return 'an HTML page'
  }
  const error = readErrorBody(trimmed)
  if (error?.message || error?.code || error?.notText) {
    return [
      error.code,
      error.message && JSON.stringify(error.message),
      error.notText && `(an error whose ${error.notText}, not text)`
    ]
      .filter(Boolean)
      .join(' ')
  }
  const problem = jsonProblem(trimmed)
  if (problem) return problem
  return `a body that is not a Vercel error: ${JSON.stringify(excerpt(trimmed))}`
}

/** Describes a 2xx body that could not be read as JSON. */
export function describeUnreadableBody(text: string, contentType = ''): string {
  const description = describeBody(text, contentType)
  return description.includes('JSON body')
    ? description
    : `${description} instead of JSON`
}

/** 'a truncated JSON body', 'an invalid JSON body: …', or undefined for JSON. */
function jsonProblem(text: string): string | undefined {
  try {
    JSON.parse(text)
    return undefined
  } catch (error) {
    // V8 says "Unexpected end of JSON input" (or "Unterminated string") where
    // the text stops in the middle of a value, and names the end's position
    // where it stops just after a number ("Expected ',' or '}' after …").
    const message = (error as Error).message
    const position = Number(/at position (\d+)/.exec(message)?.[1] ?? NaN)
    const atEnd = position >= text.trimEnd().length
    return /end of JSON input|Unterminated/i.test(message) || atEnd
      ? 'a truncated JSON body'
      : `an invalid JSON body: ${JSON.stringify(excerpt(text))}`
  }
}

function excerpt(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}…` : text
}

/**
 * Adds to the message how many attempts were made, where there was more than
 * one, so that the final error says the request was retried.
 */
export function noteAttempts<E extends Error>(error: E, attempts: number): E {
  if (attempts > 1) error.message = `${error.message} (${attempts} attempts)`
  return error
}

/**
 * Vercel's error in a body, its string fields only (see `readErrorAnswer`):
 * a message that is an object is no message, however deep it goes.
 */
export function readErrorBody(text: string): VercelErrorBody | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  // The Vercel CLI accepts `err` as well as `error` (response-error.ts).
  return readErrorAnswer(parsed)
}

/**
 * Vercel's `{ error: { code, message } }` (or the CLI's `err`). Only string
 * fields are taken, and nothing below them is looked at: a message that is
 * an object, however deep, is no message.
 */
export function readErrorAnswer(body: unknown): VercelErrorBody | undefined {
  if (!isObject(body)) return undefined
  const error = field(body, 'error') ?? field(body, 'err')
  if (!isObject(error)) return undefined
  const notText: string[] = []
  const text = (key: string) => {
    const value = field(error, key)
    if (typeof value === 'string') return value
    if (value !== undefined) notText.push(`"${key}" is ${kindOf(value)}`)
    return undefined
  }
  const flag = (key: string) => {
    const value = field(error, key)
    return typeof value === 'boolean' ? value : undefined
  }
  return defined({
    code: text('code'),
    message: text('message'),
    invalidToken: flag('invalidToken'),
    missingToken: flag('missingToken'),
    notText: notText.length > 0 ? notText.join(' and ') : undefined
  })
}

/** What a value is, without looking inside it. */
function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function field(source: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(source, key) ? source[key] : undefined
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined)
  ) as T
}

/**
 * A failure the action itself found (a store in an end state, a name clash,
 * a project that does not exist…), whose message already says what to do;
 * not a request that failed.
 */
export class ActionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ActionError'
  }
}

/** A bad input; the message names the input and what it accepts. */
export class InputError extends Error {
  readonly input: string

  constructor(input: string, message: string) {
    super(`Input "${input}" ${message}`)
    this.name = 'InputError'
    this.input = input
  }
}

/** The step's `timeout` ran out: no request, retry or wait may go past it. */
export class StepTimeoutError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StepTimeoutError'
  }

  /** `attempting` says what was being done, e.g. "waiting for GET /v1/storage/stores". */
  static ranOut(
    seconds: number,
    attempting: string,
    detail = ''
  ): StepTimeoutError {
    return new StepTimeoutError(
      `The step's timeout (${seconds} s) ran out while ${attempting}${detail}; raise "${Inputs.timeout}" or run the job again.`
    )
  }

  /** The wait before the next try would end after the deadline. */
  static waitTooLong(
    seconds: number,
    attempted: string,
    wait: { ms: string; askedBy?: string },
    left: string
  ): StepTimeoutError {
    const waiting = wait.askedBy
      ? `${wait.askedBy} asks to wait ${wait.ms} before trying again`
      : `the next try would be in ${wait.ms}`
    return new StepTimeoutError(
      `${attempted}; ${waiting}, more than the ${left} left of the step's timeout (${seconds} s). Raise "${Inputs.timeout}" or run the job again later.`
    )
  }
}

/**
 * One line a person can act on: what failed, what Vercel said, and what to
 * change. Never a stack trace; never the token (it is in no error).
 */
export function describeFailure(error: unknown): string {
  if (
    error instanceof InputError ||
    error instanceof ActionError ||
    error instanceof StepTimeoutError
  ) {
    return error.message
  }
  if (error instanceof VercelApiError) {
    return `${error.message}. ${adviceFor(error)}`
  }
  if (error instanceof VercelResponseError) {
    return `${error.message}; check "${Inputs.apiUrl}", or try again if Vercel is having an incident.`
  }
  if (error instanceof VercelNetworkError) {
    return `${error.message}; check "${Inputs.apiUrl}" and the runner's network, then try again.`
  }
  return `Unexpected error: ${error instanceof Error ? error.message : String(error)}`
}

function adviceFor({ status, body, method }: VercelApiError): string {
  if (status === 401 || body?.invalidToken || body?.missingToken) {
    return `Vercel did not accept the token: check "${Inputs.token}" (or VERCEL_TOKEN); it may be expired, revoked, or not a Vercel access token.`
  }
  switch (status) {
    case 400:
      return 'Vercel rejected the request: fix the input its message names.'
    case 402:
      return `The team needs a valid payment method for this plan: update billing in the Vercel dashboard, or set "${Inputs.paymentMethod}".`
    case 403:
      return `The token may not do this: it needs access to "${Inputs.team}" and, to create stores, admin rights on the installation "${Inputs.integration}"; if the integration's terms were never accepted, accept them once in the Vercel dashboard.`
    case 404:
      return method === 'POST'
        ? `Check "${Inputs.integration}" (an installation of this team) and "${Inputs.product}" (a product of that installation).`
        : `Check "${Inputs.team}" and "${Inputs.integration}".`
    case 409:
      return `Vercel reports a conflict with an existing resource, and no store with this step's key is listed: another store may already have the name; set "${Inputs.name}" to another.`
    case 429:
      return 'Vercel is rate limiting this token; run the job again in a minute.'
    default:
      if (status >= 500) {
        return 'Vercel had a server error; run the job again, and check https://www.vercel-status.com if it persists.'
      }
      if (status >= 300 && status < 400) {
        return `Redirects are not followed, so that the token never leaves the host of "${Inputs.apiUrl}": check "${Inputs.apiUrl}" (the default is ${DEFAULT_API_URL}).`
      }
      return body?.message || body?.code
        ? "See Vercel's message above."
        : `Vercel gave no reason; check "${Inputs.apiUrl}" and the inputs, then try again.`
  }
}
