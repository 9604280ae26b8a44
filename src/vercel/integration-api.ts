import type { VercelClient } from './client.js'
import { VercelResponseError } from './errors.js'

/** One Marketplace installation (an item of `getConfigurations`). */
export interface IntegrationConfiguration {
  id?: string
  integrationId?: string
  slug?: string
  ownerId?: string
  status?: string
  installationType?: string
  createdAt?: number
  disabledAt?: number
  deletedAt?: number | null
  integration?: { name?: string }
}

/** A product's metadata form: JSON Schema plus Vercel's `ui:` keywords. */
export interface MetadataSchema {
  type?: string
  properties?: Record<string, MetadataProperty>
  required?: string[]
}

export type UiFlag = boolean | 'create' | 'update' | { expr: string }

export interface MetadataProperty {
  type?: string
  default?: unknown
  enum?: unknown[]
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  minItems?: number
  maxItems?: number
  items?: MetadataProperty
  'ui:control'?: string
  'ui:options'?: (string | { value?: string; hidden?: unknown })[]
  'ui:hidden'?: UiFlag
  'ui:read-only'?: UiFlag
}

export interface IntegrationProduct {
  id?: string
  slug?: string
  name?: string
  primaryProtocol?: string
  protocols?: Record<string, { status?: string } | undefined>
  metadataSchema?: MetadataSchema
}

/** `getConfigurationProducts`. */
export interface ConfigurationProducts {
  products: IntegrationProduct[]
  integration?: { id?: string; slug?: string; name?: string }
}

/** An item of `getBillingPlans`. */
export interface BillingPlan {
  id?: string
  type?: string
  name?: string
  scope?: string
  description?: string
  paymentMethodRequired?: boolean
  cost?: string
  minimumAmount?: string
  maximumAmount?: string
  disabled?: boolean
}

export interface PlansQuery {
  integrationIdOrSlug: string
  productIdOrSlug: string
  integrationConfigurationId: string
  metadata: Record<string, unknown>
}

/** The discovery endpoints (api-notes §6); `resolve.ts` depends on this alone. */
export interface IntegrationApi {
  listInstallations(
    integrationIdOrSlug: string
  ): Promise<IntegrationConfiguration[]>
  listProducts(
    integrationConfigurationId: string
  ): Promise<ConfigurationProducts>
  listPlans(query: PlansQuery): Promise<BillingPlan[]>
}

export class VercelIntegrationApi implements IntegrationApi {
  private readonly client: VercelClient

  constructor(client: VercelClient) {
    this.client = client
  }

  /** `GET /v1/integrations/configurations`: a bare array. */
  async listInstallations(
    integrationIdOrSlug: string
  ): Promise<IntegrationConfiguration[]> {
    const path = '/v1/integrations/configurations'
    const response = await this.client.get<unknown>(path, {
      view: 'account',
      installationType: 'marketplace',
      integrationIdOrSlug
    })
    if (!Array.isArray(response)) {
      throw new VercelResponseError(
        'GET',
        path,
        200,
        'a body that is not a list'
      )
    }
    return response as IntegrationConfiguration[]
  }

  async listProducts(
    integrationConfigurationId: string
  ): Promise<ConfigurationProducts> {
    const path = `/v1/integrations/configuration/${encodeURIComponent(integrationConfigurationId)}/products`
    const response = await this.client.get<Partial<ConfigurationProducts>>(path)
    if (!Array.isArray(response?.products)) {
      throw new VercelResponseError(
        'GET',
        path,
        200,
        'a body that has no list of products'
      )
    }
    return response as ConfigurationProducts
  }

  /** Sends the metadata JSON-encoded, like the CLI's fetch-billing-plans.ts. */
  async listPlans(query: PlansQuery): Promise<BillingPlan[]> {
    const path = `/v1/integrations/integration/${encodeURIComponent(query.integrationIdOrSlug)}/products/${encodeURIComponent(query.productIdOrSlug)}/plans`
    const response = await this.client.get<{ plans?: unknown }>(path, {
      metadata: JSON.stringify(query.metadata),
      integrationConfigurationId: query.integrationConfigurationId
    })
    if (!Array.isArray(response?.plans)) {
      throw new VercelResponseError(
        'GET',
        path,
        200,
        'a body that has no list of plans'
      )
    }
    return response.plans as BillingPlan[]
  }
}
