/**
 * CONTRIBUTING.md's local run: `npx @github/local-action run . src/main.ts
 * .env`, with .env made from .env.example, against the emulator.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { startEmulator } from '../emulator/index.ts'
import type { Emulator } from '../emulator/index.ts'
import { withoutMaskCommands } from '../harness/run-action.ts'

const ROOT = join(import.meta.dirname, '..')
const LOCAL_ACTION = join(ROOT, 'node_modules', '.bin', 'local-action')

let dir: string
let emulator: Emulator

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-action-'))
  emulator = await startEmulator({ token: 'emulator-local-token' })
})
afterEach(async () => {
  await emulator.close()
  await rm(dir, { recursive: true, force: true })
})

async function envExample(): Promise<Map<string, string>> {
  const lines = (await readFile(join(ROOT, '.env.example'), 'utf8')).split('\n')
  const entries = lines
    .filter((line) => /^[A-Z][\w-]*=/.test(line))
    .map((line): [string, string] => {
      const at = line.indexOf('=')
      return [line.slice(0, at), line.slice(at + 1)]
    })
  return new Map(entries)
}

function run(envFile: string) {
  return new Promise<{ exitCode: number; stdout: string; stderr: string }>(
    (resolve) => {
      execFile(
        LOCAL_ACTION,
        ['run', '.', 'src/main.ts', envFile],
        {
          cwd: ROOT,
          env: {
            // The Node running the tests (24) first, as npx would find it.
            PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
            HOME: process.env.HOME ?? dir
          },
          timeout: 30_000
        },
        (error, stdout, stderr) =>
          resolve({
            exitCode: error ? Number(error.code ?? 1) : 0,
            stdout,
            stderr
          })
      )
    }
  )
}

describe('.env.example', () => {
  it('names every input of action.yml, as the runner does', async () => {
    const { inputs } = parse(
      await readFile(join(ROOT, 'action.yml'), 'utf8')
    ) as { inputs: Record<string, unknown> }
    const names = [...(await envExample()).keys()].filter((name) =>
      name.startsWith('INPUT_')
    )

    expect(names.sort()).toEqual(
      Object.keys(inputs)
        .map((name) => `INPUT_${name.toUpperCase()}`)
        .sort()
    )
  })

  it('runs the source with @github/local-action against the emulator', async () => {
    const env = await envExample()
    env.set('INPUT_API-URL', emulator.url)
    env.set('GITHUB_STEP_SUMMARY', join(dir, 'summary.md'))
    const envFile = join(dir, '.env')
    await writeFile(
      envFile,
      [...env].map(([name, value]) => `${name}=${value}`).join('\n')
    )

    const { exitCode, stdout, stderr } = await run(envFile)

    expect(stderr).not.toMatch(/error/i)
    expect(exitCode).toBe(0)
    const [store] = emulator.stores()
    expect(store).toMatchObject({
      name: 'web-branch-main-accff954',
      externalId: 'acme/web@main',
      metadata: { region: 'iad1' }
    })
    for (const [name, value] of [
      ['store-id', store.id],
      ['store-name', 'web-branch-main-accff954'],
      ['created', 'true'],
      ['status', 'available'],
      ['connected-project', 'prj_emuWeb0001']
    ]) {
      expect(stdout).toContain(`::set-output name=${name}::${value}\n`)
    }
    expect(stdout).toContain(
      '::debug::POST /v1/storage/stores/integration/direct → 200'
    )
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toContain(
      'web-branch-main'
    )
    expect(withoutMaskCommands(stdout)).not.toContain(emulator.token)
    expect(emulator.envVars('prj_emuWeb0001').map(({ key }) => key)).toContain(
      'LOCAL_DATABASE_URL'
    )
  })
})
