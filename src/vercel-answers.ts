/**
 * The shapes of Vercel's answers, checked field by field before anything
 * reads them. A field of the wrong type (a number for a name, an object for
 * a list) fails the step with one line naming the answer and the field,
 * instead of a `TypeError` deep inside the action. Each reader copies only
 * the fields the action reads, so nothing else in an answer, however large
 * or deeply nested, is ever walked. Hand-written rather than a compiled JSON
 * Schema: a validator compiled at run time would cost the cold start more
 * than these few checks take.
 */
import { VercelResponseError, type VercelErrorBody } from './errors.ts'
import type {
  BillingPlan,
  ConfigurationProducts,
  IntegrationConfiguration,
  IntegrationProduct,
  MetadataProperty,
  MetadataSchema,
  ProjectConnection,
  EnvWriteAnswer,
  ListedDeployment,
  ProjectEnvVar,
  StoreNotification,
  VercelProject,
  VercelStore
} from './vercel-types.ts'

/**
 * A 2xx answer that has a field of the wrong type. A `VercelResponseError`,
 * so that it is handled as any unreadable answer is (a create's is taken as
 * made); its message is its own, naming the answer and the field.
 */
export class UnreadableAnswerError extends VercelResponseError {
  constructor(answer: string, problem: string) {
    super('', '', 200, '')
    this.name = 'UnreadableAnswerError'
    this.message = `Vercel's answer to ${answer} ${problem}`
  }
}

/** Where in which answer a value was found, for the error line. */
interface Place {
  answer: string
  field: string
}

type JsonObject = Record<string, unknown>

/** One listing page: its stores and the cursor of the next page, if any. */
export interface StorePage {
  stores: VercelStore[]
  next?: string
}

export function readStorePage(body: unknown, answer: string): StorePage {
  const place = { answer, field: '' }
  const page = object(body, place)
  const stores = list(field(page, 'stores'), at(place, 'stores'), readStore)
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
  return defined({ stores, next: next ?? undefined })
}

/** `{ store }` of a read or a create; undefined where there is none. */
export function readStoreAnswer(
  body: unknown,
  answer: string
): VercelStore | undefined {
  const place = { answer, field: '' }
  const store = optional(
    field(object(body, place), 'store'),
    at(place, 'store'),
    nullable(readStore)
  )
  return store ?? undefined
}

function readStore(value: unknown, place: Place): VercelStore {
  const store = object(value, place)
  const read = reader(store, place)
  return defined({
    id: read('id', segment),
    name: read('name', string),
    type: read('type', string),
    status: read('status', nullable(string)),
    externalId: read('externalId', nullable(string)),
    createdAt: read('createdAt', number),
    product: read('product', (product, where) => {
      const readProduct = reader(object(product, where), where)
      return defined({
        id: readProduct('id', segment),
        slug: readProduct('slug', segment),
        name: readProduct('name', string),
        integrationConfigurationId: readProduct(
          'integrationConfigurationId',
          segment
        )
      })
    }),
    billingPlan: read(
      'billingPlan',
      nullable((plan, where) => {
        const readPlan = reader(object(plan, where), where)
        return defined({
          id: readPlan('id', string),
          name: readPlan('name', string)
        })
      })
    ),
    secrets: read('secrets', (secrets, where) =>
      list(secrets, where, (secret, at) =>
        defined({ name: reader(object(secret, at), at)('name', string) })
      )
    ),
    projectsMetadata: read(
      'projectsMetadata',
      nullable((connections, where) => list(connections, where, readConnection))
    ),
    notification: read('notification', nullable(readNotification))
  })
}

function readConnection(value: unknown, place: Place): ProjectConnection {
  const read = reader(object(value, place), place)
  return defined({
    id: read('id', string),
    projectId: read('projectId', segment),
    name: read('name', string),
    environments: read('environments', strings),
    envVarPrefix: read('envVarPrefix', nullable(string)),
    environmentVariables: read('environmentVariables', strings)
  })
}

function readNotification(value: unknown, place: Place): StoreNotification {
  const read = reader(object(value, place), place)
  return defined({
    title: read('title', string),
    level: read('level', string),
    message: read('message', string),
    href: read('href', string)
  })
}

/** `GET /v1/integrations/configurations`: a bare list. */
export function readInstallations(
  body: unknown,
  answer: string
): IntegrationConfiguration[] {
  return list(body, { answer, field: '' }, (value, place) => {
    const read = reader(object(value, place), place)
    return defined({
      id: read('id', segment),
      integrationId: read('integrationId', segment),
      slug: read('slug', segment),
      ownerId: read('ownerId', string),
      status: read('status', string),
      installationType: read('installationType', string),
      createdAt: read('createdAt', number),
      disabledAt: read('disabledAt', number),
      deletedAt: read('deletedAt', nullable(number)),
      integration: read('integration', (integration, where) =>
        defined({
          name: reader(object(integration, where), where)('name', string)
        })
      )
    })
  })
}

