import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator, type Emulator } from '../emulator/index.ts'
import type { EnvVar } from '../emulator/index.ts'
import {
  runAction,
  runBundle,
  type RunOptions,
  type RunResult
} from '../harness/run-action.ts'
import { errorLine, neonIdInputs } from './support/run-result.ts'

// Issue 12: a pull request's store as preview variables of its Git branch
// (`git-branch`), in the job's environment (`export-env`) and in `env` under
// the store's own names, with the Git integration's racing build redeployed
// (`redeploy`); through run() in this process, and once through the bundle.

const WEB = 'prj_emuWeb0001'
const REPOSITORY = 'acme/web'

let emulator: Emulator

beforeEach(async () => {
  emulator = await startEmulator()
})

afterEach(async () => {
  await emulator.close()
})

const secretNames = () => emulator.installations.neon.products[0].secrets

interface PullRequest {
  number: number
  branch: string
}

const FIRST: PullRequest = { number: 1, branch: 'feature/login' }
const SECOND: PullRequest = { number: 2, branch: 'fix/checkout' }

/** The step of the README's shortest workflow, for this pull request. */
function step(
  pr: PullRequest,
  extra: Record<string, string> = {},
  bundle = false
): RunOptions {
  return {
    inputs: neonIdInputs(emulator, {
      project: WEB,
      'git-branch': pr.branch,
      'export-env': 'true',
      ...extra
    }),
    pullRequest: pr.number,
    env: { GITHUB_HEAD_REF: pr.branch },
    bundle
  }
}

function close(pr: PullRequest, bundle = false): RunOptions {
  return step(pr, { state: 'absent' }, bundle)
}

/** The run, with the requests it made by route. */
async function counted(
  options: RunOptions
): Promise<{ result: RunResult; counts: Record<string, number> }> {
  emulator.resetRequests()
  const result = await runAction(options)
  return { result, counts: emulator.counts() }
}

function storeOf(pr: PullRequest) {
  const store = emulator
    .stores()
    .find(({ externalId }) => externalId === `${REPOSITORY}#${pr.number}`)
  if (!store) throw new Error(`no store for pull request ${pr.number}`)
  return store
}

/** The store's values, as its connection put them on the project. */
function storeValues(pr: PullRequest): Record<string, string> {
  const { id } = storeOf(pr)
  const prefix = `PR${pr.number}_`
  return Object.fromEntries(
    emulator
      .envVars(WEB)
      .filter(({ contentHint }) => contentHint?.storeId === id)
      .map(({ key, value }) => [key.slice(prefix.length), value])
  )
}

function branchVariables(branch: string): EnvVar[] {
  return emulator.envVars(WEB).filter(({ gitBranch }) => gitBranch === branch)
}

/** Writes a variable through the API, as a person or another tool would. */
async function addVariable(body: Record<string, unknown>): Promise<void> {
  const response = await fetch(
    `${emulator.url}/v10/projects/${WEB}/env?upsert=true&teamId=${emulator.team.id}`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${emulator.token}`,
        'content-type': 'application/json'
      },
      body: JSON.stringify({ type: 'encrypted', ...body })
    }
  )
  expect(response.status).toBe(201)
}

function writes(): typeof emulator.requests {
  return emulator.requests.filter(({ method }) => method !== 'GET')
}

const LIST_STORES = ROUTES.listStores
const LIST_ENV = ROUTES.listProjectEnv
const GET_ENV = ROUTES.getProjectEnv
const WRITE_ENV = ROUTES.createProjectEnv
const REMOVE_ENV = ROUTES.batchRemoveProjectEnv
const LIST_DEPLOYMENTS = ROUTES.listDeployments
const REDEPLOY = ROUTES.createDeployment

/** What the project holds before the pull requests: none of it is theirs. */
async function seedOthersVariables(): Promise<void> {
  // The project's shared preview DATABASE_URL, a production one, another
  // branch's own, and one the action wrote for another store.
  await addVariable({
    key: 'DATABASE_URL',
    value: 'postgres://shared-preview',
    target: ['preview']
  })
  await addVariable({
    key: 'DATABASE_URL',
    value: 'postgres://production',
    target: ['production']
  })
  await addVariable({
    key: 'DATABASE_URL',
    value: 'postgres://someone-elses-branch',
    target: ['preview'],
    gitBranch: 'feature/other'
  })
  await addVariable({
    key: 'DATABASE_URL',
    value: 'postgres://another-store',
    target: ['preview'],
    gitBranch: 'feature/older',
    comment: `vercel-store-action: store store_another (${REPOSITORY}#9)`
  })
}

