import { readErrorAnswer } from './error-answer.js'

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
