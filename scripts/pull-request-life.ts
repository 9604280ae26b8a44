/**
 * A pull request's life against the embedded emulators, with the README's
 * recommended set-up (`git-branch`, `redeploy`, `export-env`, `comment`), as
 * `npm run demo` prints it and `npm run render-report` renders it: opened
 * (Vercel's Git integration is already building the push without the store:
 * the step creates the store, connects it, writes the branch's variables,
 * cancels that build and redeploys it, comments), updated (a push built
 * after the variables: nothing to rebuild), closed (`state: absent`).
 */
import type { Emulator } from '../emulator/index.ts'
import type { GitHubEmulator } from '../emulator/github/index.ts'
import { runBundle, type RunResult } from '../harness/run-action.ts'
import { pullRequestStoreName } from '../src/naming.ts'

export const ACME_WEB = { owner: 'acme', repo: 'web' }
export const BRANCH = 'feature/login'
const PROJECT = 'web'

/**
 * acme/web's pull requests 1 to 41: the odd ones closed, two of which (#7
 * and #13) left their stores behind (their close event was missed), and
 * #40 still open with its store. Gives #42, the one the life is of.
 */
export function seedRepository(
  emulator: Emulator,
  github: GitHubEmulator
): number {
  for (let number = 1; number <= 41; number++) {
    github.seedPull({
      ...ACME_WEB,
      head: `change-${number}`,
      state: number % 2 === 1 ? 'closed' : 'open'
    })
  }
  for (const number of [7, 13, 40]) {
    emulator.seedStore({
      installationId: emulator.installations.neon.id,
      productIdOrSlug: 'neon',
      name: pullRequestStoreName(ACME_WEB, number)
    })
  }
  // New stores start `initializing`, as Vercel's do, and are available at
  // their second read.
  emulator.options.initializingReads = 2
  return github.seedPull({ ...ACME_WEB, head: BRANCH }).number
}

/** The README's recommended step, pointed at the emulators. */
export function recommendedInputs(
  emulator: Emulator,
  github: GitHubEmulator
): Record<string, string> {
  return {
    token: emulator.token,
    team: emulator.team.slug,
    integration: 'neon',
    product: 'neon',
    project: PROJECT,
    'git-branch': BRANCH,
    redeploy: 'true',
    'export-env': 'true',
    comment: 'true',
    'api-url': emulator.url,
    'github-token': github.token
  }
}

export interface Stage {
  label: string
  /** The pull request event's `action`. */
  action: string
  result: RunResult
  /** The body of the action's comment after the run ('' where none). */
  comment: string
}

/** Runs the bundle for each event of the pull request's life, in turn. */
export async function* pullRequestLife(
  emulator: Emulator,
  github: GitHubEmulator,
  pull: number
): AsyncGenerator<Stage> {
  const inputs = recommendedInputs(emulator, github)
  const stages: [string, string, Record<string, string>][] = [
    ['Pull request opened', 'opened', inputs],
    ['Pull request updated', 'synchronize', inputs],
    [
      'Pull request closed (state: absent)',
      'closed',
      { ...inputs, state: 'absent' }
    ]
  ]
  for (const [label, action, stageInputs] of stages) {
    emulator.resetRequests()
    github.resetRequests()
    if (action === 'opened') {
      // The Git integration started building the push before the workflow
      // ran: without the store's variables.
      emulator.seedDeployment({
        projectId: PROJECT,
        branch: BRANCH,
        createdAt: Date.now() - 30_000,
        state: 'BUILDING'
      })
    }
    if (action === 'synchronize') {
      // A later push, built with the branch's variables already there.
      emulator.seedDeployment({ projectId: PROJECT, branch: BRANCH })
    }
    if (action === 'closed') github.closePull('acme', 'web', pull)
    const result = await runBundle({
      inputs: stageInputs,
      pullRequest: pull,
      pullRequestAction: action,
      githubApiUrl: github.url,
      env: { GITHUB_HEAD_REF: BRANCH }
    })
    const ours = github
      .comments('acme', 'web', pull)
      .find(({ body }) => body.startsWith('<!-- vercel-store-action:'))
    yield { label, action, result, comment: ours?.body ?? '' }
  }
}
