import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Ajv } from 'ajv'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator, type Emulator } from '../emulator/index.ts'
import {
  BUNDLE,
  runAction,
  withoutMaskCommands,
  type RunResult
} from '../harness/run-action.ts'
import { neonIdInputs } from './support/run-result.ts'

// `read-env`: the values of a connection's variables, read back from the
// project into the `env` output, through dist/index.js.

const WEB = 'prj_emuWeb0001'
const PR = 42
const PREFIX = `PR${PR}_`
const LIST_ENV = ROUTES.listProjectEnv
const GET_ENV = ROUTES.getProjectEnv

let emulator: Emulator

beforeEach(async () => {
  emulator = await startEmulator()
})

afterEach(async () => {
  await emulator.close()
})

const neonSecrets = () => emulator.installations.neon.products[0].secrets

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return neonIdInputs(emulator, {
    project: WEB,
    'env-prefix': PREFIX,
    'read-env': 'true',
    ...extra
  })
}

/**
 * The store's variables on the project, as the emulator keeps them, by the
 * store's own names (without the connection's prefix), as `env` has them.
 */
function storeVariables(environment = 'development'): Record<string, string> {
  return Object.fromEntries(
    emulator
      .envVars(WEB)
      .filter(
        ({ contentHint, target, key }) =>
          contentHint &&
          key.startsWith(PREFIX) &&
          target.includes(environment as 'development')
      )
      .map(({ key, value }) => [key.slice(PREFIX.length), value])
  )
}

function errorLines(result: RunResult): string[] {
  expect(`${result.stdout}\n${result.stderr}`).not.toMatch(/\n\s+at /)
  return result.stdout
    .split('\n')
    .filter((line) => line.startsWith('::error::'))
}

