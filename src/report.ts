import type { BranchWrite } from './branch-env.js'
import type { ConnectionResult } from './connect.js'
import type { ActionInputs } from './inputs.js'
import type { Redeployed } from './redeploy.js'
import type { EnsureStoreResult, FoundStore } from './store.js'

/** What the step tells its user, in outputs and in the job summary. */
export interface StoreReport {
  storeId: string
  storeName: string
  externalId: string
  created: boolean
  status: string
  integrationConfigurationId: string
  productId: string
  productName: string
  billingPlanId: string
  billingPlanName: string
  dashboardUrl: string
  secretNames: string[]
  duplicates: { id: string; name: string; dashboardUrl: string }[]
  /** The project the store is connected to, where the step asked for one. */
  connection?: ConnectionResult
  /**
   * The store's variables and their values, by the store's own names, where
   * `read-env`, `export-env` or `git-branch` read them.
   */
  env?: Record<string, string>
  /** What `git-branch` wrote. */
  branch?: BranchWrite
  /** The preview `redeploy` rebuilt, if any. */
  redeployed?: Redeployed
}

/** The inputs a report reads, with the installation and product resolved. */
export type ReportInputs = Pick<
  ActionInputs,
  'name' | 'externalId' | 'team'
> & {
  integrationConfigurationId: string
  /** `iap_…` id, or the slug where the id is not known. */
  product: string
}

export function buildReport(
  { store, created, duplicates }: EnsureStoreResult,
  inputs: ReportInputs
): StoreReport {
  const product = store.product ?? {}
  return {
    storeId: store.id,
    storeName: store.name ?? inputs.name,
    externalId: inputs.externalId,
    created,
    status: store.status ?? 'unknown',
    integrationConfigurationId:
      product.integrationConfigurationId ?? inputs.integrationConfigurationId,
    productId:
      product.id ?? (inputs.product.startsWith('iap_') ? inputs.product : ''),
    productName: product.name ?? product.slug ?? inputs.product,
    billingPlanId: store.billingPlan?.id ?? '',
    billingPlanName: store.billingPlan?.name ?? '',
    dashboardUrl: dashboardUrl(store, inputs),
    secretNames: (store.secrets ?? []).flatMap(({ name }) => name ?? []),
    duplicates: duplicates.map((duplicate) => ({
      id: duplicate.id,
      name: duplicate.name ?? '',
      dashboardUrl: dashboardUrl(duplicate, inputs)
    }))
  }
}

/**
 * The store's page in the Vercel dashboard. The team's slug is in the path
 * where the user gave one; otherwise Vercel's `/d?to=` link lets the
 * dashboard fill in the team.
 */
export function dashboardUrl(
  store: FoundStore,
  { team }: Pick<ActionInputs, 'team'>
): string {
  const path = `/~/stores/integration/${encodeURIComponent(store.id)}`
  if (team && 'slug' in team) {
    return `https://vercel.com/${encodeURIComponent(team.slug)}${path}`
  }
  return `https://vercel.com/d?to=${encodeURIComponent(`/[team]${path}`)}`
}
