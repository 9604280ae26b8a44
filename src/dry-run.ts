import * as core from '@actions/core'
import type { StoreReport } from './report.js'
import {
  type FoundStore,
  findStores,
  keyOf,
  oldestOf,
  type EnsureStoreResult,
  type KeyedCreateStoreBody
} from './store.js'
import { code, escape } from './summary.js'
import type { StoreApi } from './vercel/store-api.js'

export type DryRunResult =
  | { action: 'reuse'; result: EnsureStoreResult }
  | { action: 'create'; body: KeyedCreateStoreBody }

/**
 * What a real run would do, with every read a real run makes and no write:
 * the store it would reuse, or the exact body it would create one with.
 */
export async function dryRun(
  api: StoreApi,
  body: KeyedCreateStoreBody,
  prepareCreate: (body: KeyedCreateStoreBody) => Promise<KeyedCreateStoreBody>
): Promise<DryRunResult> {
  const existing = await findStores(api, keyOf(body))
  if (existing.length > 0) {
    return { action: 'reuse', result: oldestOf(existing, false) }
  }
  return { action: 'create', body: await prepareCreate(body) }
}

/** The report of a store not created yet: no id, status or link. */
export function wouldCreateReport(
  body: KeyedCreateStoreBody,
  productId: string
): StoreReport {
  return {
    storeId: '',
    storeName: body.name,
    externalId: body.externalId,
    created: false,
    status: '',
    integrationConfigurationId: body.integrationConfigurationId,
    productId,
    productName: body.integrationProductIdOrSlug,
    billingPlanId: body.billingPlanId ?? '',
    billingPlanName: '',
    dashboardUrl: '',
    secretNames: [],
    duplicates: []
  }
}

export function addDryRunReuseToSummary(report: StoreReport): void {
  core.summary
    .addHeading(
      `Dry run: would reuse Vercel store ${escape(report.storeName)}`,
      2
    )
    .addRaw(
      `<p>Nothing was changed. The store ${code(report.storeId)} in installation ${code(report.integrationConfigurationId)} has this step's key ${code(report.externalId)}; a real run would reuse it.</p>`,
      true
    )
}

export function addDryRunCreateToSummary(body: KeyedCreateStoreBody): void {
  core.summary
    .addHeading(`Dry run: would create Vercel store ${escape(body.name)}`, 2)
    .addRaw(
      `<p>Nothing was changed. No store has this step's key ${code(body.externalId)}; a real run would send <code>POST /v1/storage/stores/integration/direct</code> with this body:</p>`,
      true
    )
    .addRaw(
      `<pre lang="json"><code>${escape(JSON.stringify(body, null, 2))}</code></pre>`,
      true
    )
}

export function addDryRunRemovalToSummary(
  found: FoundStore[],
  externalId: string
): void {
  const stores = found
    .map(({ id, name }) => `${escape(name ?? '')} ${code(id)}`)
    .join(', ')
  core.summary
    .addHeading(
      found.length > 0
        ? `Dry run: would delete ${found.length === 1 ? 'one Vercel store' : `${found.length} Vercel stores`}`
        : 'Dry run: no Vercel store to delete',
      2
    )
    .addRaw(
      `<p>Nothing was changed. ${found.length > 0 ? `A real run would disconnect and delete ${stores}, which ${found.length === 1 ? 'has' : 'have'}` : 'No store has'} the key ${code(externalId)}.</p>`,
      true
    )
}
