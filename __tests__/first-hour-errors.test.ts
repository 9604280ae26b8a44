import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../emulator/index.ts'
import { BUNDLE, runAction, type RunOptions } from '../harness/run-action.ts'
import { errorLine, neonIdInputs } from './support/run-result.ts'

// Issue 24: the mistakes of a new user's first hour, each through
// dist/index.js. Every line must quote the value given, say what it means
// and what to change, on one line, and never send the user the wrong way.

const WEB = 'prj_emuWeb0001'

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator()
})

afterAll(async () => {
  await emulator.close()
})

function neonBySlug(extra: Record<string, string> = {}) {
  return {
    token: emulator.token,
    team: emulator.team.slug,
    integration: 'neon',
    product: 'neon',
    'api-url': emulator.url,
    ...extra
  }
}

interface Mistake {
  what: string
  run: () => RunOptions
  /** What the one error line must say. */
  says: RegExp[]
  /** What it must no longer say. */
  never: RegExp[]
}

const MISTAKES: Mistake[] = [
  {
    what: 'an integration slug the team has not installed',
    run: () => ({
      inputs: neonBySlug({ integration: 'vercel-postgres' }),
      pullRequest: 42
    }),
    says: [
      /Input "integration" is "vercel-postgres", which team "acme" has not installed/,
      /it has installed "neon", "upstash"/
    ],
    never: [/marketplace\/vercel-postgres/, /https?:/]
  },
  {
    what: 'a token secret that is not set',
    run: () => ({ inputs: neonBySlug({ token: '' }), pullRequest: 42 }),
    says: [
      /Input "token" is empty: the secret it names is not set in this repository, or this run gets no secrets \(a pull request from a fork, or Dependabot's\)/
    ],
    never: [/is required/]
  },
  {
    what: "Dependabot's pull request, which gets no Actions secrets",
    run: () => ({
      inputs: neonBySlug({ token: '' }),
      pullRequest: 42,
      env: { GITHUB_ACTOR: 'dependabot[bot]' }
    }),
    says: [
      /Input "token" is empty: this run is Dependabot's, which reads Dependabot's secrets/,
      /github\.actor != 'dependabot\[bot\]'/
    ],
    never: [/is required/]
  },
  {
    what: 'a team the token cannot act for',
    run: () => ({ inputs: neonBySlug({ team: 'my-team' }), pullRequest: 42 }),
    says: [
      /The token may not do this for team "my-team" \("team"\): check that it is the team's slug/
    ],
    never: [/it needs access to "team"/]
  },
  {
    what: 'no team, so the personal account',
    run: () => ({ inputs: neonBySlug({ team: '' }), pullRequest: 42 }),
    says: [
      /Input "integration" is "neon", which the personal account of the token's user \("team" is empty, so no team was used\) has not installed/,
      /set "team" to the slug of the team that installed it/
    ],
    never: [/this team/, /https?:/]
  },
  {
    what: 'redeploy on push, where github.head_ref is empty',
    run: () => ({
      inputs: neonIdInputs(emulator, {
        project: WEB,
        redeploy: 'true',
        'git-branch': ''
      }),
      eventName: 'push'
    }),
    says: [
      /Input "redeploy" needs "git-branch", and it is empty: this run's event is push, where \$\{\{ github\.head_ref \}\} is empty/,
      /set "git-branch" to \$\{\{ github\.ref_name \}\}/
    ],
    never: [/for example \$\{\{ github\.head_ref \}\}/]
  }
]

describe('the first hour’s mistakes, through dist/index.js', () => {
  it.each(MISTAKES)(
    'say what was given and what to change: $what',
    async ({ run, says, never }) => {
      emulator.resetRequests()
      const line = errorLine(await runAction({ ...run(), bundle: true }))
      for (const pattern of says) expect(line).toMatch(pattern)
      for (const pattern of never) expect(line).not.toMatch(pattern)
      // Nothing was created on the way to the error.
      expect(
        emulator.requests.filter(({ method }) => method !== 'GET')
      ).toEqual([])
    }
  )

  it("names a push of a branch whose pull request's store serves it, not a second pull request", async () => {
    const branch = 'feat-b'
    const opened = await runAction({
      inputs: neonIdInputs(emulator, { project: WEB, 'git-branch': branch }),
      pullRequest: 41,
      env: { GITHUB_HEAD_REF: branch }
    })
    expect(opened.exitCode).toBe(0)
    emulator.resetRequests()
    const line = errorLine(
      await runAction({
        inputs: neonIdInputs(emulator, { project: WEB, 'git-branch': branch }),
        eventName: 'push',
        env: { GITHUB_REF_NAME: branch },
        bundle: true
      })
    )
    expect(line).toContain(
      `Branch ${branch} of project ${WEB} already carries the store of acme/web#41`
    )
    expect(line).toContain(
      "this run is a branch build (key acme/web@feat-b), not that pull request's"
    )
    expect(line).toContain('Run this step on pull_request events only')
    expect(line).not.toContain('another pull request from the same branch')
    expect(emulator.requests.filter(({ method }) => method !== 'GET')).toEqual(
      []
    )
  })
})

/** A `node` on PATH older than 24: the machine's own, outside node_modules. */
async function olderNode(): Promise<string | undefined> {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    const version = await promisify(execFile)(candidate, ['--version']).then(
      ({ stdout }) => stdout.trim(),
      () => undefined
    )
    if (version && Number(/^v(\d+)/.exec(version)?.[1]) < 24) return candidate
  }
  return undefined
}

const OLDER_NODE = await olderNode()

// This machine kind ships Node 20 beside the project's Node 24; where it does
// not, there is no older runtime to run the bundle on.
describe.skipIf(OLDER_NODE === undefined)('an older Node.js', () => {
  it('gets one line saying the action needs Node.js 24, not a TypeError', async () => {
    const { stdout, stderr, code } = await promisify(execFile)(
      OLDER_NODE as string,
      [BUNDLE],
      { env: { PATH: '/usr/bin:/bin' } }
    ).then(
      (done) => ({ ...done, code: 0 }),
      (failed: { stdout: string; stderr: string; code: number }) => failed
    )
    expect(code).toBe(1)
    expect(stdout.trim()).toMatch(
      /^::error::vercel-store-action needs Node\.js 24 or newer, and this is Node\.js v\d+\.\d+\.\d+: run it as a GitHub Action step/
    )
    expect(stderr).not.toContain('TypeError')
  })
})
