import * as core from '@actions/core'
import type { RemovedStore } from './remove.js'
import type { StoreReport } from './report.js'

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
  if (report.connection) {
    const { connection } = report
    const project = connection.projectName
      ? `${code(connection.projectName)} (${code(connection.projectId)})`
      : code(connection.projectId)
    core.summary.addRaw(
      `<p>${connection.connected ? 'Connected to project' : 'Already connected to project'} ${project}; variables (names only): ${connection.envVarNames.map(code).join(', ') || 'none'}</p>`,
      true
    )
  }
  if (report.duplicates.length > 0) {
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