describe('read-env, through dist/index.js', () => {
  it('sets env to the values of the variables the connection made, each masked', async () => {
    const result = await runAction({ inputs: inputs(), pullRequest: PR })
    expect(result.exitCode).toBe(0)

    const values = storeVariables()
    expect(Object.keys(values).sort()).toEqual([...neonSecrets()].sort())
    // By the store's own names, whatever the connection's prefix.
    const env = JSON.parse(result.outputs.env)
    expect(env).toEqual(values)
    expect(Object.keys(env).map((name) => `${PREFIX}${name}`)).toEqual(
      JSON.parse(result.outputs['env-var-names'])
    )
    // Each value masked, and shown nowhere else a user could read.
    const masks = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('::add-mask::'))
    for (const value of Object.values(values)) {
      expect(masks).toContain(`::add-mask::${value}`)
      expect(withoutMaskCommands(result.stdout)).not.toContain(value)
      expect(result.stderr).not.toContain(value)
      expect(result.summary).not.toContain(value)
    }
    // The summary and the log name the variables only.
    expect(result.summary).toContain(
      `<th>Variable</th><th>Project <code>${WEB}</code>, as <code>${PREFIX}</code>…</th><th><code>env</code> output</th></tr><tr><td><code>DATABASE_URL</code></td><td>✓</td><td>✓</td></tr>`
    )
    expect(result.stdout).toContain(
      `Read the values of ${Object.keys(env).join(', ')} (development) into the "env" output, each masked in the log.`
    )
    // The list beside the stores' (for the check before the create), the
    // list once connected, then one read per variable, at once.
    expect(emulator.counts()).toMatchObject({
      [ROUTES.connect]: 1,
      [LIST_ENV]: 2,
      [GET_ENV]: neonSecrets().length
    })
    const listed = emulator.requests.findLastIndex(
      ({ route }) => route === LIST_ENV
    )
    const reads = emulator.requests.filter(({ route }) => route === GET_ENV)
    expect(emulator.requests.slice(listed + 1)).toEqual(reads)
    expect(reads.every(({ query }) => query.slug === emulator.team.slug)).toBe(
      true
    )
  })

  it('reads the values again on a later run, which reuses the connection', async () => {
    const first = await runAction({ inputs: inputs(), pullRequest: PR })
    expect(first.exitCode).toBe(0)
    emulator.resetRequests()

    const second = await runAction({ inputs: inputs(), pullRequest: PR })
    expect(second.exitCode).toBe(0)
    expect(second.outputs).toMatchObject({
      created: 'false',
      'connected-project': WEB
    })
    expect(JSON.parse(second.outputs.env)).toEqual(storeVariables())
    expect(second.outputs.env).toBe(first.outputs.env)
    expect(emulator.counts()).toEqual({
      [ROUTES.listStores]: 1,
      [LIST_ENV]: 1,
      [GET_ENV]: neonSecrets().length
    })
  })

  it('sends the value reads concurrently: one round trip', async () => {
    // The emulator answers the reads only once all of them have arrived:
    // reads sent one after another would each wait out its hold instead.
    emulator.options.hold = { routes: [GET_ENV], until: neonSecrets().length }
    const result = await runAction({ inputs: inputs(), pullRequest: PR })
    expect(result.exitCode).toBe(0)
    const reads = emulator.requests.filter(({ route }) => route === GET_ENV)
    expect(reads).toHaveLength(neonSecrets().length)
    expect(Math.max(...reads.map(({ concurrent }) => concurrent ?? 0))).toBe(
      neonSecrets().length - 1
    )
  })

  it('reads only this store’s variables, where other stores share the project', async () => {
    const { neon } = emulator.installations
    const other = emulator.seedStore({
      installationId: neon.id,
      productIdOrSlug: neon.products[0].id,
      name: 'web-pr-7-86f279ce'
    })
    emulator.connectStore(other.id, WEB, ['preview'], 'PR7_')
    const result = await runAction({ inputs: inputs(), pullRequest: PR })
    expect(result.exitCode).toBe(0)
    const env = JSON.parse(result.outputs.env)
    expect(Object.keys(env).sort()).toEqual([...neonSecrets()].sort())
    expect(env).toEqual(storeVariables())
  })

  it('reads the first of the environments', async () => {
    const result = await runAction({
      inputs: inputs({ environments: 'production, preview' }),
      pullRequest: PR
    })
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.outputs.env)).toEqual(storeVariables('production'))
    expect(result.stdout).toContain('(production) into the "env" output')
  })

  it('masks every value before it sets the output', async () => {
    // Without GITHUB_OUTPUT, @actions/core prints outputs as ::set-output
    // commands on stdout, so their order against ::add-mask:: shows.
    const stdout = await runWithoutOutputFile(inputs())
    const lines = stdout.split('\n')
    const setEnv = lines.findLastIndex((line) =>
      line.startsWith('::set-output name=env::{')
    )
    expect(setEnv).toBeGreaterThan(-1)
    const values = Object.values(storeVariables())
    expect(JSON.parse(lines[setEnv].slice(lines[setEnv].indexOf('{')))).toEqual(
      storeVariables()
    )
    // One value may hold another (Neon's PGHOST is the host of its
    // DATABASE_URL, PGPASSWORD its password): the masks of the store's values
    // may each hold several.
    const masks = new Set(values.map((value) => `::add-mask::${value}`))
    for (const value of values) {
      const mask = lines.indexOf(`::add-mask::${value}`)
      expect(mask).toBeGreaterThan(-1)
      expect(mask).toBeLessThan(setEnv)
      // Nowhere else: not in a log line, not in an earlier output.
      expect(
        lines.filter(
          (line, index) =>
            line.includes(value) && !masks.has(line) && index !== setEnv
        )
      ).toEqual([])
    }
  })

  it('sets no env and reads nothing without read-env', async () => {
    const result = await runAction({
      inputs: inputs({ 'read-env': '' }),
      pullRequest: PR
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.env).toBeUndefined()
    // Only the listing that checks the prefix is free before the create.
    expect(emulator.count(LIST_ENV)).toBe(1)
    expect(emulator.count(GET_ENV)).toBe(0)
    expect(result.stdout).not.toContain('::add-mask::postgres')
  })

  it('reads nothing in a dry run', async () => {
    const result = await runAction({
      inputs: inputs({ 'dry-run': 'true' }),
      pullRequest: PR
    })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(
      `Would connect it to project ${WEB} (${WEB}). Would then read its variables' values into "env"; a dry run reads none.`
    )
    expect(result.outputs.env).toBeUndefined()
    // The listing a real run checks the prefix with before its create; no
    // value.
    expect(emulator.count(LIST_ENV)).toBe(1)
    expect(emulator.count(GET_ENV)).toBe(0)
  })

  it('fails before any request when there is no project to read from', async () => {
    const result = await runAction({
      inputs: inputs({ project: '' }),
      pullRequest: PR
    })
    expect(result.exitCode).toBe(1)
    expect(errorLines(result)).toEqual([
      '::error::Input "read-env" needs "project" (or VERCEL_PROJECT_ID): the values are read from the project the store is connected to; set "project", or drop "read-env".'
    ])
    expect(emulator.count()).toBe(0)
  })

  it('fails with one line naming a sensitive variable, and reads no value', async () => {
    emulator.options.sensitiveStoreVariables = true
    // Only a connection for preview or production can be sensitive.
    const result = await runAction({
      inputs: inputs({ environments: 'preview' }),
      pullRequest: PR
    })
    expect(result.exitCode).toBe(1)
    expect(errorLines(result)).toEqual([
      `::error::Variable ${PREFIX}DATABASE_URL of project ${WEB} has no readable value: Vercel never returns the value of a sensitive variable (the team may make them sensitive by policy); drop "read-env" and read it in the deployment instead.`
    ])
    expect(emulator.count(GET_ENV)).toBe(0)
    // The store is made and connected; a run without read-env succeeds.
    expect(Object.keys(storeVariables('preview'))).toHaveLength(
      neonSecrets().length
    )
    const rerun = await runAction({
      inputs: inputs({ 'read-env': 'false', environments: 'preview' }),
      pullRequest: PR
    })
    expect(rerun.exitCode).toBe(0)
  })

  it('fails with one line when a read answers without the value', async () => {
    // A value-less answer, the spec's variant for a value Vercel keeps back.
    emulator.faults.add(GET_ENV, {
      status: 200,
      body: {
        id: 'x',
        key: `${PREFIX}PGHOST`,
        type: 'encrypted',
        decrypted: false
      }
    })
    const result = await runAction({ inputs: inputs(), pullRequest: PR })
    expect(result.exitCode).toBe(1)
    expect(errorLines(result)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^::error::Variable ${PREFIX}\\w+ of project ${WEB} has no readable value: Vercel never returns the value of a sensitive variable`
        )
      )
    ])
    expect(result.outputs.env).toBeUndefined()
  })

  it('quotes Vercel’s step-up demand and advises dropping read-env', async () => {
    emulator.faults.add(LIST_ENV, {
      status: 403,
      body: {
        error: {
          code: 'challenge_required',
          message: 'Additional verification is required to view this value.'
        }
      }
    })
    const result = await runAction({ inputs: inputs(), pullRequest: PR })
    expect(result.exitCode).toBe(1)
    expect(errorLines(result)).toEqual([
      `::error::GET /v10/projects/${WEB}/env answered HTTP 403: challenge_required "Additional verification is required to view this value.". Vercel asks for a person to confirm (step-up authentication) before it shows the values of project ${WEB}'s variables, which a CI token cannot do; drop "read-env" and read the values in the deployment instead.`
    ])
    expect(emulator.count(GET_ENV)).toBe(0)
  })

  it('never quotes an unreadable answer to a value read', async () => {
    // The answer, spoilt, still holds the value; the harness fails the run
    // if it shows anywhere.
    emulator.faults.add(GET_ENV, 'invalid-json')
    const result = await runAction({ inputs: inputs(), pullRequest: PR })
    expect(result.exitCode).toBe(1)
    expect(errorLines(result)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^::error::Vercel answered the read of variable ${PREFIX}\\w+ of project ${WEB} with a body that is not the variable \\(not quoted here, as it may hold the value\\)`
        )
      )
    ])
  })
})

describe('the emulator’s project env routes', () => {
  // As JSON Schema for Ajv: the spec lists some enum values twice, and
  // marks `oneOf`s without a type nullable (OpenAPI's null).
  const spec = JSON.parse(
    readFileSync(
      join(
        import.meta.dirname,
        '../emulator/openapi/vercel-openapi-subset.json'
      ),
      'utf8'
    ),
    (key, value) => {
      if (key === 'enum' && Array.isArray(value)) return [...new Set(value)]
      if (value?.nullable && value.type === undefined) {
        const schema = { ...value }
        delete schema.nullable
        return { anyOf: [schema, { type: 'null' }] }
      }
      return value
    }
  )
  const ajv = new Ajv({ strict: false, allErrors: true })
  const validator = (path: string) => {
    const schema =
      spec.paths[path].get.responses['200'].content['application/json'].schema
    return ajv.compile({
      anyOf: schema.oneOf ?? [schema],
      components: spec.components
    })
  }

  async function get(path: string) {
    const response = await fetch(
      `${emulator.url}${path}?teamId=${emulator.team.id}`,
      { headers: { authorization: `Bearer ${emulator.token}` } }
    )
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON under test
    return { status: response.status, body: (await response.json()) as any }
  }

  function connectedStore(): string {
    const { neon } = emulator.installations
    const store = emulator.seedStore({
      installationId: neon.id,
      productIdOrSlug: neon.products[0].id,
      name: 'web-pr-7-86f279ce'
    })
    emulator.connectStore(store.id, WEB, ['preview'], 'PR7_')
    return store.id
  }

  it('lists a project’s variables in the spec’s shape, values encrypted', async () => {
    const storeId = connectedStore()
    const { status, body } = await get(`/v10/projects/${WEB}/env`)
    expect(status).toBe(200)
    const valid = validator('/v10/projects/{idOrName}/env')
    expect({ valid: valid(body), errors: valid.errors }).toEqual({
      valid: true,
      errors: null
    })
    const ofStore = body.envs.filter(
      ({ contentHint }: { contentHint?: { storeId?: string } }) =>
        contentHint?.storeId === storeId
    )
    expect(ofStore).toHaveLength(neonSecrets().length)
    expect(ofStore[0]).toMatchObject({
      type: 'encrypted',
      decrypted: false,
      target: ['preview'],
      contentHint: {
        type: 'integration-store-secret',
        storeId,
        integrationConfigurationId: emulator.installations.neon.id
      }
    })
    for (const secret of emulator.secretValues()) {
      expect(JSON.stringify(body)).not.toContain(secret)
    }
  })

  it('answers one variable with its value, or none where it is sensitive', async () => {
    connectedStore()
    const [variable] = emulator
      .envVars(WEB)
      .filter(({ contentHint }) => contentHint)
    const path = `/v1/projects/${WEB}/env/${variable.id}`
    const valid = validator('/v1/projects/{idOrName}/env/{id}')

    const plain = await get(path)
    expect(plain.status).toBe(200)
    expect({ valid: valid(plain.body), errors: valid.errors }).toEqual({
      valid: true,
      errors: null
    })
    expect(plain.body).toMatchObject({
      key: variable.key,
      value: variable.value,
      decrypted: true
    })

    emulator.options.sensitiveStoreVariables = true
    const sensitive = await get(path)
    expect({ valid: valid(sensitive.body), errors: valid.errors }).toEqual({
      valid: true,
      errors: null
    })
    expect(sensitive.body).toMatchObject({
      type: 'sensitive',
      decrypted: false
    })
    expect(sensitive.body).not.toHaveProperty('value')

    expect((await get(`/v1/projects/${WEB}/env/nope`)).status).toBe(404)
    expect((await get(`/v10/projects/prj_nope/env`)).status).toBe(404)
  })
})

/**
 * Runs the bundle as the runner would, but without GITHUB_OUTPUT: the
 * outputs then come out on stdout, in order with everything else.
 */
async function runWithoutOutputFile(
  runInputs: Record<string, string>
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'read-env-'))
  try {
    const event = join(dir, 'event.json')
    await writeFile(
      event,
      JSON.stringify({ action: 'opened', pull_request: { number: PR } })
    )
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'acme/web',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_REF_NAME: `${PR}/merge`,
      GITHUB_HEAD_REF: 'feature/login',
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      RUNNER_TEMP: dir
    }
    await writeFile(env.GITHUB_STEP_SUMMARY, '')
    for (const [name, value] of Object.entries(runInputs)) {
      env[`INPUT_${name.toUpperCase()}`] = value
    }
    const { stdout } = await promisify(execFile)(process.execPath, [BUNDLE], {
      env
    })
    expect(await readFile(env.GITHUB_STEP_SUMMARY, 'utf8')).not.toContain(
      Object.values(storeVariables())[0]
    )
    return stdout
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
