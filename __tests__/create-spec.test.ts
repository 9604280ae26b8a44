import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { loadCreateSchema } from '../emulator/create-schema.ts'
import { InputError } from '../src/errors.ts'
import { parseInputs } from '../src/inputs.ts'
import { CreateStoreSpec } from '../src/vercel-types.ts'

interface PropertySchema {
  maxLength?: number
  pattern?: string
  oneOf?: { pattern: string }[]
  minimum?: number
  enum?: string[]
}

// Vercel's official schema of the request body, from the vendored OpenAPI.
const bodySchema = loadCreateSchema() as unknown as {
  required: string[]
  properties: Record<string, PropertySchema>
}
const validate = new Ajv({ strict: false, allErrors: true }).compile(bodySchema)

describe('CreateStoreSpec', () => {
  it('states the constraints of Vercel’s OpenAPI description', () => {
    const { properties } = bodySchema
    expect(properties.name.maxLength).toBe(CreateStoreSpec.nameMaxLength)
    expect(properties.integrationConfigurationId.pattern).toBe(
      CreateStoreSpec.integrationConfigurationId.source
    )
    expect(
      properties.integrationProductIdOrSlug.oneOf?.map(({ pattern }) => pattern)
    ).toEqual([
      CreateStoreSpec.productId.source,
      CreateStoreSpec.productSlug.source
    ])
    expect(properties.prepaymentAmountCents.minimum).toBe(
      CreateStoreSpec.prepaymentAmountCentsMinimum
    )
    expect(properties.source.enum).toEqual([...CreateStoreSpec.sources])
    expect(bodySchema.required).toEqual([
      'name',
      'integrationConfigurationId',
      'integrationProductIdOrSlug'
    ])
  })
})

const base: Record<string, string> = {
  token: 't',
  integration: 'icfg_abc',
  product: 'neon',
  name: 'web',
  'external-id': 'k'
}

/** The body Vercel would get if the inputs were sent unchecked. */
function rawBody(inputs: Record<string, string>): Record<string, unknown> {
  const json = (value?: string) => (value ? JSON.parse(value) : undefined)
  const body = {
    name: inputs.name,
    integrationConfigurationId: inputs.integration,
    integrationProductIdOrSlug: inputs.product,
    externalId: inputs['external-id'],
    source: inputs.source,
    prepaymentAmountCents: inputs['prepayment-amount-cents']
      ? Number(inputs['prepayment-amount-cents'])
      : undefined,
    metadata: json(inputs.metadata),
    protocolSettings: json(inputs['protocol-settings'])
  }
  return JSON.parse(JSON.stringify(body))
}

// valid: parsed, and the schema accepts the body. invalid: refused by both.
// stricter: refused here although the schema would take it, for the reason
// given.
const cases: [Record<string, string>, 'valid' | 'invalid' | string][] = [
  [{}, 'valid'],
  [{ product: 'iap_postgres_db' }, 'valid'],
  [{ product: 'iap_' }, 'invalid'],
  [{ product: 'iap_a-b' }, 'invalid'],
  // A product given by any other slug or name is sent as the slug Vercel's
  // products list gives it (src/resolve.ts), so it is not checked here.
  [{ integration: 'icfg_' }, 'invalid'],
  [{ integration: 'icfg_a-b' }, 'invalid'],
  [{ name: 'n'.repeat(128) }, 'valid'],
  [{ name: 'n'.repeat(129) }, 'invalid'],
  [{ name: 'my db' }, 'stricter: the Vercel CLI’s rule for names'],
  [{ 'prepayment-amount-cents': '49' }, 'invalid'],
  [{ 'prepayment-amount-cents': '50' }, 'valid'],
  [{ 'prepayment-amount-cents': '50.5' }, 'stricter: cents are whole'],
  [{ metadata: '{"a":"x","b":1.5,"c":true,"d":["x"],"e":[1]}' }, 'valid'],
  [{ metadata: '{"a":null}' }, 'invalid'],
  [{ metadata: '{"a":[]}' }, 'invalid'],
  [{ metadata: '{"a":["x",1]}' }, 'invalid'],
  [{ metadata: '{"a":{"b":1}}' }, 'invalid'],
  [{ metadata: '[1]' }, 'invalid'],
  [{ source: 'v0' }, 'valid'],
  [{ source: 'import-recommended-integrations' }, 'invalid'],
  [{ 'protocol-settings': '{"a":{"b":[1]}}' }, 'valid'],
  [{ 'protocol-settings': '"x"' }, 'invalid']
]

describe('inputs and the official request schema agree', () => {
  it.each(cases)('%j is %s', (overrides, verdict) => {
    const inputs = { ...base, ...overrides }
    let parses = true
    try {
      parseInputs((name) => inputs[name] ?? '', { env: {} })
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      parses = false
    }
    const schemaAccepts = validate(rawBody(inputs))
    const expected = {
      valid: { parses: true, schemaAccepts: true },
      invalid: { parses: false, schemaAccepts: false }
    }[verdict] ?? { parses: false, schemaAccepts: true }
    expect({ parses, schemaAccepts }).toEqual(expected)
  })
})
