/**
 * `npm run live` against an emulator standing in for Vercel (its `api-url`),
 * as a maintainer with a token would run it against the real API: without a
 * token, and a whole life with no difference; the emulator shaped by a
 * report. A differing target and a failing step are in
 * live-differences.test.ts, so that the two files run side by side.
 */
import { spawn } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startEmulator } from '../emulator/index.ts'
import type { ShapeReport } from '../emulator/index.ts'
import { ROOT, runLive, useLiveCheck } from './support/live.ts'

const live = useLiveCheck()
const { startTarget, liveEnv, readReport } = live

/**
 * A report as `npm run live` writes it, whose live listing carries a store's
 * id, name and status, and any other keys given.
 */
function listingReport(extra: Record<string, string> = {}): ShapeReport {
  return {
    steps: [
      {
        name: 'reuse',
        live: [
          {
            route: 'GET /v1/storage/stores',
            statuses: [200],
            shape: {
              $: 'object',
              '$.stores': 'array',
              '$.stores[]': 'object',
              '$.stores[].id': 'string',
              '$.stores[].name': 'string',
              '$.stores[].status': 'string',
              ...extra
            }
          }
        ],
        emulator: []
      }
    ]
  }
}

describe('npm run live', () => {
  it('without a token exits non-zero, says what to set, and sends no request', async () => {
    const emulator = await startTarget()
    const withoutToken: Record<string, string> = liveEnv(emulator)
    delete withoutToken.VERCEL_TOKEN

    const run = await runLive(withoutToken)

    expect(run.exitCode).toBe(2)
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^npm run live needs VERCEL_TOKEN set \(/)
    ])
    expect(emulator.count()).toBe(0)
  })

  it('runs the whole life against the emulator as its target, cleans up, and reports no difference', async () => {
    const emulator = await startTarget()

    const run = await runLive(liveEnv(emulator))

    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain('Differences between live and emulator: 0')
    const report = await readReport()
    expect(report.differences).toEqual([])
    expect(
      report.lives.live.steps.map(({ name, exitCode }) => [name, exitCode])
    ).toEqual([
      ['create', 0],
      ['reuse', 0],
      ['wait', 0],
      ['connect', 0],
      ['branch variables', 0],
      ['read-env', 0],
      ['second connect', null],
      ['delete while connected', null],
      ['absent', 0]
    ])
    expect(report.questions).toMatchObject({
      externalIdInListing: false,
      statusesSeen: ['initializing', 'available'],
      connect: { statuses: [201] },
      secondConnect: { statuses: [409] },
      deleteWhileConnected: { statuses: [400] }
    })
    // Every request of the life reached the target, and nothing is left.
    expect(emulator.count('POST /v1/storage/stores/integration/direct')).toBe(1)
    expect(emulator.count('DELETE /v1/storage/stores/integration/{id}')).toBe(2)
    expect(emulator.stores()).toEqual([])
    expect(
      emulator
        .envVars('prj_emuWeb0001')
        .filter((v) => v.contentHint || v.gitBranch)
    ).toEqual([])
    // The report holds shapes and redacted errors, never a token or a value.
    const text = await readFile(live.reportPath(), 'utf8')
    expect(text).not.toContain(emulator.token)
    for (const value of emulator.secretValues()) {
      expect(text).not.toContain(value)
    }
  })
})

describe('the emulator shaped by a live report', () => {
  it('drops keys the live answers lacked and names keys it cannot invent', async () => {
    // A listing as the live report records it: no externalId, and a key
    // (region) the emulator does not know.
    const report = listingReport({ '$.stores[].region': 'string' })

    const shaped = await startEmulator({
      listIncludesExternalId: true,
      shapes: report
    })
    try {
      shaped.seedStore({
        installationId: shaped.installations.neon.id,
        productIdOrSlug: 'neon',
        name: 'web-pr-1',
        externalId: 'acme-web-pr-1'
      })
      const answer = await fetch(
        `${shaped.url}/v1/storage/stores?slug=${shaped.team.slug}`,
        { headers: { authorization: `Bearer ${shaped.token}` } }
      )
      const { stores } = (await answer.json()) as {
        stores: Record<string, unknown>[]
      }

      expect(stores).toHaveLength(1)
      expect(stores[0]).not.toHaveProperty('externalId')
      expect(stores[0]).toMatchObject({ name: 'web-pr-1', status: 'available' })
      expect(shaped.shapeGaps()).toEqual([
        'GET /v1/storage/stores $.stores[].region'
      ])
    } finally {
      await shaped.close()
    }
  })
})

describe('npm run emulator -- --shapes', () => {
  function startCli(args: string[]) {
    const child = spawn(process.execPath, ['emulator/cli.ts', ...args], {
      cwd: ROOT
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', resolve)
    )
    const listening = new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const url = /listening on (\S+)/.exec(stdout)?.[1]
        if (url && stdout.includes('Press Ctrl+C')) resolve(url)
      })
      void exited.then(() => reject(new Error(`exited: ${stderr}`)))
    })
    // A run that exits on purpose never listens: not an unhandled rejection.
    listening.catch(() => undefined)
    return { child, listening, exited, output: () => ({ stdout, stderr }) }
  }

  it('serves answers with only the keys of the report’s live answers', async () => {
    const report = listingReport()
    const reportPath = join(live.dir(), 'report.json')
    await writeFile(reportPath, JSON.stringify(report))
    const cli = startCli([
      '--token',
      'emulator-cli-token',
      '--list-external-id',
      '--shapes',
      reportPath
    ])
    try {
      const url = await cli.listening
      const headers = { authorization: 'Bearer emulator-cli-token' }
      const created = await fetch(
        `${url}/v1/storage/stores/integration/direct?slug=acme`,
        {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({
            name: 'web-pr-7',
            externalId: 'acme-web-pr-7',
            integrationConfigurationId: 'icfg_emuNeon0001',
            integrationProductIdOrSlug: 'neon'
          })
        }
      )
      expect(created.status).toBe(200)
      const listing = await fetch(`${url}/v1/storage/stores?slug=acme`, {
        headers
      })

      expect(await listing.json()).toEqual({
        stores: [
          {
            id: expect.stringMatching(/^store_/),
            name: 'web-pr-7',
            status: 'available'
          }
        ]
      })
      expect(cli.output().stdout).toContain(
        `shapes:  answers shaped like ${reportPath}`
      )
    } finally {
      cli.child.kill('SIGTERM')
      await cli.exited
    }
  })

  it('refuses a file that is not a live report', async () => {
    const reportPath = join(live.dir(), 'not-a-report.json')
    await writeFile(reportPath, '{"stores": []}')
    const cli = startCli(['--shapes', reportPath])

    expect(await cli.exited).toBe(2)
    expect(cli.output().stderr).toBe(
      `--shapes ${reportPath} is not a live report (no "steps")\n`
    )
  })
})
