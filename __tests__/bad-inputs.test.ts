import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../emulator/index.ts'
import { runAction } from '../harness/run-action.ts'

/**
 * Malformed inputs, each run in-process as the runner would pass them: the
 * step must fail on the input before any request, with one line that names
 * it. Values that look like secrets are passed to the harness, which fails
 * the test if one is shown. New inputs are one row each.
 */
interface BadInput {
  input: string
  value: string
  /** What the one error line must contain. */
  message: string
  /** Parts of the value that must never be shown. */
  secrets?: string[]
}

const BAD_INPUTS: BadInput[] = [
  {
    input: 'fallback',
    value: 'ignore',
    message: 'Input "fallback" must be warn or fail; got "ignore".'
  },
  {
    input: 'max-stores',
    value: '0',
    message: 'Input "max-stores" must be a whole number of stores from 1'
  },
  {
    input: 'max-stores',
    value: 'ten',
    message: 'Input "max-stores" must be a whole number of stores from 1'
  },
  {
    input: 'token',
    value: '',
    message: 'Input "token" is empty: the secret it names is not set'
  },
  {
    input: 'token',
    value: 'two words',
    message: 'Input "token" contains spaces'
  },
  {
    input: 'token',
    value: 'vcp_secret\tTAB1234567',
    message: 'Input "token" contains spaces or characters',
    secrets: ['vcp_secret', 'TAB1234567']
  },
  {
    input: 'token',
    value: 'vcp_ünicode5678901234',
    message: 'Input "token" contains spaces or characters'
  },
  { input: 'team', value: 'team_', message: 'Input "team" must be a team id' },
  {
    input: 'team',
    value: 'acme corp',
    message: 'Input "team" must be a team id'
  },
  {
    input: 'team',
    value: 'team_abc-def',
    message: 'Input "team" must be a team id'
  },
  {
    input: 'integration',
    value: 'Neon!',
    message: 'Input "integration" must be an integration slug'
  },
  {
    input: 'integration',
    value: 'neon postgres',
    message: 'Input "integration" must be an integration slug'
  },
  {
    input: 'integration',
    value: 'icfg_bad-id',
    message: 'Input "integration" must be'
  },
  {
    input: 'integration',
    value: 'icfg_',
    message: 'Input "integration" must be'
  },
  {
    input: 'product',
    value: 'Neon\tPostgres',
    message: 'Input "product" must be a product id'
  },
  { input: 'product', value: 'iap_', message: 'Input "product" must be' },
  {
    input: 'product',
    value: 'x'.repeat(257),
    message: 'Input "product" must be'
  },
  {
    input: 'name',
    value: 'x'.repeat(129),
    message: 'Input "name" must be 1 to 128'
  },
  { input: 'name', value: 'my db', message: 'Input "name" must be 1 to 128' },
  {
    input: 'name',
    value: 'web.pr.1',
    message: 'Input "name" must be 1 to 128'
  },
  {
    input: 'external-id',
    value: 'tab\there',
    message: 'Input "external-id" must be'
  },
  {
    input: 'external-id',
    value: 'k'.repeat(257),
    message: 'Input "external-id" must be 1 to 256'
  },
  {
    input: 'plan',
    value: 'Free\tplan',
    message: 'Input "plan" must be a billing plan id'
  },
  {
    input: 'state',
    value: 'deleted',
    message: 'Input "state" must be present'
  },
  {
    input: 'wait',
    value: 'yes',
    message: 'Input "wait" must be true or false; got "yes"'
  },
  {
    input: 'project',
    value: 'My App',
    message: 'Input "project" must be a project id'
  },
  {
    input: 'project',
    value: 'prj_',
    message: 'Input "project" must be a project id'
  },
  {
    input: 'project',
    value: 'a---b',
    message: 'Input "project" must be a project id'
  },
  {
    input: 'environments',
    value: 'preview,Staging Env',
    message:
      'Input "environments" must list environments among production, preview, development, or custom environments by id (env_…) or slug'
  },
  {
    input: 'environments',
    value: 'preview\npreview',
    message: 'Input "environments" lists "preview" twice'
  },
  {
    input: 'env-prefix',
    value: '1PR_',
    message: 'Input "env-prefix" must start with a letter'
  },
  {
    input: 'env-prefix',
    value: 'PR-42',
    message: 'Input "env-prefix" must start with a letter'
  },
  {
    input: 'read-env',
    value: 'on',
    message: 'Input "read-env" must be true or false; got "on"'
  },
  {
    input: 'read-env',
    value: 'true',
    message: 'Input "read-env" needs "project"'
  },
  {
    input: 'dry-run',
    value: 'maybe',
    message: 'Input "dry-run" must be true or false; got "maybe"'
  },
  {
    input: 'metadata',
    value: 'region',
    message: 'Input "metadata"'
  },
  {
    input: 'payment-method',
    value: 'pm 123',
    message: 'Input "payment-method" must be an id'
  },
  {
    input: 'prepayment-amount-cents',
    value: '49',
    message: 'at least 50'
  },
  {
    input: 'prepayment-amount-cents',
    value: '12.5',
    message: 'whole number'
  },
  {
    input: 'prepayment-amount-cents',
    value: '-100',
    message: 'Input "prepayment-amount-cents" must be a whole number'
  },
  {
    input: 'metadata',
    value: '{region: iad1}',
    message: 'Input "metadata" must be a JSON object'
  },
  {
    input: 'metadata',
    value: '["iad1"]',
    message: 'Input "metadata" must be a JSON object'
  },
  {
    input: 'metadata',
    value: '{"nested":{"a":1}}',
    message: 'key "nested" must be'
  },
  { input: 'metadata', value: '{"tags":[]}', message: 'key "tags" must be' },
  {
    input: 'protocol-settings',
    value: 'true',
    message: 'Input "protocol-settings" must be a JSON object'
  },
  {
    input: 'protocol-settings',
    value: '{"storage": ',
    message: 'Input "protocol-settings" must be a JSON object'
  },
  {
    input: 'source',
    value: 'github',
    message: 'Input "source" must be one of marketplace'
  },
  {
    input: 'timeout',
    value: '0',
    message: 'Input "timeout" must be a whole number of seconds from 1'
  },
  {
    input: 'timeout',
    value: '21601',
    message: 'Input "timeout" must be a whole number of seconds from 1'
  },
  {
    input: 'timeout',
    value: '5m',
    message: 'Input "timeout" must be a whole number of seconds'
  },
  {
    input: 'api-url',
    value: 'http://api.vercel.com',
    message: 'Input "api-url" must be an https:// URL'
  },
  {
    input: 'api-url',
    value: 'not a url',
    message: 'Input "api-url" must be a URL'
  },
  {
    input: 'api-url',
    value: 'https://user:pw@api.vercel.com',
    message: 'Input "api-url" must be an https:// URL'
  },
  {
    input: 'api-url',
    value: 'https://ci-bot:hunter2-secret-pass@api.vercel.com',
    message: 'got "https://***@api.vercel.com/"',
    secrets: ['hunter2-secret-pass']
  },
  {
    input: 'api-url',
    value: 'https://api.vercel.com/?token=vcp_querysecret99',
    message: 'got "https://api.vercel.com/?***"',
    secrets: ['vcp_querysecret99']
  },
  {
    input: 'api-url',
    value: 'http://10.0.0.5:8080',
    message: 'http:// is allowed for localhost only'
  },
  {
    input: 'api-url',
    value: 'http://localhost.evil.example',
    message: 'http:// is allowed for localhost only'
  },
  {
    input: 'api-url',
    value: 'ftp://127.0.0.1',
    message: 'Input "api-url" must be an https:// URL'
  }
]

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator()
})

afterAll(async () => {
  await emulator.close()
})

describe('bad inputs, as the runner passes them', () => {
  it('has at least 30 of them', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(30)
  })

  it.each(BAD_INPUTS)(
    'rejects $input = $value before any request',
    async ({ input, value, message, secrets }) => {
      emulator.resetRequests()
      const result = await runAction({
        inputs: {
          token: emulator.token,
          team: emulator.team.slug,
          integration: emulator.installations.neon.id,
          product: 'neon',
          'api-url': emulator.url,
          [input]: value
        },
        pullRequest: 1,
        secrets
      })
      expect(result.exitCode).toBe(1)
      const errors = result.stdout
        .split('\n')
        .filter((line) => line.startsWith('::error::'))
      expect(errors).toHaveLength(1)
      expect(errors[0]).toContain(message)
      expect(errors[0]).toContain(`Input "${input}"`)
      expect(result.visible).not.toMatch(/\n\s+at .+:\d+:\d+/)
      expect(emulator.count()).toBe(0)
    }
  )
})
