import { describeFailure } from './errors.ts'
import {
  GitHubOriginError,
  openGitHub,
  type GitHubApi,
  type GitHubOptions
} from './github.ts'
import { Inputs } from './constants.ts'
import { code, escape, listed } from './markup.ts'
import type { Repository } from './naming.ts'
import type { StoreReport } from './outcome.ts'
import {
  detailsBlock,
  glanceTable,
  runLine,
  type ViewOptions
} from './store-view.ts'
import type { RemovedStore } from './store.ts'

/*
 * `comment: true`: one comment on the pull request, found again on every run
 * by a hidden marker that holds the step's key, so that two steps with two
 * stores keep two comments. Only a comment that carries the marker and whose
 * author, as GitHub lists it, is the token's own identity is ever updated:
 * anyone, person or app, can paste the marker into a comment of their own,
 * but only the token's holder can post as its identity.
 *
 * It reads as the job summary does (`store-view.ts`): a line, one short
 * table, the ids and names collapsed; after the close, one line saying what
 * was deleted. Every string from an API answer is escaped (no link, image or
 * markup from it); the only links are the dashboard's, built from encoded
 * ids, and the preview's, a validated `*.vercel.app` host.
 */

/** What the step ended with, to say in the comment. */
type CommentOutcome =
  | ({ state: 'present'; report: StoreReport } & ViewOptions)
  | { state: 'absent'; removed: RemovedStore[] }

interface CommentRequest {
  token: string
  apiUrl: string
  /** The repository and pull request of the run; none outside one. */
  repository?: Repository
  pullRequest?: number
  /** The step's key: the marker holds it. */
  externalId: string
  outcome: CommentOutcome
  deadline: GitHubOptions['deadline']
  info: (line: string) => void
  warn: (line: string) => void
}

/**
 * Writes or updates the step's comment. Never fails the step: the store is
 * what matters, and a fork's read-only token is an ordinary case.
 */
export async function commentOnPullRequest(
  request: CommentRequest
): Promise<void> {
  const { repository, pullRequest, warn } = request
  if (!repository || pullRequest === undefined) {
    warn(
      `"${Inputs.comment}" writes only on a pull request, and this run is not one (event ${process.env.GITHUB_EVENT_NAME || 'unknown'}): no comment written.`
    )
    return
  }
  try {
    const api = await openGitHub({
      token: request.token,
      apiUrl: request.apiUrl,
      deadline: request.deadline
    })
    const { written, author } = await upsertComment(
      api,
      { repository, pullRequest, warn },
      request.externalId,
      request.outcome
    )
    request.info(COMMENT_LINES[written](pullRequest, author))
  } catch (error) {
    // An answer that tried to draw the token to another origin fails the
    // step: as a warning it would pass unseen.
    if (error instanceof GitHubOriginError) throw error
    warn(`Could not write the pull request comment: ${describeFailure(error)}`)
  }
}

type CommentWrite = 'created' | 'updated' | 'kept' | 'none'

const COMMENT_LINES: Record<
  CommentWrite,
  (pullRequest: number, author: string) => string
> = {
  created: (pullRequest, author) =>
    `Wrote the comment on pull request #${pullRequest} as ${author}.`,
  updated: (pullRequest, author) =>
    `Updated ${author}'s comment on pull request #${pullRequest}.`,
  kept: (pullRequest) =>
    `The comment on pull request #${pullRequest} already says what the close deleted: left as it is.`,
  none: (pullRequest) =>
    `Nothing to delete, and no comment on pull request #${pullRequest} to update: no comment written.`
}

/**
 * Updates the step's comment where there is one; creates it otherwise. The
 * comment's author must be the token's own identity, which GitHub names
 * (GraphQL `viewer`: the user of a personal access token, the app's bot of
 * an installation token) and which is the author GitHub gives every comment
 * the token posts. Matched by user id, not login: a token's prefix does not
 * tell one app from another (Actions' `GITHUB_TOKEN` and every other app's
 * start with `ghs_`), and any bot would be too wide: every installed app
 * (renovate[bot], dependabot[bot]…) is one, and may post or quote a comment
 * that starts with the marker.
 */
