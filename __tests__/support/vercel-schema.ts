import { expect } from 'vitest'
import { responseValidator } from '../../emulator/openapi.ts'

/**
 * Asserts that an answer has the shape Vercel's official schema gives the
 * operation's answer of that status (`path` as the spec writes it, e.g.
 * `/v10/projects/{idOrName}/env`). The errors are part of the comparison,
 * so a failure says which field is wrong.
 */
export function expectOfficialShape(
  method: string,
  path: string,
  status: number,
  body: unknown
): void {
  const validate = responseValidator(path, method, status)
  const valid = validate(body)
  expect({ valid, errors: validate.errors ?? null }).toEqual({
    valid: true,
    errors: null
  })
}
