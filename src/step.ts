/**
 * What every part of a run is handed: its inputs, the resolved target, the
 * deadline, the Vercel API and the effects (print, mask, wait, publish).
 * `main.ts` builds one; `flows.ts` picks the flow that takes it.
 */
import type { GitHubApi } from './github.ts'
import type { ActionInputs } from './inputs.ts'
import type { Repository } from './naming.ts'
import type { StoreReport } from './outcome.ts'
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