async function upsertComment(
  api: GitHubApi,
  {
    repository,
    pullRequest,
    warn
  }: {
    repository: Repository
    pullRequest: number
    warn: (line: string) => void
  },
  externalId: string,
  outcome: CommentOutcome
): Promise<{ written: CommentWrite; author: string }> {
  const marker = commentMarker(externalId)
  const token = await api.tokenIdentity()
  const existing = await api.findComment(
    repository,
    pullRequest,
    (comment) =>
      comment.body.startsWith(`${marker}\n`) && comment.author.id === token.id
  )
  // A close that found nothing to delete says so only over a comment that
  // still shows a store. On a pull request that never had a store there is
  // nothing to tell; on the rerun of a close, the comment already says what
  // was deleted, which "nothing left to delete" must not replace.
  if (outcome.state === 'absent' && outcome.removed.length === 0) {
    if (!existing) return { written: 'none', author: token.login }
    if (isCloseComment(existing.body.slice(marker.length + 1))) {
      return { written: 'kept', author: existing.author.login }
    }
  }
  const body = commentBody(externalId, outcome)
  if (existing) {
    await api.updateComment(repository, existing.id, body)
    return { written: 'updated', author: existing.author.login }
  }
  // GitHub's answer names the author that later runs will look for: were it
  // not the identity GitHub gave for the token, each run would post anew.
  const author = await api.createComment(repository, pullRequest, body)
  if (author.id !== token.id) {
    warn(
      `GitHub wrote the comment as ${author.login} (id ${author.id}), but named the token's identity ${token.login} (id ${token.id}): the next run will not find this comment, and will write another.`
    )
  }
  return { written: 'created', author: author.login }
}

/**
 * The hidden first line. The key is percent-encoded, so no key can end the
 * HTML comment early (`-->`) or put a line break in it.
 */
export function commentMarker(externalId: string): string {
  return `<!-- vercel-store-action:${encodeURIComponent(externalId)} -->`
}

export function commentBody(
  externalId: string,
  outcome: CommentOutcome
): string {
  if (outcome.state === 'absent') {
    return [
      commentMarker(externalId),
      deletedLine(outcome.removed, externalId),
      ''
    ].join('\n')
  }
  const { report } = outcome
  return [
    commentMarker(externalId),
    `${PRESENT_START}: ${runLine(report)}.`,
    '',
    glanceTable(report, outcome),
    '',
    detailsBlock(report),
    '',
    '<sub>Kept current by vercel-store-action: updated on every run of this step, and when the pull request closes.</sub>',
    ''
  ].join('\n')
}

const PRESENT_START = '**Vercel store of this pull request**'
// The close's line is an HTML block, as the summary's are: GitHub's
// renderer autolinks `user@host` in Markdown text even where it is written
// as an entity, and takes nothing in an HTML block for Markdown.
const DELETED_START = '<p><b>Deleted</b>'
const NOTHING_LEFT = '<p><b>Nothing left to delete</b>'

/**
 * Whether a comment of ours (after its marker line) is a close's: it starts
 * with what was deleted, or that nothing was left. A store's comment starts
 * with its own words, never a store's name.
 */
function isCloseComment(text: string): boolean {
  return [DELETED_START, NOTHING_LEFT].some((start) => text.startsWith(start))
}

/** The close's one line: what was deleted, or that nothing was left. */
function deletedLine(removed: RemovedStore[], externalId: string): string {
  if (removed.length === 0) {
    return `${NOTHING_LEFT}: no Vercel store had this pull request's key ${code(externalId)} any more.</p>`
  }
  const stores = listed(
    removed.map(({ name, id }) => `${escape(name)} ${code(id)}`)
  )
  const projects = [...new Set(removed.flatMap(({ projects }) => projects))]
  return `${DELETED_START} ${removed.length === 1 ? 'the Vercel store' : `the ${removed.length} Vercel stores`} of this pull request: ${stores}${projects.length > 0 ? `, after disconnecting ${removed.length === 1 ? 'it' : 'them'} from ${listed(projects.map(code))}` : ''}.</p>`
}