/** Asserts what a preview of the pull request's branch now gets. */
function expectBranchHasStore(pr: PullRequest, result: RunResult): void {
  expect(result.exitCode).toBe(0)
  const values = storeValues(pr)
  expect(Object.keys(values).sort()).toEqual([...secretNames()].sort())
  const comment = `vercel-store-action: store ${storeOf(pr).id} (${REPOSITORY}#${pr.number})`
  const onBranch = branchVariables(pr.branch)
  expect(
    Object.fromEntries(onBranch.map(({ key, value }) => [key, value]))
  ).toEqual(values)
  for (const variable of onBranch) {
    expect(variable).toMatchObject({
      target: ['preview'],
      type: 'encrypted',
      comment
    })
  }
  expect(JSON.parse(result.outputs.env)).toEqual(values)
  expect(result.exportedEnv).toEqual(values)
  expect(result.outputs['env-var-names']).toBe(
    JSON.stringify(secretNames().map((name) => `PR${pr.number}_${name}`))
  )
}

describe('two pull requests of one project, opened, updated and closed', () => {
  it('gives each its own store on its own branch, writes nothing on reruns, and leaves the project as it was', async () => {
    await seedOthersVariables()
    const before = emulator.envVars(WEB)
    // The Git integration built each branch as it was pushed, before the
    // workflow's step: without the store.
    const racing = [FIRST, SECOND].map((pr) =>
      emulator.seedDeployment({
        projectId: WEB,
        branch: pr.branch,
        createdAt: Date.now() - 60_000
      })
    )
    const secrets = secretNames().length

    for (const [index, pr] of [FIRST, SECOND].entries()) {
      const { result, counts } = await counted(step(pr, { redeploy: 'true' }))
      expectBranchHasStore(pr, result)
      expect(counts).toEqual({
        [LIST_STORES]: 1,
        // Before the create, after the connection, and after the write to
        // check that the branch's variables landed.
        [LIST_ENV]: 3,
        // The project, given by id, is read for its production branch, and
        // for its name, which the redeploy is sent with.
        [ROUTES.getProject]: 2,
        [ROUTES.createStore]: 1,
        [ROUTES.connect]: 1,
        [GET_ENV]: secrets,
        [WRITE_ENV]: 1,
        [LIST_DEPLOYMENTS]: 1,
        [REDEPLOY]: 1
      })
      // One write, of every variable; the redeploy read them.
      const [write] = writes().filter(({ route }) => route === WRITE_ENV)
      // Created, never upserted over a variable made since the listing.
      expect(write.query.upsert).toBeUndefined()
      expect(write.body).toHaveLength(secrets)
      const redeployed = emulator
        .deployments()
        .find(({ redeployOf }) => redeployOf === racing[index].id)
      expect(redeployed?.env.DATABASE_URL).toBe(storeValues(pr).DATABASE_URL)
      expect(result.outputs).toMatchObject({
        'redeployed-deployment-id': redeployed?.id,
        'redeployed-deployment-url': `https://${redeployed?.url}`
      })
      expect(result.summary).toContain(`<code>${redeployed?.id}</code>`)
      expect(result.summary).toContain(
        `<td><a href="https://${redeployed?.url}">Visit preview</a></td>`
      )
      expect(result.summary).toContain(
        `<tr><td><b>Branch</b></td><td><code>${pr.branch}</code>: ${secrets} of its ${secrets} preview variables from this store written by this run</td></tr>`
      )
    }
    // Each branch reads its own store, not the shared DATABASE_URL.
    expect(storeValues(FIRST).DATABASE_URL).not.toBe(
      storeValues(SECOND).DATABASE_URL
    )

    // A push to each pull request: the same step again writes nothing, and
    // does not redeploy again.
    for (const pr of [FIRST, SECOND]) {
      const branchBefore = branchVariables(pr.branch)
      const { result, counts } = await counted(step(pr, { redeploy: 'true' }))
      expectBranchHasStore(pr, result)
      expect(counts).toEqual({
        [LIST_STORES]: 1,
        [LIST_ENV]: 1,
        [GET_ENV]: 2 * secrets,
        [LIST_DEPLOYMENTS]: 1
      })
      expect(writes()).toEqual([])
      expect(branchVariables(pr.branch)).toEqual(branchBefore)
      expect(result.outputs['redeployed-deployment-id']).toBe('')
      expect(result.summary).toContain(
        `its ${secretNames().length} preview variables already this store's, nothing written`
      )
    }

    // The closes: each removes its store and exactly its variables.
    for (const pr of [FIRST, SECOND]) {
      const { result, counts } = await counted(close(pr))
      expect(result.exitCode).toBe(0)
      expect(result.outputs.deleted).toBe('true')
      expect(counts).toEqual({
        [LIST_STORES]: 1,
        [LIST_ENV]: 1,
        [REMOVE_ENV]: 1,
        [ROUTES.disconnectAll]: 1,
        [ROUTES.deleteStore]: 1
      })
      const [removal] = writes().filter(({ route }) => route === REMOVE_ENV)
      expect((removal.body as { ids: string[] }).ids).toHaveLength(secrets)
      // The project's variables are listed beside the stores: one round trip.
      expect(
        emulator.requests
          .slice(0, 2)
          .map(({ route }) => route)
          .sort()
      ).toEqual([LIST_STORES, LIST_ENV].sort())
    }
    expect(emulator.envVars(WEB)).toEqual(before)
    expect(emulator.stores()).toEqual([])
  })

  it('runs the same life through dist/index.js', async () => {
    await seedOthersVariables()
    const before = emulator.envVars(WEB)
    for (const pr of [FIRST, SECOND]) {
      expectBranchHasStore(pr, await runBundle(step(pr)))
    }
    for (const pr of [FIRST, SECOND]) {
      emulator.resetRequests()
      expectBranchHasStore(pr, await runBundle(step(pr)))
      expect(writes()).toEqual([])
    }
    for (const pr of [FIRST, SECOND]) {
      expect((await runBundle(close(pr))).exitCode).toBe(0)
    }
    expect(emulator.envVars(WEB)).toEqual(before)
  })
})

