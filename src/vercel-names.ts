/**
 * The ids, slugs and names of Vercel's teams, integrations, products, plans,
 * stores and projects, and the environments and prefix of a connection, each
 * checked as its input takes it: a bad one fails the step, naming the input,
 * before any request.
 */
import { Inputs } from './constants.ts'
import { InputError } from './errors.ts'
import { quote } from './input-values.ts'
import { CreateStoreSpec, type TeamScope } from './vercel-types.ts'

const TEAM_ID = /^team_[A-Za-z0-9]+$/
const TEAM_SLUG = /^[A-Za-z0-9][A-Za-z0-9_-]*$/
// The Vercel CLI's rule for store names (generate-resource-name.ts).
const STORE_NAME = /^[A-Za-z0-9_-]+$/

export function parseTeam(team: string): TeamScope | undefined {
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

export function parseIntegration(integration: string): string {
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

export function parseProduct(product: string): string {
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

export function parsePlan(plan: string): string | undefined {
  const trimmed = plan.trim()
  if (!trimmed) return undefined
  if (PRODUCT_NAME.test(trimmed)) return trimmed
  throw new InputError(
    Inputs.plan,
    `must be a billing plan id (bp_…) or name (like Free); got ${quote(plan)}.`
  )
}

export function parseName(name: string): string {
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

const PROJECT_ID = /^prj_[A-Za-z0-9]+$/
// Vercel's rule for project names: lowercase letters, digits, '.', '_' and
// '-', at most 100 characters, never '---'.
const PROJECT_NAME = /^[a-z0-9._-]{1,100}$/

export function parseProject(value: string): string | undefined {
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

type ProjectEnvironment = 'production' | 'preview' | 'development'

const ENVIRONMENTS: readonly ProjectEnvironment[] = [
  'production',
  'preview',
  'development'
]

// A custom environment's id, and its slug as the dashboard makes it.
const CUSTOM_ENVIRONMENT_ID = /^env_[A-Za-z0-9]+$/
const CUSTOM_ENVIRONMENT_SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/

/**
 * The environments a connection is made for: production, preview,
 * development, and custom environments by id (`env_…`) or slug, as the
 * Vercel CLI takes them. Undefined where none is given: the step then
 * chooses by what it does with the values.
 */
export function parseEnvironments(value: string): string[] | undefined {
  const names = value
    .split(/[,\n]/)
    .map((name) => name.trim())
    .filter(Boolean)
  if (names.length === 0) return undefined
  for (const [index, name] of names.entries()) {
    if (
      !isStandardEnvironment(name) &&
      !CUSTOM_ENVIRONMENT_ID.test(name) &&
      !CUSTOM_ENVIRONMENT_SLUG.test(name)
    ) {
      throw new InputError(
        Inputs.environments,
        `must list environments among ${ENVIRONMENTS.join(', ')}, or custom environments by id (env_…) or slug, separated by commas or new lines; got ${quote(name)}.`
      )
    }
    if (names.indexOf(name) !== index) {
      throw new InputError(
        Inputs.environments,
        `lists ${quote(name)} twice; give each environment once.`
      )
    }
  }
  return names
}

/** Production, preview or development: not a custom environment. */
export function isStandardEnvironment(name: string): boolean {
  return (ENVIRONMENTS as readonly string[]).includes(name)
}

/** A custom environment given by its slug, which costs one look-up. */
export function isCustomEnvironmentSlug(name: string): boolean {
  return !isStandardEnvironment(name) && !CUSTOM_ENVIRONMENT_ID.test(name)
}

// The Vercel CLI's rule for `--prefix` (commands/integration/add.ts).
const ENV_PREFIX = /^[A-Za-z][A-Za-z0-9_]*$/

export function parseEnvPrefix(value: string): string | undefined {
  if (!value) return undefined
  if (ENV_PREFIX.test(value) && value.length <= 100) return value
  throw new InputError(
    Inputs.envPrefix,
    `must start with a letter and hold only letters, digits and _ (for example PR42_); got ${quote(value)}.`
  )
}
