/**
 * Every error the action raises, and `describeFailure`: the one line a
 * failed step ends with, and the advice for each kind of failure.
 */
import { DEFAULT_API_URL, Inputs } from './constants.ts'
import type { TeamScope } from './vercel-types.ts'

/** What Vercel said in an error body: `{ error: { code, message, … } }`. */
export interface VercelErrorBody {
  code?: string
  message?: string
  /** Where `code` or `message` is there but not text: what it is instead. */
  notText?: string
  invalidToken?: boolean
  missingToken?: boolean
}

/** A request that Vercel answered with a status other than 2xx. */
export class VercelApiError extends Error {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly body: VercelErrorBody | undefined

  constructor(
    method: string,
    path: string,
    status: number,
    body: VercelErrorBody | undefined,
    bodyDescription: string
  ) {
    super(`${method} ${path} answered HTTP ${status}: ${bodyDescription}`)
    this.name = 'VercelApiError'
    this.method = method
    this.path = path
    this.status = status
    this.body = body
  }
}

/** A 2xx response whose body is not what the endpoint returns. */
export class VercelResponseError extends Error {
  constructor(method: string, path: string, status: number, problem: string) {
    super(`${method} ${path} answered HTTP ${status} with ${problem}`)
    this.name = 'VercelResponseError'
  }
}

/**
 * A 2xx or error answer larger than the client reads of one answer: it is
 * not read, so nothing (a create after a listing, say) is done on it.
 */
export class VercelAnswerTooLargeError extends VercelResponseError {
  readonly limit: string

  constructor(method: string, path: string, limit: string) {
    super(method, path, 0, '')
    // Its own message: the status is beside the point, and may be unknown.
    this.message = `Vercel's answer to ${method} ${path} was larger than ${limit}, far more than any answer this action reads, so it was not read`
    this.name = 'VercelAnswerTooLargeError'
    this.limit = limit
  }
}

/** A request that got no answer: refused, reset, timed out. */
export class VercelNetworkError extends Error {
  constructor(method: string, path: string, reason: string) {
    super(`${method} ${path} got no answer: ${reason}`)
    this.name = 'VercelNetworkError'
  }
}

/**
 * Adds to the message how many attempts were made, where there was more than
 * one, so that the final error says the request was retried.
 */
export function noteAttempts<E extends Error>(error: E, attempts: number): E {
  if (attempts > 1) error.message = `${error.message} (${attempts} attempts)`
  return error
}

/**
 * A failure the action itself found (a store in an end state, a name clash,
 * a project that does not exist…), whose message already says what to do;
 * not a request that failed.
 */
export class ActionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ActionError'
  }
}

/** A bad input; the message names the input and what it accepts. */
export class InputError extends Error {
  readonly input: string

  constructor(input: string, message: string) {
    super(`Input "${input}" ${message}`)
    this.name = 'InputError'
    this.input = input
  }
}

/** The step's `timeout` ran out: no request, retry or wait may go past it. */
export class StepTimeoutError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StepTimeoutError'
  }

  /** `attempting` says what was being done, e.g. "waiting for GET /v1/storage/stores". */
  static ranOut(
    seconds: number,
    attempting: string,
    detail = ''
  ): StepTimeoutError {
    return new StepTimeoutError(
      `The step's timeout (${seconds} s) ran out while ${attempting}${detail}; raise "${Inputs.timeout}" or run the job again.`
    )
  }

  /** The wait before the next try would end after the deadline. */
  static waitTooLong(
    seconds: number,
    attempted: string,
    wait: { ms: string; askedBy?: string },
    left: string
  ): StepTimeoutError {
    const waiting = wait.askedBy
      ? `${wait.askedBy} asks to wait ${wait.ms} before trying again`
      : `the next try would be in ${wait.ms}`
    return new StepTimeoutError(
      `${attempted}; ${waiting}, more than the ${left} left of the step's timeout (${seconds} s). Raise "${Inputs.timeout}" or run the job again later.`
    )
  }
}

/**
 * One line a person can act on: what failed, what Vercel said, and what to
 * change. Never a stack trace; never the token (it is in no error).
 */
export function describeFailure(
  error: unknown,
  scope: { team?: TeamScope } = {}
): string {
  if (
    error instanceof InputError ||
    error instanceof ActionError ||
    error instanceof StepTimeoutError
  ) {
    return error.message
  }
  if (error instanceof VercelApiError) {
    return `${error.message}. ${adviceFor(error, scope.team)}`
  }
  if (error instanceof VercelResponseError) {
    return `${error.message}; check "${Inputs.apiUrl}", or try again if Vercel is having an incident.`
  }
  if (error instanceof VercelNetworkError) {
    return `${error.message}; check "${Inputs.apiUrl}" and the runner's network, then try again.`
  }
  return `Unexpected error: ${error instanceof Error ? error.message : String(error)}`
}