describe('round trips', () => {
  // The emulator answers the held routes only once all the requests named
  // have arrived: requests sent one after another would each wait out the
  // hold (seconds) and show no overlap.
  it('reads both sets of values and lists the deployments at once on a rerun', async () => {
    expect((await runAction(step(FIRST, { redeploy: 'true' }))).exitCode).toBe(
      0
    )
    const together = 2 * secretNames().length + 1
    emulator.options.hold = {
      routes: [GET_ENV, LIST_DEPLOYMENTS],
      until: together
    }
    const { result, counts } = await counted(step(FIRST, { redeploy: 'true' }))
    expect(result.exitCode).toBe(0)
    expect(counts[GET_ENV] + counts[LIST_DEPLOYMENTS]).toBe(together)
    expect(
      Math.max(...emulator.requests.map(({ concurrent }) => concurrent ?? 0))
    ).toBe(together - 1)
  })

  it("lists the stores and the project's variables at once on a close", async () => {
    expect((await runAction(step(FIRST))).exitCode).toBe(0)
    emulator.options.hold = { routes: [LIST_STORES, LIST_ENV], until: 2 }
    const { result } = await counted(close(FIRST))
    expect(result.exitCode).toBe(0)
    const [first, second] = emulator.requests
    expect([first.route, second.route].sort()).toEqual(
      [LIST_STORES, LIST_ENV].sort()
    )
    expect(second.concurrent).toBe(1)
  })
})

