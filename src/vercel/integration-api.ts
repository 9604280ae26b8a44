import { readInstallations, readPlans, readProducts } from './answers.js'
import type { VercelClient } from './client.js'
import { plansPath, productsPath } from './paths.js'

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
    return readInstallations(response, `GET ${path}`)
  }

  async listProducts(
    integrationConfigurationId: string
  ): Promise<ConfigurationProducts> {
    const path = productsPath(integrationConfigurationId)
    return readProducts(await this.client.get<unknown>(path), `GET ${path}`)
  }

  /** Sends the metadata JSON-encoded, like the CLI's fetch-billing-plans.ts. */
  async listPlans(query: PlansQuery): Promise<BillingPlan[]> {
    const path = plansPath(query.integrationIdOrSlug, query.productIdOrSlug)
    const response = await this.client.get<unknown>(path, {
      metadata: JSON.stringify(query.metadata),
      integrationConfigurationId: query.integrationConfigurationId
    })
    return readPlans(response, `GET ${path}`)
  }
}