export function readProducts(
  body: unknown,
  answer: string
): ConfigurationProducts {
  const place = { answer, field: '' }
  const read = reader(object(body, place), place)
  const products = read('products', (value, where) =>
    list(value, where, readProduct)
  )
  if (products === undefined) fail(at(place, 'products'), undefined, 'a list')
  return defined({
    products,
    integration: read('integration', (value, where) => {
      const readIntegration = reader(object(value, where), where)
      return defined({
        id: readIntegration('id', segment),
        slug: readIntegration('slug', segment),
        name: readIntegration('name', string)
      })
    })
  })
}

function readProduct(value: unknown, place: Place): IntegrationProduct {
  const read = reader(object(value, place), place)
  return defined({
    id: read('id', segment),
    slug: read('slug', segment),
    name: read('name', string),
    primaryProtocol: read('primaryProtocol', string),
    protocols: read('protocols', (protocols, where) =>
      record(protocols, where, (protocol, at) =>
        protocol === undefined || protocol === null
          ? undefined
          : defined({
              status: reader(object(protocol, at), at)('status', string)
            })
      )
    ),
    metadataSchema: read('metadataSchema', readMetadataSchema)
  })
}

function readMetadataSchema(value: unknown, place: Place): MetadataSchema {
  const read = reader(object(value, place), place)
  return defined({
    type: read('type', string),
    properties: read('properties', (properties, where) =>
      record(properties, where, readMetadataProperty)
    ),
    required: read('required', strings)
  })
}

/**
 * One field of a product's metadata form. The keywords `metadata.ts` reads
 * are checked; an item's own items are not read.
 */
function readMetadataProperty(
  value: unknown,
  place: Place,
  depth = 0
): MetadataProperty {
  const property = object(value, place)
  const read = reader(property, place)
  return defined({
    ...property,
    type: read('type', string),
    minimum: read('minimum', number),
    maximum: read('maximum', number),
    exclusiveMinimum: read('exclusiveMinimum', number),
    exclusiveMaximum: read('exclusiveMaximum', number),
    minLength: read('minLength', number),
    maxLength: read('maxLength', number),
    pattern: read('pattern', string),
    minItems: read('minItems', number),
    maxItems: read('maxItems', number),
    enum: read('enum', (values, where) => list(values, where, (item) => item)),
    items:
      depth === 0
        ? read('items', (items, where) =>
            readMetadataProperty(items, where, depth + 1)
          )
        : undefined,
    'ui:control': read('ui:control', string),
    'ui:options': read('ui:options', (options, where) =>
      list(options, where, (option, at) =>
        typeof option === 'string'
          ? option
          : defined({
              ...object(option, at),
              value: reader(object(option, at), at)('value', string)
            })
      )
    )
  } as MetadataProperty)
}

/** `{ plans }` of `getBillingPlans`. */
export function readPlans(body: unknown, answer: string): BillingPlan[] {
  const place = { answer, field: '' }
  const plans = reader(object(body, place), place)('plans', (value, where) =>
    list(value, where, (plan, at) => {
      const read = reader(object(plan, at), at)
      return defined({
        id: read('id', string),
        type: read('type', string),
        name: read('name', string),
        scope: read('scope', string),
        description: read('description', string),
        paymentMethodRequired: read('paymentMethodRequired', boolean),
        cost: read('cost', string),
        minimumAmount: read('minimumAmount', string),
        maximumAmount: read('maximumAmount', string),
        disabled: read('disabled', boolean)
      })
    })
  )
  if (plans === undefined) fail(at(place, 'plans'), undefined, 'a list')
  return plans
}

export function readProject(body: unknown, answer: string): VercelProject {
  const place = { answer, field: '' }
  const read = reader(object(body, place), place)
  return defined({ id: read('id', segment), name: read('name', string) })
}

/** `{ envs }`, or one variable alone (the answer to a filter by id). */
export function readEnvList(body: unknown, answer: string): ProjectEnvVar[] {
  const place = { answer, field: '' }
  const envs = object(body, place)
  if (!Object.hasOwn(envs, 'envs')) return [readEnvVar(envs, place)]
  return (
    optional(field(envs, 'envs'), at(place, 'envs'), (value, where) =>
      list(value, where, readEnvVar)
    ) ?? []
  )
}

export function readEnvValue(body: unknown, answer: string): ProjectEnvVar {
  return readEnvVar(body, { answer, field: '' })
}

function readEnvVar(value: unknown, place: Place): ProjectEnvVar {
  const read = reader(object(value, place), place)
  return defined({
    id: read('id', segment),
    key: read('key', string),
    type: read('type', string),
    value: read('value', string),
    decrypted: read('decrypted', boolean),
    target: read('target', (target, where) =>
      typeof target === 'string' ? target : strings(target, where)
    ),
    contentHint: read(
      'contentHint',
      nullable((hint, where) => {
        const readHint = reader(object(hint, where), where)
        return defined({
          type: readHint('type', string),
          storeId: readHint('storeId', string)
        })
      })
    ),
    gitBranch: read('gitBranch', nullable(string)),
    comment: read('comment', string),
    createdAt: read('createdAt', number),
    updatedAt: read('updatedAt', number)
  })
}

