import * as core from '@actions/core'
import { commentOnPullRequest } from './comment.ts'
import { USER_AGENT } from './constants.ts'
import { describeFailure } from './errors.ts'
import { runFlow } from './flows.ts'
import { parseInputs, readsValues, type ActionInputs } from './inputs.ts'
import * as log from './log.ts'
import { openGitHub } from './github.ts'
import { readGitHubContext, type GitHubContext } from './naming.ts'
import type { Outcome } from './outcome.ts'
import { reportOutcome } from './report.ts'
import { setOutputs } from './outputs.ts'
import {
  NotInstalledError,
  resolveInstallation,
  resolveProduct
} from './resolve.ts'
import type { Effects, Step } from './step.ts'
import { addFailureToSummary, writeSummary } from './summary.ts'
import { VercelApi } from './vercel-api.ts'
import { Deadline, VercelClient } from './vercel-client.ts'
import type { TeamScope } from './vercel-types.ts'

/**
 * What a run takes from its surroundings besides `@actions/core`: the clock
 * and the pauses. Tests pass a virtual clock so that waits and retries cost
 * no real time; the runner passes nothing.
 */
interface RunEnvironment {
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  /** An AbortSignal that aborts after so many ms of this clock. */
  abortAfter?: (ms: number) => AbortSignal
}

/**
 * The action: the only place that fails the step, and with the report the
 * only one that touches `@actions/core`; everything else is handed what it
 * needs.
 */
export async function run(environment: RunEnvironment = {}): Promise<void> {
  const secrets: string[] = []
  let client: VercelClient | undefined
  // Known once the inputs are read: an error's advice quotes the team.
  let team: TeamScope | undefined
  try {
    const context = readGitHubContext()
    const inputs = parseInputs((name) => core.getInput(name), {
      context,
      onSecret: (secret) => {
        secrets.push(secret)
        log.mask(secret)
      }
    })
    team = inputs.team
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
    const effects: Effects = {
      info: (line) => log.info(line),
      warn: (line) => log.warning(line),
      mask: (secret) => log.mask(secret),
      group: (title, fn) => log.group(title, fn),
      sleep: environment.sleep,
      random: environment.random,
      publish: setOutputs
    }
    const api = new VercelApi(client)
    const github = () =>
      openGitHub({
        token: inputs.githubToken ?? '',
        apiUrl: inputs.githubApiUrl,
        deadline
      })
    const step = await prepare(inputs, api, deadline, effects, {
      repository: repositoryOf(context),
      openGitHub: github
    })
    const outcome = 'kind' in step ? step : await runFlow(step)
    // The time the summary and the comment show: the run's clock.
    const updatedAt = (environment.now ?? Date.now)()
    reportOutcome(outcome, { updatedAt })
    if (inputs.comment) {
      await comment(inputs, context, { outcome, updatedAt }, deadline)
    }
  } catch (error) {
    // No error is known to carry the token; this keeps it so.
    const message = secrets.reduce(
      (text, secret) => text.replaceAll(secret, '***'),
      describeFailure(error, { team })
    )
    addFailureToSummary(message)
    log.fail(message)
  } finally {
    client?.stop()
    await writeSummary()
  }
}

/**
 * The installation and product resolved to ids; or, where `state: absent`
 * finds the integration uninstalled, the outcome that nothing is left to
 * delete.
 */
async function prepare(
  inputs: ActionInputs,
  api: VercelApi,
  deadline: Deadline,
  effects: Effects,
  github: Pick<Step, 'repository' | 'openGitHub'>
): Promise<Step | Outcome> {
  let installation
  try {
    installation = await resolveInstallation(
      api,
      inputs.integration,
      inputs.team
    )
  } catch (error) {
    if (inputs.state === 'absent' && error instanceof NotInstalledError) {
      return {
        kind: 'absent',
        removed: [],
        externalId: inputs.externalId,
        nothingToDelete: error.message
      }
    }
    if (inputs.state === 'prune' && error instanceof NotInstalledError) {
      return {
        kind: 'prune',
        repository: github.repository ?? { owner: '', repo: '' },
        deleted: [],
        kept: 0,
        nothingToPrune: error.message
      }
    }
    throw error
  }
  // The listing needs only the installation: it runs while the product and
  // metadata are resolved.
  api.prefetchStores(installation.integrationConfigurationId)
  // So does the listing of the project's variables, where the run needs it.
  const projectVariables = listsVariablesEarly(inputs)
    ? api.listEnv(inputs.project ?? '')
    : undefined
  // Awaited later, unless resolving fails first: never unhandled.
  projectVariables?.catch(() => undefined)
  // Deleting must not depend on metadata or a plan that may have changed
  // since the store was made.
  const targetInputs =
    inputs.state !== 'present'
      ? { ...inputs, metadata: undefined, plan: undefined }
      : inputs
  return {
    inputs,
    target: await resolveProduct(api, installation, targetInputs),
    deadline,
    api,
    effects,
    projectVariables,
    ...github
  }
}

/**
 * Where the step will read the store's values from the project, or remove
 * the branch variables it wrote, the project's variables are listed at once,
 * beside the stores.
 */
function listsVariablesEarly(inputs: ActionInputs): boolean {
  if (inputs.dryRun || inputs.project === undefined) return false
  if (inputs.state === 'absent') return true
  return readsValues(inputs)
}

/**
 * `comment: true`: the pull request's comment says what the run did. A dry
 * run writes none; a comment that cannot be written is a warning only.
 */
async function comment(
  inputs: ActionInputs,
  context: GitHubContext,
  { outcome, updatedAt }: { outcome: Outcome; updatedAt: number },
  deadline: Deadline
): Promise<void> {
  if (inputs.dryRun) {
    log.info('Dry run: no pull request comment written.')
    return
  }
  if (outcome.kind !== 'present' && outcome.kind !== 'absent') return
  await commentOnPullRequest({
    token: inputs.githubToken ?? '',
    apiUrl: inputs.githubApiUrl,
    repository: repositoryOf(context),
    pullRequest: context.pullRequestNumber,
    externalId: inputs.externalId,
    outcome:
      outcome.kind === 'present'
        ? {
            state: 'present',
            report: outcome.report,
            redeploy: outcome.redeploy,
            updatedAt
          }
        : { state: 'absent', removed: outcome.removed },
    deadline,
    info: (line) => log.info(line),
    warn: (line) => log.warning(line)
  })
}

function repositoryOf({
  owner,
  repo
}: GitHubContext): { owner: string; repo: string } | undefined {
  return owner && repo ? { owner, repo } : undefined
}
