// The emulator's fixed world: teams, the token's user, installations,
// products and billing plans. Ids are deterministic so tests and the demo can
// name them.

export interface Team {
  id: string
  slug: string
}

export interface Integration {
  id: string
  slug: string
  name: string
  icon: string
}

export interface Product {
  id: string
  slug: string
  name: string
  /** Names of the secrets a store of this product exposes. */
  secrets: string[]
  /** The product's `metadataSchema`, as the products route returns it. */
  metadataSchema: MetadataSchema
}

/** A product's metadata form: JSON Schema plus Vercel's `ui:` keywords. */
export interface MetadataSchema {
  type: 'object'
  properties: Record<string, Record<string, unknown>>
  required?: string[]
}

export interface BillingPlan {
  id: string
  type: 'subscription' | 'prepayment'
  name: string
  scope: 'installation' | 'resource'
  description: string
  paymentMethodRequired: boolean
  cost?: string
  /** Dollars as a decimal string, like the official schema's examples (a guess). */
  minimumAmount?: string
  maximumAmount?: string
  details?: { label: string; value?: string }[]
  disabled?: boolean
}

export interface Installation {
  id: string
  teamId: string
  integration: Integration
  products: Product[]
  billingPlans: BillingPlan[]
  /** Installed at (ms); for the configurations route. */
  createdAt?: number
}

export const USER_ID = 'user_emulator0001'

export const TEAM: Team = { id: 'team_emulator0000000000000001', slug: 'acme' }

/** A team the emulator's token is not a member of. */
export const OTHER_TEAM: Team = {
  id: 'team_emulator0000000000000002',
  slug: 'globex'
}

export const TEAMS: Team[] = [TEAM, OTHER_TEAM]

/** Teams the token may act for. */
export const MEMBER_TEAM_IDS: ReadonlySet<string> = new Set([TEAM.id])

const NEON: Integration = {
  id: 'oac_emuNeon',
  slug: 'neon',
  name: 'Neon',
  icon: 'https://example.com/emulator/icons/neon.png'
}

const UPSTASH: Integration = {
  id: 'oac_emuUpstash',
  slug: 'upstash',
  name: 'Upstash',
  icon: 'https://example.com/emulator/icons/upstash.png'
}

// Metadata schemas shaped like the live ones: Neon's region select, Upstash's
// regions and toggles. The live schemas are richer; these keep one field of
// each kind the action checks.
const REGIONS = ['iad1', 'cle1', 'pdx1', 'fra1', 'lhr1', 'sin1', 'syd1']

const regionSelect = (label: string): Record<string, unknown> => ({
  type: 'string',
  'ui:control': 'select',
  'ui:label': label,
  default: 'iad1',
  enum: REGIONS,
  'ui:options': REGIONS.map((value) => ({ value, label: value }))
})

const NEON_SCHEMA: MetadataSchema = {
  type: 'object',
  properties: {
    region: regionSelect('Region'),
    auth: {
      type: 'boolean',
      'ui:control': 'toggle',
      'ui:label': 'Neon Auth',
      default: false
    },
    // Filled in by Neon; the dashboard does not show it.
    projectId: {
      type: 'string',
      'ui:control': 'input',
      'ui:hidden': true
    }
  },
  required: ['region']
}

const UPSTASH_KV_SCHEMA: MetadataSchema = {
  type: 'object',
  properties: {
    primaryRegion: regionSelect('Primary region'),
    readRegions: {
      type: 'array',
      'ui:control': 'multi-select',
      'ui:label': 'Read regions',
      items: { type: 'string', enum: REGIONS },
      'ui:options': REGIONS.map((value) => ({ value, label: value }))
    },
    eviction: {
      type: 'boolean',
      'ui:control': 'toggle',
      'ui:label': 'Eviction',
      default: false
    },
    budget: {
      type: 'number',
      'ui:control': 'input',
      'ui:label': 'Monthly budget (USD)',
      minimum: 0,
      maximum: 10000
    },
    dbVersion: {
      type: 'string',
      'ui:control': 'input',
      'ui:read-only': true,
      default: '7'
    }
  },
  required: ['primaryRegion']
}

const UPSTASH_VECTOR_SCHEMA: MetadataSchema = {
  type: 'object',
  properties: {
    region: regionSelect('Region'),
    dimensions: {
      type: 'number',
      'ui:control': 'input',
      'ui:label': 'Dimensions',
      minimum: 1,
      maximum: 3072,
      default: 1536
    },
    similarityFunction: {
      type: 'string',
      'ui:control': 'select',
      default: 'COSINE',
      enum: ['COSINE', 'EUCLIDEAN', 'DOT_PRODUCT'],
      'ui:options': ['COSINE', 'EUCLIDEAN', 'DOT_PRODUCT'].map((value) => ({
        value,
        label: value
      }))
    }
  }
}

