/**
 * The step's outputs: the one place that sets them, for every outcome, and
 * with `export-env` puts the store's variables into the job's environment
 * (refusing names that would change how later steps run).
 */
import * as core from '@actions/core'
import { Inputs, Outputs } from './constants.ts'
import { ActionError } from './errors.ts'
import * as log from './log.ts'
import type { StoreReport } from './report.ts'
import type { FoundStore, RemovedStore } from './store.ts'

/**
 * The one place that sets the step's outputs, and with `export-env` puts the
 * store's variables into the job's environment.
 */
export function setOutputs(
  report: StoreReport,
  options: { exportEnv?: boolean; redeploy?: boolean } = {}
): void {
  const outputs: Record<
    Exclude<
      (typeof Outputs)[keyof typeof Outputs],
      | typeof Outputs.env
      // Only a run that deletes sets these.
      | typeof Outputs.deletedStoreIds
      | typeof Outputs.deletedCount
      | typeof Outputs.redeployedDeploymentId
      | typeof Outputs.redeployedDeploymentUrl
    >,
    string
  > = {
    [Outputs.storeId]: report.storeId,
    [Outputs.storeName]: report.storeName,
    [Outputs.externalId]: report.externalId,
    [Outputs.created]: String(report.created),
    [Outputs.status]: report.status,
    [Outputs.integrationConfigurationId]: report.integrationConfigurationId,
    [Outputs.productId]: report.productId,
    [Outputs.billingPlanId]: report.billingPlanId,
    [Outputs.dashboardUrl]: report.dashboardUrl,
    [Outputs.secretNames]: JSON.stringify(report.secretNames),
    [Outputs.deleted]: 'false',
    [Outputs.connectedProject]: report.connection?.projectId ?? '',
    [Outputs.envVarNames]: JSON.stringify(report.connection?.envVarNames ?? [])
  }
  for (const [name, value] of Object.entries(outputs)) {
    core.setOutput(name, value)
  }
  // Only where read; every value is masked by now (`readStoreEnv`).
  if (report.env) core.setOutput(Outputs.env, JSON.stringify(report.env))
  if (report.env && options.exportEnv) {
    checkExportable(Object.keys(report.env))
    for (const [name, value] of Object.entries(report.env)) {
      // Masked already, each line too; again here, where it leaves the step.
      log.mask(value)
      core.exportVariable(name, value)
    }
  }
  if (options.redeploy) {
    core.setOutput(Outputs.redeployedDeploymentId, report.redeployed?.id ?? '')
    core.setOutput(
      Outputs.redeployedDeploymentUrl,
      report.redeployed?.url ?? ''
    )
  }
}

// A name fit for the job's environment: letters, digits and `_`, not
// starting with a digit (what a shell accepts as a variable name).
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/

/*
 * The names a later step's tools read as settings, matched regardless of
 * case (`https_proxy` works as well as `HTTPS_PROXY`). The names come from
 * the store's integration vendor, which is no reason to let them send a
 * later step's traffic through a proxy, trust another certificate, run a
 * command for Git or SSH, load code into Node or a shell, or change the
 * runner's own variables. The stores' own names (DATABASE_URL, POSTGRES_*,
 * PG*, KV_*, REDIS_*, UPSTASH_*, SUPABASE_*, NEXT_PUBLIC_*) match none.
 */
