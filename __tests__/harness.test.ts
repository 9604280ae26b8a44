import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../emulator/index.ts'
import { assertNoSecretShown, runAction } from '../harness/run-action.ts'

describe('the harness’s secret scan', () => {
  it('ignores the ::add-mask:: commands and names the secret and the place', () => {
    const secrets: [string, string][] = [['the token', 'tok_abcdef123']]
    expect(() =>
      assertNoSecretShown(secrets, { stdout: '::add-mask::tok_abcdef123\nok' })
    ).not.toThrow()
    expect(() =>
      assertNoSecretShown(secrets, {
        stdout: 'ok',
        'the job summary': '<p>tok_abcdef123</p>'
      })
    ).toThrow('the token is shown unmasked in the job summary')
  })

  describe('on every run of the bundle', () => {
    let emulator: Emulator
    beforeAll(async () => {
      emulator = await startEmulator()
    })
    afterAll(async () => {
      await emulator.close()
    })

    it('fails a run that shows a value passed as a secret', async () => {
      const run = runAction({
        inputs: {
          token: emulator.token,
          team: emulator.team.slug,
          integration: emulator.installations.neon.id,
          product: 'neon',
          'api-url': emulator.url
        },
        pullRequest: 8,
        // The store's name is printed, so it stands in for a leaked secret.
        secrets: ['web-pr-8']
      })
      await expect(run).rejects.toThrow(
        'secrets[0] is shown unmasked in stdout'
      )
    })
  })
})
