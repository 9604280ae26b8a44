/**
 * The store as a reviewer reads it at a glance, the same in the pull request
 * comment and in the job summary (issue 21): one short table (the store
 * linked to its dashboard page, its status, the branch it serves, the
 * preview, when this was written), then, collapsed, the ids and each
 * variable's name once, with where it went. Vercel's own bot comment, one
 * table of project, deployment, preview and time, is what reviewers know.
 *
 * Every string from an answer goes through `markup.ts`; the only links are
 * the dashboard's and the preview's (`previewLink`). Each part is one HTML
 * line, so that no blank line can end the HTML and start Markdown.
 */
import {
  capped,
  code,
  escape,
  link,
  listed,
  previewLink,
  MAX_LISTED_WITHIN
} from './markup.ts'
import type { StoreReport } from './outcome.ts'

export interface ViewOptions {
  /** Whether the step had `redeploy`: says why a preview has no link. */
  redeploy: boolean
  /** When the run ended, in ms since the epoch, by the run's clock. */
  updatedAt: number
}

/** The one-row table: store, status, branch, preview, updated. */
export function glanceTable(report: StoreReport, options: ViewOptions): string {
  return table(
    ['Store', 'Status', 'Branch', 'Preview', 'Updated (UTC)'],
    [
      [
        link(report.storeName, report.dashboardUrl),
        escape(report.status),
        report.branch ? code(report.branch.branch) : '—',
        previewCell(report, options.redeploy),
        shownTime(options.updatedAt)
      ]
    ]
  )
}

/**
 * What this run did, for the summary's heading: "Created Vercel store
 * web-pr-42-…, cancelled 1 build that predated its variables, redeployed its
 * preview".
 */
export function runHeading(report: StoreReport): string {
  return [
    `${report.created ? 'Created' : 'Reused'} Vercel store ${escape(report.storeName)}`,
    ...previewDeeds(report)
  ].join(', ')
}

/** The same, for the comment's first line. */
export function runLine(report: StoreReport): string {
  return [
    report.created ? 'created by this run' : 'found by its key and reused',
    ...previewDeeds(report)
  ].join(', ')
}

function previewDeeds({ cancelled, redeployed }: StoreReport): string[] {
  const stopped = cancelled?.ids.length ?? 0
  return [
    ...(stopped > 0
      ? [
          `cancelled ${stopped === 1 ? '1 build' : `${stopped} builds`} that predated its variables`
        ]
      : []),
    ...(redeployed ? ['redeployed its preview'] : [])
  ]
}

/**
 * The collapsed part: the ids, and each variable by name once, with where
 * it went. Names only: no value is ever in the report's text.
 */
export function detailsBlock(report: StoreReport): string {
  return [
    '<details><summary>Ids and variables (names only)</summary>',
    table([], idRows(report)),
    variableTable(report),
    '</details>'
  ]
    .filter(Boolean)
    .join('\n')
}

function previewCell(
  { branch, redeployed, currentPreview }: StoreReport,
  redeploy: boolean
): string {
  if (redeployed) {
    return previewLink(redeployed.url) ?? `rebuilding as ${code(redeployed.id)}`
  }
  // `redeploy` found the branch's newest preview built with the variables:
  // linked where its host is a deployment's, else said in words.
  const current = currentPreview && previewLink(currentPreview.url)
  if (current) return current
  return redeploy && branch ? 'no rebuild needed' : '—'
}