describe('git-branch', () => {
  it('writes again only the variable that changed', async () => {
    expect((await runAction(step(FIRST))).exitCode).toBe(0)
    await addVariable({
      key: 'PGHOST',
      value: 'changed.example',
      target: ['preview'],
      gitBranch: FIRST.branch,
      comment: `vercel-store-action: store ${storeOf(FIRST).id} (${REPOSITORY}#1)`
    })
    const pghost = branchVariables(FIRST.branch).find(
      ({ key }) => key === 'PGHOST'
    )
    emulator.resetRequests()
    const result = await runAction(step(FIRST))
    expectBranchHasStore(FIRST, result)
    // The action's own variable takes the value by its id.
    const [write, ...more] = writes()
    expect(more).toEqual([])
    expect(write.route).toBe(ROUTES.editProjectEnv)
    expect(write.path).toBe(`/v9/projects/${WEB}/env/${pghost?.id}`)
    expect(write.body).toMatchObject({ key: 'PGHOST', gitBranch: FIRST.branch })
  })

  it('fails naming the variable and the branch where the branch has one the action did not write, and never overwrites it', async () => {
    // The store is there and connected from an earlier run without git-branch.
    expect(
      (await runAction(step(FIRST, { 'git-branch': '', 'export-env': '' })))
        .exitCode
    ).toBe(0)
    await addVariable({
      key: 'DATABASE_URL',
      value: 'postgres://hand-made',
      target: ['preview'],
      gitBranch: FIRST.branch
    })
    emulator.resetRequests()
    const line = errorLine(await runAction(step(FIRST)))
    expect(line).toContain('DATABASE_URL')
    expect(line).toContain(`branch ${FIRST.branch}`)
    expect(writes()).toEqual([])
    expect(
      branchVariables(FIRST.branch).map(({ key, value }) => [key, value])
    ).toEqual([['DATABASE_URL', 'postgres://hand-made']])
  })

  it('advises dropping git-branch where the values cannot be read, and writes no variable', async () => {
    emulator.options.sensitiveStoreVariables = true
    // Development's variables are never sensitive: only a connection for
    // preview can meet one.
    const line = errorLine(
      await runAction(step(FIRST, { environments: 'preview' }))
    )
    expect(line).toContain('has no readable value')
    expect(line).toContain('drop "git-branch"')
    expect(writes().map(({ route }) => route)).not.toContain(WRITE_ENV)
  })

  it("refuses the project's production branch before a store is created, in a dry run too", async () => {
    const push = { number: 5, branch: 'main' }
    const runs: Record<string, string>[] = [{}, { 'dry-run': 'true' }]
    for (const extra of runs) {
      emulator.resetRequests()
      const line = errorLine(await runAction(step(push, extra)))
      expect(line).toBe(
        `::error::Branch main is the production branch of project ${WEB}, and Vercel takes no preview variable for it; no store was created. Set "git-branch" to the pull request's branch (\${{ github.head_ref }}), or leave it out where the workflow runs on pushes to main.`
      )
      expect(writes()).toEqual([])
    }
    expect(emulator.stores()).toEqual([])
    expect(branchVariables('main')).toEqual([])
  })

  it("quotes Vercel's refusal of the production branch where the project does not name it", async () => {
    emulator.unlinkGit(WEB)
    const line = errorLine(await runAction(step({ number: 5, branch: 'main' })))
    expect(line).toContain(
      'Vercel refused preview variables for branch main of project prj_emuWeb0001: "Cannot set Production Branch \\"main\\" for a Preview Environment Variable". Set "git-branch" to the pull request\'s branch'
    )
    expect(branchVariables('main')).toEqual([])
  })

  it("quotes Vercel's reason for another refusal of the branch, without the production-branch advice", async () => {
    emulator.faults.add(WRITE_ENV, {
      status: 400,
      body: { error: { code: 'bad_request', message: 'Invalid gitBranch' } }
    })
    const line = errorLine(await runAction(step(FIRST)))
    expect(line).toBe(
      `::error::Vercel refused preview variables for branch ${FIRST.branch} of project ${WEB}: "Invalid gitBranch". Check "git-branch" (the pull request's branch, \${{ github.head_ref }}), or drop it.`
    )
  })

  it('refuses a second pull request from the same branch before its store is created, naming the first one’s key, in a dry run too', async () => {
    expect((await runAction(step(FIRST))).exitCode).toBe(0)
    const first = storeOf(FIRST)
    const before = emulator.envVars(WEB)
    const sameBranch = { number: 2, branch: FIRST.branch }
    const runs: Record<string, string>[] = [{ 'dry-run': 'true' }, {}]
    for (const extra of runs) {
      emulator.resetRequests()
      const line = errorLine(await runAction(step(sameBranch, extra)))
      expect(line).toBe(
        `::error::Branch ${FIRST.branch} of project ${WEB} already carries the store of ${REPOSITORY}#1 (store ${first.id}): this action wrote ${secretNames().slice(0, 3).join(', ')} and ${secretNames().length - 3} more there for that key, another pull request from the same branch; no store was created. Open this pull request from a branch of its own, or set "git-branch" to another branch; if that pull request is closed, its close step (or a prune) removes them.`
      )
      expect(writes()).toEqual([])
    }
    expect(emulator.stores().map(({ id }) => id)).toEqual([first.id])
    expect(emulator.envVars(WEB)).toEqual(before)
  })

  it('says a clashing variable is another pull request’s, not someone else’s, where the store was there already', async () => {
    expect((await runAction(step(FIRST))).exitCode).toBe(0)
    const first = storeOf(FIRST)
    // Pull request 2's store, made by a run without git-branch.
    const second = { number: 2, branch: 'fix/checkout' }
    expect(
      (await runAction(step(second, { 'git-branch': '', 'export-env': '' })))
        .exitCode
    ).toBe(0)
    const before = emulator.envVars(WEB)
    emulator.resetRequests()
    const line = errorLine(
      await runAction(step({ number: 2, branch: FIRST.branch }))
    )
    expect(line).toBe(
      `::error::Project ${WEB} already has a preview variable ${secretNames()[0]} for branch ${FIRST.branch}, written by this action for store ${first.id} (${REPOSITORY}#1): another pull request from the same branch, whose previews read it, so it is left as it is. Open this pull request from a branch of its own, or set "git-branch" to another branch.`
    )
    expect(line).not.toContain('remove it')
    expect(writes()).toEqual([])
    expect(emulator.envVars(WEB)).toEqual(before)
  })

  it('finds a hand-set variable of an existing store’s names in a dry run, as the real run does', async () => {
    expect(
      (await runAction(step(FIRST, { 'git-branch': '', 'export-env': '' })))
        .exitCode
    ).toBe(0)
    await addVariable({
      key: 'DATABASE_URL',
      value: 'postgres://hand-made',
      target: ['preview'],
      gitBranch: FIRST.branch
    })
    const runs: Record<string, string>[] = [{ 'dry-run': 'true' }, {}]
    for (const extra of runs) {
      emulator.resetRequests()
      const line = errorLine(await runAction(step(FIRST, extra)))
      expect(line).toBe(
        `::error::Project ${WEB} already has a preview variable DATABASE_URL for branch ${FIRST.branch}, set by someone else, not by this action for store ${storeOf(FIRST).id}, so it is left as it is; remove it from the branch in the Vercel dashboard, or drop "git-branch".`
      )
      expect(writes()).toEqual([])
    }
  })

  it('finds the clash on a new store before connecting it', async () => {
    await addVariable({
      key: 'DATABASE_URL',
      value: 'postgres://hand-made',
      target: ['preview'],
      gitBranch: FIRST.branch
    })
    emulator.resetRequests()
    const dryRun = await runAction(step(FIRST, { 'dry-run': 'true' }))
    expect(dryRun.exitCode).toBe(0)
    // What the dry run cannot know, it says it will check.
    expect(dryRun.stdout).toContain(
      `Once the store is made, and before it is connected, would check that branch ${FIRST.branch} has no variable of the store's names that someone else set (the names are known only then).`
    )
    emulator.resetRequests()
    const line = errorLine(await runAction(step(FIRST)))
    expect(line).toContain(
      `variable DATABASE_URL for branch ${FIRST.branch}, set by someone else,`
    )
    // The store is made (its names are known only then); nothing else.
    expect(writes().map(({ route }) => route)).toEqual([ROUTES.createStore])
  })

  it('uses a prefix per pull request, so a project-wide DATABASE_URL never clashes', async () => {
    // The api project has a hand-made DATABASE_URL for preview.
    const result = await runAction({
      ...step(FIRST),
      inputs: neonIdInputs(emulator, {
        project: 'api',
        'read-env': 'true'
      })
    })
    expect(result.exitCode).toBe(0)
    const [connect] = writes().filter(({ route }) => route === ROUTES.connect)
    expect(connect.body).toMatchObject({ envVarPrefix: 'PR1_' })
    expect(Object.keys(JSON.parse(result.outputs.env))).toContain(
      'DATABASE_URL'
    )
  })

  it('finds a variable with the prefix before the store is created', async () => {
    await addVariable({
      key: 'PR1_DATABASE_URL',
      value: 'postgres://left-over',
      target: ['development']
    })
    emulator.resetRequests()
    const line = errorLine(await runAction(step(FIRST)))
    expect(line).toContain('PR1_DATABASE_URL')
    expect(line).toContain('"env-prefix"')
    expect(line).toContain('no store was created')
    expect(writes()).toEqual([])
  })

  it('finds that clash in a dry run too, as the real run would', async () => {
    await addVariable({
      key: 'PR1_DATABASE_URL',
      value: 'postgres://left-over',
      target: ['development']
    })
    emulator.resetRequests()
    const line = errorLine(await runAction(step(FIRST, { 'dry-run': 'true' })))
    expect(line).toContain('PR1_DATABASE_URL')
    expect(writes()).toEqual([])
  })

  it('outside a pull request, connects with a prefix of the store key', async () => {
    const result = await runAction({
      inputs: neonIdInputs(emulator, {
        project: WEB,
        'git-branch': 'preview-env',
        'export-env': 'true'
      }),
      env: { GITHUB_REF_NAME: 'preview-env' }
    })
    expect(result.exitCode).toBe(0)
    const [connect] = writes().filter(({ route }) => route === ROUTES.connect)
    expect((connect.body as { envVarPrefix: string }).envVarPrefix).toMatch(
      /^S[0-9A-F]{8}_$/
    )
    expect(Object.keys(result.exportedEnv).sort()).toEqual(
      [...secretNames()].sort()
    )
    expect(
      branchVariables('preview-env')
        .map(({ key }) => key)
        .sort()
    ).toEqual([...secretNames()].sort())
  })
})

