import { describe, expect, it } from 'vitest'
import {
  checkMetadata,
  describeAllowed,
  editableFields,
  parseMetadataLines
} from '../src/metadata.ts'
import type { MetadataSchema } from '../src/vercel-types.ts'

const schema: MetadataSchema = {
  type: 'object',
  properties: {
    region: {
      type: 'string',
      'ui:control': 'select',
      'ui:options': [{ value: 'iad1' }, { value: 'fra1', hidden: true }, 'sin1']
    },
    size: { type: 'integer', 'ui:control': 'input', minimum: 1, maximum: 8 },
    ratio: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    ha: { type: 'boolean', 'ui:control': 'toggle', default: false },
    tags: {
      type: 'array',
      items: { type: 'string' },
      minItems: 1,
      maxItems: 2
    },
    weights: { type: 'array', items: { type: 'number', maximum: 10 } },
    slug: { type: 'string', minLength: 2, pattern: '^[a-z]+$' },
    name: { type: 'string', maxLength: 4 },
    hiddenOnCreate: { type: 'string', 'ui:hidden': 'create' },
    hiddenOnUpdate: { type: 'string', 'ui:hidden': 'update' },
    computed: { type: 'string', 'ui:hidden': { expr: 'x' } },
    readOnly: { type: 'string', 'ui:read-only': true },
    vercelRegion: { type: 'string', 'ui:control': 'vercel-region' }
  },
  required: ['region', 'ha', 'hiddenOnCreate', 'vercelRegion']
}

const check = (
  metadata: Record<string, never>,
  syntax: 'json' | 'lines' = 'lines'
) => checkMetadata(metadata, syntax, schema, 'Test DB')

describe('parseMetadataLines', () => {
  it('reads key=value lines, trimming, skipping blanks and comments', () => {
    expect(
      parseMetadataLines('# db\n region = iad1 \n\nurl=a=b\r\nempty=\n')
    ).toEqual({ region: 'iad1', url: 'a=b', empty: '' })
  })

  it.each(['region', '=iad1', 'two words=x'])('rejects the line %j', (line) => {
    expect(() => parseMetadataLines(line)).toThrow(
      /^Input "metadata" must be a JSON object or key=value lines; line 1/
    )
  })
})

describe('editableFields', () => {
  it('leaves out what is hidden on create or read-only, as the CLI does', () => {
    expect(editableFields(schema).map(([key]) => key)).toEqual([
      'region',
      'size',
      'ratio',
      'ha',
      'tags',
      'weights',
      'slug',
      'name',
      'hiddenOnUpdate',
      'computed',
      'vercelRegion'
    ])
  })
})

describe('checkMetadata', () => {
  it('types key=value strings by the schema and keeps only what was given', () => {
    expect(
      check({
        region: 'fra1',
        size: '3',
        ratio: '0.5',
        ha: 'true',
        tags: 'a, b',
        weights: '1,2.5'
      } as never)
    ).toEqual({
      region: 'fra1',
      size: 3,
      ratio: 0.5,
      ha: true,
      tags: ['a', 'b'],
      weights: [1, 2.5]
    })
  })

  it('does not coerce JSON values', () => {
    expect(() => check({ region: 'iad1', size: '3' } as never, 'json')).toThrow(
      'key "size" must be a whole number at least 1 and at most 8; got "3"'
    )
  })

  it.each([
    [
      { region: 'lhr1' },
      'key "region" must be one of iad1, fra1, sin1; got "lhr1"'
    ],
    [
      { region: 'iad1', size: '9' },
      'key "size" must be a whole number at least 1 and at most 8; got 9'
    ],
    [
      { region: 'iad1', size: '2.5' },
      'must be a whole number at least 1 and at most 8; got 2.5'
    ],
    [
      { region: 'iad1', ratio: '1' },
      'key "ratio" must be a number above 0 and below 1; got 1'
    ],
    [{ region: 'iad1', ha: 'on' }, 'key "ha" must be true or false; got "on"'],
    [
      { region: 'iad1', tags: 'a,b,c' },
      'key "tags" must have 1 to 2 items; got 3'
    ],
    [
      { region: 'iad1', weights: '1,x' },
      'key "weights" item "x" must be a number at most 10'
    ],
    [
      { region: 'iad1', weights: '11' },
      'key "weights" item 11 must be a number at most 10; got 11'
    ],
    [
      { region: 'iad1', slug: 'A' },
      'key "slug" must be a string of at least 2 characters matching ^[a-z]+$; got "A"'
    ],
    [
      { region: 'iad1', name: 'toolong' },
      'key "name" must be a string of at most 4 characters'
    ],
    [
      { region: 'iad1', readOnly: 'x' },
      'key "readOnly" is not a field of Test DB that can be set (the provider sets it); allowed: region, size'
    ],
    [
      { region: 'iad1', nope: 'x' },
      'key "nope" is not a field of Test DB; allowed: region, size, ratio'
    ],
    [
      {},
      'key "region" is required by Test DB and has no default: one of iad1, fra1, sin1'
    ]
  ])('rejects %j naming the key and what it allows', (metadata, message) => {
    expect(() => check(metadata as never)).toThrow(message)
  })

  it('names every bad key in one line', () => {
    expect(() => check({ size: '0', ha: 'x' } as never)).toThrow(
      /key "size" .*; key "ha" .*; key "region" is required/
    )
  })

  it('requires neither hidden fields nor Vercel region controls', () => {
    expect(check({ region: 'iad1' } as never)).toEqual({ region: 'iad1' })
  })
})

describe('describeAllowed', () => {
  it.each([
    [{ type: 'boolean' }, 'true or false'],
    [{ type: 'number' }, 'a number'],
    [{ type: 'number', minimum: 0 }, 'a number at least 0'],
    [{ type: 'string' }, 'a string'],
    [{ type: 'string', enum: ['a', 'b'] }, 'one of a, b'],
    [
      { type: 'array', items: { type: 'string', enum: ['x'] } },
      'a list of one of x'
    ]
  ])('%j: %s', (property, text) => {
    expect(describeAllowed(property)).toBe(text)
  })
})
