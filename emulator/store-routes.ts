import { checkMetadata, checkPlan } from './create-checks.ts'
import { checkCreateBody } from './create-schema.ts'
import { errorReply } from './http.ts'
import type { Reply } from './http.ts'
import { advanceByTime, advanceOnRead, initialStatus } from './lifecycle.ts'
import type { LifecycleSettings } from './lifecycle.ts'
import { defaultPlan, findInstallation, findProduct } from './seed.ts'
import { toStoreJson } from './stores.ts'
import type { StoreRecord, StoreRegistry } from './stores.ts'

export interface StoreRouteSettings extends LifecycleSettings {
  listIncludesExternalId: boolean
  /**
   * A store whose create answered with a fault (its answer lost or spoilt
   * after the create was committed) stays out of this many listings after
   * it, as a lagging index would leave it out.
   */
  listingLag?: number
  createResponseOmitsId: boolean
  minimalListing: boolean
  pageSize?: number
  /**
   * The team's setting for new resources' credentials, e.g. `["production"]`
   * for Production-only access; absent: every environment.
   */
  resourceTargets?: string[]
  /**
   * The provider's plan allows this many stores of a product per team: a
   * create past it answers as a provider's quota does.
   */
  storeLimit?: number
}

export type ParsedBody =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'invalid'; text: string }

export interface StoreRequest {
  ownerId: string
  query: Record<string, string>
  params: Record<string, string>
  body: ParsedBody
  stores: StoreRegistry
  settings: StoreRouteSettings
}

export function listStores(request: StoreRequest): Reply {
  const { ownerId, query, stores, settings } = request
  const installationId = query.integrationConfigurationId
  const hidden = stores.takeHiddenFromListing()
  const visible = stores
    .ofOwner(ownerId)
    .filter((store) => !hidden.has(store.id))
    .filter(
      (store) =>
        !installationId ||
        store.product.integrationConfigurationId === installationId
    )
    .sort((a, b) => b.createdAt - a.createdAt)
  for (const store of visible) advanceByTime(store, settings)
  const asJson = (store: StoreRecord) => {
    const json = toStoreJson(store, {
      includeId: true,
      includeExternalId: settings.listIncludesExternalId
    })
    return settings.minimalListing ? toListedResource(json) : json
  }

  if (settings.pageSize === undefined) {
    return { status: 200, body: { stores: visible.map(asJson) } }
  }
  const until = Number(query.until)
  const remaining = Number.isFinite(until)
    ? visible.filter((store) => store.createdAt < until)
    : visible
  const page = remaining.slice(0, settings.pageSize)
  const hasMore = remaining.length > page.length
  return {
    status: 200,
    body: {
      stores: page.map(asJson),
      pagination: {
        count: page.length,
        next: hasMore ? page[page.length - 1].createdAt : null,
        prev: page[0]?.createdAt ?? null
      }
    }
  }
}

/**
 * A store with only the fields of the Vercel CLI's `Resource` type
 * (packages/cli/src/util/integration-resource/types.ts), the least a listing
 * is known to carry.
 */
function toListedResource(json: Partial<StoreRecord>): Partial<StoreRecord> {
  const { product, ...rest } = json
  const fields = [
    'id',
    'name',
    'type',
    'status',
    'externalResourceId',
    'externalId',
    'projectsMetadata',
    'billingPlan',
    'ownership',
    'createdAt',
    'updatedAt',
    'ownerId'
  ] as const
  return {
    ...Object.fromEntries(
      fields
        .filter((field) => field in rest)
        .map((field) => [field, rest[field]])
    ),
    product: product && {
      name: product.name,
      slug: product.slug,
      integrationConfigurationId: product.integrationConfigurationId
    },
    // The CLI's type of a connection: no prefix, no variable names.
    projectsMetadata: rest.projectsMetadata?.map(
      ({ id, projectId, name, environments }) => ({
        id,
        projectId,
        name,
        environments
      })
    )
  } as Partial<StoreRecord>
}

export function getStore(request: StoreRequest): Reply {
  const { ownerId, params, stores, settings } = request
  const store = stores.find(ownerId, params.id)
  if (!store) return errorReply(404, 'not_found', 'Store not found')
  advanceOnRead(store, settings)
  return {
    status: 200,
    body: {
      store: toStoreJson(store, {
        includeId: true,
        includeExternalId: settings.listIncludesExternalId
      })
    }
  }
}

export function createStore(request: StoreRequest): Reply {
  const { ownerId, stores, settings } = request
  if (request.body.kind !== 'json') {
    return errorReply(400, 'bad_request', 'Invalid JSON body')
  }
  const check = checkCreateBody(request.body.value)
  if (!check.valid) return errorReply(400, 'bad_request', check.message)
  const body = check.body

  const installation = findInstallation(
    ownerId,
    body.integrationConfigurationId
  )
  if (!installation) {
    return errorReply(
      404,
      'not_found',
      `Integration configuration ${body.integrationConfigurationId} not found`
    )
  }
  const product = findProduct(installation, body.integrationProductIdOrSlug)
  if (!product) {
    return errorReply(
      404,
      'not_found',
      `Product ${body.integrationProductIdOrSlug} not found for this integration configuration`
    )
  }
  const billingPlan =
    body.billingPlanId === undefined
      ? defaultPlan(installation)
      : installation.billingPlans.find((plan) => plan.id === body.billingPlanId)
  if (!billingPlan) {
    return errorReply(
      400,
      'bad_request',
      `Billing plan ${body.billingPlanId} not found`
    )
  }
  const planProblem =
    body.billingPlanId === undefined
      ? undefined
      : checkPlan(billingPlan, body.prepaymentAmountCents)
  if (planProblem) return errorReply(400, 'bad_request', planProblem)
  const metadata = checkMetadata(product, body.metadata)
  if (!metadata.valid) return errorReply(400, 'bad_request', metadata.message)

  const held = stores
    .ofOwner(ownerId)
    .filter((store) => store.product.id === product.id).length
  if (settings.storeLimit !== undefined && held >= settings.storeLimit) {
    // The shape of a provider's refusal as Vercel passes it on; the wording
    // is Neon's free-plan message in spirit, not a recorded one.
    return errorReply(
      403,
      'resource_limit_exceeded',
      `${installation.integration.name}: you have reached the limit of ${settings.storeLimit} ${product.name} stores on your current plan`
    )
  }
  const store = stores.add({
    teamId: ownerId,
    targets: settings.resourceTargets,
    installation,
    product,
    name: body.name,
    billingPlan,
    metadata: metadata.metadata,
    protocolSettings: body.protocolSettings,
    externalId: body.externalId,
    status: initialStatus(settings)
  })
  return {
    status: 200,
    body: {
      store: toStoreJson(store, {
        includeId: !settings.createResponseOmitsId,
        includeExternalId: false
      })
    }
  }
}