describe('a close step without project (nor git-branch)', () => {
  it('removes the branch variables from the project the store is connected to', async () => {
    for (const pr of [FIRST, SECOND]) {
      expect((await runAction(step(pr))).exitCode).toBe(0)
    }
    const kept = branchVariables(SECOND.branch)
    expect(branchVariables(FIRST.branch).length).toBeGreaterThan(0)
    emulator.resetRequests()
    const result = await runAction(
      step(FIRST, {
        state: 'absent',
        project: '',
        'git-branch': '',
        'export-env': ''
      })
    )
    expect(result.exitCode).toBe(0)
    expect(branchVariables(FIRST.branch)).toEqual([])
    expect(branchVariables(SECOND.branch)).toEqual(kept)
    expect(emulator.stores().map(({ id }) => id)).toEqual([storeOf(SECOND).id])
    expect(emulator.counts()).toMatchObject({
      [LIST_ENV]: 1,
      [REMOVE_ENV]: 1
    })
  })
})

describe('dry-run with git-branch', () => {
  it('says what a real run would write and remove, and writes nothing', async () => {
    const open = await counted(
      step(FIRST, { 'dry-run': 'true', redeploy: 'true' })
    )
    expect(open.result.exitCode).toBe(0)
    expect(open.result.stdout).toContain(
      `Would then write the store's variables of the names database stores give, by their own names, as preview variables of branch ${FIRST.branch} (those missing or changed), cancel the branch's builds under way that predate them, and redeploy its newest preview if it was built before them.`
    )
    expect(writes()).toEqual([])
    expect((await runAction(step(FIRST))).exitCode).toBe(0)
    const before = emulator.envVars(WEB)
    const closing = await counted(
      step(FIRST, { 'dry-run': 'true', state: 'absent' })
    )
    expect(closing.result.stdout).toContain(
      `after the preview variables written for them on project ${WEB}`
    )
    expect(writes()).toEqual([])
    expect(emulator.envVars(WEB)).toEqual(before)
  })
})

