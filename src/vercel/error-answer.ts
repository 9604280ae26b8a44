import type { VercelErrorBody } from './errors.js'

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
