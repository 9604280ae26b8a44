/**
 * What the step tells its user: the outputs (set in `outputs.ts`), the job
 * summary's part (see `summary.ts`) and the closing log lines, for each
 * outcome of a run; and the same for a dry run's plan.
 */
import type { ActionInputs } from './inputs.ts'
import * as log from './log.ts'
import {
  setOutputs,
  setPruneOutputs,
  setRemovalOutputs,
  setWouldDeleteOutputs
} from './outputs.ts'
import type { Outcome, StoreReport } from './outcome.ts'
import type { ConnectionResult } from './project.ts'
import type {
  EnsureStoreResult,
  FoundStore,
  KeyedCreateStoreBody
} from './store.ts'
import {
  addDryRunCreateToSummary,
  addDryRunRemovalToSummary,
  addDryRunReuseToSummary,
  addPruneToSummary,
  addRemovalToSummary,
  addStoreToSummary
} from './summary.ts'

// Where the flows and the tests have always found them.
export type { Outcome, StoreReport } from './outcome.ts'

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
function dashboardUrl(
  store: FoundStore,
  { team }: Pick<ActionInputs, 'team'>
): string {
  const path = `/~/stores/integration/${encodeURIComponent(store.id)}`
  if (team && 'slug' in team) {
    return `https://vercel.com/${encodeURIComponent(team.slug)}${path}`
  }
  return `https://vercel.com/d?to=${encodeURIComponent(`/[team]${path}`)}`
}

const CREATE = 'POST /v1/storage/stores/integration/direct'

/**
 * Outputs, the summary and the closing lines of the log, for an outcome;
 * `updatedAt` is when the run ended, by its clock, as the summary shows it.
 */
export function reportOutcome(
  outcome: Outcome,
  { updatedAt }: { updatedAt: number }
): void {
  switch (outcome.kind) {
    case 'present':
      return reportPresent(outcome, updatedAt)
    case 'absent':
      return reportAbsent(outcome)
    case 'would-reuse': {
      const { report, connection, readEnv } = outcome
      setOutputs(report)
      addDryRunReuseToSummary(report, connection)
      log.info(
        `Dry run: would reuse store ${report.storeName} (${report.storeId}).${describeConnection(connection, readEnv)}${describePreview(outcome)}`
      )
      return warnOfDuplicates(report)
    }
    case 'would-create': {
      const { body, connection, readEnv } = outcome
      const shown = withHiddenValues(body)
      setOutputs(wouldCreateReport(body, outcome.productId))
      addDryRunCreateToSummary(shown, connection)
      return log.info(
        `Dry run: would create store ${body.name} with ${CREATE} and body ${JSON.stringify(shown)}.${describeConnection(connection, readEnv)}${describePreview(outcome)}`
      )
    }
    case 'prune':
    case 'would-prune':
      return reportPrune(outcome)
    case 'would-delete': {
      const { found, externalId, branchVariablesOf } = outcome
      setWouldDeleteOutputs(found, externalId)
      addDryRunRemovalToSummary(found, externalId)
      return log.info(
        found.length > 0
          ? `Dry run: would delete ${found.length} store(s): ${found.map(({ id }) => id).join(', ')}${branchVariablesOf === undefined ? '' : `, after the preview variables written for them on ${branchVariablesOf}`}`
          : `Dry run: no store has the key "${externalId}"; nothing would be deleted.`
      )
    }
  }
}

function reportPresent(
  {
    report,
    project,
    environments,
    redeploy
  }: Extract<Outcome, { kind: 'present' }>,
  updatedAt: number
): void {
  const { connection, env, exported } = report
  setOutputs(report, { redeploy })
  addStoreToSummary(report, { redeploy, updatedAt })
  log.info(
    `${report.created ? 'Created' : 'Reused'} store ${report.storeName} (${report.storeId}), status ${report.status}: ${report.dashboardUrl}`
  )
  if (connection) {
    log.info(
      `${connection.connected ? 'Connected' : 'Already connected'} to project ${project} (${connection.projectId}) for ${environments.join(', ')}: ${connection.envVarNames.join(', ')}`
    )
  }
  if (env) {
    log.info(
      `Read the values of ${Object.keys(env).join(', ') || 'no variable'} (${environments[0]}) into the "env" output${exported ? `, and ${exported.join(', ') || 'none of them'} into the job's environment` : ''}, each masked in the log.`
    )
  }
  warnOfDuplicates(report)
}

function reportAbsent({
  removed,
  externalId,
  nothingToDelete
}: Extract<Outcome, { kind: 'absent' }>): void {
  if (nothingToDelete !== undefined) {
    log.warning(`Nothing to delete: ${nothingToDelete}`)
  }
  setRemovalOutputs(removed, externalId)
  addRemovalToSummary(removed, externalId)
  if (nothingToDelete !== undefined) return
  log.info(
    removed.length > 0
      ? `Deleted ${removed.length} store(s): ${removed.map(({ id }) => id).join(', ')}`
      : `No store has the key "${externalId}"; nothing to delete.`
  )
}

