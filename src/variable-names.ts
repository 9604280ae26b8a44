/**
 * Which of a store's variables may leave it under their own names: into the
 * job's environment (`export-env`) and onto a Git branch, whose every build
 * reads them (`git-branch`). The names come from the store's integration
 * vendor, or from whatever answers at `api-url`, and a later step's tools
 * read many names as settings (`GNUMAKEFLAGS`, `CLASSPATH`,
 * `PRISMA_ENGINES_MIRROR`…) that run a command or fetch code. No list of
 * such names can be complete, so the action takes an allowlist instead: the
 * names the user lists, or else only names of the shapes database stores
 * give (`STORE_NAME_SHAPES`). The known settings (`TOOL_SETTINGS`) are kept
 * as a second check, on both, and refuse a listed name outright.
 */

import { Inputs } from './constants.ts'
import { ActionError } from './errors.ts'

// A name fit for the job's environment: letters, digits and `_`, not
// starting with a digit (what a shell accepts as a variable name).
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/

/*
 * libpq's connection variables that name the server, the database, the
 * credentials and how the connection is secured: what a Postgres store
 * gives. Left out are those that point at a file or directory (PGPASSFILE,
 * PGSERVICEFILE, PGSYSCONFDIR, PGSSLCERT, PGSSLKEY, PGSSLROOTCERT, PGSSLCRL,
 * PGSSLCRLDIR), write one (PGSSLKEYLOGFILE), pick a section of a service
 * file (PGSERVICE), pass the server options (PGOPTIONS) or set a session's
 * defaults: they are configuration, not where the store is.
 */
const LIBPQ_CONNECTION = [
  'PGHOST',
  'PGHOSTADDR',
  'PGPORT',
  'PGDATABASE',
  'PGUSER',
  'PGPASSWORD',
  'PGAPPNAME',
  'PGCONNECT_TIMEOUT',
  'PGSSLMODE',
  'PGREQUIRESSL',
  'PGCHANNELBINDING',
  'PGGSSENCMODE',
  'PGTARGETSESSIONATTRS',
  'PGLOADBALANCEHOSTS'
]

/*
 * The shapes of the names database stores on the Vercel Marketplace give,
 * upper case only. A vendor's prefix is taken whole only where no tool of
 * that vendor reads other names under it as settings: the Supabase CLI
 * takes its settings as SUPABASE_*, neonctl as NEON_*, the Atlas CLI as
 * MONGODB_ATLAS_*, the Turso CLI as TURSO_*, Prisma as PRISMA_*
 * (`PRISMA_ENGINES_MIRROR` says where its engines are downloaded from), so
 * for those only the names their stores give are taken.
 */
export const STORE_NAME_SHAPES: readonly RegExp[] = [
  /^DATABASE_[A-Z0-9_]+$/,
  // The postgres image's entrypoint reads these three as initdb's settings.
  /^POSTGRES_(?!INITDB_|HOST_AUTH_METHOD$)[A-Z0-9_]+$/,
  new RegExp(`^(${LIBPQ_CONNECTION.join('|')})$`),
  // Neon's host without its pooler: no tool reads it.
  /^PGHOST_UNPOOLED$/,
  /^REDIS_[A-Z0-9_]+$/,
  /^KV_[A-Z0-9_]+$/,
  /^UPSTASH_(REDIS|VECTOR|SEARCH|KAFKA)_[A-Z0-9_]+$/,
  /^QSTASH_(URL|TOKEN|CURRENT_SIGNING_KEY|NEXT_SIGNING_KEY)$/,
  /^(NEXT_PUBLIC_)?SUPABASE_(URL|ANON_KEY|PUBLISHABLE_KEY)$/,
  /^SUPABASE_(SERVICE_ROLE_KEY|SECRET_KEY|JWT_SECRET)$/,
  /^NEON_PROJECT_ID$/,
  /^PRISMA_DATABASE_URL$/,
  /^MONGODB_(URI|URL|DB|DATABASE)$/,
  /^TURSO_(DATABASE_URL|AUTH_TOKEN)$/
]

/** The shapes as the README and a warning name them, briefly. */
export const STORE_NAME_SHAPES_SHOWN =
  'DATABASE_*, POSTGRES_*, libpq connection PG* (PGHOST, PGUSER, PGPASSWORD…), REDIS_*, KV_*, UPSTASH_REDIS_*, SUPABASE_URL…, PRISMA_DATABASE_URL, MONGODB_URI, TURSO_DATABASE_URL…'

