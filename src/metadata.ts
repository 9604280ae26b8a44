import { Inputs } from './constants.ts'
import { InputError } from './errors.ts'
import type { MetadataProperty, MetadataSchema } from './vercel-types.ts'
import type { MetadataValue } from './vercel-types.ts'

/** How the `metadata` input was written: a JSON object or `key=value` lines. */
export type MetadataSyntax = 'json' | 'lines'

const KEY = /^[A-Za-z0-9_.-]+$/

/**
 * Reads `key=value` lines (blank lines and `#` comments skipped). Values stay
 * strings until the product's schema says what they are.
 */
export function parseMetadataLines(text: string): Record<string, string> {
  const metadata: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  lines.forEach((raw, index) => {
    const line = raw.trim()
    if (!line || line.startsWith('#')) return
    const equals = line.indexOf('=')
    const key = line.slice(0, equals).trim()
    if (equals === -1 || !KEY.test(key)) {
      throw new InputError(
        Inputs.metadata,
        `must be a JSON object or key=value lines; line ${index + 1} is not key=value with a key of letters, digits, _, - or .`
      )
    }
    if (key in metadata) {
      throw new InputError(
        Inputs.metadata,
        `gives key ${JSON.stringify(key)} twice (lines up to ${index + 1}).`
      )
    }
    metadata[key] = line.slice(equals + 1).trim()
  })
  return metadata
}

/**
 * The fields a user may set when creating a store. Like the Vercel CLI
 * (format-schema-help.ts `isHiddenOnCreate`), a field with `ui:hidden` true
 * or "create" is left out; so is a read-only one (`ui:read-only` true or
 * "create"), which the dashboard shows but does not let anyone change. An
 * expression (`{expr}`) can't be evaluated here and counts as visible, as in
 * the CLI.
 */
export function editableFields(
  schema: MetadataSchema
): [string, MetadataProperty][] {
  return Object.entries(schema.properties ?? {}).filter(
    ([, property]) => !isSetByProvider(property)
  )
}

function isSetByProvider(property: MetadataProperty): boolean {
  const flags = [property['ui:hidden'], property['ui:read-only']]
  return flags.some((flag) => flag === true || flag === 'create')
}

/**
 * The CLI leaves region controls out of its required-field check because
 * "server handles region selection"; this does the same.
 */
function isRegionControl(property: MetadataProperty): boolean {
  const control = property['ui:control']
  return control === 'vercel-region' || control === 'multi-vercel-region'
}

/**
 * Checks metadata against a product's `metadataSchema` and returns it with
 * `key=value` strings turned into the schema's types. Keys left out stay out:
 * Vercel fills in the defaults (the CLI sends only what the user gave).
 * Throws one `InputError` naming every bad key and what it allows.
 */
export function checkMetadata(
  metadata: Record<string, MetadataValue>,
  syntax: MetadataSyntax,
  schema: MetadataSchema,
  productName: string
): Record<string, MetadataValue> {
  const fields = new Map(editableFields(schema))
  const problems: string[] = []
  const checked: Record<string, MetadataValue> = {}
  for (const [key, given] of Object.entries(metadata)) {
    const property = fields.get(key)
    if (!property) {
      problems.push(
        `key ${JSON.stringify(key)} is not a field of ${productName}${schema.properties?.[key] ? ' that can be set (the provider sets it)' : ''}; allowed: ${listOrNone([...fields.keys()])}`
      )
      continue
    }
    const value =
      syntax === 'lines' && typeof given === 'string'
        ? coerce(given, property)
        : given
    const problem = checkValue(value, property)
    if (problem) problems.push(`key ${JSON.stringify(key)} ${problem}`)
    else checked[key] = value as MetadataValue
  }
  for (const key of schema.required ?? []) {
    const property = fields.get(key)
    if (!property || isRegionControl(property)) continue
    if (!(key in metadata) && property.default === undefined) {
      problems.push(
        `key ${JSON.stringify(key)} is required by ${productName} and has no default: ${describeAllowed(property)}`
      )
    }
  }
  if (problems.length > 0) {
    throw new InputError(Inputs.metadata, `${problems.join('; ')}.`)
  }
  return checked
}

/** A `key=value` string as the schema's type; left as is where it can't be. */
function coerce(text: string, property: MetadataProperty): unknown {
  switch (property.type) {
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text
    case 'number':
    case 'integer':
      return toNumber(text) ?? text
    case 'array': {
      const items = text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
      const numeric = ['number', 'integer'].includes(property.items?.type ?? '')
      return numeric ? items.map((item) => toNumber(item) ?? item) : items
    }
    default:
      return text
  }
}

function toNumber(text: string): number | undefined {
  const number = text.trim() === '' ? Number.NaN : Number(text)
  return Number.isFinite(number) ? number : undefined
}