const NEON_POSTGRES: Product = {
  id: 'iap_emu_neon',
  slug: 'neon',
  name: 'Neon Postgres',
  // Neon's table (docs/providers.md), then the legacy POSTGRES_* of Vercel
  // Postgres that Neon keeps giving.
  secrets: [
    'DATABASE_URL',
    'DATABASE_URL_UNPOOLED',
    'PGHOST',
    'PGHOST_UNPOOLED',
    'PGUSER',
    'PGDATABASE',
    'PGPASSWORD',
    'POSTGRES_URL',
    'POSTGRES_URL_NON_POOLING',
    'POSTGRES_USER',
    'POSTGRES_HOST',
    'POSTGRES_PASSWORD',
    'POSTGRES_DATABASE',
    'POSTGRES_URL_NO_SSL',
    'POSTGRES_PRISMA_URL'
  ],
  metadataSchema: NEON_SCHEMA
}

const UPSTASH_KV: Product = {
  id: 'iap_emu_upstash_kv',
  slug: 'upstash-kv',
  name: 'Upstash for Redis',
  secrets: [
    'KV_URL',
    'KV_REST_API_URL',
    'KV_REST_API_TOKEN',
    'KV_REST_API_READ_ONLY_TOKEN',
    'REDIS_URL'
  ],
  metadataSchema: UPSTASH_KV_SCHEMA
}

const UPSTASH_VECTOR: Product = {
  id: 'iap_emu_upstash_vector',
  slug: 'upstash-vector',
  name: 'Upstash Vector',
  secrets: [
    'UPSTASH_VECTOR_REST_URL',
    'UPSTASH_VECTOR_REST_TOKEN',
    'UPSTASH_VECTOR_REST_READONLY_TOKEN'
  ],
  metadataSchema: UPSTASH_VECTOR_SCHEMA
}

function freePlan(id: string): BillingPlan {
  return {
    id,
    type: 'subscription',
    name: 'Free',
    scope: 'resource',
    description: 'Free plan',
    paymentMethodRequired: false
  }
}

export const NEON_INSTALLATION: Installation = {
  id: 'icfg_emuNeon0001',
  teamId: TEAM.id,
  integration: NEON,
  products: [NEON_POSTGRES],
  billingPlans: [
    freePlan('bp_emu_neon_free'),
    {
      id: 'bp_emu_neon_launch',
      type: 'subscription',
      name: 'Launch',
      scope: 'resource',
      description: 'For production apps',
      paymentMethodRequired: true,
      cost: '$19.00 / month',
      details: [{ label: 'Storage', value: '10 GB' }]
    },
    {
      id: 'bp_emu_neon_credits',
      type: 'prepayment',
      name: 'Credits',
      scope: 'installation',
      description: 'Prepaid usage credits',
      paymentMethodRequired: true,
      minimumAmount: '10.00',
      maximumAmount: '500.00'
    },
    {
      id: 'bp_emu_neon_scale_legacy',
      type: 'subscription',
      name: 'Scale (legacy)',
      scope: 'resource',
      description: 'No longer offered',
      paymentMethodRequired: true,
      cost: '$69.00 / month',
      disabled: true
    }
  ],
  createdAt: Date.UTC(2025, 0, 10)
}

export const UPSTASH_INSTALLATION: Installation = {
  id: 'icfg_emuUpstash0001',
  teamId: TEAM.id,
  integration: UPSTASH,
  products: [UPSTASH_KV, UPSTASH_VECTOR],
  billingPlans: [
    freePlan('bp_emu_upstash_free'),
    {
      id: 'bp_emu_upstash_pay_as_you_go',
      type: 'subscription',
      name: 'Pay as you go',
      scope: 'resource',
      description: 'Billed by requests',
      paymentMethodRequired: true,
      cost: '$0.20 per 100K requests'
    }
  ],
  createdAt: Date.UTC(2025, 1, 3)
}

/** The other team's own Neon installation, so cross-team tests mean something. */
export const OTHER_TEAM_NEON_INSTALLATION: Installation = {
  id: 'icfg_globexNeon01',
  teamId: OTHER_TEAM.id,
  integration: NEON,
  products: [NEON_POSTGRES],
  billingPlans: [freePlan('bp_emu_globex_neon_free')]
}

const SUPABASE: Integration = {
  id: 'oac_emuSupabase',
  slug: 'supabase',
  name: 'Supabase',
  icon: 'https://example.com/emulator/icons/supabase.png'
}