const TOOL_SETTINGS: RegExp[] = [
  // Proxies: curl, Git, Node (undici), pip, Docker…
  /^.*_PROXY$/,
  // TLS: the certificates a tool trusts.
  /^SSL_/,
  /_CA_/,
  /^(REQUESTS|CURL)_CA_BUNDLE$/,
  // Git and SSH: commands to run, configuration to load.
  /^GIT_/,
  /^SSH_/,
  // Node and its package managers: code to preload, registries, scripts' shell.
  /^NODE_/,
  /^(NPM|YARN|PNPM|COREPACK|BUN|DENO)_/,
  // Python, Ruby, Perl, Java, Go, Rust, .NET, PHP toolchains.
  /^(PIP|PIPENV|POETRY|UV|CONDA|VIRTUAL_ENV)(_|$)/,
  /^PYTHON/,
  /^(RUBY|GEM_|BUNDLE_|PERL)/,
  /^(JAVA_|_JAVA_|JDK_JAVA_|MAVEN_|GRADLE_)/,
  /^GO(FLAGS|PROXY|PRIVATE|NOPROXY|NOSUMDB|SUMDB|INSECURE|PATH|ROOT|TOOLCHAIN|ENV|EXPERIMENT|CACHE|MODCACHE|BIN)$/,
  /^(CARGO_|RUSTC|RUSTFLAGS|RUSTDOCFLAGS|RUSTUP_)/,
  /^(DOTNET_|NUGET_|COMPOSER_)/,
  // Compilers and make.
  /^(CC|CXX|CPP|LD|AR|CFLAGS|CXXFLAGS|CPPFLAGS|LDFLAGS|MAKEFLAGS)$/,
  // Containers and cloud command-line tools: daemon, registry, credentials.
  /^(DOCKER_|BUILDKIT_|COMPOSE_|KUBECONFIG$|AWS_|AZURE_|CLOUDSDK_|GOOGLE_APPLICATION_CREDENTIALS$)/,
  // The dynamic loader: libraries loaded into every process.
  /^(LD_|DYLD_)/,
  // Shells: files sourced, commands run at each prompt, functions defined.
  /^(BASH_|BASH$|ENV$|PROMPT_COMMAND$|SHELL|SHELLOPTS$|IFS$|PS[0-4]$|CDPATH$|ZDOTDIR$)/,
  // Where programs, home and temporary files are.
  /^(PATH|HOME|TMPDIR|TMP|TEMP|EDITOR|VISUAL|PAGER)$/,
  // The runner's and the workflow's own: CI, GitHub, inputs, saved state.
  /^(CI$|GITHUB_|RUNNER_|ACTIONS_|INPUT_|STATE_)/,
  // The Vercel CLI's own token, team, project and settings.
  /^(VERCEL_|NOW_)/
].map(({ source }) => new RegExp(source, 'i'))

/** Why a name must not go into the job's environment; undefined if it may. */
function unexportable(name: string): string | undefined {
  if (!VARIABLE_NAME.test(name)) return 'it is not a plain variable name'
  if (TOOL_SETTINGS.some((pattern) => pattern.test(name))) {
    return "later steps' tools read it as a setting"
  }
  return undefined
}

/**
 * Fails, naming it, where a name must not go into the job's environment.
 * Called before anything is written there, and before the store is
 * connected, so that a refused name leaves no half-exported environment.
 */
export function checkExportable(names: string[]): void {
  for (const name of names) {
    const reason = unexportable(name)
    if (reason === undefined) continue
    throw new ActionError(
      `The store has a variable named ${JSON.stringify(name.slice(0, 80))}, which "${Inputs.exportEnv}" does not put into the job's environment: ${reason}; drop "${Inputs.exportEnv}" and read the value from "${Outputs.env}".`
    )
  }
}

/** `state: prune`: the ids of the stores deleted (none in a dry run). */
export function setPruneOutputs(ids: string[]): void {
  core.setOutput(Outputs.deletedStoreIds, JSON.stringify(ids))
  core.setOutput(Outputs.deletedCount, String(ids.length))
  core.setOutput(Outputs.deleted, String(ids.length > 0))
}

/** `state: absent`: what was deleted; the oldest store stands for the key. */
export function setRemovalOutputs(
  removed: RemovedStore[],
  externalId: string
): void {
  setAbsentOutputs(removed, removed.length > 0, externalId)
}

/** `state: absent` with `dry-run`: nothing deleted; the oldest store that would be. */
export function setWouldDeleteOutputs(
  found: FoundStore[],
  externalId: string
): void {
  setAbsentOutputs(found, false, externalId)
}

function setAbsentOutputs(
  stores: { id: string; name?: string }[],
  deleted: boolean,
  externalId: string
): void {
  const [oldest] = stores
  const outputs: Partial<
    Record<(typeof Outputs)[keyof typeof Outputs], string>
  > = {
    [Outputs.deleted]: String(deleted),
    [Outputs.storeId]: oldest?.id ?? '',
    [Outputs.storeName]: oldest?.name ?? '',
    [Outputs.externalId]: externalId,
    [Outputs.created]: 'false',
    [Outputs.deletedStoreIds]: JSON.stringify(
      deleted ? stores.map(({ id }) => id) : []
    ),
    [Outputs.deletedCount]: String(deleted ? stores.length : 0)
  }
  for (const [name, value] of Object.entries(outputs)) {
    core.setOutput(name, value)
  }
}