function adviceFor(error: VercelApiError, team: TeamScope | undefined): string {
  const { status, body, method } = error
  if (status === 401 || body?.invalidToken || body?.missingToken) {
    return `Vercel did not accept the token: check "${Inputs.token}" (or VERCEL_TOKEN); it may be expired, revoked, or not a Vercel access token.`
  }
  const aboutTheProject = projectAdviceFor(error)
  if (aboutTheProject !== undefined) return aboutTheProject
  if (isQuotaRefusal(error)) {
    return `The provider refused another store: its plan's limit on stores (or projects) is reached, counting every open pull request's. Delete the stores of closed pull requests (a nightly "${Inputs.state}: prune"), set "${Inputs.maxStores}" under the limit, or raise the plan.`
  }
  switch (status) {
    case 400:
      return 'Vercel rejected the request: fix the input its message names.'
    case 402:
      return `The team needs a valid payment method for this plan: update billing in the Vercel dashboard, or set "${Inputs.paymentMethod}".`
    case 403:
      // Vercel answers a team the token cannot act for, or one that does
      // not exist, with a 403 that names no team: the value given comes
      // first, as the likeliest cause.
      return team
        ? `The token may not do this for team ${JSON.stringify(teamValue(team))} ("${Inputs.team}"): check that it is the team's slug (the name after vercel.com/ in the team's dashboard URL) or id (Team Settings → General) and that the token's scope includes that team; creating stores also needs admin rights on the installation "${Inputs.integration}", whose terms must have been accepted once in the dashboard.`
        : `The token may not do this in its personal account ("${Inputs.team}" is empty, so no team was used): set "${Inputs.team}" to the team's slug where the store belongs; creating stores also needs admin rights on the installation "${Inputs.integration}", whose terms must have been accepted once in the dashboard.`
    case 404:
      return method === 'POST'
        ? `Check "${Inputs.integration}" (an installation of this team) and "${Inputs.product}" (a product of that installation).`
        : `Check "${Inputs.team}" (${team ? JSON.stringify(teamValue(team)) : "empty: the token's personal account"}) and "${Inputs.integration}".`
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

/**
 * The advice for a route about the project (its variables) or its
 * deployments, where the installation and product are beside the point;
 * undefined for another route, or a status whose advice is the same for all.
 */
function projectAdviceFor({
  status,
  path
}: VercelApiError): string | undefined {
  const deployments = /^\/v\d+\/deployments(\/|$)/.test(path)
  if (!deployments && !/^\/v\d+\/projects(\/|$)/.test(path)) return undefined
  const dropRedeploy = `or drop "${Inputs.redeploy}"`
  switch (status) {
    case 402:
      return deployments
        ? `The team's plan did not allow the redeploy: check the team's billing in the Vercel dashboard, ${dropRedeploy}.`
        : "See Vercel's message above."
    case 403:
      return `The token may not do this: it needs access to "${Inputs.team}" and to the ${deployments ? 'deployments' : 'environment variables'} of "${Inputs.project}".`
    case 404:
      return deployments
        ? `Vercel found no such deployment or project: check "${Inputs.project}" and "${Inputs.team}"; if the preview was deleted meanwhile, run the job again, ${dropRedeploy}.`
        : `Check "${Inputs.project}" (a project id prj_… or name) and "${Inputs.team}".`
    case 409:
      return deployments
        ? `See Vercel's message above; run the job again, ${dropRedeploy}.`
        : "See Vercel's message above."
    default:
      return undefined
  }
}

/**
 * A 2xx answer that has a field of the wrong type. A `VercelResponseError`,
 * so that it is handled as any unreadable answer is (a create's is taken as
 * made); its message is its own, naming the answer and the field.
 */
export class UnreadableAnswerError extends VercelResponseError {
  constructor(answer: string, problem: string) {
    super('', '', 200, '')
    this.name = 'UnreadableAnswerError'
    this.message = `Vercel's answer to ${answer} ${problem}`
  }
}

// How providers word a plan's limit on resources, as Vercel passes their
// refusal on: no code is documented, so the create's message is read.
const QUOTA = /\b(limit|quota|maximum number)\b/i

/** A create refused because the provider's plan allows no more stores. */
function isQuotaRefusal({
  status,
  body,
  method,
  path
}: VercelApiError): boolean {
  return (
    method === 'POST' &&
    path.includes('/storage/stores') &&
    status >= 400 &&
    status < 500 &&
    status !== 429 &&
    QUOTA.test(
      `${body?.code ?? ''} ${body?.message ?? ''}`.replaceAll('_', ' ')
    )
  )
}

/** The team as the step was given it: its slug, or its id. */
export function teamValue(team: TeamScope): string {
  return 'slug' in team ? team.slug : team.teamId
}