/**
 * `state: prune`: the stores of closed pull requests and deleted branches,
 * deleted or not.
 */
function reportPrune(
  outcome: Extract<Outcome, { kind: 'prune' | 'would-prune' }>
): void {
  const { repository, kept } = outcome
  const slug = `${repository.owner}/${repository.repo}`
  const dryRun = outcome.kind === 'would-prune'
  const stores = dryRun
    ? outcome.closed.map(({ store, pullRequest, branch }) => ({
        id: store.id,
        name: store.name ?? '',
        pullRequest,
        branch,
        projects: (store.projectsMetadata ?? []).map(
          ({ name, projectId }) => name ?? projectId ?? 'unnamed project'
        )
      }))
    : outcome.deleted
  if (outcome.kind === 'prune' && outcome.nothingToPrune !== undefined) {
    log.warning(`Nothing to prune: ${outcome.nothingToPrune}`)
  }
  setPruneOutputs(dryRun ? [] : stores.map(({ id }) => id))
  const keptLine = keptOf(kept, outcome.keptBranches ?? 0)
  addPruneToSummary(stores, { repository: slug, keptLine, dryRun })
  const listed = stores
    .map(
      ({ id, pullRequest, branch }) =>
        `${id} (${branch === undefined ? `#${pullRequest}` : `branch ${branch}, deleted`})`
    )
    .join(', ')
  const variables =
    outcome.branchVariablesOf && stores.length > 0
      ? `, with the branch variables the action wrote for them on ${outcome.branchVariablesOf}`
      : ''
  const what = `${slug}'s closed pull requests and deleted branches`
  log.info(
    stores.length === 0
      ? `No store of ${what} in this installation and product; ${keptLine}`
      : dryRun
        ? `Dry run: would delete ${stores.length} store(s) of ${what}${variables}: ${listed}; ${keptLine}`
        : `Deleted ${stores.length} store(s) of ${what}${variables}: ${listed}; ${keptLine}`
  )
}

/** What the prune kept, as the log and the summary say it. */
function keptOf(kept: number, keptBranches: number): string {
  const branches =
    keptBranches > 0
      ? ` and ${keptBranches} of branches that are still there (or that GitHub did not answer for)`
      : ''
  return `${kept} store(s) of open pull requests${branches} kept.`
}

function warnOfDuplicates(report: StoreReport): void {
  if (report.duplicates.length === 0) return
  log.warning(
    `${report.duplicates.length + 1} stores share the key "${report.externalId}"; using the oldest, ${report.storeId}. Delete the others: ${report.duplicates.map(({ id }) => id).join(', ')}.`
  )
}

/**
 * What `git-branch` and `redeploy` would do; a dry run reads no value. A new
 * store's variables' names are known only once it is made: what is checked
 * then is said, since the dry run cannot check it.
 */
function describePreview({
  kind,
  gitBranch,
  redeploy
}: {
  kind: 'would-create' | 'would-reuse'
  gitBranch?: string
  redeploy: boolean
}): string {
  if (gitBranch === undefined) return ''
  const then = redeploy
    ? ", cancel the branch's builds under way that predate them, and redeploy its newest preview if it was built before them"
    : ''
  const check =
    kind === 'would-create'
      ? ` Once the store is made, and before it is connected, would check that branch ${gitBranch} has no variable of the store's names that someone else set (the names are known only then).`
      : ''
  return ` Would then write the store's variables of the names database stores give, by their own names, as preview variables of branch ${gitBranch} (those missing or changed)${then}.${check}`
}

function describeConnection(
  connection: ConnectionResult | undefined,
  readEnv: boolean
): string {
  if (!connection) return ''
  const project = `${connection.projectName ?? connection.projectId} (${connection.projectId})`
  const connected = connection.connected
    ? ` Would connect it to project ${project}.`
    : ` It is already connected to project ${project}.`
  return readEnv
    ? `${connected} Would then read its variables' values into "env"; a dry run reads none.`
    : connected
}

/**
 * The body as it may be shown: protocol settings can hold credentials, so
 * only their keys are.
 */
function withHiddenValues(body: KeyedCreateStoreBody): KeyedCreateStoreBody {
  if (!body.protocolSettings) return body
  return {
    ...body,
    protocolSettings: Object.fromEntries(
      Object.keys(body.protocolSettings).map((key) => [key, '***'])
    )
  }
}

/** The report of a store not created yet: no id, status or link. */
function wouldCreateReport(
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
