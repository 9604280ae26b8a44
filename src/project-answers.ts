/**
 * The shapes of the answers about a project: the project itself, its
 * environment variables (listed, read one by one, written) and its
 * deployments (listed, and the redeploy's answer). Checked field by field
 * as `vercel-answers.ts` checks the stores' answers, with the same helpers
 * from `answer-shape.ts`, so a wrongly typed field fails on one line naming
 * the answer and the field.
 */
import {
  at,
  boolean,
  defined,
  fail,
  field,
  line,
  list,
  matching,
  nullable,
  number,
  object,
  optional,
  type Place,
  reader,
  segment,
  string,
  strings,
  webAddress,
  nextCursor
} from './answer-shape.ts'
import type {
  CustomEnvironment,
  EnvWriteAnswer,
  ListedDeployment,
  ProjectEnvVar,
  VercelProject
} from './vercel-types.ts'

export function readProject(body: unknown, answer: string): VercelProject {
  const place = { answer, field: '' }
  const read = reader(object(body, place), place)
  const link = read('link', nullable(object))
  return defined({
    id: read('id', segment),
    name: read('name', string),
    productionBranch:
      (link &&
        optional(
          field(link, 'productionBranch'),
          at(place, 'link.productionBranch'),
          nullable(string)
        )) ??
      undefined
  })
}

/** `{ environments: [{ id, slug, … }] }`: a project's custom environments. */
export function readCustomEnvironments(
  body: unknown,
  answer: string
): CustomEnvironment[] {
  const place = { answer, field: '' }
  const environments = field(object(body, place), 'environments')
  return list(environments ?? [], at(place, 'environments'), (value, where) => {
    const read = reader(object(value, where), where)
    return { id: read('id', segment) ?? '', slug: read('slug', line) ?? '' }
  }).filter(({ id, slug }) => id && slug)
}

/** `{ envs }`, or one variable alone (the answer to a filter by id). */
export function readEnvList(body: unknown, answer: string): ProjectEnvVar[] {
  return readEnvPage(body, answer).envs
}

/**
 * One page of the listing: its variables, and the cursor of the next page
 * where `pagination.next` gives one (the spec's `{ envs, pagination }`).
 */
export function readEnvPage(
  body: unknown,
  answer: string
): { envs: ProjectEnvVar[]; next?: string } {
  const place = { answer, field: '' }
  const page = object(body, place)
  if (!Object.hasOwn(page, 'envs')) return { envs: [readEnvVar(page, place)] }
  const envs =
    optional(field(page, 'envs'), at(place, 'envs'), (value, where) =>
      list(value, where, readEnvVar)
    ) ?? []
  return defined({ envs, next: nextCursor(page, place) })
}

export function readEnvValue(body: unknown, answer: string): ProjectEnvVar {
  return readEnvVar(body, { answer, field: '' })
}

function readEnvVar(value: unknown, place: Place): ProjectEnvVar {
  const read = reader(object(value, place), place)
  return defined({
    id: read('id', segment),
    key: read('key', string),
    type: read('type', string),
    value: read('value', string),
    decrypted: read('decrypted', boolean),
    // One environment or a list, as Vercel answers; always a list here.
    target: read('target', (target, where) =>
      typeof target === 'string' ? [target] : strings(target, where)
    ),
    contentHint: read(
      'contentHint',
      nullable((hint, where) => {
        const readHint = reader(object(hint, where), where)
        return defined({
          type: readHint('type', string),
          storeId: readHint('storeId', string)
        })
      })
    ),
    gitBranch: read('gitBranch', nullable(string)),
    comment: read('comment', string),
    createdAt: read('createdAt', number),
    updatedAt: read('updatedAt', number)
  })
}

export function readEnvWriteAnswer(
  body: unknown,
  answer: string
): EnvWriteAnswer {
  const place = { answer, field: '' }
  const source = object(body, place)
  const created = field(source, 'created')
  const failed = optional(
    field(source, 'failed'),
    at(place, 'failed'),
    (value, where) =>
      list(value, where, (item, itemPlace) => {
        const error = optional(
          field(object(item, itemPlace), 'error'),
          at(itemPlace, 'error'),
          object
        )
        const readError = reader(error ?? {}, at(itemPlace, 'error'))
        return defined({
          code: readError('code', string),
          message: readError('message', string),
          key: readError('key', string)
        })
      })
  )
  return {
    created:
      optional(created, at(place, 'created'), (value, where) =>
        Array.isArray(value)
          ? list(value, where, readEnvVar)
          : [readEnvVar(value, where)]
      ) ?? [],
    failed: failed ?? []
  }
}

// A deployment's id reaches the outputs (`redeployed-deployment-id`), the
// log and the comment: only Vercel's form of it is read.
const deploymentId = matching(/^dpl_[A-Za-z0-9]+$/, 'a deployment id')

export function readDeploymentList(
  body: unknown,
  answer: string
): ListedDeployment[] {
  const place = { answer, field: '' }
  return list(
    field(object(body, place), 'deployments'),
    at(place, 'deployments'),
    (item, where) => {
      const read = reader(object(item, where), where)
      const id = read('uid', deploymentId)
      if (id === undefined) fail(at(where, 'uid'), undefined, 'a string')
      const readMeta = reader(read('meta', object) ?? {}, at(where, 'meta'))
      return defined({
        id,
        name: read('name', string),
        projectId: read('projectId', string),
        target: read('target', nullable(string)),
        // The branch as each Git provider's integration records it.
        gitBranch:
          readMeta('githubCommitRef', string) ??
          readMeta('gitlabCommitRef', string) ??
          readMeta('bitbucketCommitRef', string),
        url: read('url', webAddress),
        // `created` is the older name of the same time.
        createdAt: read('createdAt', number) ?? read('created', number),
        // The spec lists both, with the same values.
        state: read('readyState', string) ?? read('state', string)
      })
    }
  )
}

/** A deployment as `POST /v13/deployments` answers: the new one. */
export function readDeploymentAnswer(
  body: unknown,
  answer: string
): { id: string; url?: string } {
  const place = { answer, field: '' }
  const read = reader(object(body, place), place)
  const id = read('id', deploymentId)
  if (id === undefined) fail(at(place, 'id'), undefined, 'a string')
  return defined({ id, url: read('url', webAddress) })
}
