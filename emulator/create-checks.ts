// What a create checks beyond the request schema: the product's metadata
// schema, and the chosen billing plan.
import { Ajv } from 'ajv'
import type { ValidateFunction } from 'ajv'
import { describeErrors } from './create-schema.ts'
import type { BillingPlan, Product } from './seed.ts'
import type { StoreMetadata } from './stores.ts'

// strict: false lets Vercel's `ui:` keywords through; useDefaults fills in
// the schema's defaults, as the store's metadata then shows them.
const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true })
const compiled = new Map<Product, ValidateFunction>()

export type MetadataCheck =
  { valid: true; metadata: StoreMetadata } | { valid: false; message: string }

/** The metadata with its defaults, or Vercel's 400 message (a guess at its wording). */
export function checkMetadata(
  product: Product,
  metadata: StoreMetadata | undefined
): MetadataCheck {
  let validate = compiled.get(product)
  if (!validate) {
    validate = ajv.compile(product.metadataSchema)
    compiled.set(product, validate)
  }
  const filled = structuredClone(metadata ?? {})
  if (validate(filled)) return { valid: true, metadata: filled }
  const errors = (validate.errors ?? []).map((error) => ({
    ...error,
    instancePath: `/metadata${error.instancePath}`
  }))
  return { valid: false, message: describeErrors(errors) }
}

/** Why this plan cannot be used, or undefined. */
export function checkPlan(
  plan: BillingPlan,
  prepaymentAmountCents: number | undefined
): string | undefined {
  if (plan.disabled) return `Billing plan ${plan.id} is not available`
  if (plan.type !== 'prepayment') return undefined
  if (prepaymentAmountCents === undefined) {
    return `Billing plan ${plan.id} is a prepayment plan: \`prepaymentAmountCents\` is required`
  }
  const minimum = dollarsToCents(plan.minimumAmount)
  const maximum = dollarsToCents(plan.maximumAmount)
  if (
    (minimum !== undefined && prepaymentAmountCents < minimum) ||
    (maximum !== undefined && prepaymentAmountCents > maximum)
  ) {
    return `\`prepaymentAmountCents\` must be between ${plan.minimumAmount} and ${plan.maximumAmount} dollars for billing plan ${plan.id}`
  }
  return undefined
}

function dollarsToCents(amount: string | undefined): number | undefined {
  return amount === undefined ? undefined : Math.round(Number(amount) * 100)
}
