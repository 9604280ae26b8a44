/**
 * The action's inputs: what a run is asked to do (`ActionInputs`), read and
 * checked by `parseInputs`, with the rules between inputs (what `prune`,
 * `git-branch`, `export-env`, `redeploy` and `read-env` need or exclude).
 * Each input's own format is checked in `vercel-names.ts` (Vercel's ids,
 * slugs and names) or `input-values.ts` (everything else).
 */
import { createHash } from 'node:crypto'
import {
  DEFAULT_API_URL,
  DEFAULT_GITHUB_API_URL,
  FallbackEnv,
  Inputs
} from './constants.ts'
import { InputError } from './errors.ts'
import {
  optionalWord,
  parseApiUrl,
  parseBoolean,
  parseExternalId,
  parseGitBranch,
  parseGitHubToken,
  parseJsonObject,
  parseMetadata,
  parsePrepayment,
  parseSource,
  parseState,
  parseTimeout,
  parseToken,
  parseFallback,
  parseMaxStores,
  type StoreState
} from './input-values.ts'
import { parseExportEnv, parseVariables } from './name-inputs.ts'
import type { MetadataSyntax } from './metadata.ts'
import { deriveDefaults, type GitHubContext } from './naming.ts'
import {
  parseEnvPrefix,
  parseEnvironments,
  parseIntegration,
  parseName,
  parsePlan,
  parseProduct,
  parseProject,
  parseTeam
} from './vercel-names.ts'
import type { AppVariable } from './variable-names.ts'
import type { MetadataValue, StoreSource, TeamScope } from './vercel-types.ts'

export interface ActionInputs {
  token: string
  team?: TeamScope
  /** `icfg_…` installation id, or an integration slug to resolve. */
  integration: string
  /** `iap_…` id, slug or name, resolved against the installation's products. */
  product: string
  name: string
  externalId: string
  /** Billing plan id or name, resolved only when a store is created. */
  plan?: string
  paymentMethodId?: string
  prepaymentAmountCents?: number
  /** As given: not yet checked against the product's metadata schema. */
  metadata?: Record<string, MetadataValue>
  metadataSyntax?: MetadataSyntax
  /** Resolve and look up, but send no write request. */
  dryRun: boolean
  protocolSettings?: Record<string, unknown>
  source?: StoreSource
  /** Seconds the whole step may take. */
  timeoutSeconds: number
  apiUrl: string
  /** `absent`: delete every store of the key instead of ensuring one. */
  state: StoreState
  wait: boolean
  /** Project id (prj_…) or name to connect the store to; none: no connection. */
  project?: string
  /**
   * Standard environments, and custom ones by id or slug. Where not given:
   * `development` when the values go to the branch or the job (its variables
   * reach no deployment, and are never sensitive), else `preview`.
   */
  environments: string[]
  /** `environments` was given, not chosen by the step. */
  environmentsGiven: boolean
  envPrefix?: string
  /** Read the connection's values into the `env` output. */
  readEnv: boolean
  /** Keep one pull request comment current (needs `githubToken`). */
  comment: boolean
  /** For the comment and the prune; masked like `token`. */
  githubToken?: string
  /** `GITHUB_API_URL`, which the runner sets. */
  githubApiUrl: string
  /**
   * True where `env-prefix` was not given and `envPrefix` is the default:
   * a connection already made with another prefix is then kept.
   */
  envPrefixIsDefault: boolean
  /** Write the store's variables as preview variables of this Git branch. */
  gitBranch?: string
  /** Put the store's variables into the job's environment (`GITHUB_ENV`). */
  exportEnv: boolean
  /**
   * With `exportEnv`, the names `export-env` lists; undefined where it is
   * `true`: then the names of the stores' shapes (`variable-names.ts`).
   */
  exportNames?: string[]
  /**
   * `variables`: the names the app reads, each from one of the store's.
   * Where given, `git-branch`, `export-env` and `env` carry exactly these
   * names, and `exportNames` lists some of them.
   */
  variables?: AppVariable[]
  /** Redeploy the branch's newest preview where it predates its variables. */
  redeploy: boolean
  /**
   * What a project-wide preview variable of one of the store's names does:
   * a warning, or a failure before any store is made.
   */
  fallback: 'warn' | 'fail'
  /** Create no store while this repository has this many of the product. */
  maxStores?: number
}