/*
 * The names a later step's tools read as settings, matched regardless of
 * case (`https_proxy` works as well as `HTTPS_PROXY`): never put into the
 * job's environment or onto a branch, even where a user lists one. They
 * would send a later step's traffic through a proxy, trust another
 * certificate, run a command for make, Git or SSH, load code into Node, the
 * JVM or a shell, fetch a tool's binaries from elsewhere, or change the
 * runner's own variables.
 */
const TOOL_SETTINGS: RegExp[] = [
  // Proxies: curl, Git, Node (undici), pip, Docker…
  /^.*_PROXY$/,
  // TLS: the certificates a tool trusts, OpenSSL's configuration.
  /^SSL_/,
  /_CA_/,
  /^(REQUESTS|CURL)_CA_BUNDLE$/,
  /^OPENSSL_/,
  // Git, GitHub's CLI and SSH: commands to run, configuration to load.
  /^GIT_/,
  /^GH_/,
  /^SSH_/,
  // Node and its package managers: code to preload, registries, scripts' shell.
  /^NODE_/,
  /^(NPM|YARN|PNPM|COREPACK|BUN|DENO|NVM|VOLTA)_/,
  // Where tools download their binaries and browsers from.
  /^(PLAYWRIGHT|PUPPETEER|ELECTRON|CYPRESS|SASS_BINARY|CHROMEDRIVER)_/,
  // Prisma's engines and their mirror; its stores' one name is data.
  /^PRISMA_(?!DATABASE_URL$)/,
  // Python, Ruby, Perl, Java, Go, Rust, .NET, PHP toolchains.
  /^(PIP|PIPENV|POETRY|UV|CONDA|VIRTUAL_ENV)(_|$)/,
  /^PYTHON/,
  /^(RUBY|GEM_|BUNDLE_|PERL)/,
  /^(JAVA_|_JAVA_|JDK_JAVA_|MAVEN_|GRADLE_|CLASSPATH$|SBT_OPTS$|ANT_OPTS$)/,
  /^GO(FLAGS|PROXY|PRIVATE|NOPROXY|NOSUMDB|SUMDB|INSECURE|AUTH|VCS|WORK|PATH|ROOT|TOOLCHAIN|ENV|EXPERIMENT|DEBUG|CACHE|MODCACHE|BIN|OS|ARCH)$/,
  /^CGO_/,
  /^(CARGO_|RUSTC|RUSTFLAGS|RUSTDOCFLAGS|RUSTUP_)/,
  /^(DOTNET_|NUGET_|COMPOSER_)/,
  // Compilers, make and CMake.
  /^(CC|CXX|CPP|LD|AR|CFLAGS|CXXFLAGS|CPPFLAGS|LDFLAGS)$/,
  /^(GNU)?MAKE/,
  /^CMAKE_/,
  // Containers, cloud and infrastructure tools: daemon, registry, credentials.
  /^(DOCKER_|BUILDKIT_|COMPOSE_|KUBECONFIG$|AWS_|AZURE_|CLOUDSDK_|GOOGLE_APPLICATION_CREDENTIALS$|HELM_|TF_|ANSIBLE_)/,
  // The vendors' own command-line tools' settings (see the shapes above).
  /^(SUPABASE_(ACCESS_TOKEN|DB_PASSWORD|PROFILE|INTERNAL_)|NEON_API_|MONGODB_ATLAS_|TURSO_(API_|CONFIG))/,
  // The dynamic loader: libraries loaded into every process.
  /^(LD_|DYLD_)/,
  // Shells, pagers and editors: files sourced, input filters, commands run.
  /^(BASH_|BASH$|ENV$|PROMPT_COMMAND$|SHELL|SHELLOPTS$|IFS$|PS[0-4]$|CDPATH$|ZDOTDIR$)/,
  /^(LESS|MANPAGER$|GIT_PAGER$)/,
  // Where programs, home, configuration and temporary files are.
  /^(PATH|HOME|TMPDIR|TMP|TEMP|EDITOR|VISUAL|PAGER|GNUPGHOME)$/,
  /^XDG_/,
  // The runner's and the workflow's own: CI, GitHub, inputs, saved state.
  /^(CI$|GITHUB_|RUNNER_|ACTIONS_|INPUT_|STATE_)/,
  // The Vercel CLI's own token, team, project and settings.
  /^(VERCEL_|NOW_)/
].map(({ source }) => new RegExp(source, 'i'))

function isToolSetting(name: string): boolean {
  return TOOL_SETTINGS.some((pattern) => pattern.test(name))
}

/** Whether a store's variable of this name may leave it with `true`. */
export function isStoreShaped(name: string): boolean {
  return (
    STORE_NAME_SHAPES.some((shape) => shape.test(name)) && !isToolSetting(name)
  )
}

