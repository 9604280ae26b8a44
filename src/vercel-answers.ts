/**
 * The shapes of Vercel's answers about stores, installations, products and
 * plans (`project-answers.ts` reads those about projects), checked field by
 * field before anything reads them. A field of the wrong type (a number for
 * a name, an object for a list) fails the step with one line naming the
 * answer and the field, instead of a `TypeError` deep inside the action.
 * Each reader copies only the fields the action reads (a metadata field
 * keeps its other keys, one level deep, for the form it describes), so
 * nothing deeper in an answer, however large or nested, is ever walked.
 * Hand-written rather than a compiled JSON Schema: a validator compiled at
 * run time would cost the cold start more than these few checks take.
 */
import {
  at,
  boolean,
  defined,
  fail,
  field,
  line,
  list,
  nullable,
  number,
  object,
  optional,
  type Place,
  reader,
  record,
  segment,
  string,
  strings,
  nextCursor
} from './answer-shape.ts'
import type {
  BillingPlan,
  ConfigurationProducts,
  IntegrationConfiguration,
  IntegrationProduct,
  MetadataProperty,
  MetadataSchema,
  ProjectConnection,
  StoreNotification,
  VercelStore
} from './vercel-types.ts'

/** One listing page: its stores and the cursor of the next page, if any. */
interface StorePage {
  stores: VercelStore[]
  next?: string
}

export function readStorePage(body: unknown, answer: string): StorePage {
  const place = { answer, field: '' }
  const page = object(body, place)
  const stores = list(field(page, 'stores'), at(place, 'stores'), readStore)
  return defined({ stores, next: nextCursor(page, place) })
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
    // These three reach the outputs: one line each.
    name: read('name', line),
    type: read('type', string),
    status: read('status', nullable(line)),
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
          id: readPlan('id', line),
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
    notification: read('notification', nullable(readNotification)),
    targets: read('targets', nullable(strings))
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
