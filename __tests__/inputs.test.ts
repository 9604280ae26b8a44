import { describe, expect, it, vi } from 'vitest'
import { parseInputs } from '../src/inputs.ts'

const context = { owner: 'acme', repo: 'web', pullRequestNumber: 42 }

function reader(inputs: Record<string, string>) {
  return (name: string) => inputs[name] ?? ''
}

const minimal = {
  token: 'tok_123',
  integration: 'icfg_abc123',
  product: 'neon'
}

describe('parseInputs', () => {
  it('fills defaults from the GitHub context and the API URL', () => {
    expect(parseInputs(reader(minimal), { env: {}, context })).toEqual({
      token: 'tok_123',
      team: undefined,
      integration: 'icfg_abc123',
      product: 'neon',
      name: 'web-pr-42-86f279ce',
      externalId: 'acme/web#42',
      plan: undefined,
      paymentMethodId: undefined,
      prepaymentAmountCents: undefined,
      metadata: undefined,
      metadataSyntax: undefined,
      protocolSettings: undefined,
      source: undefined,
      timeoutSeconds: 300,
      dryRun: false,
      apiUrl: 'https://api.vercel.com',
      state: 'present',
      wait: true,
      project: undefined,
      environments: ['preview'],
      environmentsGiven: false,
      envPrefix: 'PR42_',
      envPrefixIsDefault: true,
      readEnv: false,
      gitBranch: undefined,
      exportEnv: false,
      redeploy: false,
      fallback: 'warn',
      maxStores: undefined,
      comment: false,
      githubToken: undefined,
      githubApiUrl: 'https://api.github.com'
    })
  })

  it.each([
    ['', { exportEnv: false, exportNames: undefined }],
    ['false', { exportEnv: false, exportNames: undefined }],
    ['True', { exportEnv: true, exportNames: undefined }],
    [
      ' DATABASE_URL\n  DIRECT_URL DATABASE_URL ',
      { exportEnv: true, exportNames: ['DATABASE_URL', 'DIRECT_URL'] }
    ]
  ])('reads export-env %j as a switch or a list of names', (value, parsed) => {
    const inputs = parseInputs(
      reader({ ...minimal, project: 'web', 'export-env': value }),
      { env: {}, context }
    )
    expect({
      exportEnv: inputs.exportEnv,
      exportNames: inputs.exportNames
    }).toEqual(parsed)
  })

  it('defaults env-prefix to PR<number>_ in a pull request, and to a hash of the key elsewhere', () => {
    const branchBuild = { owner: 'acme', repo: 'web', branch: 'main' }
    const push = parseInputs(reader(minimal), { env: {}, context: branchBuild })
    expect(push.envPrefix).toMatch(/^S[0-9A-F]{8}_$/)
    // The same key, the same prefix; another key, another.
    expect(
      parseInputs(reader(minimal), { env: {}, context: branchBuild }).envPrefix
    ).toBe(push.envPrefix)
    expect(
      parseInputs(reader(minimal), {
        env: {},
        context: { ...branchBuild, branch: 'next' }
      }).envPrefix
    ).not.toBe(push.envPrefix)
    expect(
      parseInputs(reader({ ...minimal, 'env-prefix': 'MINE_' }), {
        env: {},
        context
      })
    ).toMatchObject({ envPrefix: 'MINE_', envPrefixIsDefault: false })
  })

  it('reads read-env only with a project to read from, where the store is kept', () => {
    const parse = (inputs: Record<string, string>, env = {}) =>
      parseInputs(reader({ ...minimal, ...inputs }), { env, context })
    expect(parse({ 'read-env': 'true', project: 'web' }).readEnv).toBe(true)
    expect(
      parse({ 'read-env': 'True' }, { VERCEL_PROJECT_ID: 'prj_fromEnv' })
        .readEnv
    ).toBe(true)
    expect(() => parse({ 'read-env': 'true' })).toThrow(
      'Input "read-env" needs "project" (or VERCEL_PROJECT_ID): the values are read from the project the store is connected to; set "project", or drop "read-env".'
    )
    // A closing run ignores the project, and so what is read from it.
    expect(parse({ 'read-env': 'true', state: 'absent' }).readEnv).toBe(true)
    expect(() => parse({ 'read-env': 'yes' })).toThrow(
      'Input "read-env" must be true or false; got "yes".'
    )
  })

  it('reads the lifecycle inputs as core.getBooleanInput and the Vercel CLI do', () => {
    const parse = (inputs: Record<string, string>, env = {}) =>
      parseInputs(reader({ ...minimal, ...inputs }), { env, context })
    for (const [text, wait] of [
      ['true', true],
      ['True', true],
      ['TRUE', true],
      ['false', false],
      ['False', false],
      ['FALSE', false]
    ] as const) {
      expect(parse({ wait: text }).wait).toBe(wait)
    }
    expect(
      parse({ environments: 'production,\n preview\n\ndevelopment' })
        .environments
    ).toEqual(['production', 'preview', 'development'])
    const env = { VERCEL_PROJECT_ID: 'prj_fromEnv' }
    expect(parse({}, env).project).toBe('prj_fromEnv')
    expect(parse({ project: 'web' }, env).project).toBe('web')
    expect(parse({ state: 'absent', 'env-prefix': 'PR_42' })).toMatchObject({
      state: 'absent',
      envPrefix: 'PR_42'
    })
  })

  it('prefers inputs to the Vercel CLI’s environment variables', () => {
    const env = { VERCEL_TOKEN: 'from-env', VERCEL_ORG_ID: 'team_fromEnv' }
    expect(parseInputs(reader(minimal), { env, context })).toMatchObject({
      token: 'tok_123',
      team: { teamId: 'team_fromEnv' }
    })
    expect(
      parseInputs(reader({ ...minimal, token: '', team: 'acme' }), {
        env,
        context
      })
    ).toMatchObject({ token: 'from-env', team: { slug: 'acme' } })
  })

  it('masks the token before it checks anything, the token included', () => {
    const onSecret = vi.fn()
    expect(() =>
      parseInputs(reader({ token: 'tok with spaces' }), {
        env: {},
        context,
        onSecret
      })
    ).toThrow(expect.objectContaining({ input: 'token' }))
    expect(onSecret).toHaveBeenCalledWith('tok with spaces')
  })

  it('takes no team from a VERCEL_ORG_ID that is a personal account’s user id', () => {
    const env = { VERCEL_ORG_ID: 'AbCdEf123456' }
    expect(parseInputs(reader(minimal), { env, context }).team).toBeUndefined()
  })

  it.each([
    ['metadata', '{"password": s3cretPass}', 'it is not valid JSON.'],
    ['metadata', '{password: "s3cretPass"}', 'not valid JSON (at character 2)'],
    ['protocol-settings', '{"a":', 'not valid JSON'],
    ['protocol-settings', '"s3cretPass"', 'got a string']
  ])(
    'reports a bad %s without echoing its content',
    (input, value, message) => {
      const parse = () =>
        parseInputs(reader({ ...minimal, [input]: value }), {
          env: {},
          context
        })
      expect(parse).toThrow(
        expect.objectContaining({
          input,
          message: expect.stringContaining(message)
        })
      )
      expect(parse).toThrow(
        expect.objectContaining({
          message: expect.not.stringContaining('s3cretPass')
        })
      )
    }
  )

  it('keeps an api-url path and drops its trailing slash', () => {
    const inputs = parseInputs(
      reader({ ...minimal, 'api-url': 'http://127.0.0.1:3000/proxy/' }),
      { env: {}, context }
    )
    expect(inputs.apiUrl).toBe('http://127.0.0.1:3000/proxy')
  })

  it.each(['http://localhost:1', 'http://[::1]:2', 'https://vercel.example'])(
    'accepts the API URL %s',
    (url) => {
      expect(
        parseInputs(reader({ ...minimal, 'api-url': url }), {
          env: {},
          context
        }).apiUrl
      ).toBe(new URL(url).href.replace(/\/$/, ''))
    }
  )

  it.each([
    ['http://10.0.0.1', 'api-url'],
    ['https://api.vercel.com?x=1', 'api-url'],
    ['ftp://localhost', 'api-url']
  ])('rejects the API URL %s', (url, input) => {
    expect(() =>
      parseInputs(reader({ ...minimal, 'api-url': url }), { env: {}, context })
    ).toThrow(expect.objectContaining({ input }))
  })

  it('names the input in every error', () => {
    expect(() =>
      parseInputs(reader({ ...minimal, product: 'Bad\tSlug' }), {
        env: {},
        context
      })
    ).toThrow(
      expect.objectContaining({
        name: 'InputError',
        input: 'product',
        message: expect.stringMatching(/^Input "product" must be/)
      })
    )
  })

  it('parses numbers and JSON objects', () => {
    const inputs = parseInputs(
      reader({
        ...minimal,
        'prepayment-amount-cents': '50',
        metadata: '{"region":"iad1","size":1,"ha":false,"ids":[1,2]}',
        'protocol-settings': '{}'
      }),
      { env: {}, context }
    )
    expect(inputs).toMatchObject({
      prepaymentAmountCents: 50,
      metadata: { region: 'iad1', size: 1, ha: false, ids: [1, 2] },
      protocolSettings: {}
    })
  })

  it('reads timeout as whole seconds from 1 to a job’s six hours', () => {
    const parse = (timeout: string) =>
      parseInputs(reader({ ...minimal, timeout }), { env: {}, context })
    expect(parse('1').timeoutSeconds).toBe(1)
    expect(parse('21600').timeoutSeconds).toBe(21_600)
    for (const bad of ['0', '21601', '1.5', '-3', '5m', ' 30']) {
      expect(() => parse(bad)).toThrow(
        expect.objectContaining({ input: 'timeout' })
      )
    }
  })
})
