import * as core from '@actions/core'
import * as log from './log.ts'
import {
  capped,
  code,
  escape,
  escapeLines,
  link,
  listItems,
  listed,
  MAX_LISTED_WITHIN,
  MAX_MESSAGE_LENGTH
} from './markup.ts'
import type { StoreReport } from './outcome.ts'
import type { ConnectionResult } from './project.ts'
import {
  detailsBlock,
  glanceTable,
  runHeading,
  type ViewOptions
} from './store-view.ts'
import type { FoundStore, KeyedCreateStoreBody, RemovedStore } from './store.ts'

type SummaryTable = Parameters<typeof core.summary.addTable>[0]

/**
 * A store of a closed pull request, or of a deleted branch, as the prune's
 * summary lists it.
 */
interface PruneRow {
  id: string
  name: string
  pullRequest?: number
  branch?: string
  projects: string[]
}

/**
 * Adds the store to the job summary (written once, at the end of the step):
 * what this run did as the heading, then the same table and collapsed ids
 * and names as the pull request comment (`store-view.ts`).
 */
export function addStoreToSummary(
  report: StoreReport,
  options: ViewOptions
): void {
  core.summary
    .addHeading(runHeading(report), 2)
    .addRaw(glanceTable(report, options), true)
  addDuplicates(report)
  core.summary.addRaw(detailsBlock(report), true)
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
  const variables = listed(connection.envVarNames.map(code))
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
      listItems(
        report.duplicates.map(
          ({ id, name, dashboardUrl }) =>
            `${link(name || id, dashboardUrl)} ${code(id)}`
        )
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
      `<pre lang="json"><code>${escapeLines(JSON.stringify(body, null, 2))}</code></pre>`,
      true
    )
  if (connection) addConnection(connection, true)
}

export function addDryRunRemovalToSummary(
  found: FoundStore[],
  externalId: string
): void {
  const stores = listed(
    found.map(({ id, name }) => `${escape(name ?? '')} ${code(id)}`)
  )
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
    ...capped(removed).shown.map(({ name, id, projects }) => [
      escape(name),
      code(id),
      listed(projects.map(code), MAX_LISTED_WITHIN) || '—'
    ])
  ]
  const more = capped(removed).more
  core.summary
    .addHeading(
      removed.length === 1
        ? `Deleted Vercel store ${escape(removed[0].name)}`
        : `Deleted ${removed.length} Vercel stores with one key`,
      2
    )
    .addTable(rows)
    .addRaw(
      `<p>${more > 0 ? `…and ${more} more, not listed here. ` : ''}Key: ${code(externalId)}.</p>`,
      true
    )
}

/**
 * `state: prune`: the stores of closed pull requests and deleted branches,
 * deleted or not.
 */
export function addPruneToSummary(
  stores: PruneRow[],
  {
    repository,
    keptLine,
    dryRun
  }: { repository: string; keptLine: string; dryRun: boolean }
): void {
  if (stores.length === 0) {
    core.summary
      .addHeading(
        'Prune: no Vercel store of a closed pull request or deleted branch',
        2
      )
      .addRaw(`<p>Repository ${code(repository)}: ${keptLine}</p>`, true)
    return
  }
  const rows: SummaryTable = [
    [
      { data: 'Pull request or branch', header: true },
      { data: 'Store', header: true },
      { data: 'Id', header: true },
      {
        data: dryRun ? 'Projects connected' : 'Projects disconnected',
        header: true
      }
    ],
    ...capped(stores).shown.map(
      ({ pullRequest, branch, name, id, projects }) => [
        branch === undefined
          ? escape(`#${pullRequest}`)
          : `branch ${code(branch)} (deleted)`,
        escape(name),
        code(id),
        listed(projects.map(code), MAX_LISTED_WITHIN) || '—'
      ]
    )
  ]
  const more = capped(stores).more
  core.summary
    .addHeading(
      dryRun
        ? `Dry run: would delete ${stores.length} Vercel store(s) of closed pull requests and deleted branches`
        : `Pruned ${stores.length} Vercel store(s) of closed pull requests and deleted branches`,
      2
    )
    .addTable(rows)
    .addRaw(
      `<p>${more > 0 ? `…and ${more} more, not listed here. ` : ''}${dryRun ? 'Nothing was changed. ' : ''}Repository ${code(repository)}: ${keptLine}</p>`,
      true
    )
}

export function addFailureToSummary(message: string): void {
  core.summary
    .addHeading('Vercel store: failed', 2)
    .addRaw(`<p>❌ ${escape(message, MAX_MESSAGE_LENGTH)}</p>`, true)
}

/** Writes the summary; a summary that can't be written is only a warning. */
export async function writeSummary(): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.write()
  } catch (error) {
    log.warning(`Could not write the job summary: ${(error as Error).message}`)
  }
}
