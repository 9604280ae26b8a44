import * as core from '@actions/core'
import { ensureAbsent, nothingToDelete } from './absent.js'
import { USER_AGENT } from './constants.js'
import { Deadline } from './deadline.js'
import { dryRunAbsent, dryRunPresent } from './dry-run.js'
import { describeFailure } from './failure.js'
import { readGitHubContext } from './github-context.js'
import { parseInputs, type ActionInputs } from './inputs.js'
import * as log from './log.js'
import { ensurePresent } from './present.js'
import {
  NotInstalledError,
  resolveInstallation,
  resolveProduct
} from './resolve.js'
import type { Step } from './step.js'
import { addFailureToSummary, writeSummary } from './summary.js'
import { VercelClient } from './vercel/client.js'
import { VercelConnectionApi } from './vercel/connection-api.js'
import { VercelIntegrationApi } from './vercel/integration-api.js'
import { PrefetchedStoreApi } from './vercel/prefetched-store-api.js'
import { VercelPreviewApi } from './vercel/preview-api.js'
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
    const inputs = parseInputs((name) => core.getInput(name), {
      context: readGitHubContext(),
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
    if (!step) return
    if (inputs.state === 'absent') {
      await (inputs.dryRun ? dryRunAbsent(step) : ensureAbsent(step))
    } else {
      await (inputs.dryRun ? dryRunPresent(step) : ensurePresent(step))
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
    throw error
  }
  // The listing needs only the installation: it runs while the product and
  // metadata are resolved.
  const stores = new PrefetchedStoreApi(
    new VercelStoreApi(client),
    installation.integrationConfigurationId
  )
  const preview = new VercelPreviewApi(client)
  const projectVariables = listsVariablesEarly(inputs)
    ? preview.listEnv(inputs.project ?? '')
    : undefined
  // Awaited later, unless resolving fails first: never unhandled.
  projectVariables?.catch(() => undefined)
  // Deleting must not depend on metadata or a plan that may have changed
  // since the store was made.
  const targetInputs =
    inputs.state === 'absent'
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
    projectEnv: new VercelProjectEnvApi(client),
    preview,
    projectVariables
  }
}

/**
 * Where the step will read the store's values from the project, or remove
 * the branch variables it wrote, the project's variables are listed at once,
 * beside the stores.
 */
function listsVariablesEarly(inputs: ActionInputs): boolean {
  if (inputs.dryRun || inputs.project === undefined) return false
  if (inputs.state === 'absent') return inputs.gitBranch !== undefined
  return inputs.readEnv || inputs.exportEnv || inputs.gitBranch !== undefined
}
