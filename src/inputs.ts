import { createHash } from 'node:crypto'
import {
  DEFAULT_API_URL,
  DEFAULT_GITHUB_API_URL,
  DEFAULT_TIMEOUT_SECONDS,
  FallbackEnv,
  Inputs
} from './constants.ts'
import { InputError } from './errors.ts'
import type { GitHubContext } from './naming.ts'
import { parseMetadataLines, type MetadataSyntax } from './metadata.ts'
import { deriveDefaults } from './naming.ts'
import {
  CreateStoreSpec,
  type MetadataValue,
  type StoreSource,
  type TeamScope
} from './vercel-types.ts'

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
  environments: ProjectEnvironment[]
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
  /** Redeploy the branch's newest preview where it predates its variables. */
  redeploy: boolean
}

/**
 * `prune`: delete the stores of this repository's closed pull requests.
 * `name` and `externalId` are empty then: a prune works on default names.
 */
export type StoreState = 'present' | 'absent' | 'prune'
export type ProjectEnvironment = 'production' | 'preview' | 'development'

export type InputReader = (name: string) => string

export interface ParseOptions {
  env?: NodeJS.ProcessEnv
  context?: GitHubContext
  /** Called with the token before anything else is read, to mask it. */
  onSecret?: (secret: string) => void
}

const TEAM_ID = /^team_[A-Za-z0-9]+$/
const TEAM_SLUG = /^[A-Za-z0-9][A-Za-z0-9_-]*$/
// The Vercel CLI's rule for store names (generate-resource-name.ts).
const STORE_NAME = /^[A-Za-z0-9_-]+$/
const NO_SPACE = /^\S+$/
const PRINTABLE = /^[\x20-\x7e]+$/
const LOOPBACK_HOSTS = new Set(['localhost', '[::1]'])

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
  const defaults =
    state === 'prune'
      ? { name: '', externalId: '' }
      : deriveDefaults(context, read(Inputs.name))
  const metadata = parseMetadata(read(Inputs.metadata))
  const inputs: ActionInputs = {
    token: parseToken(token),
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
    environments: parseEnvironments(read(Inputs.environments)),
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
    exportEnv: parseBoolean(Inputs.exportEnv, read(Inputs.exportEnv), false),
    redeploy: parseBoolean(Inputs.redeploy, read(Inputs.redeploy), false)
  }
  if (inputs.envPrefix === undefined) {
    inputs.envPrefix = defaultEnvPrefix(context, inputs.externalId)
    inputs.envPrefixIsDefault = true
  }
  return checkPreviewInputs(inputs)
}

/**
 * The prefix of a connection when `env-prefix` is empty, so that the stores
 * of many open pull requests connect to one project side by side: `PR42_`
 * in pull request 42; elsewhere (a branch build, a named store) `S` and a
 * hash of the store's key, which differs from key to key and stays the same
 * from run to run. Who needs the store's variables under their own names
 * takes them from `env`, `export-env` or `git-branch`.
 */
export function defaultEnvPrefix(
  context: GitHubContext,
  externalId: string
): string {
  if (context.pullRequestNumber !== undefined) {
    return `PR${context.pullRequestNumber}_`
  }
  const hash = createHash('sha256').update(externalId).digest('hex')
  return `S${hash.slice(0, 8).toUpperCase()}_`
}

