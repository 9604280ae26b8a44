import * as core from '@actions/core'
import { ensureAbsent, nothingToDelete, nothingToPrune } from './absent.js'
import { commentOnPullRequest, type CommentOutcome } from './comment.js'
import { USER_AGENT } from './constants.js'
import { Deadline } from './deadline.js'
import { dryRunAbsent, dryRunPresent } from './dry-run.js'
import { describeFailure } from './failure.js'
import { readGitHubContext, type GitHubContext } from './github-context.js'
import { openGitHub } from './github.js'
import { parseInputs, type ActionInputs } from './inputs.js'
import * as log from './log.js'
import { setPruneOutputs } from './outputs.js'
import { ensurePresent } from './present.js'
import { prune } from './prune.js'
import {
  NotInstalledError,
  resolveInstallation,
  resolveProduct
} from './resolve.js'
import type { Step } from './step.js'
import {
  addFailureToSummary,
  addPruneToSummary,
  writeSummary
} from './summary.js'
import { VercelClient } from './vercel/client.js'
import { VercelConnectionApi } from './vercel/connection-api.js'
import { VercelIntegrationApi } from './vercel/integration-api.js'
import { PrefetchedStoreApi } from './vercel/prefetched-store-api.js'
import { VercelProjectEnvApi } from './vercel/project-env-api.js'
import { VercelStoreApi } from './vercel/store-api.js'

/**
 * What a run takes from its surroundings besides `@actions/core`: the clock
 * and the pauses. Tests pass a virtual clock so that waits and retries cost
 * no real time; the runner passes nothing.
 */
export interface RunEnvironment {
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  /** An AbortSignal that aborts after so many ms of this clock. */
  abortAfter?: (ms: number) => AbortSignal
}

/** The action: the only place that fails the step. */
export async function run(environment: RunEnvironment = {}): Promise<void> {
  const secrets: string[] = []
  let client: VercelClient | undefined
  try {
    const context = readGitHubContext()
    const inputs = parseInputs((name) => core.getInput(name), {
      context,
      onSecret: (secret) => {
        secrets.push(secret)
        log.mask(secret)
      }
    })
    const deadline = new Deadline(
      inputs.timeoutSeconds,
      environment.now,
      environment.abortAfter
    )
    client = new VercelClient({
      token: inputs.token,
      apiUrl: inputs.apiUrl,
      team: inputs.team,
      userAgent: USER_AGENT,
      log: (line) => log.debug(line),
      warn: (line) => log.warning(line),
      deadline,
      sleep: environment.sleep,
      random: environment.random
    })
    const step = await prepare(inputs, client, deadline, environment)
    if (inputs.state === 'prune') {
      if (step) await pruneClosed(step, context)
      return
    }
    let outcome: CommentOutcome | undefined
    if (!step) {
      outcome = { state: 'absent', removed: [] }
    } else if (inputs.dryRun) {
      await (inputs.state === 'absent'
        ? dryRunAbsent(step)
        : dryRunPresent(step))
    } else if (inputs.state === 'absent') {
      outcome = { state: 'absent', removed: await ensureAbsent(step) }
    } else {
      outcome = { state: 'present', report: await ensurePresent(step) }
    }
    if (inputs.comment && inputs.dryRun) {
      log.info('Dry run: no pull request comment written.')
    } else if (inputs.comment && outcome) {
      await commentOnPullRequest({
        token: inputs.githubToken ?? '',
        apiUrl: inputs.githubApiUrl,
        repository: repositoryOf(context),
        pullRequest: context.pullRequestNumber,
        externalId: inputs.externalId,
        outcome,
        signal: () => deadline.signal(),
        info: log.info,
        warn: log.warning
      })
    }
  } catch (error) {
    // No error is known to carry the token; this keeps it so.
    const message = secrets.reduce(
      (text, secret) => text.replaceAll(secret, '***'),
      describeFailure(error)
    )
    addFailureToSummary(message)
    log.fail(message)
  } finally {
    client?.stop()
    await writeSummary()
  }
}

/**
 * The API clients, and the installation and product resolved to ids; none
 * where `state: absent` finds the integration uninstalled, which leaves
 * nothing to delete.
 */
async function prepare(
  inputs: ActionInputs,
  client: VercelClient,
  deadline: Deadline,
  environment: RunEnvironment
): Promise<Step | undefined> {
  const integrations = new VercelIntegrationApi(client)
  let installation
  try {
    installation = await resolveInstallation(integrations, inputs.integration)
  } catch (error) {
    if (inputs.state === 'absent' && error instanceof NotInstalledError) {
      nothingToDelete(inputs.externalId, error.message)
      return undefined
    }
    if (inputs.state === 'prune' && error instanceof NotInstalledError) {
      nothingToPrune(error.message)
      return undefined
    }
    throw error
  }
  // The listing needs only the installation: it runs while the product and
  // metadata are resolved.
  const stores = new PrefetchedStoreApi(
    new VercelStoreApi(client),
    installation.integrationConfigurationId
  )
  // Deleting must not depend on metadata or a plan that may have changed
  // since the store was made.
  const targetInputs =
    inputs.state !== 'present'
      ? { ...inputs, metadata: undefined, plan: undefined }
      : inputs
  return {
    inputs,
    target: await resolveProduct(integrations, installation, targetInputs),
    deadline,
    pauses: { sleep: environment.sleep, random: environment.random },
    integrations,
    stores,
    connections: new VercelConnectionApi(client),
    projectEnv: new VercelProjectEnvApi(client)
  }
}

function repositoryOf({ owner, repo }: GitHubContext) {
  return owner && repo ? { owner, repo } : undefined
}

/** `state: prune`: the stores of this repository's closed pull requests go. */
async function pruneClosed(step: Step, context: GitHubContext): Promise<void> {
  const { inputs, deadline } = step
  // Checked with the inputs: a prune needs the repository and the token.
  const repository = repositoryOf(context) as { owner: string; repo: string }
  const slug = `${repository.owner}/${repository.repo}`
  const github = await openGitHub({
    token: inputs.githubToken ?? '',
    apiUrl: inputs.githubApiUrl,
    signal: () => deadline.signal()
  })
  const result = await log.group(
    inputs.dryRun
      ? `Dry run: find the stores of ${slug}'s closed pull requests`
      : `Delete the stores of ${slug}'s closed pull requests`,
    () =>
      prune({
        repository,
        target: step.target,
        stores: step.stores,
        connections: step.connections,
        github,
        dryRun: inputs.dryRun,
        // Seam for issue 12: removeBranchVariables(api, project, storeId)
        // where inputs.project is set, once src/branch-env.ts is on main.
        removeBranchVariables: undefined,
        log: log.info,
        warn: log.warning
      })
  )
  setPruneOutputs(result)
  addPruneToSummary(result, slug, inputs.dryRun)
  const listed = result.closed
    .map(({ store, pullRequest }) => `${store.id} (#${pullRequest})`)
    .join(', ')
  log.info(
    result.closed.length === 0
      ? `No store of a closed pull request; ${result.kept} of open ones kept.`
      : inputs.dryRun
        ? `Dry run: would delete ${result.closed.length} store(s): ${listed}; ${result.kept} of open pull requests kept.`
        : `Deleted ${result.deleted.length} store(s): ${listed}; ${result.kept} of open pull requests kept.`
  )
}
