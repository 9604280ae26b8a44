/**
 * The shapes of the Vercel API as the action uses them: the answers it reads,
 * the bodies it sends, and the constraints of the create request. The
 * emulator (`emulator/`) answers with these very types, so that the action
 * and its stand-in cannot drift apart.
 */

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
  /**
   * The environments the team lets the store's credentials reach; a
   * Production-only resource has `["production"]`. Absent: all of them.
   */
  targets?: string[] | null
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
  /**
   * The branch production deploys from (`link.productionBranch`), where the
   * project is linked to a Git repository.
   */
  productionBranch?: string
}

/** A project's custom environment (Pro and Enterprise plans). */
export interface CustomEnvironment {
  id: string
  slug: string
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

const STORE_SOURCES = [
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

type UiFlag = boolean | 'create' | 'update' | { expr: string }

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

/** What the variables a store connection makes say about their origin. */
export interface EnvContentHint {
  type?: string
  storeId?: string
}

/** A project's environment variable, as the project env endpoints return it. */
export interface ProjectEnvVar {
  id?: string
  key?: string
  /** `encrypted`, `sensitive`, `plain`… A sensitive value is never returned. */
  type?: string
  /** In a listing, the encrypted value; from `getProjectEnv`, the value. */
  value?: string
  decrypted?: boolean
  /** The environments it is for (the reader makes a lone one a list). */
  target?: string[]
  contentHint?: EnvContentHint | null
  /** Set on a preview variable scoped to one Git branch. */
  gitBranch?: string | null
  /** Says who wrote it: the action marks its own (branch-env.ts). */
  comment?: string
  /** Milliseconds since the epoch. */
  createdAt?: number
  updatedAt?: number
}

/** One variable as `POST /v10/projects/{idOrName}/env` takes it. */
export interface NewEnvVar {
  key: string
  value: string
  type: 'encrypted'
  target: ['preview']
  gitBranch: string
  comment: string
}

/** What `POST /v10/projects/{idOrName}/env` wrote, and what it refused. */
export interface EnvWriteAnswer {
  created: ProjectEnvVar[]
  failed: { code?: string; message?: string; key?: string }[]
}

/** A deployment, as `GET /v6/deployments` lists it. */
export interface ListedDeployment {
  id: string
  /** The deployment's name, as the listing gives it. */
  name?: string
  /** The project it is a deployment of, as the listing says. */
  projectId?: string
  /** `production` or `staging`; null or absent for a preview. */
  target?: string | null
  /** The Git branch it was built from (`meta.githubCommitRef` and the like). */
  gitBranch?: string
  /** The host, without a scheme. */
  url?: string
  createdAt?: number
  /**
   * Where its build is: `QUEUED`, `INITIALIZING`, `BUILDING`, then `READY`,
   * `ERROR` or `CANCELED` (the listing's `readyState`, or `state`).
   */
  state?: string
}

/** The body of `POST /v1/storage/stores/{id}/connections`, as the CLI sends it. */
export interface ConnectionBody {
  projectId: string
  envVarEnvironments: string[]
  type: 'integration'
  envVarPrefix?: string
}