type InputReader = (name: string) => string

interface ParseOptions {
  env?: NodeJS.ProcessEnv
  context?: GitHubContext
  /** Called with the token before anything else is read, to mask it. */
  onSecret?: (secret: string) => void
}

/**
 * Reads and checks every input, so that a bad one fails the step before any
 * request is sent. Empty inputs fall back to the Vercel CLI's environment
 * variables, then to defaults derived from the GitHub context.
 */
export function parseInputs(
  read: InputReader,
  { env = process.env, context = {}, onSecret }: ParseOptions = {}
): ActionInputs {
  const token = read(Inputs.token) || env[FallbackEnv.token]?.trim() || ''
  if (token) onSecret?.(token)
  const githubToken = read(Inputs.githubToken)
  if (githubToken) onSecret?.(githubToken)
  const state = parseState(read(Inputs.state))
  const comment = parseBoolean(Inputs.comment, read(Inputs.comment), false)
  if (state === 'prune') checkPrune(read, context, comment)
  if (context.eventName === 'delete' && state !== 'prune') {
    checkDeleteEvent(read, context, state)
  }
  const defaults =
    state === 'prune'
      ? { name: '', externalId: '' }
      : deriveDefaults(context, read(Inputs.name))
  const metadata = parseMetadata(read(Inputs.metadata))
  const inputs: ActionInputs = {
    token: parseToken(token, context),
    team: parseTeam(read(Inputs.team) || teamFromEnv(env)),
    integration: parseIntegration(read(Inputs.integration)),
    product: parseProduct(read(Inputs.product)),
    name: state === 'prune' ? '' : parseName(defaults.name ?? ''),
    externalId:
      state === 'prune'
        ? ''
        : parseExternalId(read(Inputs.externalId) || defaults.externalId || ''),
    plan: parsePlan(read(Inputs.plan)),
    paymentMethodId: optionalWord(
      Inputs.paymentMethod,
      read(Inputs.paymentMethod)
    ),
    prepaymentAmountCents: parsePrepayment(read(Inputs.prepaymentAmountCents)),
    metadata: metadata?.values,
    metadataSyntax: metadata?.syntax,
    protocolSettings: parseJsonObject(
      Inputs.protocolSettings,
      read(Inputs.protocolSettings)
    ),
    source: parseSource(read(Inputs.source)),
    timeoutSeconds: parseTimeout(read(Inputs.timeout)),
    apiUrl: parseApiUrl(read(Inputs.apiUrl) || DEFAULT_API_URL),
    state,
    wait: parseBoolean(Inputs.wait, read(Inputs.wait), true),
    project: parseProject(
      read(Inputs.project) || env[FallbackEnv.project]?.trim() || ''
    ),
    environments: [],
    environmentsGiven: false,
    envPrefix: parseEnvPrefix(read(Inputs.envPrefix)),
    envPrefixIsDefault: false,
    dryRun: parseBoolean(Inputs.dryRun, read(Inputs.dryRun), false),
    readEnv: parseBoolean(Inputs.readEnv, read(Inputs.readEnv), false),
    comment,
    githubToken: parseGitHubToken(
      githubToken,
      comment || state === 'prune' ? state : undefined
    ),
    githubApiUrl:
      env.GITHUB_API_URL?.trim().replace(/\/+$/, '') || DEFAULT_GITHUB_API_URL,
    gitBranch: parseGitBranch(read(Inputs.gitBranch)),
    ...parseExportEnv(read(Inputs.exportEnv)),
    variables: parseVariables(read(Inputs.variables)),
    redeploy: parseBoolean(Inputs.redeploy, read(Inputs.redeploy), false),
    fallback: parseFallback(read(Inputs.fallback)),
    maxStores: parseMaxStores(read(Inputs.maxStores))
  }
  if (inputs.envPrefix === undefined) {
    inputs.envPrefix = defaultEnvPrefix(context, inputs.externalId)
    inputs.envPrefixIsDefault = true
  }
  const environments = parseEnvironments(read(Inputs.environments))
  inputs.environmentsGiven = environments !== undefined
  inputs.environments = environments ?? defaultEnvironments(inputs)
  return checkPreviewInputs(inputs, context)
}