/** What is wrong with a value, or undefined. */
function checkValue(
  value: unknown,
  property: MetadataProperty
): string | undefined {
  if (property.type === 'array') {
    if (!Array.isArray(value)) {
      return `must be a list (comma-separated in key=value form): ${describeAllowed(property)}`
    }
    const { minItems, maxItems } = property
    if (
      (minItems !== undefined && value.length < minItems) ||
      (maxItems !== undefined && value.length > maxItems)
    ) {
      return `must have ${range(minItems, maxItems)} items; got ${value.length}`
    }
    const item = {
      ...property.items,
      'ui:options': property['ui:options'],
      minimum: property.items?.minimum ?? property.minimum,
      maximum: property.items?.maximum ?? property.maximum
    }
    for (const entry of value) {
      const problem = checkScalar(entry, item)
      if (problem) return `item ${show(entry)} ${problem}`
    }
    return undefined
  }
  return checkScalar(value, property)
}

function checkScalar(
  value: unknown,
  property: MetadataProperty
): string | undefined {
  const type = property.type ?? 'string'
  const allowed = describeAllowed(property)
  const isNumber = type === 'number' || type === 'integer'
  const typeOk = isNumber
    ? typeof value === 'number' &&
      Number.isFinite(value) &&
      (type === 'number' || Number.isInteger(value))
    : typeof value === type
  if (!typeOk) return `must be ${allowed}; got ${show(value)}`
  const options = allowedValues(property)
  if (options && !options.includes(value)) {
    return `must be one of ${options.map(String).join(', ')}; got ${show(value)}`
  }
  if (typeof value === 'number' && !withinBounds(value, property)) {
    return `must be ${allowed}; got ${value}`
  }
  if (typeof value === 'string') {
    const { minLength, maxLength, pattern } = property
    if (
      (minLength !== undefined && value.length < minLength) ||
      (maxLength !== undefined && value.length > maxLength) ||
      (pattern !== undefined && !new RegExp(pattern, 'u').test(value))
    ) {
      return `must be ${allowed}; got ${show(value)}`
    }
  }
  return undefined
}

function withinBounds(value: number, property: MetadataProperty): boolean {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = property
  return !(
    (minimum !== undefined && value < minimum) ||
    (maximum !== undefined && value > maximum) ||
    (exclusiveMinimum !== undefined && value <= exclusiveMinimum) ||
    (exclusiveMaximum !== undefined && value >= exclusiveMaximum)
  )
}

/**
 * `enum`, or else every value of `ui:options` (hidden options included, as
 * the CLI's `getAllOptionValues` does: they are still valid).
 */
function allowedValues(property: MetadataProperty): unknown[] | undefined {
  if (property.enum?.length) return property.enum
  const options = (property['ui:options'] ?? [])
    .map((option) => (typeof option === 'string' ? option : option.value))
    .filter((value): value is string => Boolean(value))
  return options.length > 0 ? options : undefined
}

/** What a field accepts, in words: "one of iad1, fra1", "a number from 1 to 5". */
export function describeAllowed(property: MetadataProperty): string {
  const options = allowedValues(property)
  if (options) return `one of ${options.map(String).join(', ')}`
  switch (property.type) {
    case 'boolean':
      return 'true or false'
    case 'number':
    case 'integer': {
      const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = property
      const low = minimum ?? exclusiveMinimum
      const high = maximum ?? exclusiveMaximum
      const kind = property.type === 'integer' ? 'a whole number' : 'a number'
      if (low === undefined && high === undefined) return kind
      return `${kind} ${[
        low === undefined
          ? ''
          : `${exclusiveMinimum === undefined ? 'at least' : 'above'} ${low}`,
        high === undefined
          ? ''
          : `${exclusiveMaximum === undefined ? 'at most' : 'below'} ${high}`
      ]
        .filter(Boolean)
        .join(' and ')}`
    }
    case 'array': {
      const items = property.items
        ? describeAllowed({
            ...property.items,
            'ui:options': property['ui:options']
          })
        : 'values'
      return `a list of ${items}`
    }
    default: {
      const { minLength, maxLength, pattern } = property
      const parts = ['a string']
      if (minLength !== undefined || maxLength !== undefined) {
        parts.push(`of ${range(minLength, maxLength)} characters`)
      }
      if (pattern !== undefined) parts.push(`matching ${pattern}`)
      return parts.join(' ')
    }
  }
}

function range(low: number | undefined, high: number | undefined): string {
  if (low !== undefined && high !== undefined) return `${low} to ${high}`
  return low !== undefined ? `at least ${low}` : `at most ${high}`
}

function listOrNone(keys: string[]): string {
  return keys.length ? keys.join(', ') : 'none'
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}
