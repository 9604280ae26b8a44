/**
 * Text from API answers, the event file and errors, made safe for what
 * GitHub renders as Markdown: the job summary and the pull request comment.
 * The only links are the two this file builds: the store's page in the
 * Vercel dashboard (from encoded ids) and the preview's `https://` host
 * (`previewLink`); anything else is text.
 */

/**
 * A link to the store's page in the Vercel dashboard. The address is built
 * by `dashboardUrl` from encoded ids; anything else is shown as text only, so
 * that no string from an API answer becomes a link.
 */
export function link(text: string, href: string): string {
  if (!href.startsWith(DASHBOARD)) return escape(text)
  return `<a href="${escapeHtml(href)}">${escape(text)}</a>`
}

/**
 * A link to the preview `redeploy` started, from the address Vercel's answer
 * gave (already an `https://` address or a bare host, `webAddress`), where
 * its host is a deployment's on Vercel (`<name>.vercel.app`): the link is
 * `https://` and that host, nothing else of the answer, and says "Visit
 * preview". Any other address is shown as text. Undefined where there is none.
 */
export function previewLink(address: string): string | undefined {
  if (!address) return undefined
  const host = deploymentHost(address)
  return host
    ? `<a href="https://${host}">Visit preview</a>`
    : `<code>${escape(address)}</code>`
}

/**
 * One label under `vercel.app`, as Vercel names deployments
 * (`web-3k2j9x-acme.vercel.app`): no other domain, and no deeper name.
 */
const DEPLOYMENT_HOST = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.vercel\.app$/

/** The address's host, where the address is only a deployment host. */
function deploymentHost(address: string): string | undefined {
  const host = address.replace(/^https:\/\//, '').replace(/\/$/, '')
  return DEPLOYMENT_HOST.test(host) ? host : undefined
}

export function code(text: string): string {
  return `<code>${escape(text)}</code>`
}

/*
 * Why: GitHub renders the summary and the comment as Markdown, in which the
 * HTML they are written in is raw HTML only until a blank line, and plain text can still make
 * links, images and autolinks. So every string from an API answer, the event
 * file or an error is cut to a bounded length, put on one line, and
 * entity-encoded wherever HTML or Markdown would read it as markup.
 */

const DASHBOARD = 'https://vercel.com/'
/** Characters of one name, id or key shown: the longest `external-id`. */
const MAX_TEXT_LENGTH = 256
/** Characters of a failure message shown. */
export const MAX_MESSAGE_LENGTH = 2_000
/** Characters of the dry run's request body shown. */
const MAX_BODY_LENGTH = 20_000
/**
 * Items of one list shown, then "…and N more", and of a list within a list
 * (a deleted store's projects). With the lengths above, and at most 6
 * characters for one once encoded, a summary stays below 0.5 MB whatever a
 * listing holds: GitHub refuses one over 1 MiB.
 */
const MAX_LISTED = 25
export const MAX_LISTED_WITHIN = 10

// Line breaks (CR, LF, NEL, U+2028, U+2029), other control characters, and
// the invisible marks that reorder text on screen.
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g

// What HTML reads, and what Markdown reads as a link, an image, code, a table
// cell or emphasis. `_` is left as it is: every id and variable name has
// one, and emphasis can add neither a link nor an image.
const MARKUP = /[&<>"'[\]()!`|\\*~#@]/g

/** The text on one line, bounded, with no HTML or Markdown in it. */
export function escape(text: string, maxLength = MAX_TEXT_LENGTH): string {
  return encode(truncated(text, maxLength).replace(UNPRINTABLE, ' '))
}

/** As `escape`, but line breaks stay: for a `<pre>` block. */
export function escapeLines(text: string): string {
  return truncated(text, MAX_BODY_LENGTH)
    .split('\n')
    .map((line) => encode(line.replace(UNPRINTABLE, ' ')))
    .join('\n')
}

const NAMED_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;'
}

function entity(char: string): string {
  return NAMED_ENTITIES[char] ?? `&#${char.charCodeAt(0)};`
}

function encode(text: string): string {
  return (
    text
      .replace(MARKUP, entity)
      // Autolinks: `http://…`, `www.…` (and `user@host`, by `@` above).
      .replaceAll('://', '&#58;//')
      .replace(/(www)\./gi, '$1&#46;')
  )
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, entity)
}

function truncated(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text
  // Never half of a surrogate pair.
  const cut = /[\uD800-\uDBFF]/.test(text[maxLength - 1])
    ? maxLength - 1
    : maxLength
  return `${text.slice(0, cut)}…`
}

export function capped<T>(items: T[], limit = MAX_LISTED) {
  return {
    shown: items.slice(0, limit),
    more: Math.max(0, items.length - limit)
  }
}

/** Items joined by commas, the list cut after `limit`. */
export function listed(items: string[], limit = MAX_LISTED): string {
  const { shown, more } = capped(items, limit)
  return more > 0 ? `${shown.join(', ')} …and ${more} more` : shown.join(', ')
}

/** List items, cut after MAX_LISTED with a last item saying how many more. */
export function listItems(items: string[]): string[] {
  const { shown, more } = capped(items)
  return more > 0 ? [...shown, `…and ${more} more`] : shown
}
