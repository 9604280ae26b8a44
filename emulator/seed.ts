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
}

export interface BillingPlan {
  id: string
  type: 'subscription' | 'prepayment'
  name: string
  scope: 'installation' | 'resource'
  description: string
  paymentMethodRequired: boolean
}

export interface Installation {
  id: string
  teamId: string
  integration: Integration
  products: Product[]
  billingPlans: BillingPlan[]
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

const NEON_POSTGRES: Product = {
  id: 'iap_emu_neon',
  slug: 'neon',
  name: 'Neon Postgres',
  secrets: [
    'DATABASE_URL',
    'DATABASE_URL_UNPOOLED',
    'PGHOST',
    'PGUSER',
    'PGPASSWORD',
    'PGDATABASE'
  ]
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
  ]
}

const UPSTASH_VECTOR: Product = {
  id: 'iap_emu_upstash_vector',
  slug: 'upstash-vector',
  name: 'Upstash Vector',
  secrets: [
    'UPSTASH_VECTOR_REST_URL',
    'UPSTASH_VECTOR_REST_TOKEN',
    'UPSTASH_VECTOR_REST_READONLY_TOKEN'
  ]
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
  billingPlans: [freePlan('bp_emu_neon_free')]
}

export const UPSTASH_INSTALLATION: Installation = {
  id: 'icfg_emuUpstash0001',
  teamId: TEAM.id,
  integration: UPSTASH,
  products: [UPSTASH_KV, UPSTASH_VECTOR],
  billingPlans: [freePlan('bp_emu_upstash_free')]
}

/** The other team's own Neon installation, so cross-team tests mean something. */
export const OTHER_TEAM_NEON_INSTALLATION: Installation = {
  id: 'icfg_globexNeon01',
  teamId: OTHER_TEAM.id,
  integration: NEON,
  products: [NEON_POSTGRES],
  billingPlans: [freePlan('bp_emu_globex_neon_free')]
}

export const INSTALLATIONS: Installation[] = [
  NEON_INSTALLATION,
  UPSTASH_INSTALLATION,
  OTHER_TEAM_NEON_INSTALLATION
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
    (candidate) => !candidate.paymentMethodRequired
  )
  if (!plan) throw new Error(`${installation.id} has no free billing plan`)
  return plan
}