/**
 * An id or slug that goes into a request's path. `.` and `..` would change
 * the path (`/v1/storage/stores/..` is `/v1/storage/`), so such an answer is
 * unreadable.
 */
function segment(value: unknown, place: Place): string {
  const text = string(value, place)
  if (text === '.' || text === '..') {
    throw new UnreadableAnswerError(
      place.answer,
      `has "${place.field}" as ${JSON.stringify(text)}, which is not an id`
    )
  }
  return text
}

function string(value: unknown, place: Place): string {
  if (typeof value !== 'string') fail(place, value, 'a string')
  return value
}

function number(value: unknown, place: Place): number {
  if (typeof value !== 'number') fail(place, value, 'a number')
  return value
}

function boolean(value: unknown, place: Place): boolean {
  if (typeof value !== 'boolean') fail(place, value, 'true or false')
  return value
}

function strings(value: unknown, place: Place): string[] {
  return list(value, place, string)
}

/** A page cursor: Vercel sends a number (a time); a string is taken as it is. */
function cursor(value: unknown, place: Place): string {
  if (typeof value === 'number' || typeof value === 'string') {
    return String(value)
  }
  return fail(place, value, 'a number')
}

function object(value: unknown, place: Place): JsonObject {
  if (!isObject(value)) fail(place, value, 'an object')
  return value
}

function list<T>(
  value: unknown,
  place: Place,
  readItem: (item: unknown, place: Place) => T
): T[] {
  if (!Array.isArray(value)) fail(place, value, 'a list')
  return value.map((item, index) => readItem(item, at(place, index)))
}

function record<T>(
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
function reader(source: JsonObject, place: Place) {
  return <T>(key: string, read: (value: unknown, place: Place) => T) =>
    optional(field(source, key), at(place, key), read)
}

function optional<T>(
  value: unknown,
  place: Place,
  read: (value: unknown, place: Place) => T
): T | undefined {
  return value === undefined ? undefined : read(value, place)
}

function nullable<T>(
  read: (value: unknown, place: Place) => T
): (value: unknown, place: Place) => T | null {
  return (value, place) => (value === null ? null : read(value, place))
}

/** Own fields only: an answer's `__proto__` or `constructor` is no field. */
function field(source: JsonObject, key: string): unknown {
  return Object.hasOwn(source, key) ? source[key] : undefined
}

function at(place: Place, key: string | number): Place {
  const field =
    typeof key === 'number'
      ? `${place.field}[${key}]`
      : place.field
        ? `${place.field}.${key}`
        : key
  return { answer: place.answer, field }
}

function fail(place: Place, value: unknown, expected: string): never {
  if (value === undefined) {
    throw new UnreadableAnswerError(
      place.answer,
      `has no "${place.field}" (${expected})`
    )
  }
  const subject = place.field ? `has "${place.field}" as` : 'is'
  throw new UnreadableAnswerError(
    place.answer,
    `${subject} ${kindOf(value)}, not ${expected}`
  )
}

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The object without its undefined fields, so spreading it keeps others'. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined)
  ) as T
}

export function readEnvWriteAnswer(
  body: unknown,
  answer: string
): EnvWriteAnswer {
  const place = { answer, field: '' }
  const source = object(body, place)
  const created = field(source, 'created')
  const failed = optional(
    field(source, 'failed'),
    at(place, 'failed'),
    (value, where) =>
      list(value, where, (item, itemPlace) => {
        const error = optional(
          field(object(item, itemPlace), 'error'),
          at(itemPlace, 'error'),
          object
        )
        const readError = reader(error ?? {}, at(itemPlace, 'error'))
        return defined({
          code: readError('code', string),
          message: readError('message', string),
          key: readError('key', string)
        })
      })
  )
  return {
    created:
      optional(created, at(place, 'created'), (value, where) =>
        Array.isArray(value)
          ? list(value, where, readEnvVar)
          : [readEnvVar(value, where)]
      ) ?? [],
    failed: failed ?? []
  }
}

export function readDeploymentList(
  body: unknown,
  answer: string
): ListedDeployment[] {
  const place = { answer, field: '' }
  return list(
    field(object(body, place), 'deployments'),
    at(place, 'deployments'),
    (item, where) => {
      const read = reader(object(item, where), where)
      const id = read('uid', segment)
      if (id === undefined) fail(at(where, 'uid'), undefined, 'a string')
      return defined({
        id,
        name: read('name', string),
        url: read('url', string),
        // `created` is the older name of the same time.
        createdAt: read('createdAt', number) ?? read('created', number)
      })
    }
  )
}

/** A deployment as `POST /v13/deployments` answers: the new one. */
export function readDeploymentAnswer(
  body: unknown,
  answer: string
): { id: string; url?: string } {
  const place = { answer, field: '' }
  const read = reader(object(body, place), place)
  const id = read('id', segment)
  if (id === undefined) fail(at(place, 'id'), undefined, 'a string')
  return defined({ id, url: read('url', string) })
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