/**
 * The prefix of a connection when `env-prefix` is empty, so that the stores
 * of many open pull requests connect to one project side by side: `PR42_`
 * in pull request 42; elsewhere (a branch build, a named store) `S` and a
 * hash of the store's key, which differs from key to key and stays the same
 * from run to run. Who needs the store's variables under their own names
 * takes them from `env`, `export-env` or `git-branch`.
 */
function defaultEnvPrefix(context: GitHubContext, externalId: string): string {
  if (context.pullRequestNumber !== undefined) {
    return `PR${context.pullRequestNumber}_`
  }
  const hash = createHash('sha256').update(externalId).digest('hex')
  return `S${hash.slice(0, 8).toUpperCase()}_`
}

/**
 * Whether the step reads the store's values and hands them on itself: to
 * the branch (`git-branch`), the job (`export-env`) or the `env` output
 * (`read-env`).
 */
export function readsValues(
  inputs: Pick<ActionInputs, 'gitBranch' | 'exportEnv' | 'readEnv'>
): boolean {
  return inputs.gitBranch !== undefined || inputs.exportEnv || inputs.readEnv
}

/**
 * Where the step hands the values on itself (to the branch, the job or the
 * `env` output), the connection needs to reach no deployment: development's
 * variables never do, and cannot be sensitive, so every value is readable
 * and no preview can read another pull request's store.
 */
function defaultEnvironments(inputs: ActionInputs): string[] {
  return readsValues(inputs) ? ['development'] : ['preview']
}

/** The inputs of issue 12, which only make sense together. */
function checkPreviewInputs(
  inputs: ActionInputs,
  context: GitHubContext
): ActionInputs {
  if (inputs.redeploy && !inputs.gitBranch) {
    // The usual cause: `${{ github.head_ref }}`, which is empty on any
    // event but a pull request's.
    const why =
      context.pullRequestNumber === undefined
        ? `, and it is empty: this run's event is ${context.eventName ?? 'not a pull request'}, where \${{ github.head_ref }} is empty (GitHub sets it only for pull requests); on push, set "${Inputs.gitBranch}" to \${{ github.ref_name }}, or run this step on pull_request only`
        : `: it redeploys the previews of that branch once its variables are written; set "${Inputs.gitBranch}" to \${{ github.head_ref }}, or drop "${Inputs.redeploy}"`
    throw new InputError(Inputs.redeploy, `needs "${Inputs.gitBranch}"${why}.`)
  }
  for (const input of [Inputs.gitBranch, Inputs.exportEnv] as const) {
    const given =
      input === Inputs.gitBranch ? Boolean(inputs.gitBranch) : inputs.exportEnv
    if (given && !inputs.project) {
      throw new InputError(
        input,
        `needs "${Inputs.project}" (or ${FallbackEnv.project}): the store's values are read from the project it is connected to; set "${Inputs.project}", or drop "${input}".`
      )
    }
  }
  checkVariables(inputs)
  return checkReadEnv(inputs)
}

/**
 * `variables` names what `git-branch`, `export-env` and `env` carry: without
 * one of them it would do nothing. A list in `export-env` names some of its
 * app names, which are known now.
 */