const PRISMA: Integration = {
  id: 'oac_emuPrisma',
  slug: 'prisma',
  name: 'Prisma',
  icon: 'https://example.com/emulator/icons/prisma.png'
}

const SUPABASE_DB: Product = {
  id: 'iap_emu_supabase',
  slug: 'supabase',
  name: 'Supabase',
  // The 13 of Vercel's marketplace page (docs/providers.md); a newer list
  // has the publishable key pair instead of the anon one.
  secrets: [
    'POSTGRES_URL',
    'POSTGRES_PRISMA_URL',
    'POSTGRES_URL_NON_POOLING',
    'POSTGRES_USER',
    'POSTGRES_HOST',
    'POSTGRES_PASSWORD',
    'POSTGRES_DATABASE',
    'SUPABASE_SERVICE_ROLE_KEY',
    'SUPABASE_ANON_KEY',
    'SUPABASE_URL',
    'SUPABASE_JWT_SECRET',
    'NEXT_PUBLIC_SUPABASE_ANON_KEY',
    'NEXT_PUBLIC_SUPABASE_URL'
  ],
  metadataSchema: {
    type: 'object',
    properties: { region: regionSelect('Region') }
  }
}

/** A product with a required field that has no default. */
const PRISMA_POSTGRES: Product = {
  id: 'iap_emu_prisma_postgres',
  slug: 'prisma-postgres',
  name: 'Prisma Postgres',
  // Prisma's current Vercel guide (docs/providers.md): DATABASE_URL, POSTGRES_URL
  // and PRISMA_DATABASE_URL are the direct URL, DATABASE_URL_POOLED the pooled.
  secrets: [
    'DATABASE_URL',
    'POSTGRES_URL',
    'PRISMA_DATABASE_URL',
    'DATABASE_URL_POOLED'
  ],
  metadataSchema: {
    type: 'object',
    properties: {
      region: {
        type: 'string',
        'ui:control': 'select',
        'ui:label': 'Region',
        enum: ['us-east-1', 'eu-west-3', 'ap-northeast-1'],
        'ui:options': ['us-east-1', 'eu-west-3', 'ap-northeast-1'].map(
          (value) => ({ value, label: value })
        )
      },
      databaseName: {
        type: 'string',
        'ui:control': 'input',
        minLength: 3,
        maxLength: 32,
        pattern: '^[a-z][a-z0-9_]*$'
      }
    },
    required: ['region']
  }
}

/** Two installations of one integration in one team: the slug is ambiguous. */
export const SUPABASE_INSTALLATIONS: Installation[] = [
  {
    id: 'icfg_emuSupabase0001',
    teamId: TEAM.id,
    integration: SUPABASE,
    products: [SUPABASE_DB],
    billingPlans: [freePlan('bp_emu_supabase_free')],
    createdAt: Date.UTC(2025, 2, 1)
  },
  {
    id: 'icfg_emuSupabase0002',
    teamId: TEAM.id,
    integration: SUPABASE,
    products: [SUPABASE_DB],
    billingPlans: [freePlan('bp_emu_supabase2_free')],
    createdAt: Date.UTC(2025, 5, 15)
  }
]

export const PRISMA_INSTALLATION: Installation = {
  id: 'icfg_emuPrisma0001',
  teamId: TEAM.id,
  integration: PRISMA,
  products: [PRISMA_POSTGRES],
  billingPlans: [freePlan('bp_emu_prisma_free')],
  createdAt: Date.UTC(2025, 3, 20)
}

export const INSTALLATIONS: Installation[] = [
  NEON_INSTALLATION,
  UPSTASH_INSTALLATION,
  OTHER_TEAM_NEON_INSTALLATION,
  ...SUPABASE_INSTALLATIONS,
  PRISMA_INSTALLATION
]

export function findInstallation(
  ownerId: string,
  installationId: string
): Installation | undefined {
  return INSTALLATIONS.find(
    (installation) =>
      installation.id === installationId && installation.teamId === ownerId
  )
}

export function findProduct(
  installation: Installation,
  productIdOrSlug: string
): Product | undefined {
  return installation.products.find(
    (product) =>
      product.id === productIdOrSlug || product.slug === productIdOrSlug
  )
}

/** The plan a create without `billingPlanId` gets. */
export function defaultPlan(installation: Installation): BillingPlan {
  const plan = installation.billingPlans.find(
    (candidate) => !candidate.paymentMethodRequired && !candidate.disabled
  )
  if (!plan) throw new Error(`${installation.id} has no free billing plan`)
  return plan
}
