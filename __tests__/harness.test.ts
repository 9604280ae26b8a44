import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../emulator/index.ts'
import {
  assertNoSecretShown,
  maskedValues,
  runAction
} from '../harness/run-action.ts'

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

  describe('a value the step hands to a later step', () => {
    const secrets: [string, string][] = [['a value', 'postgres://u:pw@h/db']]
    const outputs = 'env<<EOF\n{"DATABASE_URL":"postgres://u:pw@h/db"}\nEOF\n'
    const rules = (stdout: string) => ({
      masked: maskedValues(stdout),
      mayHoldMasked: ['the outputs file']
    })

    it('may be in the outputs file once stdout has masked it', () => {
      const stdout = '::add-mask::postgres://u:pw@h/db\nRead 1 value'
      expect(() =>
        assertNoSecretShown(
          secrets,
          { stdout, 'the outputs file': outputs },
          rules(stdout)
        )
      ).not.toThrow()
    })

    it('fails the run when it is in the outputs file unmasked', () => {
      const stdout = 'Read 1 value'
      expect(() =>
        assertNoSecretShown(
          secrets,
          { stdout, 'the outputs file': outputs },
          rules(stdout)
        )
      ).toThrow(
        'a value is in the outputs file without an ::add-mask:: command for it'
      )
    })

    it('fails the run when it shows in stdout or the summary, masked or not', () => {
      const stdout = '::add-mask::postgres://u:pw@h/db\nok'
      expect(() =>
        assertNoSecretShown(
          secrets,
          { stdout: `${stdout}\nurl postgres://u:pw@h/db` },
          rules(stdout)
        )
      ).toThrow('a value is shown unmasked in stdout')
      expect(() =>
        assertNoSecretShown(
          secrets,
          { stdout, 'the job summary': '<p>postgres://u:pw@h/db</p>' },
          rules(stdout)
        )
      ).toThrow('a value is shown unmasked in the job summary')
    })

    it('reads masked values as @actions/core escapes them', () => {
      expect(maskedValues('::add-mask::a%25b%0Ac\nok')).toEqual(
        new Set(['a%b\nc'])
      )
    })
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