function checkVariables(inputs: ActionInputs): void {
  const { variables, exportNames } = inputs
  if (variables === undefined) return
  if (!readsValues(inputs)) {
    throw new InputError(
      Inputs.variables,
      `needs "${Inputs.gitBranch}", "${Inputs.exportEnv}" or "${Inputs.readEnv}": it names the variables those hand on; add one, or drop "${Inputs.variables}".`
    )
  }
  const names = variables.map(({ name }) => name)
  const unmapped = exportNames?.find((name) => !names.includes(name))
  if (unmapped === undefined) return
  throw new InputError(
    Inputs.exportEnv,
    `lists ${unmapped}, which "${Inputs.variables}" does not give (it gives ${names.join(', ')}); with "${Inputs.variables}", list the app's names (export-env: ${names.slice(0, 2).join(' ')}), or set true for all of them.`
  )
}

/**
 * A prune works on the default names of this repository's pull requests,
 * which it reads back from the store names, with no pull request of its own.
 */
function checkPrune(
  read: InputReader,
  context: GitHubContext,
  comment: boolean
): void {
  for (const input of [Inputs.name, Inputs.externalId]) {
    if (read(input)) {
      throw new InputError(
        input,
        `does not apply to state: prune, which deletes only stores with a default name (a pull request's or a branch's); drop "${input}" from the prune step.`
      )
    }
  }
  if (comment) {
    throw new InputError(
      Inputs.comment,
      `does not apply to state: prune, which runs without a pull request; drop "${Inputs.comment}" from the prune step.`
    )
  }
  // A prune only deletes: there is no store of its own to write to a branch,
  // put into the job's environment or redeploy with. Silently ignoring them
  // would leave a step that looks as if it did one of those.
  const previewInputs = {
    [Inputs.gitBranch]: Boolean(read(Inputs.gitBranch)),
    [Inputs.exportEnv]: parseExportEnv(read(Inputs.exportEnv)).exportEnv,
    [Inputs.variables]: Boolean(read(Inputs.variables).trim()),
    [Inputs.redeploy]: parseBoolean(
      Inputs.redeploy,
      read(Inputs.redeploy),
      false
    )
  }
  for (const [input, given] of Object.entries(previewInputs)) {
    if (given) {
      throw new InputError(
        input,
        `does not apply to state: prune, which deletes stores and writes nothing for a branch; drop "${input}" from the prune step.`
      )
    }
  }
  if (!context.owner || !context.repo) {
    throw new InputError(
      Inputs.state,
      'prune needs the repository the stores were made for (GITHUB_REPOSITORY, which the runner sets); run it in a GitHub Actions workflow.'
    )
  }
}

/**
 * On a `delete` event the default store is the deleted branch's (the
 * event's `ref`): only `state: absent` makes sense of it, and a tag has
 * none. A step that names its store is left to do as it says.
 */
function checkDeleteEvent(
  read: InputReader,
  context: GitHubContext,
  state: StoreState
): void {
  if (read(Inputs.name) || read(Inputs.externalId)) return
  if (context.branch === undefined) {
    throw new InputError(
      Inputs.state,
      `has no store to work on: this delete event deleted a tag, not a branch; run the step only for branches (if: github.event.ref_type == 'branch').`
    )
  }
  if (state === 'present') {
    throw new InputError(
      Inputs.state,
      `is present on a delete event, which would make a store for branch ${JSON.stringify(context.branch)} as it is deleted; use state: absent to delete that branch's store.`
    )
  }
}

/** The values are read from the project a store is connected to. */
function checkReadEnv(inputs: ActionInputs): ActionInputs {
  if (inputs.readEnv && inputs.state === 'present' && !inputs.project) {
    throw new InputError(
      Inputs.readEnv,
      `needs "${Inputs.project}" (or ${FallbackEnv.project}): the values are read from the project the store is connected to; set "${Inputs.project}", or drop "${Inputs.readEnv}".`
    )
  }
  return inputs
}

/**
 * `VERCEL_ORG_ID` as `vercel link` writes it: a team id, or for a personal
 * account the user's id, which is no team and means no team scope.
 */
function teamFromEnv(env: NodeJS.ProcessEnv): string {
  const orgId = env[FallbackEnv.team]?.trim() ?? ''
  return orgId.startsWith('team_') ? orgId : ''
}
