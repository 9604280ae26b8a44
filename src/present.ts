/**
 * `state: present`, top-down. The plan reads the store (`present-store.ts`),
 * then the project (`present-project.ts`), then the Git branch
 * (`present-branch.ts`), each once, with what the store plan found. The
 * application takes this key's leftovers off the branch, creates the store
 * (or takes the one found) and waits for it, checks the branch against its
 * names, connects it, and reads its values onto the branch and into the job
 * (`preview.ts`); a dry run shows the plan instead.
 */
import type { Outcome } from './outcome.ts'
import {
  branchTarget,
  clearLeftovers,
  planBranch,
  type BranchPlan
} from './present-branch.ts'
import { applyProject, planProject, projectShown } from './present-project.ts'
import {
  applyStore,
  planStore,
  storeShown,
  type StorePlan
} from './present-store.ts'
import { applyPreview } from './preview.ts'
import type { ConnectionPlan } from './project.ts'
import type { Step } from './step.ts'

/** What `state: present` is to do, read before anything is written. */
interface PresentPlan {
  store: StorePlan
  /** The connection to the step's project, where it names one. */
  project?: ConnectionPlan
  branch: BranchPlan
}

/**
 * The reads that decide what `state: present` does. The project and the
 * branch are planned together, while a create's billing plan is looked up:
 * one round trip. A store the step waits for first has them read after the
 * wait instead.
 */
export async function planPresent(step: Step): Promise<PresentPlan> {
  const store = await planStore(step)
  if (store.action === 'reuse' && store.waitFirst) {
    return { store, branch: { leftovers: [] } }
  }
  const found = store.action === 'reuse' ? store.found.store : undefined
  const [, project, branch] = await Promise.all([
    store.action === 'create' ? store.body : undefined,
    planProject(step, found),
    planBranch(step, found, store.listed)
  ])
  return { store, project, branch }
}

/**
 * Carries out a present plan: this key's leftovers off the branch, the
 * store created (or found) and available, the branch checked against its
 * names, the connection, then the values.
 */
export async function applyPresent(
  step: Step,
  plan: PresentPlan
): Promise<Outcome> {
  const { inputs } = step
  const { projectVariables } = await clearLeftovers(
    step,
    plan.branch,
    plan.project
  )
  const { result, report } = await applyStore(step, plan.store)
  const branch = await branchTarget(step, result.store, projectVariables)
  const connection = await applyProject(step, result.store, plan.project, {
    reused: plan.store.action === 'reuse'
  })
  const preview = await applyPreview(
    { ...step, projectVariables },
    result.store,
    connection,
    branch
  )
  return {
    kind: 'present',
    report: {
      ...report,
      connection,
      env: preview?.env,
      exported: preview?.exported,
      branch: preview?.branch,
      redeployed: preview?.redeployed,
      cancelled: preview?.cancelled,
      currentPreview: preview?.current
    },
    project: inputs.project,
    environments: inputs.environments,
    redeploy: inputs.redeploy
  }
}

/**
 * A present plan as a dry run shows it: the store it would reuse, or the
 * body it would create one with, and what it would do about the project.
 */
export async function showPresent(
  step: Step,
  plan: PresentPlan
): Promise<Outcome> {
  const { inputs, target } = step
  const { store } = plan
  if (store.action === 'reuse') {
    const connection = projectShown(step, store.found.store, plan.project)
    return {
      kind: 'would-reuse',
      report: {
        ...storeShown(step, store.found),
        // Outputs name a project the store is connected to, not one it would be.
        connection: connection?.connected === false ? connection : undefined
      },
      connection,
      readEnv: inputs.readEnv,
      gitBranch: inputs.gitBranch,
      redeploy: inputs.redeploy
    }
  }
  return {
    kind: 'would-create',
    body: await store.body,
    productId: target.product.id ?? '',
    connection: projectShown(step, undefined, plan.project),
    readEnv: inputs.readEnv,
    gitBranch: inputs.gitBranch,
    redeploy: inputs.redeploy
  }
}
