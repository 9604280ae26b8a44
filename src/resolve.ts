import { Inputs } from './constants.ts'
import { InputError, VercelApiError, teamValue } from './errors.ts'
import type { ActionInputs } from './inputs.ts'
import { checkMetadata } from './metadata.ts'
import type { IntegrationApi } from './vercel-api.ts'
import type {
  BillingPlan,
  TeamScope,
  ConfigurationProducts,
  IntegrationConfiguration,
  MetadataSchema
} from './vercel-types.ts'
import type { MetadataValue } from './vercel-types.ts'

/** The installation a store is created in. */
interface ResolvedInstallation {
  integrationConfigurationId: string
  /** Known when the installation was looked up, or the products listed. */
  integration?: { id?: string; slug?: string; name?: string }
}

/** Everything the create body and the store key need, as ids. */
export interface ResolvedTarget extends ResolvedInstallation {
  product: {
    id?: string
    slug?: string
    name?: string
    metadataSchema?: MetadataSchema
  }
  /** What the create body and the store key name the product by. */
  productIdOrSlug: string
  /** Checked against the product's schema, with `key=value` strings typed. */
  metadata?: Record<string, MetadataValue>
}

export type TargetInputs = Pick<
  ActionInputs,
  'integration' | 'product' | 'plan' | 'metadata' | 'metadataSyntax'
>

/** The team has no Marketplace installation of the integration named. */
export class NotInstalledError extends InputError {}

/**
 * An `icfg_` id costs no request; a slug is looked up. `team` is the input
 * as given, for saying whose installations were looked at.
 */
export async function resolveInstallation(
  api: IntegrationApi,
  integration: string,
  team?: TeamScope
): Promise<ResolvedInstallation> {
  if (integration.startsWith('icfg_')) {
    return { integrationConfigurationId: integration }
  }
  const installations = (await api.listInstallations(integration)).filter(
    (installation) =>
      installation.id &&
      (installation.slug === integration ||
        installation.integrationId === integration) &&
      (installation.installationType ?? 'marketplace') === 'marketplace' &&
      !installation.deletedAt
  )
  if (installations.length === 0) {
    throw await notInstalled(api, integration, team)
  }
  if (installations.length > 1) {
    throw new InputError(
      Inputs.integration,
      `names integration ${JSON.stringify(integration)}, which this team has installed ${installations.length} times: set it to the id of one: ${installations.map(describeInstallation).join('; ')}.`
    )
  }
  const [installation] = installations
  return {
    integrationConfigurationId: installation.id as string,
    integration: {
      id: installation.integrationId,
      slug: installation.slug,
      name: installation.integration?.name
    }
  }
}

/**
 * The error for an integration the account has not installed. It lists what
 * the account has installed (one more request, on this failing path only),
 * since the usual cause is a typo or the wrong account, and builds no link
 * from the value given.
 */
async function notInstalled(
  api: IntegrationApi,
  integration: string,
  team: TeamScope | undefined
): Promise<NotInstalledError> {
  const account = team
    ? `team ${JSON.stringify(teamValue(team))}`
    : `the personal account of the token's user ("${Inputs.team}" is empty, so no team was used)`
  const installed = await api.listInstallations().then(
    (all) => [
      ...new Set(
        all
          .filter(({ deletedAt }) => !deletedAt)
          .map(({ slug, integrationId }) => slug ?? integrationId)
          .filter((slug) => slug !== undefined)
      )
    ],
    () => undefined
  )
  const has =
    installed === undefined
      ? ''
      : installed.length === 0
        ? '; it has no Marketplace integration installed'
        : `; it has installed ${installed.map((slug) => JSON.stringify(slug)).join(', ')}`
  const change = team
    ? `set "${Inputs.integration}" to one of those, or install ${JSON.stringify(integration)} once from the Vercel Marketplace in the dashboard (Integrations → Browse Marketplace)`
    : `set "${Inputs.team}" to the slug of the team that installed it (the name after vercel.com/ in the team's dashboard URL)`
  return new NotInstalledError(
    Inputs.integration,
    `is ${JSON.stringify(integration)}, which ${account} has not installed from the Vercel Marketplace${has}: ${change}.`
  )
}

function describeInstallation(installation: IntegrationConfiguration): string {
  const status =
    installation.status ?? (installation.disabledAt ? 'disabled' : 'active')
  const created = installation.createdAt
    ? new Date(installation.createdAt).toISOString().slice(0, 10)
    : 'unknown'
  return `${installation.id} (${status}, created ${created})`
}

/**
 * The products list is asked for only when something needs it: a product
 * given by slug or name, metadata to check, or a plan to look up (which
 * needs the integration's id).
 */
export function needsProducts(inputs: TargetInputs): boolean {
  return (
    !inputs.product.startsWith('iap_') ||
    inputs.metadata !== undefined ||
    inputs.plan !== undefined
  )
}

