// Vercel's official schemas (openapi/vercel-openapi-subset.json) as JSON
// Schema for Ajv: the emulator checks request bodies against them, and the
// tests check every answer against them.
import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import type { ValidateFunction } from 'ajv'

const SPEC_URL = new URL(
  './openapi/vercel-openapi-subset.json',
  import.meta.url
)

type Json = Record<string, unknown>

interface Spec {
  paths: Record<string, Record<string, Json>>
  components: Json
}

let spec: Spec | undefined

/**
 * The subset, with what OpenAPI 3.0 and Vercel's generator write turned into
 * what Ajv reads: `nullable` becomes a null branch, enums that list a value
 * twice list it once, and `minLength`, `maxLength` and `pattern`, which the
 * generator sometimes writes as branded objects instead of numbers and
 * strings, are left out where they are objects, as is an empty `oneOf` (the
 * items of a list that must be empty, in getProject's answer), which no JSON
 * Schema allows.
 */
export function loadSpec(): Spec {
  spec ??= JSON.parse(
    readFileSync(SPEC_URL, 'utf8'),
    openApiToJsonSchema
  ) as Spec
  return spec
}

/**
 * The `JSON.parse` reviver of `loadSpec`, for any OpenAPI 3.0 description
 * (GitHub's too, in __tests__/client-github-openapi.test.ts).
 */
export function openApiToJsonSchema(key: string, value: unknown): unknown {
  if (key === 'enum' && Array.isArray(value)) return [...new Set(value)]
  if (key === 'oneOf' && Array.isArray(value) && value.length === 0) {
    return undefined
  }
  if (
    ['minLength', 'maxLength', 'pattern'].includes(key) &&
    typeof value === 'object'
  ) {
    return undefined
  }
  if ((value as Json | null)?.nullable === true) return allowNull(value as Json)
  return value
}

/**
 * A typed schema takes `null` as one more type (so that its own errors, a
 * `maxLength` say, stay the ones reported); one without a type gets a null
 * branch.
 */
function allowNull(value: Json): Json {
  const schema = { ...value }
  delete schema.nullable
  if (typeof schema.type === 'string') {
    schema.type = [schema.type, 'null']
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) {
      schema.enum = [...schema.enum, null]
    }
    return schema
  }
  return { anyOf: [schema, { type: 'null' }] }
}

// strict: false lets OpenAPI's `example`, `deprecated` and `discriminator`
// through; formats are not checked (the subset names none that matter).
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false })
const compiled = new Map<string, ValidateFunction>()

function operation(path: string, method: string): Json {
  const found = loadSpec().paths[path]?.[method.toLowerCase()]
  if (!found) throw new Error(`No ${method} ${path} in ${SPEC_URL}`)
  return found
}

/** A schema of the subset compiled once, its `$ref`s resolved in the subset. */
export function compileSchema(
  cacheKey: string,
  schema: unknown
): ValidateFunction {
  let validate = compiled.get(cacheKey)
  if (!validate) {
    validate = ajv.compile({
      ...(schema as Json),
      components: loadSpec().components
    })
    compiled.set(cacheKey, validate)
  }
  return validate
}

function jsonSchema(holder: unknown, where: string): Json {
  const schema = (holder as { content?: Record<string, { schema?: Json }> })
    ?.content?.['application/json']?.schema
  if (!schema) throw new Error(`No JSON schema for ${where} in ${SPEC_URL}`)
  return schema
}

/** The official request body schema of an operation. */
export function requestSchema(path: string, method: string): Json {
  const where = `the request of ${method} ${path}`
  return jsonSchema(operation(path, method).requestBody, where)
}

/** The official request body schema of an operation, compiled once. */
export function requestValidator(
  path: string,
  method: string
): ValidateFunction {
  return compileSchema(`request ${method} ${path}`, requestSchema(path, method))
}

/**
 * The official schema of one answer. Vercel's generator writes `oneOf` where
 * its branches overlap (an object with an optional field and the same object
 * without it), so that no answer could match exactly one: they are read as
 * `anyOf`, which is what they mean.
 */
export function responseValidator(
  path: string,
  method: string,
  status: number
): ValidateFunction {
  const where = `the ${status} answer of ${method} ${path}`
  const responses = operation(path, method).responses as Json
  const schema = JSON.parse(
    JSON.stringify(jsonSchema(responses[String(status)], where)).replace(
      /"oneOf":/g,
      '"anyOf":'
    )
  )
  return compileSchema(`response ${status} ${method} ${path}`, schema)
}
