import * as core from '@actions/core'
import { USER_AGENT } from './constants.ts'
import { describeFailure } from './errors.ts'
import { runFlow, type Effects, type Step } from './flows.ts'
import { parseInputs, type ActionInputs } from './inputs.ts'
import * as log from './log.ts'
import { readGitHubContext } from './naming.ts'
import { reportOutcome, setOutputs, type Outcome } from './report.ts'
import {
  NotInstalledError,
  resolveInstallation,
  resolveProduct
} from './resolve.ts'
import { addFailureToSummary, writeSummary } from './summary.ts'
import { VercelApi } from './vercel-api.ts'
import { Deadline, VercelClient } from './vercel-client.ts'

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

/**
 * The action: the only place that fails the step, and with the report the
 * only one that touches `@actions/core`; everything else is handed what it
 * needs.
 */
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
    const step = await prepare(inputs, api, deadline, effects)
    reportOutcome('kind' in step ? step : await runFlow(step))
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
 * The installation and product resolved to ids; or, where `state: absent`
 * finds the integration uninstalled, the outcome that nothing is left to
 * delete.
 */
async function prepare(
  inputs: ActionInputs,
  api: VercelApi,
  deadline: Deadline,
  effects: Effects
): Promise<Step | Outcome> {
  let installation
  try {
    installation = await resolveInstallation(api, inputs.integration)
  } catch (error) {
    if (inputs.state === 'absent' && error instanceof NotInstalledError) {
      return {
        kind: 'absent',
        removed: [],
        externalId: inputs.externalId,
        nothingToDelete: error.message
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
    inputs.state === 'absent'
      ? { ...inputs, metadata: undefined, plan: undefined }
      : inputs
  return {
    inputs,
    target: await resolveProduct(api, installation, targetInputs),
    deadline,
    api,
    effects,
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
