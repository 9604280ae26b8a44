// Runs the Vercel CLI against the emulator (issue 20): the commands a user
// would try on the stores the action makes. The CLI is not a devDependency
// (64.0.2 needs an override for a `sandbox` version the registry lacks), so
// this runs only where it is installed:
//
//   npm i --prefix /tmp/vcli vercel@64.0.2 --ignore-scripts   (with the
//     override, see docs/testing.md)
//   VERCEL_CLI=/tmp/vcli/node_modules/vercel/dist/index.js node scripts/vercel-cli-check.ts
//
// Prints one line per command with its verdict and the routes it reached,
// and exits 1 if any command failed or any request was answered 4xx/5xx.
import { execFile } from 'node:child_process'
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startEmulator } from '../emulator/index.ts'
import { STAGING_ENVIRONMENT_ID } from '../emulator/projects.ts'

const run = promisify(execFile)
const cli = process.env.VERCEL_CLI
if (!cli) {
  console.error(
    'Set VERCEL_CLI to the Vercel CLI (its dist/index.js); see docs/testing.md.'
  )
  process.exit(2)
}

const emulator = await startEmulator()
const teamId = 'team_emulator0000000000000001'
const cwd = await mkdtemp(join(tmpdir(), 'vercel-cli-check-'))
await mkdir(join(cwd, '.vercel'))
await writeFile(
  join(cwd, '.vercel', 'project.json'),
  JSON.stringify({ orgId: teamId, projectId: 'prj_emuWeb0001' })
)
const store = emulator.seedStore({
  installationId: 'icfg_emuNeon0001',
  productIdOrSlug: 'neon',
  name: 'cli-db'
})
// Made by the action: a preview-only store variable production must not list.
emulator.connectStore(store.id, 'prj_emuWeb0001', ['preview'])

interface Check {
  args: string[]
  /** What the output must contain. */
  expect: RegExp
  /** What it must not. */
  refuse?: RegExp
}

// `--api` goes after the subcommand: before it, `integration list` takes
// its value for the `[project]` argument.
const checks: Check[] = [
  { args: ['whoami'], expect: /emulator-dev/ },
  { args: ['integration', 'list'], expect: /cli-db/ },
  { args: ['integration-resource', 'inspect', 'cli-db'], expect: /web/ },
  {
    args: ['env', 'ls', 'production'],
    expect: /NEXT_PUBLIC_SITE_NAME/,
    refuse: /DATABASE_URL/
  },
  { args: ['env', 'ls', 'preview'], expect: /DATABASE_URL/ },
  {
    args: ['integration-resource', 'disconnect', 'cli-db', 'web', '--yes'],
    expect: /./
  },
  {
    args: [
      'integration-resource',
      'connect',
      'cli-db',
      'web',
      '-e',
      'preview',
      '-e',
      'staging',
      '--yes'
    ],
    expect: /staging/
  },
  { args: ['env', 'ls', 'staging'], expect: /DATABASE_URL/ },
  {
    args: ['env', 'pull', '.env.staging', '--environment', 'staging', '--yes'],
    expect: /Created/
  },
  {
    args: [
      'env',
      'add',
      'CLI_FLAG',
      'preview',
      'feature/x',
      '--value',
      'on',
      '--no-sensitive',
      '--yes'
    ],
    expect: /Added/
  },
  {
    args: ['env', 'rm', 'CLI_FLAG', 'preview', 'feature/x', '--yes'],
    expect: /Removed/
  },
  {
    args: ['integration-resource', 'disconnect', 'cli-db', '--all', '--yes'],
    expect: /./
  },
  { args: ['integration-resource', 'remove', 'cli-db', '--yes'], expect: /./ }
]

let failed = 0
for (const check of checks) {
  emulator.resetRequests()
  const [command, ...rest] = check.args
  const subcommand = rest.length > 0 ? [rest[0]] : []
  const argv = [
    cli,
    command,
    ...subcommand,
    `--api=${emulator.url}`,
    ...rest.slice(subcommand.length)
  ]
  let output: string
  let ok: boolean
  try {
    const running = run(process.execPath, argv, {
      cwd,
      env: {
        ...process.env,
        VERCEL_TOKEN: emulator.token,
        VERCEL_TELEMETRY_DISABLED: '1',
        CI: '1'
      },
      timeout: 60_000
    })
    // The CLI reads a value from stdin where it is a pipe: it gets none.
    running.child.stdin?.end()
    const done = await running
    output = `${done.stdout}${done.stderr}`
    ok = true
  } catch (error) {
    const {
      stdout = '',
      stderr = '',
      code
    } = error as {
      stdout?: string
      stderr?: string
      code?: number | string
    }
    output = `${stdout}${stderr}(exit ${code})`
    ok = false
  }
  const refused = emulator.requests.filter(({ status }) => status >= 400)
  const pass =
    ok &&
    check.expect.test(output) &&
    !(check.refuse?.test(output) ?? false) &&
    refused.length === 0
  if (!pass) failed++
  const routes = [
    ...new Set(
      emulator.requests.map(({ route, status }) => `${route} ${status}`)
    )
  ]
  console.log(`${pass ? 'ok  ' : 'FAIL'} vercel ${check.args.join(' ')}`)
  for (const route of routes) console.log(`       ${route}`)
  if (!pass) console.log(output.replace(/^/gm, '       | '))
}

const pulled = await readFile(join(cwd, '.env.staging'), 'utf8').catch(() => '')
const stagingPulled = /DATABASE_URL=/.test(pulled)
console.log(
  `${stagingPulled ? 'ok  ' : 'FAIL'} .env.staging has the store's variables of ${STAGING_ENVIRONMENT_ID}`
)
if (!stagingPulled) failed++
await emulator.close()
await rm(cwd, { recursive: true, force: true })
process.exit(failed === 0 ? 0 : 1)