describe('redeploy', () => {
  it('does nothing on a branch with no deployment yet', async () => {
    const { result, counts } = await counted(step(FIRST, { redeploy: 'true' }))
    expect(result.exitCode).toBe(0)
    expect(counts[LIST_DEPLOYMENTS]).toBe(1)
    expect(counts[REDEPLOY]).toBeUndefined()
    expect(result.outputs).toMatchObject({
      'redeployed-deployment-id': '',
      'redeployed-deployment-url': ''
    })
  })

  it('leaves a deployment built after the variables', async () => {
    expect((await runAction(step(FIRST))).exitCode).toBe(0)
    emulator.seedDeployment({ projectId: WEB, branch: FIRST.branch })
    const { result, counts } = await counted(step(FIRST, { redeploy: 'true' }))
    expect(result.exitCode).toBe(0)
    expect(counts[REDEPLOY]).toBeUndefined()
  })

  it('redeploys once after a run that wrote the variables but did not redeploy', async () => {
    const racing = emulator.seedDeployment({
      projectId: WEB,
      branch: FIRST.branch,
      createdAt: Date.now() - 60_000
    })
    // As a run that crashed after writing: the variables, no redeploy.
    expect((await runAction(step(FIRST))).exitCode).toBe(0)
    const { result, counts } = await counted(step(FIRST, { redeploy: 'true' }))
    expect(counts[WRITE_ENV]).toBeUndefined()
    expect(counts[REDEPLOY]).toBe(1)
    const [request] = writes()
    expect(request.body).toEqual({ name: 'web', deploymentId: racing.id })
    expect(result.outputs['redeployed-deployment-id']).toMatch(/^dpl_/)
    const again = await counted(step(FIRST, { redeploy: 'true' }))
    expect(again.counts[REDEPLOY]).toBeUndefined()
  })

  it('redeploys the newest preview of the branch only', async () => {
    const old = Date.now() - 60_000
    emulator.seedDeployment({
      projectId: WEB,
      branch: FIRST.branch,
      createdAt: old - 1_000
    })
    const newest = emulator.seedDeployment({
      projectId: WEB,
      branch: FIRST.branch,
      createdAt: old
    })
    emulator.seedDeployment({
      projectId: WEB,
      branch: SECOND.branch,
      createdAt: old
    })
    await counted(step(FIRST, { redeploy: 'true' }))
    const redeploys = writes().filter(({ route }) => route === REDEPLOY)
    expect(redeploys.map(({ body }) => body)).toEqual([
      { name: 'web', deploymentId: newest.id }
    ])
    const [listing] = emulator.requests.filter(
      ({ route }) => route === LIST_DEPLOYMENTS
    )
    expect(listing.query).toMatchObject({
      projectId: WEB,
      target: 'preview',
      branch: FIRST.branch,
      limit: '10'
    })
  })
})