function idRows(report: StoreReport): string[][] {
  const { connection, branch, redeployed, cancelled } = report
  const plan = report.billingPlanName || report.billingPlanId
  const rows = [
    ['Key', code(report.externalId)],
    [
      'Store',
      `${code(report.storeId)}, ${report.created ? 'created by this run' : 'found by its key and reused'}`
    ],
    [
      'Product',
      `${escape(report.productName)}${plan ? `, plan ${escape(plan)}` : ''}`
    ],
    ['Installation', code(report.integrationConfigurationId)]
  ]
  if (connection) {
    const project = connection.projectName
      ? `${code(connection.projectName)} (${code(connection.projectId)})`
      : code(connection.projectId)
    const environments = listed(
      connection.environments.map(code),
      MAX_LISTED_WITHIN
    )
    rows.push([
      'Project',
      `${project}, ${connection.connected ? 'connected by this run' : 'already connected'}${environments ? ` for ${environments}` : ''}${connection.envVarPrefix ? `, its variables named ${code(connection.envVarPrefix)}…` : ''}`
    ])
  }
  if (branch) {
    rows.push([
      'Branch',
      `${code(branch.branch)}: ${
        branch.written.length > 0
          ? `${branch.written.length} of its ${branch.names.length} preview variables from this store written by this run`
          : `its ${branch.names.length} preview variables already this store's, nothing written`
      }`
    ])
  }
  if (cancelled && cancelled.ids.length > 0) {
    rows.push([
      'Cancelled',
      `the branch's builds created before its variables, which would have built against the project's other ones: ${listed(cancelled.ids.map(code))}`
    ])
  }
  if (cancelled && cancelled.finishedFirst.length > 0) {
    rows.push([
      'Not cancelled',
      `built before its variables, finished before it could be cancelled: ${listed(cancelled.finishedFirst.map(code))}`
    ])
  }
  if (redeployed) {
    rows.push([
      'Redeployed',
      `${code(redeployed.id)}, a rebuild of the branch's newest preview ${code(redeployed.of)}, built before its variables`
    ])
  }
  return rows.map(([name, value]) => [`<b>${name}</b>`, value])
}

const CHECK = '✓'

/**
 * Each variable once, by the name the app reads, with a column for each
 * place it went: the project (under the connection's prefix), the `env`
 * output, the branch's preview variables, the job's environment.
 */
function variableTable(report: StoreReport): string {
  const { connection, env, branch, exported } = report
  const prefix = connection?.envVarPrefix ?? ''
  const onProject = new Set(
    (connection?.envVarNames ?? []).map((name) =>
      prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name
    )
  )
  const inEnv = new Set(Object.keys(env ?? {}))
  const written = new Set(branch?.written ?? [])
  const onBranch = new Set(branch?.names ?? [])
  const inJob = new Set(exported ?? [])
  const names = [
    ...new Set([
      ...report.secretNames,
      ...onProject,
      ...inEnv,
      ...onBranch,
      ...inJob
    ])
  ]
  if (names.length === 0) return ''
  const columns: { header: string; cell: (name: string) => string }[] = []
  if (connection) {
    columns.push({
      header: `Project ${code(connection.projectName ?? connection.projectId)}${prefix ? `, as ${code(prefix)}…` : ''}`,
      cell: (name) => (onProject.has(name) ? CHECK : '—')
    })
  }
  if (env) {
    columns.push({
      header: `${code('env')} output`,
      cell: (name) => (inEnv.has(name) ? CHECK : '—')
    })
  }
  if (branch) {
    columns.push({
      header: `Branch ${code(branch.branch)}`,
      cell: (name) =>
        written.has(name) ? 'written' : onBranch.has(name) ? CHECK : '—'
    })
  }
  if (exported) {
    columns.push({
      header: "Job's environment",
      cell: (name) => (inJob.has(name) ? CHECK : '—')
    })
  }
  const { shown, more } = capped(names)
  const rows = shown.map((name) => [
    code(name),
    ...columns.map(({ cell }) => cell(name))
  ])
  if (more > 0) rows.push([`…and ${more} more`, ...columns.map(() => '')])
  return table(['Variable', ...columns.map(({ header }) => header)], rows)
}

/** A table on one line: cells are already escaped. */
function table(headers: string[], rows: string[][]): string {
  const head =
    headers.length > 0
      ? `<tr>${headers.map((cell) => `<th>${cell}</th>`).join('')}</tr>`
      : ''
  const body = rows
    .map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
    .join('')
  return `<table>${head}${body}</table>`
}

const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec'
]

/** `Jan 5, 2026 3:04pm`, in UTC, as Vercel's comment shows its times. */
function shownTime(ms: number): string {
  const time = new Date(ms)
  const hours = time.getUTCHours()
  const minutes = String(time.getUTCMinutes()).padStart(2, '0')
  return `${MONTHS[time.getUTCMonth()]} ${time.getUTCDate()}, ${time.getUTCFullYear()} ${hours % 12 || 12}:${minutes}${hours < 12 ? 'am' : 'pm'}`
}
