/**
 * The store of a `state: present` run: the one with the step's key, or the
 * body to create one with (its billing plan looked up), planned by
 * `planStore` before anything is written; created and waited for by
 * `applyStore`. Two checks keep the stores in bounds (issue 19): the
 * team's settings (`targets`, e.g. Production only) must let the store's
 * credentials reach the environments the step hands them to, and
 * `max-stores` caps this repository's stores of the product.
 */
import { Inputs } from './constants.ts'
import { ActionError } from './errors.ts'
import type { ActionInputs } from './inputs.ts'
import { pullRequestOfStoreName, type Repository } from './naming.ts'
import type { StoreReport } from './outcome.ts'
import { buildReport, type ReportInputs } from './report.ts'
import { resolvePlan, type ResolvedTarget } from './resolve.ts'
import type { Step } from './step.ts'
import { waitUntilAvailable } from './store-wait.ts'
import {
  createStore,
  findStoresInListing,
  isSameProduct,
  keyOf,
  oldestOf,
  withDetails,
  type EnsureStoreResult,
  type KeyedCreateStoreBody
} from './store.ts'
import { isStandardEnvironment } from './vercel-names.ts'
import type { VercelStore } from './vercel-types.ts'

/** The store to reuse, or the body to create one with. */
export type StorePlan =
  | {
      action: 'reuse'
      found: EnsureStoreResult
      /**
       * The store is not available yet and the step waits for it: its
       * details, connection and branch are read after the wait.
       */
      waitFirst: boolean
      /** The installation's stores, as listed. */
      listed: VercelStore[]
    }
  | {
      action: 'create'
      /**
       * The body with its billing plan, looked up while the project and the
       * branch are planned (the same round trip); settled once the plan is.
       */
      body: Promise<KeyedCreateStoreBody>
      /** The listing that had no store with the key. */
      listed: VercelStore[]
    }

/**
 * The store with the key, with its details, checked against the team's
 * settings; or, where there is none, `max-stores` checked and the create's
 * body. Writes nothing but the outputs of a store found, so that a later
 * step can find it even if a read after this one fails.
 */
export async function planStore(step: Step): Promise<StorePlan> {
  const { inputs, target, api, effects } = step
  const body = createBody(inputs, target)
  const { matches: existing, listed } = await findStoresInListing(
    api,
    keyOf(body)
  )
  if (existing.length > 0) {
    const found = oldestOf(existing, false)
    effects.publish(buildReport(found, reportInputsOf(inputs, target)))
    const waitFirst =
      inputs.wait && !inputs.dryRun && found.store.status !== 'available'
    if (waitFirst) return { action: 'reuse', found, waitFirst, listed }
    found.store = await withDetails(api, found.store)
    checkTargets(found.store, environmentsNeeded(inputs), {
      created: false,
      gitBranch: inputs.gitBranch
    })
    return { action: 'reuse', found, waitFirst, listed }
  }
  checkStoreCount(listed, {
    maxStores: inputs.maxStores,
    repository: step.repository,
    product: target.product
  })
  // Only a create needs the billing plan: looked up once no store was found,
  // and before anything is written, so a wrong name costs no store.
  const billed = withPlan(step, body)
  billed.catch(() => undefined)
  return { action: 'create', body: billed, listed }
}

/**
 * Carries out the store's plan: creates it, waits until it is available
 * where the step waits, and reads its details, checked against the team's
 * settings before anything else is written. The store, and its report.
 */
export async function applyStore(
  step: Step,
  plan: StorePlan
): Promise<{ result: EnsureStoreResult; report: StoreReport }> {
  const { inputs, target, deadline, api, effects } = step
  const reportInputs = reportInputsOf(inputs, target)
  let result: EnsureStoreResult
  if (plan.action === 'create') {
    const body = await plan.body
    result = await effects.group(`Create store "${inputs.name}"`, () =>
      createStore(api, body, {
        remainingMs: () => deadline.remainingMs(),
        sleep: effects.sleep
      })
    )
    effects.publish(buildReport(result, reportInputs))
  } else {
    result = plan.found
  }
  if (inputs.wait && result.store.status !== 'available') {
    result.store = await effects.group(
      'Wait until the store is available',
      () =>
        waitUntilAvailable(api, result.store, deadline, {
          sleep: effects.sleep,
          random: effects.random,
          log: (line) => effects.info(line)
        })
    )
    effects.publish(buildReport(result, reportInputs))
  }
  result.store = await withDetails(api, result.store)
  // A created store's team settings are known only now: before any write.
  checkTargets(result.store, environmentsNeeded(inputs), {
    created: plan.action === 'create',
    gitBranch: inputs.gitBranch
  })
  return { result, report: buildReport(result, reportInputs) }
}

/** The report of a store a dry run would reuse, as the outputs give it. */
export function storeShown(
  { inputs, target }: Step,
  found: EnsureStoreResult
): StoreReport {
  return buildReport(found, reportInputsOf(inputs, target))
}

/** The create request, which also carries what finds the store again. */
export function createBody(
  inputs: ActionInputs,
  target: ResolvedTarget
): KeyedCreateStoreBody {
  return {
    name: inputs.name,
    integrationConfigurationId: target.integrationConfigurationId,
    integrationProductIdOrSlug: target.productIdOrSlug,
    externalId: inputs.externalId,
    metadata: target.metadata,
    protocolSettings: inputs.protocolSettings,
    source: inputs.source,
    paymentMethodId: inputs.paymentMethodId,
    prepaymentAmountCents: inputs.prepaymentAmountCents
  }
}

