import * as core from '@actions/core'
import type { ConnectionResult } from './connect.js'
import type { RemovedStore } from './remove.js'
import type { StoreReport } from './report.js'
import type { FoundStore, KeyedCreateStoreBody } from './store.js'

type SummaryTable = Parameters<typeof core.summary.addTable>[0]

/** Adds the store to the job summary (written once, at the end of the step). */
export function addStoreToSummary(report: StoreReport): void {
  const action = report.created ? 'Created' : 'Reused'
  const rows: SummaryTable = [
    [
      { data: 'Store', header: true },
      { data: 'Product', header: true },
      { data: 'Status', header: true },
      { data: 'Plan', header: true },
      { data: 'External id', header: true }
    ],
    [
      link(report.storeName, report.dashboardUrl),
      escape(report.productName),
      escape(report.status),
      escape(report.billingPlanName || report.billingPlanId || '—'),
      code(report.externalId)
    ]
  ]
  core.summary
    .addHeading(`${action} Vercel store ${escape(report.storeName)}`, 2)
    .addTable(rows)
    .addRaw(
      `<p>${report.created ? 'Created by this run' : 'Found by its key and reused'}: ${code(report.storeId)} in installation ${code(report.integrationConfigurationId)}. ${link('Open it in the Vercel dashboard', report.dashboardUrl)}.</p>`,
      true
    )
  if (report.secretNames.length > 0) {
    core.summary.addRaw(
      `<p>Secrets (names only): ${report.secretNames.map(code).join(', ')}</p>`,
      true
    )
  }
  if (report.connection) addConnection(report.connection)
  if (report.env) {
    core.summary.addRaw(
      `<p>Values read into the <code>env</code> output, masked in the log (names only): ${Object.keys(report.env).map(code).join(', ') || 'none'}</p>`,
      true
    )
  }
  addDuplicates(report)
}

function addConnection(
  connection: ConnectionResult,
  wouldConnect = false
): void {
  const project = connection.projectName
    ? `${code(connection.projectName)} (${code(connection.projectId)})`
    : code(connection.projectId)
  const what = !connection.connected
    ? 'Already connected to project'
    : wouldConnect
      ? 'A real run would connect it to project'
      : 'Connected to project'
  const variables = connection.envVarNames.map(code).join(', ')
  core.summary.addRaw(
    `<p>${what} ${project}${variables || !wouldConnect ? `; variables (names only): ${variables || 'none'}` : ''}</p>`,
    true
  )
}

function addDuplicates(report: StoreReport): void {
  if (report.duplicates.length === 0) return
  core.summary
    .addRaw(
      `<p>⚠️ ${report.duplicates.length} more store(s) share this key, probably from runs that overlapped; the oldest is used. Remove the others:</p>`,
      true
    )
    .addList(
      report.duplicates.map(
        ({ id, name, dashboardUrl }) =>
          `${link(name || id, dashboardUrl)} ${code(id)}`
      )
    )
}

export function addDryRunReuseToSummary(
  report: StoreReport,
  connection: ConnectionResult | undefined
): void {
  core.summary
    .addHeading(
      `Dry run: would reuse Vercel store ${escape(report.storeName)}`,
      2
    )
    .addRaw(
      `<p>Nothing was changed. The store ${code(report.storeId)} in installation ${code(report.integrationConfigurationId)} has this step's key ${code(report.externalId)}; a real run would reuse it.</p>`,
      true
    )
  if (connection) addConnection(connection, true)
  addDuplicates(report)
}

export function addDryRunCreateToSummary(
  body: KeyedCreateStoreBody,
  connection: ConnectionResult | undefined
): void {
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
  if (connection) addConnection(connection, true)
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

/** `state: absent`: every store deleted, with the projects it left. */
export function addRemovalToSummary(
  removed: RemovedStore[],
  externalId: string
): void {
  if (removed.length === 0) {
    core.summary
      .addHeading('No Vercel store to delete', 2)
      .addRaw(`<p>No store has the key ${code(externalId)}.</p>`, true)
    return
  }
  const rows: SummaryTable = [
    [
      { data: 'Store', header: true },
      { data: 'Id', header: true },
      { data: 'Projects disconnected', header: true }
    ],
    ...removed.map(({ name, id, projects }) => [
      escape(name),
      code(id),
      projects.map(code).join(', ') || '—'
    ])
  ]
  core.summary
    .addHeading(
      removed.length === 1
        ? `Deleted Vercel store ${escape(removed[0].name)}`
        : `Deleted ${removed.length} Vercel stores with one key`,
      2
    )
    .addTable(rows)
    .addRaw(`<p>Key: ${code(externalId)}.</p>`, true)
}

export function addFailureToSummary(message: string): void {
  core.summary
    .addHeading('Vercel store: failed', 2)
    .addRaw(`<p>❌ ${escape(message)}</p>`, true)
}

/** Writes the summary; a summary that can't be written is only a warning. */
export async function writeSummary(): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${(error as Error).message}`)
  }
}

export function link(text: string, href: string): string {
  return `<a href="${escape(href)}">${escape(text)}</a>`
}

export function code(text: string): string {
  return `<code>${escape(text)}</code>`
}

export function escape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[
        char
      ] as string
  )
}