describe("redeploy with Vercel's answers unchecked until now", () => {
  // The branch's preview predates its variables, so the step redeploys it.
  function racingPreview() {
    return emulator.seedDeployment({
      projectId: WEB,
      branch: FIRST.branch,
      createdAt: Date.now() - 60_000
    })
  }

  it.each([
    {
      answer: { id: 'dpl_x\n::stop-commands::zz', url: 'web-x.vercel.app' },
      message: `has "id" as "dpl_x\\n::stop-commands::zz", which is not a deployment id`
    },
    {
      answer: { id: 'store_x', url: 'web-x.vercel.app' },
      message: 'has "id" as "store_x", which is not a deployment id'
    },
    {
      answer: {
        id: 'dpl_abc',
        url: 'evil.example/x](https://evil.example)![i](https://evil.example/i.png)'
      },
      message:
        'has "url" as "evil.example/x](https://evil.example)![i](https://evil.example/i.png)", which is not an https address'
    },
    {
      answer: { id: 'dpl_abc', url: 'web-x.vercel.app\r\n::warning::x' },
      message: 'which is not an https address'
    },
    {
      answer: { id: 'dpl_abc', url: 'http://web-x.vercel.app' },
      message: 'which is not an https address'
    },
    {
      answer: { id: 'dpl_abc', url: 'https://user:pw@web-x.vercel.app' },
      message: 'which is not an https address'
    }
  ])(
    'fails on the redeploy answer $answer, naming the field, and sets no output from it',
    async ({ answer, message }) => {
      racingPreview()
      emulator.faults.add(REDEPLOY, {
        status: 200,
        body: { ...answer, name: 'web' }
      })
      const result = await runAction(step(FIRST, { redeploy: 'true' }))
      expect(result.exitCode).toBe(1)
      expect(errorLine(result)).toContain(
        "Vercel's answer to POST /v13/deployments"
      )
      expect(errorLine(result)).toContain(message)
      expect(result.outputs['redeployed-deployment-id']).toBeUndefined()
      expect(result.outputs['redeployed-deployment-url']).toBeUndefined()
    }
  )

  it('fails on a listed deployment whose id is not one, and redeploys nothing', async () => {
    racingPreview()
    emulator.faults.add(LIST_DEPLOYMENTS, {
      status: 200,
      body: {
        deployments: [
          {
            uid: 'dpl_a\n::warning::pwn',
            url: 'web-x.vercel.app',
            name: 'web',
            createdAt: 1
          }
        ],
        pagination: { count: 1, next: null, prev: null }
      }
    })
    const { result, counts } = await counted(step(FIRST, { redeploy: 'true' }))
    expect(result.exitCode).toBe(1)
    expect(errorLine(result)).toContain(
      'has "deployments[0].uid" as "dpl_a\\n::warning::pwn", which is not a deployment id'
    )
    expect(counts[REDEPLOY]).toBeUndefined()
  })

  it('takes an https URL as well as a bare host for the address', async () => {
    racingPreview()
    emulator.faults.add(REDEPLOY, {
      status: 200,
      body: { id: 'dpl_new1', url: 'https://web-new1.vercel.app', name: 'web' }
    })
    const result = await runAction(step(FIRST, { redeploy: 'true' }))
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({
      'redeployed-deployment-id': 'dpl_new1',
      'redeployed-deployment-url': 'https://web-new1.vercel.app'
    })
  })
})