/**
 * Why the user may not list this name; undefined where they may. Checked
 * with the inputs, before any request.
 */
export function unlistable(name: string): string | undefined {
  if (!VARIABLE_NAME.test(name)) {
    return 'is not a variable name (letters, digits and _, not starting with a digit)'
  }
  if (isToolSetting(name)) {
    return "is a name later steps' tools read as a setting, which the action never sets"
  }
  return undefined
}

/**
 * One line of `variables`: the app's name for the value of one of the
 * store's names (`DATABASE_URL` from `POSTGRES_PRISMA_URL`).
 */
export interface AppVariable {
  name: string
  from: string
}

/** A store's names split into those that leave it and those skipped. */
export interface NameSelection {
  selected: string[]
  skipped: string[]
}

/**
 * The store's names that leave it: those listed (every one of which it must
 * have: the caller fails on `missing`), or, with no list, those of the
 * stores' shapes.
 */
function selectNames(
  names: readonly string[],
  listed: readonly string[] | undefined
): NameSelection & { missing: string[] } {
  const allowed = listed
    ? (name: string) => listed.includes(name)
    : (name: string) => isStoreShaped(name)
  return {
    selected: names.filter(allowed),
    skipped: names.filter((name) => !allowed(name)),
    missing: (listed ?? []).filter((name) => !names.includes(name))
  }
}

// A warning names at most this many; a hostile product may give thousands.
const MAX_NAMES_SHOWN = 20

/** Names for a log line: plain ones as they are, others quoted and cut. */
export function namesShown(
  names: readonly string[],
  most = MAX_NAMES_SHOWN
): string {
  const shown = names
    .slice(0, most)
    .map((name) =>
      VARIABLE_NAME.test(name) ? name : JSON.stringify(name.slice(0, 40))
    )
  const more = names.length - shown.length
  return `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`
}

/** The inputs that say which names leave the store (see `ActionInputs`). */
export interface LeavingInputs {
  exportEnv: boolean
  exportNames?: string[]
  gitBranch?: string
  variables?: AppVariable[]
}

/**
 * Of the store's names, those `export-env` puts into the job's environment
 * and those `git-branch` writes to the branch (see above):
 * the names `export-env` lists, or those of the stores' shapes; the
 * branch's are always those of the shapes. With `variables`, the app's
 * names instead (`appNamesLeaving`). Fails, before the connection where the
 * store's names are known then, on a listed name the store does not have.
 */
export function namesLeaving(
  inputs: LeavingInputs,
  names: readonly string[],
  storeId: string
): { exported?: NameSelection; branch?: NameSelection } {
  if (inputs.variables) {
    return appNamesLeaving(inputs, inputs.variables, names, storeId)
  }
  const exported = inputs.exportEnv
    ? selectNames(names, inputs.exportNames)
    : undefined
  if (exported && exported.missing.length > 0) {
    throw new ActionError(
      `Input "${Inputs.exportEnv}" lists ${namesShown(exported.missing)}, which store ${storeId} has no variable of (it has ${namesShown(names) || 'none'}), so nothing was put into the job's environment; list only the store's names, or set "${Inputs.exportEnv}" to true.`
    )
  }
  const branch =
    inputs.gitBranch === undefined ? undefined : selectNames(names, undefined)
  return { exported, branch }
}

/**
 * With `variables`: exactly the app's names, on the branch and in the job's
 * environment (those `export-env` lists, where it lists some), none left
 * out by shape, as the user chose each. Fails on a store name the store does
 * not have, naming the store's names: checked before the connection is
 * written (after the create, for a new store), and so before any variable.
 */
function appNamesLeaving(
  inputs: Omit<LeavingInputs, 'variables'>,
  variables: readonly AppVariable[],
  names: readonly string[],
  storeId: string
): { exported?: NameSelection; branch?: NameSelection } {
  const missing = variables.filter(({ from }) => !names.includes(from))
  if (missing.length > 0) {
    const lines = missing.map(({ name, from }) => `${name}=${from}`)
    throw new ActionError(
      `Input "${Inputs.variables}" maps ${lines.join(', ')}, but store ${storeId} has no ${namesShown([...new Set(missing.map(({ from }) => from))])}: it has ${namesShown(names) || 'no variable'}. No variable was written to a branch or the job's environment; map each name from one of the store's.`
    )
  }
  const appNames = variables.map(({ name }) => name)
  const all = { selected: appNames, skipped: [] }
  return {
    exported: inputs.exportEnv
      ? selectNames(appNames, inputs.exportNames ?? appNames)
      : undefined,
    branch: inputs.gitBranch === undefined ? undefined : all
  }
}
