import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { parse } from 'yaml'
import type { CreateStoreBody } from '../src/vercel-types.ts'

const CREATE_PATH = '/v1/storage/stores/integration/direct'
const SPEC_URL = new URL(
  './openapi/create-integration-store-direct.openapi.yaml',
  import.meta.url
)

export type CreateBodyCheck =
  { valid: true; body: CreateStoreBody } | { valid: false; message: string }

/** The official request schema, read from the vendored OpenAPI document. */
export function loadCreateSchema(): Record<string, unknown> {
  const spec = parse(readFileSync(SPEC_URL, 'utf8'))
  const schema =
    spec?.paths?.[CREATE_PATH]?.post?.requestBody?.content?.['application/json']
      ?.schema
  if (typeof schema !== 'object' || schema === null) {
    throw new Error(`No request schema for POST ${CREATE_PATH} in ${SPEC_URL}`)
  }
  return schema
}

// Compiled once, when the emulator is loaded, so that no request pays for it.
// strict: false lets OpenAPI-only keywords such as `example` through.
const validate: ValidateFunction = new Ajv({
  allErrors: true,
  strict: false
}).compile(loadCreateSchema())

export function checkCreateBody(body: unknown): CreateBodyCheck {
  if (validate(body)) return { valid: true, body: body as CreateStoreBody }
  return { valid: false, message: describeErrors(validate.errors ?? []) }
}

/**
 * Vercel reports one problem, worded like
 * "Invalid request: `name` should NOT be longer than 128 characters."
 */
export function describeErrors(errors: ErrorObject[]): string {
  const error = mostRelevant(errors)
  if (!error) return 'Invalid request.'
  const field = fieldName(error.instancePath)
  const problem = describeProblem(error)
  return field
    ? `Invalid request: \`${field}\` ${problem}.`
    : `Invalid request: ${problem}.`
}

// Inside a oneOf each failing branch reports its own error before the oneOf
// itself; the oneOf error is the one that explains the value.
function mostRelevant(errors: ErrorObject[]): ErrorObject | undefined {
  const outsideBranches = errors.filter(
    (error) => !/\/(oneOf|anyOf)\/\d+\//.test(error.schemaPath)
  )
  return outsideBranches[0] ?? errors[0]
}

function fieldName(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.')
}

function describeProblem(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required':
      return `missing required property \`${String(params.missingProperty)}\``
    case 'maxLength':
      return `should NOT be longer than ${String(params.limit)} characters`
    case 'minLength':
      return `should NOT be shorter than ${String(params.limit)} characters`
    case 'pattern':
      return `should match pattern "${String(params.pattern)}"`
    case 'type':
      return `should be ${String(params.type)}`
    case 'enum':
      return `should be equal to one of the allowed values: ${(
        params.allowedValues as unknown[]
      ).join(', ')}`
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `should be ${String(params.comparison)} ${String(params.limit)}`
    case 'oneOf':
      return 'should match exactly one schema in oneOf'
    case 'additionalProperties':
      return `should NOT have additional property \`${String(params.additionalProperty)}\``
    default:
      return error.message ?? 'is invalid'
  }
}
