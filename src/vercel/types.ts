/** A team as the Vercel API takes it: `?teamId=team_…` or `?slug=…`. */
export type TeamScope = { teamId: string } | { slug: string }

/**
 * The parts of Vercel's store objects this action reads. Responses are not
 * trusted to match the official schema (it leaves out `id` and `name`, which
 * real responses carry), so every field is optional and read defensively.
 */
export interface VercelStore {
  id?: string
  name?: string
  type?: string
  status?: string | null
  externalId?: string | null
  createdAt?: number
  product?: {
    id?: string
    slug?: string
    name?: string
    integrationConfigurationId?: string
  }
  billingPlan?: { id?: string; name?: string } | null
  secrets?: { name?: string }[]
  projectsMetadata?: ProjectConnection[] | null
  notification?: StoreNotification | null
}

/** One project a store is connected to (`projectsMetadata[]`). */
export interface ProjectConnection {
  id?: string
  projectId?: string
  name?: string
  environments?: string[]
  envVarPrefix?: string | null
  environmentVariables?: string[]
}

/** What Vercel tells the team about a store that needs attention. */
export interface StoreNotification {
  title?: string
  level?: string
  message?: string
  href?: string
}

export interface VercelProject {
  id?: string
  name?: string
}

export interface StoreListResponse {
  stores?: VercelStore[]
  pagination?: { next?: number | string | null } | null
}

export interface StoreResponse {
  store?: VercelStore | null
}

export type MetadataValue = string | number | boolean | string[] | number[]

/**
 * The body of `POST /v1/storage/stores/integration/direct`, with the
 * constraints of Vercel's OpenAPI description in `CreateStoreSpec`.
 */
export interface CreateStoreBody {
  name: string
  integrationConfigurationId: string
  integrationProductIdOrSlug: string
  externalId?: string
  metadata?: Record<string, MetadataValue>
  protocolSettings?: Record<string, unknown>
  source?: StoreSource
  billingPlanId?: string
  paymentMethodId?: string
  prepaymentAmountCents?: number
}

export const STORE_SOURCES = [
  'marketplace',
  'deploy-button',
  'external',
  'v0',
  'resource-claims',
  'cli',
  'oauth',
  'backoffice'
] as const

export type StoreSource = (typeof STORE_SOURCES)[number]

/**
 * The request body constraints of the create endpoint, as Vercel's OpenAPI
 * description states them (`__tests__/create-spec.test.ts` checks each one
 * against the vendored spec).
 */
export const CreateStoreSpec = {
  nameMaxLength: 128,
  integrationConfigurationId: /^icfg_[a-zA-Z0-9]+$/,
  productId: /^iap_[a-zA-Z0-9_]+$/,
  productSlug: /^[a-z0-9-]+$/,
  prepaymentAmountCentsMinimum: 50,
  sources: STORE_SOURCES
} as const
