// The three discovery routes (api-notes §6), in the response shapes of the
// official schema (openapi/vercel-openapi-subset.json: getConfigurations,
// getConfigurationProducts, getBillingPlans).
import { errorReply } from './http.ts'
import type { Reply } from './http.ts'
import {
  INSTALLATIONS,
  USER_ID,
  findInstallation,
  findProduct
} from './seed.ts'
import type { BillingPlan, Installation } from './seed.ts'

export interface DiscoveryRequest {
  ownerId: string
  query: Record<string, string>
  params: Record<string, string>
}

const VIEWS = ['account', 'project']

/** `GET /v1/integrations/configurations`: a bare array, no pagination. */
export function listConfigurations({
  ownerId,
  query
}: DiscoveryRequest): Reply {
  // Vercel validates its query like its bodies; the wording is a guess.
  if (!query.view) {
    return errorReply(
      400,
      'bad_request',
      'Invalid request: query missing required property `view`.'
    )
  }
  if (!VIEWS.includes(query.view)) {
    return errorReply(
      400,
      'bad_request',
      `Invalid request: query \`view\` should be equal to one of the allowed values: ${VIEWS.join(', ')}.`
    )
  }
  const { integrationIdOrSlug, installationType } = query
  const configurations = INSTALLATIONS.filter(
    (installation) =>
      installation.teamId === ownerId &&
      (!integrationIdOrSlug ||
        installation.integration.id === integrationIdOrSlug ||
        installation.integration.slug === integrationIdOrSlug) &&
      (!installationType || installationType === 'marketplace')
  ).map((installation) => toConfiguration(installation, query.view))
  return { status: 200, body: configurations }
}

function toConfiguration(
  installation: Installation,
  view: string
): Record<string, unknown> {
  const createdAt = installation.createdAt ?? Date.UTC(2025, 0, 1)
  const { integration } = installation
  return {
    id: installation.id,
    integrationId: integration.id,
    ownerId: installation.teamId,
    slug: integration.slug,
    teamId: installation.teamId,
    userId: USER_ID,
    type: 'integration-configuration',
    source: 'marketplace',
    installationType: 'marketplace',
    scopes: ['read-write:integration-resource'],
    createdAt,
    completedAt: createdAt,
    updatedAt: createdAt,
    // api-notes §6 lists a `status`; the official schema does not, and its
    // values are not documented: this one is a guess.
    status: 'ready',
    // The `view=account` shape of the schema's second `oneOf` branch.
    ...(view === 'account' && {
      integration: {
        name: integration.name,
        icon: integration.icon,
        isLegacy: false
      }
    })
  }
}

/** `GET /v1/integrations/configuration/{id}/products`. */
export function listProducts({ ownerId, params }: DiscoveryRequest): Reply {
  const installation = findInstallation(ownerId, params.id)
  if (!installation) {
    return errorReply(
      404,
      'not_found',
      `Integration configuration ${params.id} not found`
    )
  }
  const { integration } = installation
  return {
    status: 200,
    body: {
      products: installation.products.map((product) => ({
        id: product.id,
        slug: product.slug,
        name: product.name,
        protocols: { storage: { status: 'enabled' } },
        primaryProtocol: 'storage',
        metadataSchema: product.metadataSchema
      })),
      integration: {
        id: integration.id,
        slug: integration.slug,
        name: integration.name
      },
      configuration: { id: installation.id }
    }
  }
}

/**
 * `GET /v1/integrations/integration/{integrationIdOrSlug}/products/{productIdOrSlug}/plans`.
 * The live API may price by the `metadata` it is sent; the emulator's plans
 * do not depend on it, but it must be a JSON object when given.
 */
export function listPlans({ ownerId, query, params }: DiscoveryRequest): Reply {
  if (query.metadata !== undefined && !isJsonObject(query.metadata)) {
    return errorReply(
      400,
      'bad_request',
      'Invalid request: query `metadata` should be a JSON object.'
    )
  }
  const installations = INSTALLATIONS.filter(
    (installation) =>
      installation.teamId === ownerId &&
      [installation.integration.id, installation.integration.slug].includes(
        params.integrationIdOrSlug
      ) &&
      (!query.integrationConfigurationId ||
        installation.id === query.integrationConfigurationId)
  )
  const installation = installations.find((candidate) =>
    findProduct(candidate, params.productIdOrSlug)
  )
  if (!installation) {
    return errorReply(
      404,
      'not_found',
      `Product ${params.productIdOrSlug} of integration ${params.integrationIdOrSlug} not found`
    )
  }
  return {
    status: 200,
    body: { plans: installation.billingPlans.map(toPlanJson) }
  }
}

function toPlanJson(plan: BillingPlan): BillingPlan {
  return structuredClone(plan)
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
  } catch {
    return false
  }
}
