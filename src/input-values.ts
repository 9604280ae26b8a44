/**
 * The format of every input that is not a Vercel name (see
 * `vercel-names.ts`): the tokens, the switches and numbers, the JSON inputs,
 * the API's URL, the state and the Git branch. Each check fails with a clear
 * error naming the input; none echoes a value that may be a secret.
 */
import {
  DEFAULT_API_URL,
  DEFAULT_TIMEOUT_SECONDS,
  FallbackEnv,
  Inputs
} from './constants.ts'
import { InputError } from './errors.ts'
import { parseMetadataLines, type MetadataSyntax } from './metadata.ts'
import {
  CreateStoreSpec,
  type MetadataValue,
  type StoreSource
} from './vercel-types.ts'

const NO_SPACE = /^\S+$/
const PRINTABLE = /^[\x20-\x7e]+$/
const LOOPBACK_HOSTS = new Set(['localhost', '[::1]'])

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
export function parseGitBranch(value: string): string | undefined {
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

/** Needed by `comment` and by `state: prune`; unread otherwise. */
export function parseGitHubToken(
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

/**
 * An empty token is most often a secret the run cannot read rather than one
 * the workflow forgot to pass, so the error says which runs get none.
 */
export function parseToken(
  token: string,
  run: { actor?: string; fromFork?: boolean } = {}
): string {
  if (!token) {
    const cause =
      run.actor === 'dependabot[bot]'
        ? "this run is Dependabot's, which reads Dependabot's secrets, not the repository's Actions secrets: add the token under Settings → Secrets and variables → Dependabot as well, or skip Dependabot's pull requests (if: github.actor != 'dependabot[bot]')"
        : run.fromFork
          ? 'this pull request comes from a fork, and GitHub gives runs of forks no secrets: skip such pull requests (if: github.event.pull_request.head.repo.fork == false)'
          : `the secret it names is not set in this repository, or this run gets no secrets (a pull request from a fork, or Dependabot's): add a Vercel access token under Settings → Secrets and variables → Actions (for example as VERCEL_TOKEN, passed as \${{ secrets.VERCEL_TOKEN }}), or set ${FallbackEnv.token}`
    throw new InputError(Inputs.token, `is empty: ${cause}.`)
  }
  if (!NO_SPACE.test(token) || !PRINTABLE.test(token)) {
    throw new InputError(
      Inputs.token,
      'contains spaces or characters that cannot be sent in a header; copy the token again.'
    )
  }
  return token
}

export function parseExternalId(externalId: string): string {
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

export function optionalWord(input: string, value: string): string | undefined {
  if (!value) return undefined
  if (NO_SPACE.test(value) && PRINTABLE.test(value)) return value
  throw new InputError(
    input,
    `must be an id without spaces; got ${quote(value)}.`
  )
}

export function parsePrepayment(value: string): number | undefined {
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
export function parseMetadata(
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

export function parseJsonObject(
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

export function parseSource(value: string): StoreSource | undefined {
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

export function parseTimeout(value: string): number {
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
export function parseApiUrl(value: string): string {
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

/**
 * `prune`: delete the stores of this repository's closed pull requests.
 * `name` and `externalId` are empty then: a prune works on default names.
 */
export type StoreState = 'present' | 'absent' | 'prune'

export function parseState(value: string): StoreState {
  if (!value || value === 'present') return 'present'
  if (value === 'absent') return 'absent'
  if (value === 'prune') return 'prune'
  throw new InputError(
    Inputs.state,
    `must be present (ensure the store exists), absent (delete it) or prune (delete the stores of closed pull requests); got ${quote(value)}.`
  )
}

// The spellings `core.getBooleanInput` accepts (the YAML 1.2 core schema).
export const TRUE_WORDS = ['true', 'True', 'TRUE']
export const FALSE_WORDS = ['false', 'False', 'FALSE']

/**
 * `fallback`: what a project-wide preview variable of a store's name means
 * for the step, since the first build of every pull request reads it.
 */
export function parseFallback(value: string): 'warn' | 'fail' {
  if (!value || value === 'warn') return 'warn'
  if (value === 'fail') return 'fail'
  throw new InputError(
    Inputs.fallback,
    `must be warn or fail; got ${quote(value)}.`
  )
}

// More stores than this per repository is no bound a team means to set.
const MAX_MAX_STORES = 10_000

/** `max-stores`: a whole number of stores, from 1; empty for no bound. */
export function parseMaxStores(value: string): number | undefined {
  if (!value) return undefined
  const count = /^\d+$/.test(value) ? Number(value) : Number.NaN
  if (count >= 1 && count <= MAX_MAX_STORES) return count
  throw new InputError(
    Inputs.maxStores,
    `must be a whole number of stores from 1 to ${MAX_MAX_STORES}, or empty for no bound; got ${quote(value)}.`
  )
}

export function parseBoolean(
  input: string,
  value: string,
  empty: boolean
): boolean {
  if (!value) return empty
  if (TRUE_WORDS.includes(value)) return true
  if (FALSE_WORDS.includes(value)) return false
  throw new InputError(input, `must be true or false; got ${quote(value)}.`)
}

export function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}…` : value
  return JSON.stringify(shown)
}
