import { describe, expect, it } from 'vitest'
import {
  describeFailure,
  InputError,
  VercelApiError,
  VercelNetworkError,
  VercelResponseError
} from '../src/errors.ts'

const LIST = '/v1/storage/stores'
const CREATE = '/v1/storage/stores/integration/direct'

function apiError(
  method: string,
  path: string,
  status: number,
  body: object = {}
): VercelApiError {
  return new VercelApiError(method, path, status, body, 'code "message"')
}

describe('describeFailure', () => {
  it.each([
    [apiError('GET', LIST, 401), 'check "token" (or VERCEL_TOKEN)'],
    [
      apiError('GET', LIST, 403, { invalidToken: true }),
      'Vercel did not accept the token'
    ],
    [
      apiError('GET', LIST, 403, { missingToken: true }),
      'Vercel did not accept the token'
    ],
    [apiError('POST', CREATE, 400), 'fix the input its message names'],
    [apiError('POST', CREATE, 402), 'set "payment-method"'],
    [apiError('POST', CREATE, 403), 'admin rights on the installation'],
    [apiError('POST', CREATE, 404), 'Check "integration"'],
    [
      apiError('GET', LIST, 404),
      'Check "team" (empty: the token\'s personal account) and "integration"'
    ],
    [apiError('POST', CREATE, 409), 'conflict'],
    [apiError('GET', LIST, 429), 'rate limiting'],
    [apiError('GET', LIST, 503), 'server error'],
    [
      new VercelResponseError('GET', LIST, 200, 'an HTML page instead of JSON'),
      'check "api-url"'
    ],
    [new VercelNetworkError('GET', LIST, 'ECONNREFUSED'), "runner's network"]
  ])('gives advice for %s', (error, advice) => {
    const message = describeFailure(error)
    expect(message).toContain(error.message)
    expect(message).toContain(advice)
    expect(message).not.toContain('\n')
  })

  // Issue 23, finding 5: a failed redeploy advised about "integration" and
  // "product", which have nothing to do with a project's deployments.
  it.each([
    ['POST', '/v13/deployments', 404, 'check "project" and "team"'],
    ['POST', '/v13/deployments', 403, 'the deployments of "project"'],
    ['POST', '/v13/deployments', 402, 'drop "redeploy"'],
    ['POST', '/v13/deployments', 409, 'drop "redeploy"'],
    ['GET', '/v6/deployments', 404, 'check "project" and "team"'],
    ['GET', '/v10/projects/web/env', 404, 'Check "project"'],
    ['POST', '/v10/projects/web/env', 404, 'Check "project"'],
    [
      'DELETE',
      '/v1/projects/web/env',
      403,
      'environment variables of "project"'
    ]
  ])(
    'advises about the project, never the installation, for %s %s %d',
    (method, path, status, advice) => {
      const message = describeFailure(apiError(method, path, status))
      expect(message).toContain(advice)
      expect(message).not.toMatch(/"integration"|"product"|installation/)
    }
  )

  it('passes an input error through as it is', () => {
    const error = new InputError('team', 'must be a team id.')
    expect(describeFailure(error)).toBe('Input "team" must be a team id.')
  })

  it('reports anything else without a stack trace', () => {
    expect(describeFailure(new TypeError('x is undefined'))).toBe(
      'Unexpected error: x is undefined'
    )
    expect(describeFailure('thrown string')).toBe(
      'Unexpected error: thrown string'
    )
  })
})
