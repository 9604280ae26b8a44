/**
 * The checks every reader of an answer is built from (`vercel-answers.ts`,
 * `project-answers.ts`, `error-body.ts`): each takes a value and where in
 * which answer it was found, and returns the value typed, or fails with one
 * line naming the answer and the field.
 */
import { UnreadableAnswerError } from './errors.ts'

/**
 * Where in which answer a value was found, for the error line: the answer's
 * root (`field: ''`), or a key of another place. The path is spelled out
 * (`fieldOf`) only for an error: a 10,000-store listing reads some 250,000
 * fields, and spelling each would be work and memory for nothing.
 */
export type Place =
  | { answer: string; field: string }
  | { answer: string; parent: Place; key: string | number }

/** The place's path in its answer: `stores[3].product.id`. */
export function fieldOf(place: Place): string {
  if ('field' in place) return place.field
  const parent = fieldOf(place.parent)
  if (typeof place.key === 'number') return `${parent}[${place.key}]`
  return parent ? `${parent}.${place.key}` : place.key
}

type JsonObject = Record<string, unknown>

// Whitespace, every control character, and the separators a log or a
// script may break a line at (NEL is among the controls).
// eslint-disable-next-line no-control-regex
const NOT_IN_AN_ID = /[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/**
 * An id or slug that goes into a request's path, and often into an output
 * (`store-id`, `product-id`, `connected-project`…) that a workflow puts
 * into a `${{ }}` expression. `.` and `..` would change the path
 * (`/v1/storage/stores/..` is `/v1/storage/`), and no id is empty or holds
 * whitespace or a line break, so such an answer is unreadable.
 */
export function segment(value: unknown, place: Place): string {
  const text = string(value, place)
  if (['', '.', '..'].includes(text) || NOT_IN_AN_ID.test(text)) {
    notA(place, text, 'an id')
  }
  return text
}

// Every control character (CR, LF, NEL among them), and the separators a
// log or an editor may break a line at.
// eslint-disable-next-line no-control-regex
const NOT_IN_A_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/**
 * Text on one line, for a field that reaches an output (`store-name`,
 * `status`, `billing-plan-id`): a workflow puts outputs into `${{ }}`
 * expressions, where a line break would start a line of its own.
 */
export function line(value: unknown, place: Place): string {
  const text = string(value, place)
  if (NOT_IN_A_LINE.test(text)) notA(place, text, 'one line of text')
  return text
}

/**
 * A checker for strings of one form, such as `dpl_…` for a deployment;
 * `what` names it with its article ("a deployment id").
 */
export function matching(
  pattern: RegExp,
  what: string
): (value: unknown, place: Place) => string {
  return (value, place) => {
    const text = string(value, place)
    if (!pattern.test(text)) notA(place, text, what)
    return text
  }
}

/**
 * A web address as Vercel gives a deployment's `url`: a bare host
 * (`web-abc123.vercel.app`), or an `https://` URL with no user, password,
 * whitespace or control character in it. Where it is shown or put into an
 * output, nothing in it can start a link, a line or a command.
 */
export function webAddress(value: unknown, place: Place): string {
  const text = string(value, place)
  if (!HOST.test(text) && !isPlainHttpsUrl(text)) {
    notA(place, text, 'an https address')
  }
  return text
}

const HOST = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/i

function isPlainHttpsUrl(text: string): boolean {
  if (NOT_IN_AN_ID.test(text) || !URL.canParse(text)) return false
  const url = new URL(text)
  return (
    url.protocol === 'https:' &&
    HOST.test(url.hostname) &&
    url.username === '' &&
    url.password === ''
  )
}

function notA(place: Place, text: string, what: string): never {
  throw new UnreadableAnswerError(
    place.answer,
    `has "${fieldOf(place)}" as ${JSON.stringify(text.slice(0, 80))}, which is not ${what}`
  )
}

export function string(value: unknown, place: Place): string {
  if (typeof value !== 'string') fail(place, value, 'a string')
  return value
}

export function number(value: unknown, place: Place): number {
  if (typeof value !== 'number') fail(place, value, 'a number')
  return value
}

export function boolean(value: unknown, place: Place): boolean {
  if (typeof value !== 'boolean') fail(place, value, 'true or false')
  return value
}

export function strings(value: unknown, place: Place): string[] {
  return list(value, place, string)
}

/** A page cursor: Vercel sends a number (a time); a string is taken as it is. */
export function cursor(value: unknown, place: Place): string {
  if (typeof value === 'number' || typeof value === 'string') {
    return String(value)
  }
  return fail(place, value, 'a number')
}

export function object(value: unknown, place: Place): JsonObject {
  if (!isObject(value)) fail(place, value, 'an object')
  return value
}

export function list<T>(
  value: unknown,
  place: Place,
  readItem: (item: unknown, place: Place) => T
): T[] {
  if (!Array.isArray(value)) fail(place, value, 'a list')
  return value.map((item, index) => readItem(item, at(place, index)))
}

export function record<T>(
  value: unknown,
  place: Place,
  readEntry: (entry: unknown, place: Place) => T
): Record<string, T> {
  const entries = Object.entries(object(value, place)).map(
    ([key, entry]) => [key, readEntry(entry, at(place, key))] as const
  )
  return Object.fromEntries(entries)
}

/** Reads one field of an object, if it is there, with the reader given. */
export function reader(source: JsonObject, place: Place) {
  return <T>(key: string, read: (value: unknown, place: Place) => T) =>
    optional(field(source, key), at(place, key), read)
}

export function optional<T>(
  value: unknown,
  place: Place,
  read: (value: unknown, place: Place) => T
): T | undefined {
  return value === undefined ? undefined : read(value, place)
}

export function nullable<T>(
  read: (value: unknown, place: Place) => T
): (value: unknown, place: Place) => T | null {
  return (value, place) => (value === null ? null : read(value, place))
}

/** Own fields only: an answer's `__proto__` or `constructor` is no field. */
export function field(source: JsonObject, key: string): unknown {
  return Object.hasOwn(source, key) ? source[key] : undefined
}

export function at(place: Place, key: string | number): Place {
  return { answer: place.answer, parent: place, key }
}

export function fail(place: Place, value: unknown, expected: string): never {
  if (value === undefined) {
    throw new UnreadableAnswerError(
      place.answer,
      `has no "${fieldOf(place)}" (${expected})`
    )
  }
  const name = fieldOf(place)
  const subject = name ? `has "${name}" as` : 'is'
  throw new UnreadableAnswerError(
    place.answer,
    `${subject} ${kindOf(value)}, not ${expected}`
  )
}

export function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The object without its undefined fields, so spreading it keeps others'. */
export function defined<T extends object>(value: T): T {
  // A plain loop: this runs for every store of a listing, and building the
  // entries and their filtered copy took a tenth of a 10,000-store lookup.
  // A metadata field spreads the answer's own keys in, `__proto__` among
  // them: that one is written as a field, never as the copy's prototype.
  const source = value as Record<string, unknown>
  const result: Record<string, unknown> = {}
  for (const key of Object.keys(source)) {
    const entry = source[key]
    if (entry === undefined) continue
    if (key === '__proto__') {
      Object.defineProperty(result, key, {
        value: entry,
        enumerable: true,
        writable: true,
        configurable: true
      })
    } else {
      result[key] = entry
    }
  }
  return result as T
}

/**
 * The cursor of a listing's next page (`pagination.next`, Vercel's shape for
 * every paged listing), or undefined on the last page.
 */
export function nextCursor(page: JsonObject, place: Place): string | undefined {
  const pagination = optional(
    field(page, 'pagination'),
    at(place, 'pagination'),
    nullable(object)
  )
  const next =
    pagination &&
    optional(
      field(pagination, 'next'),
      at(place, 'pagination.next'),
      nullable(cursor)
    )
  return next ?? undefined
}