export async function resolveProduct(
  api: IntegrationApi,
  installation: ResolvedInstallation,
  inputs: TargetInputs
): Promise<ResolvedTarget> {
  if (!needsProducts(inputs)) {
    return {
      ...installation,
      product: { id: inputs.product },
      productIdOrSlug: inputs.product
    }
  }
  const listed = await listProducts(
    api,
    installation.integrationConfigurationId
  )
  const storage = listed.products.filter(isStorageProduct)
  const wanted = inputs.product.toLowerCase()
  const product =
    storage.find(
      ({ id, slug }) => id === inputs.product || slug === inputs.product
    ) ?? storage.find(({ name }) => name?.toLowerCase() === wanted)
  if (!product?.id || !product.slug) {
    throw new InputError(
      Inputs.product,
      `${JSON.stringify(inputs.product)} is not a storage product of installation ${installation.integrationConfigurationId}; its products are ${
        storage.map(({ slug, name }) => `${slug} (${name})`).join(', ') ||
        'none'
      }.`
    )
  }
  const metadata =
    inputs.metadata === undefined
      ? undefined
      : checkMetadata(
          inputs.metadata,
          inputs.metadataSyntax ?? 'json',
          product.metadataSchema ?? { type: 'object', properties: {} },
          product.name ?? product.slug
        )
  return {
    integrationConfigurationId: installation.integrationConfigurationId,
    integration: { ...listed.integration, ...installation.integration },
    product: {
      id: product.id,
      slug: product.slug,
      name: product.name,
      metadataSchema: product.metadataSchema
    },
    // Listings carry the slug even where they leave out the product's id.
    productIdOrSlug: product.slug,
    metadata
  }
}

async function listProducts(
  api: IntegrationApi,
  integrationConfigurationId: string
): Promise<ConfigurationProducts> {
  try {
    return await api.listProducts(integrationConfigurationId)
  } catch (error) {
    if (error instanceof VercelApiError && error.status === 404) {
      throw new InputError(
        Inputs.integration,
        `${JSON.stringify(integrationConfigurationId)} is not a Marketplace installation of this team (Vercel answered 404): check "${Inputs.team}", or give the integration's slug (like neon) instead.`
      )
    }
    throw error
  }
}

// A product without protocol details is kept: the create call will judge it.
function isStorageProduct(product: {
  primaryProtocol?: string
  protocols?: Record<string, unknown>
}): boolean {
  if (product.primaryProtocol) return product.primaryProtocol === 'storage'
  return product.protocols === undefined || 'storage' in product.protocols
}

interface PlanInputs {
  plan: string
  prepaymentAmountCents?: number
}

/**
 * The billing plan by id or name (case-insensitive), asked for with the
 * metadata the store will be created with, like the CLI.
 */
export async function resolvePlan(
  api: IntegrationApi,
  target: ResolvedTarget,
  { plan, prepaymentAmountCents }: PlanInputs
): Promise<BillingPlan & { id: string }> {
  const integration = target.integration?.id ?? target.integration?.slug
  if (!integration) {
    throw new Error('resolvePlan needs the integration, from resolveProduct')
  }
  const plans = await api.listPlans({
    integrationIdOrSlug: integration,
    productIdOrSlug: target.product.id ?? target.productIdOrSlug,
    integrationConfigurationId: target.integrationConfigurationId,
    metadata: target.metadata ?? {}
  })
  const wanted = plan.toLowerCase()
  const chosen =
    plans.find(({ id }) => id === plan) ??
    plans.find(({ name }) => name?.toLowerCase() === wanted)
  if (!chosen?.id || chosen.disabled) {
    const available = plans.filter(({ id, disabled }) => id && !disabled)
    throw new InputError(
      Inputs.plan,
      `${JSON.stringify(plan)} is ${chosen ? 'a plan that is no longer offered' : 'not a plan'} of ${target.product.name ?? target.productIdOrSlug}; choose one of: ${available.map(describePlan).join('; ') || 'none'}.`
    )
  }
  if (chosen.type === 'prepayment') {
    checkPrepayment(chosen, prepaymentAmountCents)
  }
  return chosen as BillingPlan & { id: string }
}

function describePlan(plan: BillingPlan): string {
  const cost =
    plan.cost ??
    (plan.type === 'prepayment'
      ? `prepaid ${dollars(plan.minimumAmount)} to ${dollars(plan.maximumAmount)}`
      : plan.paymentMethodRequired
        ? 'paid'
        : 'free')
  return `${plan.name} (${plan.id}, ${plan.type}, ${cost})`
}

/**
 * `minimumAmount` and `maximumAmount` are strings without a stated unit; they
 * are read as dollars ("10.00"), the unit of the plans' `cost` texts. This is
 * a guess: the official schema says nothing more.
 */
function checkPrepayment(plan: BillingPlan, cents: number | undefined): void {
  const minimum = toCents(plan.minimumAmount)
  const maximum = toCents(plan.maximumAmount)
  const bounds = `from ${minimum ?? 50} to ${maximum ?? 'any amount of'} cents (${dollars(plan.minimumAmount)} to ${dollars(plan.maximumAmount)})`
  if (cents === undefined) {
    throw new InputError(
      Inputs.prepaymentAmountCents,
      `is required for the prepayment plan ${plan.name} (${plan.id}): give an amount ${bounds}.`
    )
  }
  if (
    (minimum !== undefined && cents < minimum) ||
    (maximum !== undefined && cents > maximum)
  ) {
    throw new InputError(
      Inputs.prepaymentAmountCents,
      `must be ${bounds} for the prepayment plan ${plan.name} (${plan.id}); got ${cents}.`
    )
  }
}

function toCents(amount: string | undefined): number | undefined {
  if (amount === undefined) return undefined
  const value = Number(amount.replace(/^\$/, ''))
  return Number.isFinite(value) ? Math.round(value * 100) : undefined
}

function dollars(amount: string | undefined): string {
  return amount === undefined ? 'any' : `$${amount.replace(/^\$/, '')}`
}