/** The inputs of issue 12, which only make sense together. */
function checkPreviewInputs(inputs: ActionInputs): ActionInputs {
  if (inputs.redeploy && !inputs.gitBranch) {
    throw new InputError(
      Inputs.redeploy,
      `needs "${Inputs.gitBranch}": it redeploys the previews of that branch once its variables are written; set "${Inputs.gitBranch}" (for example \${{ github.head_ref }}), or drop "${Inputs.redeploy}".`
    )
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
  return checkReadEnv(inputs)
}

// Vercel's limit for a variable's `gitBranch`.
const MAX_GIT_BRANCH_LENGTH = 250
// What `git check-ref-format` refuses anywhere in a ref: control
// characters, space, ~ ^ : ? * [ \, a `..` and a `@{`.
// eslint-disable-next-line no-control-regex
const REF_FORBIDDEN = /[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{/

/**
 * A branch name as `git check-ref-format --branch` takes it: none of the
 * characters above, no component that starts with `.` or ends with `.lock`,
 * no leading, trailing or doubled `/`, no trailing `.`, not `@`, and no
 * leading `-`.
 */
function parseGitBranch(value: string): string | undefined {
  if (!value) return undefined
  if (value.length > MAX_GIT_BRANCH_LENGTH) {
    throw new InputError(
      Inputs.gitBranch,
      `must be at most ${MAX_GIT_BRANCH_LENGTH} characters, the most Vercel allows a variable's branch; got ${value.length} characters.`
    )
  }
  const components = value.split('/')
  const valid =
    !REF_FORBIDDEN.test(value) &&
    value !== '@' &&
    !value.startsWith('-') &&
    !value.endsWith('.') &&
    components.every(
      (part) => part !== '' && !part.startsWith('.') && !part.endsWith('.lock')
    )
  if (valid) return value
  throw new InputError(
    Inputs.gitBranch,
    `must be a Git branch name (as \${{ github.head_ref }} gives it), which git check-ref-format accepts; got ${quote(value)}.`
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
        `does not apply to state: prune, which deletes only stores with a default name (a pull request's); drop "${input}" from the prune step.`
      )
    }
  }
  if (comment) {
    throw new InputError(
      Inputs.comment,
      `does not apply to state: prune, which runs without a pull request; drop "${Inputs.comment}" from the prune step.`
    )
  }
  if (!context.owner || !context.repo) {
    throw new InputError(
      Inputs.state,
      'prune needs the repository the stores were made for (GITHUB_REPOSITORY, which the runner sets); run it in a GitHub Actions workflow.'
    )
  }
}

/** Needed by `comment` and by `state: prune`; unread otherwise. */
function parseGitHubToken(
  token: string,
  neededBy: StoreState | undefined
): string | undefined {
  if (neededBy === undefined) return token || undefined
  if (!token) {
    throw new InputError(
      Inputs.githubToken,
      `is required with ${neededBy === 'prune' ? 'state: prune (it reads the open pull requests: permissions pull-requests: read)' : `"${Inputs.comment}" (permissions pull-requests: write)`}; its default is \${{ github.token }}.`
    )
  }
  if (!NO_SPACE.test(token) || !PRINTABLE.test(token)) {
    throw new InputError(
      Inputs.githubToken,
      'contains spaces or characters that cannot be sent in a header; pass ${{ github.token }} or a token without them.'
    )
  }
  return token
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

function parseToken(token: string): string {
  if (!token) {
    throw new InputError(
      Inputs.token,
      `is required: pass a Vercel access token (for example \${{ secrets.VERCEL_TOKEN }}) or set ${FallbackEnv.token}.`
    )
  }
  if (!NO_SPACE.test(token) || !PRINTABLE.test(token)) {
    throw new InputError(
      Inputs.token,
      'contains spaces or characters that cannot be sent in a header; copy the token again.'
    )
  }
  return token
}

/**
 * `VERCEL_ORG_ID` as `vercel link` writes it: a team id, or for a personal
 * account the user's id, which is no team and means no team scope.
 */
function teamFromEnv(env: NodeJS.ProcessEnv): string {
  const orgId = env[FallbackEnv.team]?.trim() ?? ''
  return orgId.startsWith('team_') ? orgId : ''
}

function parseTeam(team: string): TeamScope | undefined {
  if (!team) return undefined
  if (team.startsWith('team_')) {
    if (TEAM_ID.test(team)) return { teamId: team }
  } else if (TEAM_SLUG.test(team) && team.length <= 100) {
    return { slug: team }
  }
  throw new InputError(
    Inputs.team,
    `must be a team id (team_…) or a team slug (letters, digits, - and _); got ${quote(team)}.`
  )
}

// Integration slugs are lowercase words joined by -, like neon or upstash.
const INTEGRATION_SLUG = /^[a-z0-9][a-z0-9-]*$/
const PRODUCT_NAME = /^[\x20-\x7e]{1,128}$/

function parseIntegration(integration: string): string {
  if (
    CreateStoreSpec.integrationConfigurationId.test(integration) ||
    (!integration.startsWith('icfg_') &&
      INTEGRATION_SLUG.test(integration) &&
      integration.length <= 100)
  ) {
    return integration
  }
  throw new InputError(
    Inputs.integration,
    `must be an integration slug like neon or upstash, or the id of its Marketplace installation like icfg_a1B2c3; got ${quote(integration)}.`
  )
}

function parseProduct(product: string): string {
  const trimmed = product.trim()
  const id = trimmed.startsWith('iap_')
  if (
    (id && CreateStoreSpec.productId.test(trimmed)) ||
    (!id && PRODUCT_NAME.test(trimmed) && !isDotSegment(trimmed))
  ) {
    return trimmed
  }
  throw new InputError(
    Inputs.product,
    `must be a product id (iap_…), slug (like neon or upstash-kv) or name (like Neon Postgres); got ${quote(product)}.`
  )
}

function parsePlan(plan: string): string | undefined {
  const trimmed = plan.trim()
  if (!trimmed) return undefined
  if (PRODUCT_NAME.test(trimmed)) return trimmed
  throw new InputError(
    Inputs.plan,
    `must be a billing plan id (bp_…) or name (like Free); got ${quote(plan)}.`
  )
}

function parseName(name: string): string {
  if (!name) {
    throw new InputError(
      Inputs.name,
      'is required outside a pull request or branch build: no default can be derived from the GitHub context.'
    )
  }
  if (name.length > CreateStoreSpec.nameMaxLength || !STORE_NAME.test(name)) {
    throw new InputError(
      Inputs.name,
      `must be 1 to ${CreateStoreSpec.nameMaxLength} letters, digits, - or _; got ${quote(name)} (${name.length} characters).`
    )
  }
  return name
}

function parseExternalId(externalId: string): string {
  if (!externalId) {
    throw new InputError(
      Inputs.externalId,
      'is required outside a pull request or branch build: no default can be derived from the GitHub context.'
    )
  }
  if (!PRINTABLE.test(externalId) || externalId.length > 256) {
    throw new InputError(
      Inputs.externalId,
      `must be 1 to 256 printable ASCII characters; got ${quote(externalId)}.`
    )
  }
  return externalId
}

function optionalWord(input: string, value: string): string | undefined {
  if (!value) return undefined
  if (NO_SPACE.test(value) && PRINTABLE.test(value)) return value
  throw new InputError(
    input,
    `must be an id without spaces; got ${quote(value)}.`
  )
}

function parsePrepayment(value: string): number | undefined {
  if (!value) return undefined
  const cents = /^\d+$/.test(value) ? Number(value) : Number.NaN
  const minimum = CreateStoreSpec.prepaymentAmountCentsMinimum
  if (Number.isSafeInteger(cents) && cents >= minimum) return cents
  throw new InputError(
    Inputs.prepaymentAmountCents,
    `must be a whole number of cents, at least ${minimum}; got ${quote(value)}.`
  )
}

/**
 * A JSON object, or `key=value` lines whose values the product's schema
 * types later (see metadata.ts).
 */
function parseMetadata(
  value: string
):
  | { values: Record<string, MetadataValue>; syntax: MetadataSyntax }
  | undefined {
  const text = value.trim()
  if (!text) return undefined
  if (!/^[[{"\d-]|^(true|false|null)$/.test(text)) {
    return { values: parseMetadataLines(text), syntax: 'lines' }
  }
  return { values: parseMetadataJson(text), syntax: 'json' }
}

function parseMetadataJson(value: string): Record<string, MetadataValue> {
  const metadata = parseJsonObject(Inputs.metadata, value) ?? {}
  for (const [key, entry] of Object.entries(metadata)) {
    if (!isMetadataValue(entry)) {
      throw new InputError(
        Inputs.metadata,
        `key ${quote(key)} must be a string, a number, a boolean, or a non-empty list of strings or of numbers; got ${describeJson(entry)}.`
      )
    }
  }
  return metadata as Record<string, MetadataValue>
}

// The spec's `oneOf` of string, number, boolean, string[] and number[]: an
// empty list matches both list branches, which `oneOf` rejects.
function isMetadataValue(value: unknown): value is MetadataValue {
  if (['string', 'boolean'].includes(typeof value)) return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (!Array.isArray(value) || value.length === 0) return false
  return (
    value.every((item) => typeof item === 'string') ||
    value.every((item) => typeof item === 'number')
  )
}

function parseJsonObject(
  input: string,
  value: string
): Record<string, unknown> | undefined {
  if (!value) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch (error) {
    // Node's message quotes the input, which may hold a secret: keep only
    // where the syntax error is.
    const position = /position (\d+)/.exec((error as Error).message)?.[1]
    const where = position ? ` (at character ${Number(position) + 1})` : ''
    throw new InputError(
      input,
      `must be a JSON object; it is not valid JSON${where}.`
    )
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError(
      input,
      `must be a JSON object like {"key": "value"}; got ${describeJson(parsed)}.`
    )
  }
  return parsed as Record<string, unknown>
}

/** What kind of JSON value this is, without its content. */
function describeJson(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return value.length ? 'a list' : 'an empty list'
  if (typeof value === 'object') return 'an object'
  return `a ${typeof value}`
}

function parseSource(value: string): StoreSource | undefined {
  if (!value) return undefined
  const sources: readonly string[] = CreateStoreSpec.sources
  if (sources.includes(value)) return value as StoreSource
  throw new InputError(
    Inputs.source,
    `must be one of ${sources.join(', ')}; got ${quote(value)}.`
  )
}

// A job may run for six hours at most.
const MAX_TIMEOUT_SECONDS = 21_600

function parseTimeout(value: string): number {
  if (!value) return DEFAULT_TIMEOUT_SECONDS
  const seconds = /^\d+$/.test(value) ? Number(value) : Number.NaN
  if (seconds >= 1 && seconds <= MAX_TIMEOUT_SECONDS) return seconds
  throw new InputError(
    Inputs.timeout,
    `must be a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}; got ${quote(value)}.`
  )
}

/**
 * Only `https://`, or `http://` to this machine (the emulator), so that a
 * token is never sent in clear over a network.
 */
function parseApiUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    // Not a URL, so no credentials to hide in it.
    throw new InputError(
      Inputs.apiUrl,
      `must be a URL like ${DEFAULT_API_URL}; got ${quote(value)}.`
    )
  }
  const loopback =
    LOOPBACK_HOSTS.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname)
  const secure =
    url.protocol === 'https:' || (url.protocol === 'http:' && loopback)
  // A bare `?` or `#` leaves `search` and `hash` empty, yet every path the
  // client appends would then land in the query or fragment, so the
  // requests would all go to `/`.
  const queryOrFragment = /[?#]/.test(value)
  if (!secure || url.username || url.password || queryOrFragment) {
    throw new InputError(
      Inputs.apiUrl,
      `must be an https:// URL without credentials, query or fragment (http:// is allowed for localhost only); got ${quote(redactUrl(url))}.`
    )
  }
  return url.href.replace(/\/+$/, '')
}

/** The URL with any user, password, query and fragment replaced by `***`. */
function redactUrl(url: URL): string {
  const userinfo = url.username || url.password ? '***@' : ''
  const query = url.search ? '?***' : url.href.endsWith('?') ? '?' : ''
  const fragment = url.hash ? '#***' : url.href.endsWith('#') ? '#' : ''
  return `${url.protocol}//${userinfo}${url.host}${url.pathname}${query}${fragment}`
}

function parseState(value: string): StoreState {
  if (!value || value === 'present') return 'present'
  if (value === 'absent') return 'absent'
  if (value === 'prune') return 'prune'
  throw new InputError(
    Inputs.state,
    `must be present (ensure the store exists), absent (delete it) or prune (delete the stores of closed pull requests); got ${quote(value)}.`
  )
}

// The spellings `core.getBooleanInput` accepts (the YAML 1.2 core schema).
const TRUE_WORDS = ['true', 'True', 'TRUE']
const FALSE_WORDS = ['false', 'False', 'FALSE']

function parseBoolean(input: string, value: string, empty: boolean): boolean {
  if (!value) return empty
  if (TRUE_WORDS.includes(value)) return true
  if (FALSE_WORDS.includes(value)) return false
  throw new InputError(input, `must be true or false; got ${quote(value)}.`)
}

const PROJECT_ID = /^prj_[A-Za-z0-9]+$/
// Vercel's rule for project names: lowercase letters, digits, '.', '_' and
// '-', at most 100 characters, never '---'.
const PROJECT_NAME = /^[a-z0-9._-]{1,100}$/

function parseProject(value: string): string | undefined {
  if (!value) return undefined
  if (
    value.startsWith('prj_') ? PROJECT_ID.test(value) : isProjectName(value)
  ) {
    return value
  }
  throw new InputError(
    Inputs.project,
    `must be a project id (prj_…) or a project name (lowercase letters, digits, ., _ and -, at most 100 characters); got ${quote(value)}.`
  )
}

function isProjectName(value: string): boolean {
  return (
    PROJECT_NAME.test(value) && !value.includes('---') && !isDotSegment(value)
  )
}

/**
 * `.` and `..` pass `encodeURIComponent` unchanged, and a URL parser then
 * drops or climbs the path segment: `/v9/projects/..` becomes `/`.
 */
function isDotSegment(value: string): boolean {
  return value === '.' || value === '..'
}

const ENVIRONMENTS: readonly ProjectEnvironment[] = [
  'production',
  'preview',
  'development'
]

function parseEnvironments(value: string): ProjectEnvironment[] {
  const names = value
    .split(/[,\n]/)
    .map((name) => name.trim())
    .filter(Boolean)
  if (names.length === 0) return ['preview']
  for (const [index, name] of names.entries()) {
    if (!(ENVIRONMENTS as readonly string[]).includes(name)) {
      throw new InputError(
        Inputs.environments,
        `must list environments among ${ENVIRONMENTS.join(', ')}, separated by commas or new lines; got ${quote(name)}.`
      )
    }
    if (names.indexOf(name) !== index) {
      throw new InputError(
        Inputs.environments,
        `lists ${quote(name)} twice; give each environment once.`
      )
    }
  }
  return names as ProjectEnvironment[]
}

// The Vercel CLI's rule for `--prefix` (commands/integration/add.ts).
const ENV_PREFIX = /^[A-Za-z][A-Za-z0-9_]*$/

function parseEnvPrefix(value: string): string | undefined {
  if (!value) return undefined
  if (ENV_PREFIX.test(value) && value.length <= 100) return value
  throw new InputError(
    Inputs.envPrefix,
    `must start with a letter and hold only letters, digits and _ (for example PR42_); got ${quote(value)}.`
  )
}

function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}…` : value
  return JSON.stringify(shown)
}
