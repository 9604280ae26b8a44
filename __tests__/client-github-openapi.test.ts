// Issue 20: every answer of the GitHub emulator checked against GitHub's
// official REST description (@octokit/openapi), the schema of its route and
// status, with Ajv. The emulator's route keys are the description's own
// paths, so each recorded request names the schema it is checked against.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import type { ValidateFunction } from 'ajv'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApiToJsonSchema } from '../emulator/openapi.ts'
import { GITHUB_ROUTES, startGitHubEmulator } from '../emulator/github/index.ts'
import type { GitHubEmulator } from '../emulator/github/index.ts'

type Json = Record<string, unknown>

// The package's index loads all ten descriptions (385 MB); this reads only
// the file of api.github.com that it ships in `generated/`.
const DESCRIPTION = fileURLToPath(
  import.meta.resolve('@octokit/openapi/generated/api.github.com.json')
)

interface Description {
  paths: Record<string, Record<string, { responses: Record<string, Json> }>>
  components: { schemas: Record<string, Json>; responses: Record<string, Json> }
}

const description = JSON.parse(readFileSync(DESCRIPTION, 'utf8')) as Description
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false })
const validators = new Map<string, ValidateFunction>()

/**
 * The schema of one answer with only the component schemas it reaches,
 * turned from OpenAPI 3.0 into JSON Schema as the Vercel schemas are
 * (`nullable` a null branch). `oneOf` is read as `anyOf`: GET /user's
 * private-user is a public-user with more fields, so a private user's
 * answer matches both branches.
 */
function validatorOf(route: string, status: number): ValidateFunction {
  const key = `${route} ${status}`
  let validate = validators.get(key)
  if (validate) return validate
  const [method, path] = route.split(' ')
  let response = description.paths[path]?.[method.toLowerCase()]?.responses[
    String(status)
  ] as Json | undefined
  const ref = response?.$ref as string | undefined
  if (ref)
    response =
      description.components.responses[ref.slice(ref.lastIndexOf('/') + 1)]
  const schema = (
    response?.content as Record<string, { schema: Json }> | undefined
  )?.['application/json']?.schema
  if (!schema) throw new Error(`GitHub's description has no ${key} schema`)
  const schemas: Record<string, unknown> = {}
  const reach = (value: unknown): void => {
    const text = JSON.stringify(value)
    for (const [, name] of text.matchAll(
      /"#\/components\/schemas\/([^"]+)"/g
    )) {
      if (name in schemas) continue
      schemas[name] = description.components.schemas[name]
      reach(schemas[name])
    }
  }
  reach(schema)
  const converted = JSON.parse(
    JSON.stringify({ ...schema, components: { schemas } }).replace(
      /"oneOf":/g,
      '"anyOf":'
    ),
    openApiToJsonSchema
  ) as Json
  validate = ajv.compile(converted)
  validators.set(key, validate)
  return validate
}

let github: GitHubEmulator

beforeAll(async () => {
  github = await startGitHubEmulator()
  github.seedPull({ owner: 'acme', repo: 'web', head: 'feature/a' })
  github.seedPull({ owner: 'acme', repo: 'web', head: 'feature/b' })
  github.closePull('acme', 'web', 2, true)
  github.seedComment({ owner: 'acme', repo: 'web', issueNumber: 1, body: 'hi' })
})

afterAll(() => github.close())

async function call(
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json'
  }
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${github.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return { status: response.status, body: await response.json() }
}

/** The answer's route (as the emulator recorded it), status and errors. */
async function checked(
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown
) {
  github.resetRequests()
  const answer = await call(method, path, token, body)
  const [{ route }] = github.requests
  const validate = validatorOf(route, answer.status)
  const valid = validate(answer.body)
  return {
    route,
    status: answer.status,
    valid,
    errors: validate.errors ?? null
  }
}

describe("the GitHub emulator's answers against GitHub's description", () => {
  const token = () => github.token
  it.each([
    ['GET', '/user', () => github.userToken, GITHUB_ROUTES.getUser, 200],
    ['GET', '/user', token, GITHUB_ROUTES.getUser, 403],
    ['GET', '/user', () => undefined, GITHUB_ROUTES.getUser, 401],
    [
      'GET',
      '/repos/acme/web/pulls?state=all',
      token,
      GITHUB_ROUTES.listPulls,
      200
    ],
    ['GET', '/repos/acme/web/pulls/1', token, GITHUB_ROUTES.getPull, 200],
    ['GET', '/repos/acme/web/pulls/2', token, GITHUB_ROUTES.getPull, 200],
    ['GET', '/repos/acme/web/pulls/99', token, GITHUB_ROUTES.getPull, 404],
    [
      'GET',
      '/repos/acme/web/issues/1/comments',
      token,
      GITHUB_ROUTES.listComments,
      200
    ],
    [
      'GET',
      '/repos/acme/missing/issues/1/comments',
      token,
      GITHUB_ROUTES.listComments,
      404
    ],
    // The prune's read of a branch store's branch (issue 24).
    [
      'GET',
      '/repos/acme/web/branches/main',
      token,
      GITHUB_ROUTES.getBranch,
      200
    ],
    [
      'GET',
      '/repos/acme/web/branches/gone-branch',
      token,
      GITHUB_ROUTES.getBranch,
      404
    ]
  ])(
    '%s %s (token %#) answers as described',
    async (method, path, auth, route, status) => {
      expect(await checked(method, path, auth())).toEqual({
        route,
        status,
        valid: true,
        errors: null
      })
    }
  )

  it('answers a comment written, edited and refused as described', async () => {
    const created = await checked(
      'POST',
      '/repos/acme/web/issues/1/comments',
      github.token,
      { body: 'store ready' }
    )
    expect(created).toEqual({
      route: GITHUB_ROUTES.createComment,
      status: 201,
      valid: true,
      errors: null
    })
    const [, comment] = github.comments('acme', 'web', 1)
    expect(
      await checked(
        'PATCH',
        `/repos/acme/web/issues/comments/${comment.id}`,
        github.token,
        { body: 'store deleted' }
      )
    ).toEqual({
      route: GITHUB_ROUTES.updateComment,
      status: 200,
      valid: true,
      errors: null
    })
    expect(
      await checked(
        'POST',
        '/repos/acme/web/issues/1/comments',
        github.readOnlyToken,
        { body: 'x' }
      )
    ).toEqual({
      route: GITHUB_ROUTES.createComment,
      status: 403,
      valid: true,
      errors: null
    })
    expect(
      await checked(
        'POST',
        '/repos/acme/web/issues/1/comments',
        github.token,
        {}
      )
    ).toEqual({
      route: GITHUB_ROUTES.createComment,
      status: 422,
      valid: true,
      errors: null
    })
  })
})