describe('bad inputs of git-branch, export-env and redeploy', () => {
  const long = `feature/${'x'.repeat(243)}`
  it.each([
    { input: 'git-branch', value: long, extra: {} },
    ...[
      'feature..x',
      'feature x',
      '-feature',
      'feature/.hidden',
      'feature.lock',
      'feature/',
      '/feature',
      'a//b',
      'feature.',
      '@',
      'a@{1}',
      'a~1',
      'a^b',
      'a:b',
      'a?b',
      'a*b',
      'a[b',
      'a\\b',
      'a\tb'
    ].map((value) => ({ input: 'git-branch', value, extra: {} }))
  ])('refuses git-branch $value before any request', async ({ value }) => {
    const result = await runAction(step(FIRST, { 'git-branch': value }))
    expect(errorLine(result)).toContain('Input "git-branch" must be')
    expect(emulator.requests).toEqual([])
  })

  it('takes a branch of 250 characters', async () => {
    const branch = `feature/${'x'.repeat(242)}`
    expect(branch).toHaveLength(250)
    const result = await runAction(step({ number: 3, branch }))
    expect(result.exitCode).toBe(0)
    expect(branchVariables(branch)).toHaveLength(secretNames().length)
  })

  it.each([
    {
      name: 'redeploy without git-branch',
      extra: { redeploy: 'true', 'git-branch': '' },
      message: 'Input "redeploy" needs "git-branch"'
    },
    {
      name: 'git-branch without a project',
      extra: { project: '', 'export-env': '' },
      message: 'Input "git-branch" needs "project"'
    },
    {
      name: 'export-env without a project',
      extra: { project: '', 'git-branch': '' },
      message: 'Input "export-env" needs "project"'
    }
  ] as { name: string; extra: Record<string, string>; message: string }[])(
    'fails on $name before any request',
    async ({ extra, message }) => {
      const result = await runAction(step(FIRST, extra))
      expect(errorLine(result)).toContain(message)
      expect(emulator.requests).toEqual([])
    }
  )
})
