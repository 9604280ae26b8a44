/**
 * What a run does, as a plan and its application. `planPresent` and
 * `planAbsent` only read: the store to reuse or the body to create one with,
 * the connection to make, the stores to delete. `applyPresent` and
 * `applyAbsent` carry a plan out; a dry run shows the same plan instead
 * (`showPresent`, `showAbsent`), so it cannot decide otherwise than a real
 * run would. This file picks the flow; `present.ts`, `absent.ts` and
 * `prune.ts` hold them, and `step.ts` what each is handed.
 */
import { planAbsent, applyAbsent, showAbsent } from './absent.ts'
import {
  removeBranchVariables,
  removeFromConnectedProjects
} from './branch-env.ts'
import { planPresent, applyPresent, showPresent } from './present.ts'
import { applyPrune, planPrune, showPrune, type PruneStep } from './prune.ts'
import type { Outcome } from './outcome.ts'
import type { Step } from './step.ts'

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
