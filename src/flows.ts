/**
 * What a run does, as a plan and its application. `planPresent` and
 * `planAbsent` only read: the store to reuse or the body to create one with,
 * the connection to make, the stores to delete. `applyPresent` and
 * `applyAbsent` carry a plan out; a dry run shows the same plan instead
 * (`showPresent`, `showAbsent`), so it cannot decide otherwise than a real
 * run would. This file holds what every flow works with (`Step`, `Effects`)
 * and picks the flow; `present.ts`, `absent.ts` and `prune.ts` hold them.
 */
import { planAbsent, applyAbsent, showAbsent } from './absent.ts'
import {
  removeBranchVariables,
  removeFromConnectedProjects
} from './branch-env.ts'
import type { GitHubApi } from './github.ts'
import type { ActionInputs } from './inputs.ts'
import type { Repository } from './naming.ts'
import { planPresent, applyPresent, showPresent } from './present.ts'
import { applyPrune, planPrune, showPrune, type PruneStep } from './prune.ts'
import type { Outcome, StoreReport } from './report.ts'
import type { ResolvedTarget } from './resolve.ts'
import type { VercelApi } from './vercel-api.ts'
import type { Deadline } from './vercel-client.ts'
import type { ProjectEnvVar } from './vercel-types.ts'

/**
 * What a run does besides calling Vercel: print, mask, wait. `main.ts`
 * builds it from `@actions/core` and the run's clock; nothing else here
 * touches either.
 */
export interface Effects {
  info(line: string): void
  warn(line: string): void
  /** Masks a secret in the log of this step and of every later one. */
  mask(secret: string): void
  /** Runs `fn` in a foldable group of the log with this title. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>
  /** The pause between polls: real time, or a test's virtual clock. */
  sleep?(ms: number): Promise<void>
  /** 0 to 1; spreads the polls of runs that started together. */
  random?(): number
  /**
   * Sets the step's outputs now: if what follows fails, a later step can
   * still find the store.
   */
  publish(report: StoreReport): void
}

/** What every part of a run works with: its inputs, its deadline, the API. */
export interface Step {
  inputs: ActionInputs
  /** The installation and product the inputs name, resolved to ids. */
  target: ResolvedTarget
  deadline: Deadline
  api: VercelApi
  effects: Effects
  /**
   * The project's variables, listed beside the stores where the run reads
   * the store's values or removes its branch variables: the same listing
   * finds a clash before a create, and on a rerun holds what the branch has.
   */
  projectVariables?: Promise<ProjectEnvVar[]>
  /** The run's repository (`GITHUB_REPOSITORY`), where the runner gives it. */
  repository?: Repository
  /** Loads `@actions/github` and opens the GitHub API: the prune's only. */
  openGitHub: () => Promise<GitHubApi>
}

/** The run: the plan, then applied, or shown where `dry-run` asks. */
export async function runFlow(step: Step): Promise<Outcome> {
  const { inputs, effects } = step
  if (inputs.state === 'prune') return runPrune(step)
  if (inputs.state === 'absent') {
    if (inputs.dryRun) return showAbsent(step, await planAbsent(step))
    return effects.group(
      `Delete every store with key "${inputs.externalId}"`,
      async () => applyAbsent(step, await planAbsent(step))
    )
  }
  if (inputs.dryRun) {
    effects.info('Dry run: resolving and looking up only; nothing is changed.')
    return showPresent(step, await planPresent(step))
  }
  return applyPresent(step, await planPresent(step))
}

/** `state: prune`: the plan, then applied, or shown where `dry-run` asks. */
async function runPrune(step: Step): Promise<Outcome> {
  const { inputs, target, api, effects, repository, openGitHub } = step
  // parseInputs refuses a prune without the repository.
  if (!repository) throw new Error('state: prune without a repository')
  const pruneStep: PruneStep = {
    repository,
    target,
    api,
    project: inputs.project,
    openGitHub,
    warn: (line) => effects.warn(line)
  }
  const slug = `${repository.owner}/${repository.repo}`
  const { project } = inputs
  if (inputs.dryRun) {
    return effects.group(
      `Dry run: find the stores of ${slug}'s closed pull requests and deleted branches`,
      async () => showPrune(await planPrune(pruneStep), project)
    )
  }
  const info = (line: string) => effects.info(line)
  return effects.group(
    `Delete the stores of ${slug}'s closed pull requests and deleted branches`,
    async () =>
      applyPrune(api, await planPrune(pruneStep), {
        log: info,
        project,
        removeBranchVariables: (stores) =>
          project === undefined
            ? removeFromConnectedProjects(api, stores, info)
            : removeBranchVariables(
                api,
                project,
                stores.map(({ id }) => id),
                info
              )
      })
  )
}
