import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator, type Emulator } from '../emulator/index.ts'
import { runBundle } from '../harness/run-action.ts'
import { SCENARIOS } from '../harness/scenarios.ts'
import { errorLine, neonIdInputs } from './support/run-result.ts'

// How much of an answer dist/index.js reads: at most 32 MiB of any answer,
// and 64 KB of variable values in all, whatever a server sends.

const MiB = 1024 * 1024
const WEB = 'prj_emuWeb0001'
const PR = 42

let emulator: Emulator

beforeEach(async () => {
  emulator = await startEmulator()
})

afterEach(async () => {
  await emulator.close()
})

describe('dist/index.js against answers too large to read', () => {
  it('fails with one line, and creates nothing, when the listing is over 32 MiB', async () => {
    // A listing of no stores, padded past the cap: read whole, it would
    // pass for "no store yet" and lead to a create.
    emulator.faults.add(ROUTES.listStores, {
      status: 200,
      body: { stores: [], padding: 'x'.repeat(33 * MiB) }
    })
    const result = await runBundle(SCENARIOS.createWithIds.prepare(emulator))

    expect(errorLine(result)).toBe(
      `::error::Vercel's answer to GET /v1/storage/stores was larger than 32 MiB, far more than any answer this action reads, so it was not read; check "api-url", or try again if Vercel is having an incident.`
    )
    expect(result.stderr).toBe('')
    // Not retried: the same answer would come again.
    expect(emulator.counts()).toEqual({ [ROUTES.listStores]: 1 })
    expect(emulator.stores()).toEqual([])
    expect(result.durationMs).toBeLessThan(3_000)
  })

  describe('read-env', () => {
    const inputs = () =>
      neonIdInputs(emulator, {
        project: WEB,
        'env-prefix': `PR${PR}_`,
        'read-env': 'true'
      })

    /** A value read of the first variable to ask, answering `value`. */
    function answerValueRead(value: string): void {
      emulator.faults.add(ROUTES.getProjectEnv, {
        status: 200,
        body: {
          id: 'env_padded',
          key: `PR${PR}_DATABASE_URL`,
          type: 'encrypted',
          value,
          decrypted: true,
          target: ['preview']
        }
      })
    }

    it.each([
      [
        'past the 64 KB Vercel allows in all',
        72 * 1024,
        `with a value that takes the values read past 64 KB, the most Vercel allows a deployment's variables in all, so none is used \\(not quoted here, as it may be secret\\); check the variable in the Vercel dashboard, or drop "read-env".`
      ],
      [
        'over the 32 MiB read of one answer',
        33 * MiB,
        `with more than 32 MiB, far more than any variable's value, so it was not read; check the variable in the Vercel dashboard, or drop "read-env".`
      ]
    ])(
      'fails with one line naming the variable, and shows no value, for a value %s',
      async (_, size, ending) => {
        const value = randomBytes(size / 2).toString('hex')
        answerValueRead(value)
        const result = await runBundle({
          inputs: inputs(),
          pullRequest: PR,
          secrets: [value]
        })

        expect(errorLine(result)).toMatch(
          new RegExp(
            `^::error::Vercel answered the read of variable PR${PR}_\\w+ of project ${WEB} ${ending}$`
          )
        )
        expect(result.stderr).toBe('')
        // Not even masked: a value that is not used is never printed.
        const start = value.slice(0, 64)
        expect(result.visible).not.toContain(start)
        expect(result.outputs.env).toBeUndefined()
        expect(emulator.count(ROUTES.getProjectEnv)).toBeGreaterThan(0)
      }
    )
  })
})
