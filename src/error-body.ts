/**
 * Vercel's error in an answer (`{ error: { code, message } }`), read as text
 * only, and any body described for a person: what an error line says came
 * back when a request failed or its answer could not be read.
 */
import type { VercelErrorBody } from './errors.ts'
import { defined, field, isObject, kindOf } from './answer-shape.ts'

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