/** The body with the billing plan the inputs name, looked up by id or name. */
async function withPlan(
  { inputs, target, api }: Step,
  body: KeyedCreateStoreBody
): Promise<KeyedCreateStoreBody> {
  if (inputs.plan === undefined) return body
  const plan = await resolvePlan(api, target, {
    plan: inputs.plan,
    prepaymentAmountCents: inputs.prepaymentAmountCents
  })
  return { ...body, billingPlanId: plan.id }
}

function reportInputsOf(
  inputs: ActionInputs,
  target: ResolvedTarget
): ReportInputs {
  return {
    ...inputs,
    integrationConfigurationId: target.integrationConfigurationId,
    product: target.product.id ?? target.productIdOrSlug
  }
}

/**
 * The standard environments the step hands the store's credentials to:
 * those it connects, and with `git-branch` the branch's previews.
 */
function environmentsNeeded(
  inputs: Pick<ActionInputs, 'environments' | 'gitBranch'>
): string[] {
  const needed = new Set<string>(
    // What a store's `targets` can name: a custom environment is none of them.
    inputs.environments.filter(isStandardEnvironment)
  )
  if (inputs.gitBranch !== undefined) needed.add('preview')
  return [...needed]
}

/**
 * Fails where the team has kept the store's credentials from an environment
 * the step needs (a resource set to Production only): Vercel's own setting,
 * which the step must not get around by copying the values elsewhere.
 */
function checkTargets(
  store: VercelStore & { id: string },
  needed: string[],
  { created, gitBranch }: { created: boolean; gitBranch?: string }
): void {
  const { targets } = store
  if (!targets) return
  const refused = needed.filter((environment) => !targets.includes(environment))
  if (refused.length === 0) return
  const allowed = targets.length > 0 ? targets.join(', ') : 'no environment'
  throw new ActionError(
    `Store ${store.id} may reach only ${allowed}, as the team set it (${targets.length === 1 && targets[0] === 'production' ? 'Production-only access' : 'its environments'}), and this step needs ${refused.join(', ')}${created ? '; the store was created but not connected, and the close (or a prune) deletes it' : '; nothing was connected or written'}. Allow ${refused.join(' and ')} for the resource in the integration's settings in the Vercel dashboard, or choose "${Inputs.environments}" within ${allowed}${gitBranch === undefined ? '' : ` and drop "${Inputs.gitBranch}"`}.`
  )
}

/** A store of this repository, and the pull request it was made for. */
interface RepositoryStore {
  id: string
  pullRequest?: number
}

/**
 * `max-stores`: fails before a create where the listing already holds that
 * many stores of this product for this repository, naming the pull requests
 * that hold them. Stores are this repository's by their default names, or by
 * a key of its own where the listing shows it (a named store's, too).
 */
function checkStoreCount(
  listed: VercelStore[],
  {
    maxStores,
    repository,
    product
  }: {
    maxStores: number | undefined
    repository: Repository | undefined
    product: { id?: string; slug?: string }
  }
): void {
  if (maxStores === undefined || repository === undefined) return
  const ours = repositoryStores(listed, repository, product)
  if (ours.length < maxStores) return
  const held = ours
    .map(({ id, pullRequest }) =>
      pullRequest === undefined ? id : `#${pullRequest}`
    )
    .sort(byPullRequest)
  throw new ActionError(
    `${repository.owner}/${repository.repo} already has ${ours.length} stores of this product (${held.join(', ')}), and "${Inputs.maxStores}" is ${maxStores}; no store was created. Close or merge one of those pull requests (a prune deletes the stores of closed ones), or raise "${Inputs.maxStores}".`
  )
}

function repositoryStores(
  listed: VercelStore[],
  repository: Repository,
  product: { id?: string; slug?: string }
): RepositoryStore[] {
  const slug = `${repository.owner}/${repository.repo}`.toLowerCase()
  const seen = new Set<string>()
  return listed.flatMap((store) => {
    if (!store.id || seen.has(store.id) || !isOfProduct(store, product)) {
      return []
    }
    const pullRequest =
      store.name === undefined
        ? undefined
        : pullRequestOfStoreName(store.name, repository)
    const key = store.externalId?.toLowerCase()
    const keyIsOurs =
      key !== undefined &&
      // A pull request's, a branch's, or one the user named (`owner/repo:name`).
      ['#', '@', ':'].some((mark) => key.startsWith(`${slug}${mark}`))
    if (pullRequest === undefined && !keyIsOurs) return []
    seen.add(store.id)
    const fromKey = keyIsOurs ? /#(\d+)$/.exec(key ?? '')?.[1] : undefined
    return [
      {
        id: store.id,
        pullRequest: pullRequest ?? (fromKey ? Number(fromKey) : undefined)
      }
    ]
  })
}

/** A listed store that names no product is counted: it may be this one. */
function isOfProduct(
  store: VercelStore,
  product: { id?: string; slug?: string }
): boolean {
  const listed = store.product
  if (!listed || (!listed.id && !listed.slug)) return true
  return isSameProduct(listed, product)
}

function byPullRequest(a: string, b: string): number {
  const number = (text: string) =>
    text.startsWith('#') ? Number(text.slice(1)) : Number.POSITIVE_INFINITY
  return number(a) - number(b) || a.localeCompare(b)
}
