import * as core from '@actions/core'
import type { ConnectionResult } from './project.ts'
import * as log from './log.ts'
import type { RemovedStore } from './store.ts'
import type { StoreReport } from './outcome.ts'
import type { FoundStore, KeyedCreateStoreBody } from './store.ts'

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
      `<p>Secrets (names only): ${listed(report.secretNames.map(code))}</p>`,
      true
    )
  }
  if (report.connection) addConnection(report.connection)
  if (report.env) {
    core.summary.addRaw(
      `<p>Values read into the <code>env</code> output, masked in the log (names only): ${listed(Object.keys(report.env).map(code)) || 'none'}</p>`,
      true
    )
  }
  addPreview(report)
  addDuplicates(report)
}

/** What `git-branch` wrote, and what `redeploy` cancelled and rebuilt. */
function addPreview({ branch, redeployed, cancelled }: StoreReport): void {
  if (branch) {
    const names = listed(branch.names.map(code)) || 'none'
    core.summary.addRaw(
      branch.written.length > 0
        ? `<p>Preview variables of the branch ${code(branch.branch)}, written by this run: ${listed(branch.written.map(code))}; every preview of the branch reads ${names} from this store.</p>`
        : `<p>Preview variables of the branch ${code(branch.branch)}: ${names}, already this store's; nothing written.</p>`,
      true
    )
  }
  if (cancelled && cancelled.ids.length > 0) {
    core.summary.addRaw(
      `<p>Cancelled the branch's builds created before its variables, which would have built against the project's other ones: ${listed(cancelled.ids.map(code))}.</p>`,
      true
    )
  }
  if (cancelled && cancelled.finishedFirst.length > 0) {
    core.summary.addRaw(
      `<p>Built before its variables, finished before it could be cancelled: ${listed(cancelled.finishedFirst.map(code))}.</p>`,
      true
    )
  }
  if (redeployed) {
    core.summary.addRaw(
      `<p>Redeployed the branch's newest preview ${code(redeployed.of)}, built before its variables: ${code(redeployed.id)}${redeployed.url ? ` at ${code(redeployed.url)}` : ''}.</p>`,
      true
    )
  }
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

/**
 * A link to the store's page in the Vercel dashboard. The address is built
 * by `dashboardUrl` from encoded ids; anything else is shown as text only, so
 * that no string from an API answer becomes a link.
 */
export function link(text: string, href: string): string {
  if (!href.startsWith(DASHBOARD)) return escape(text)
  return `<a href="${escapeHtml(href)}">${escape(text)}</a>`
}

export function code(text: string): string {
  return `<code>${escape(text)}</code>`
}

/*
 * Why: GitHub renders the summary as Markdown, in which the HTML this file
 * writes is raw HTML only until a blank line, and plain text can still make
 * links, images and autolinks. So every string from an API answer, the event
 * file or an error is cut to a bounded length, put on one line, and
 * entity-encoded wherever HTML or Markdown would read it as markup.
 */

const DASHBOARD = 'https://vercel.com/'
/** Characters of one name, id or key shown: the longest `external-id`. */
const MAX_TEXT_LENGTH = 256
/** Characters of a failure message shown. */
const MAX_MESSAGE_LENGTH = 2_000
/** Characters of the dry run's request body shown. */
const MAX_BODY_LENGTH = 20_000
/**
 * Items of one list shown, then "…and N more", and of a list within a list
 * (a deleted store's projects). With the lengths above, and at most 6
 * characters for one once encoded, a summary stays below 0.5 MB whatever a
 * listing holds: GitHub refuses one over 1 MiB.
 */
const MAX_LISTED = 25
const MAX_LISTED_WITHIN = 10

// Line breaks (CR, LF, NEL, U+2028, U+2029), other control characters, and
// the invisible marks that reorder text on screen.
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g

// What HTML reads, and what Markdown reads as a link, an image, code, a table
// cell or emphasis. `_` is left as it is: every id and variable name has
// one, and emphasis can add neither a link nor an image.
const MARKUP = /[&<>"'[\]()!`|\\*~#@]/g

/** The text on one line, bounded, with no HTML or Markdown in it. */
export function escape(text: string, maxLength = MAX_TEXT_LENGTH): string {
  return encode(truncated(text, maxLength).replace(UNPRINTABLE, ' '))
}

/** As `escape`, but line breaks stay: for a `<pre>` block. */
function escapeLines(text: string): string {
  return truncated(text, MAX_BODY_LENGTH)
    .split('\n')
    .map((line) => encode(line.replace(UNPRINTABLE, ' ')))
    .join('\n')
}

const NAMED_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;'
}

function entity(char: string): string {
  return NAMED_ENTITIES[char] ?? `&#${char.charCodeAt(0)};`
}

function encode(text: string): string {
  return (
    text
      .replace(MARKUP, entity)
      // Autolinks: `http://…`, `www.…` (and `user@host`, by `@` above).
      .replaceAll('://', '&#58;//')
      .replace(/(www)\./gi, '$1&#46;')
  )
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, entity)
}

function truncated(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text
  // Never half of a surrogate pair.
  const cut = /[\uD800-\uDBFF]/.test(text[maxLength - 1])
    ? maxLength - 1
    : maxLength
  return `${text.slice(0, cut)}…`
}

function capped<T>(items: T[], limit = MAX_LISTED) {
  return {
    shown: items.slice(0, limit),
    more: Math.max(0, items.length - limit)
  }
}

/** Items joined by commas, the list cut after `limit`. */
function listed(items: string[], limit = MAX_LISTED): string {
  const { shown, more } = capped(items, limit)
  return more > 0 ? `${shown.join(', ')} …and ${more} more` : shown.join(', ')
}

/** List items, cut after MAX_LISTED with a last item saying how many more. */
function listItems(items: string[]): string[] {
  const { shown, more } = capped(items)
  return more > 0 ? [...shown, `…and ${more} more`] : shown
}
