/**
 * What a run ended with, as the report, the outputs, the job summary and the
 * pull request comment read it. Types only, in a file of their own, so that
 * each of those imports this one and none of them another: the flows build
 * an `Outcome`, `report.ts` hands it on, and nothing imports back.
 */
import type { BranchWrite } from './branch-env.ts'
import type { Repository } from './naming.ts'
import type { ConnectionResult } from './project.ts'
import type { Cancelled, CurrentPreview, Redeployed } from './redeploy.ts'
import type { FoundStore, KeyedCreateStoreBody, RemovedStore } from './store.ts'

/** What the step tells its user, in outputs and in the job summary. */
export interface StoreReport {
  storeId: string
  storeName: string
  externalId: string
  created: boolean
  status: string
  integrationConfigurationId: string
  productId: string
  productName: string
  billingPlanId: string
  billingPlanName: string
  dashboardUrl: string
  secretNames: string[]
  duplicates: { id: string; name: string; dashboardUrl: string }[]
  /** The project the store is connected to, where the step asked for one. */
  connection?: ConnectionResult
  /**
   * The store's variables and their values, by the store's own names, where
   * `read-env`, `export-env` or `git-branch` read them.
   */
  env?: Record<string, string>
  /**
   * The names of `env` that `export-env` puts into the job's environment:
   * those it lists, or those of the stores' shapes (`variable-names.ts`).
   */
  exported?: string[]
  /** What `git-branch` wrote. */
  branch?: BranchWrite
  /** The preview `redeploy` rebuilt, if any. */
  redeployed?: Redeployed
  /** The branch's preview that was built with its variables already. */
  currentPreview?: CurrentPreview
  /** The builds `redeploy` stopped, which predated the variables. */
  cancelled?: Cancelled
}

/**
 * A store of one of this repository's pull requests (`pullRequest`), or of
 * one of its branches without one (`branch`).
 */
export type PruneCandidate =
  | { store: FoundStore; pullRequest: number; branch?: undefined }
  | { store: FoundStore; branch: string; pullRequest?: undefined }

/** What a store was deleted for: its closed pull request, or gone branch. */
export type PrunedStore = RemovedStore &
  (
    | { pullRequest: number; branch?: undefined }
    | { branch: string; pullRequest?: undefined }
  )

/** How a run ended, for the report; `would-…` are a dry run's plans. */
export type Outcome =
  | {
      kind: 'present'
      report: StoreReport
      project?: string
      environments: string[]
      redeploy: boolean
    }
  | {
      kind: 'absent'
      removed: RemovedStore[]
      externalId: string
      /** Why nothing could be left to delete, where nothing was looked up. */
      nothingToDelete?: string
    }
  | {
      kind: 'would-reuse'
      report: StoreReport
      connection?: ConnectionResult
      readEnv: boolean
      gitBranch?: string
      redeploy: boolean
    }
  | {
      kind: 'would-create'
      body: KeyedCreateStoreBody
      productId: string
      connection?: ConnectionResult
      readEnv: boolean
      gitBranch?: string
      redeploy: boolean
    }
  | {
      kind: 'would-delete'
      found: FoundStore[]
      externalId: string
      /**
       * Where the branch variables of these stores would go: `project web`,
       * or each project they are connected to.
       */
      branchVariablesOf?: string
    }
  | {
      kind: 'prune'
      repository: Repository
      deleted: PrunedStore[]
      /** Stores of open pull requests. */
      kept: number
      /** Stores of branches that are there, or could not be read. */
      keptBranches?: number
      /** Why nothing could be left to prune, where nothing was looked up. */
      nothingToPrune?: string
      /** Where the branch variables of these stores went too. */
      branchVariablesOf?: string
    }
  | {
      kind: 'would-prune'
      repository: Repository
      closed: PruneCandidate[]
      kept: number
      keptBranches?: number
      /**
       * Where the branch variables of these stores would go: `project web`,
       * or each project they are connected to.
       */
      branchVariablesOf?: string
    }
