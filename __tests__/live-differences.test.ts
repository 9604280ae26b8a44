/**
 * `npm run live` against a target that is not what the emulator answers:
 * each difference reported, without failing the run, and a failing step
 * that still leaves nothing behind.
 */
import { describe, expect, it } from 'vitest'
import { runLive, useLiveCheck } from './support/live.ts'

const { startTarget, liveEnv, readReport } = useLiveCheck()

describe('npm run live against a target that differs', () => {
  it('reports each difference from the emulator, and still succeeds', async () => {
    const emulator = await startTarget({ listIncludesExternalId: true })

    const run = await runLive(liveEnv(emulator))

    // A difference is a finding for the emulator, not a failure of the run.
    expect(run.exitCode).toBe(0)
    const report = await readReport()
    expect(report.questions.externalIdInListing).toBe(true)
    expect(report.differences).toContainEqual({
      step: 'reuse',
      route: 'GET /v1/storage/stores',
      path: '$.stores[].externalId',
      live: 'string',
      emulator: 'absent'
    })
    expect(run.stdout).toContain(
      'reuse · GET /v1/storage/stores · $.stores[].externalId: live string, emulator absent'
    )
    expect(emulator.stores()).toEqual([])
  })

  it('removes the store when a step fails, and compares only the steps the live run reached', async () => {
    const emulator = await startTarget()

    const run = await runLive(
      liveEnv(emulator, { VERCEL_PROJECT: 'no-such-project' })
    )

    expect(run.exitCode).toBe(1)
    const report = await readReport()
    expect(report.lives.live.steps.at(-1)).toMatchObject({
      name: 'connect',
      exitCode: 1
    })
    expect(report.lives.live.cleanup).toEqual({ removed: 1, failures: [] })
    expect(emulator.stores()).toEqual([])
    const reached = ['create', 'reuse', 'wait', 'connect']
    expect(report.lives.emulator.steps.map(({ name }) => name)).toEqual(reached)
    // The project was found by the emulator and not by the live target, so
    // connect differs; the steps after it ran in neither life.
    expect(report.differences.map(({ step }) => step)).toContain('connect')
    for (const { step } of report.differences) {
      expect([...reached, 'cleanup']).toContain(step)
    }
  })
})
