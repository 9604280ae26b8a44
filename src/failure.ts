import { DEFAULT_API_URL, Inputs } from './constants.js'
import { InputError } from './input-error.js'
import { StepTimeoutError } from './step-timeout.js'
import { ActionError } from './action-error.js'
import {
  VercelApiError,
  VercelNetworkError,
  VercelResponseError
} from './vercel/errors.js'

/**
 * One line a person can act on: what failed, what Vercel said, and what to
 * change. Never a stack trace; never the token (it is in no error).
 */
export function describeFailure(error: unknown): string {
  if (
    error instanceof InputError ||
    error instanceof ActionError ||
    error instanceof StepTimeoutError
  ) {
    return error.message
  }
  if (error instanceof VercelApiError) {
    return `${error.message}. ${adviceFor(error)}`
  }
  if (error instanceof VercelResponseError) {
    return `${error.message}; check "${Inputs.apiUrl}", or try again if Vercel is having an incident.`
  }
  if (error instanceof VercelNetworkError) {
    return `${error.message}; check "${Inputs.apiUrl}" and the runner's network, then try again.`
  }
  return `Unexpected error: ${error instanceof Error ? error.message : String(error)}`
}

function adviceFor({ status, body, method }: VercelApiError): string {
  if (status === 401 || body?.invalidToken || body?.missingToken) {
    return `Vercel did not accept the token: check "${Inputs.token}" (or VERCEL_TOKEN); it may be expired, revoked, or not a Vercel access token.`
  }
  switch (status) {
    case 400:
      return 'Vercel rejected the request: fix the input its message names.'
    case 402:
      return `The team needs a valid payment method for this plan: update billing in the Vercel dashboard, or set "${Inputs.paymentMethod}".`
    case 403:
      return `The token may not do this: it needs access to "${Inputs.team}" and, to create stores, admin rights on the installation "${Inputs.integration}"; if the integration's terms were never accepted, accept them once in the Vercel dashboard.`
    case 404:
      return method === 'POST'
        ? `Check "${Inputs.integration}" (an installation of this team) and "${Inputs.product}" (a product of that installation).`
        : `Check "${Inputs.team}" and "${Inputs.integration}".`
    case 409:
      return `Vercel reports a conflict with an existing resource, and no store with this step's key is listed: another store may already have the name; set "${Inputs.name}" to another.`
    case 429:
      return 'Vercel is rate limiting this token; run the job again in a minute.'
    default:
      if (status >= 500) {
        return 'Vercel had a server error; run the job again, and check https://www.vercel-status.com if it persists.'
      }
      if (status >= 300 && status < 400) {
        return `Redirects are not followed, so that the token never leaves the host of "${Inputs.apiUrl}": check "${Inputs.apiUrl}" (the default is ${DEFAULT_API_URL}).`
      }
      return body?.message || body?.code
        ? "See Vercel's message above."
        : `Vercel gave no reason; check "${Inputs.apiUrl}" and the inputs, then try again.`
  }
}
