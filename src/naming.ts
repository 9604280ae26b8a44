import { createHash } from 'node:crypto'
import type { GitHubContext } from './github-context.js'

export const MAX_DERIVED_LENGTH = 128

/**
 * The default store name and idempotency key. For a pull request, the name
 * `web-pr-42` and the key `acme-web-pr-42`; for a branch build, `web-branch-main`
 * and `acme-web-branch-main`. Where the user names the store, the key follows
 * that name (`acme-web-<name>`), so that two steps with two names never share
 * a key. Each is undefined where the context cannot give it.
 */
export function deriveDefaults(
  context: GitHubContext,
  givenName?: string
): { name?: string; externalId?: string } {
  const { owner, repo, pullRequestNumber, branch } = context
  const ref =
    pullRequestNumber !== undefined
      ? `pr-${pullRequestNumber}`
      : branch && `branch-${branch}`
  const name = givenName || (repo && ref ? cleanName(`${repo}-${ref}`) : '')
  const keyPart = givenName || ref
  const externalId =
    owner && repo && keyPart ? cleanName(`${owner}-${repo}-${keyPart}`) : name
  return { name: name || undefined, externalId: externalId || undefined }
}

/**
 * Keeps `[A-Za-z0-9_-]`, turns every other run of characters into one `-`,
 * and caps the result at 128 characters. A value that had to be changed ends
 * in a hash of the original, so that `feature/login` and `feature-login`, or
 * two long branch names that share their first 128 characters, stay apart.
 */
export function cleanName(raw: string): string {
  const cleaned = raw
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
  if (cleaned === raw && raw.length <= MAX_DERIVED_LENGTH) return raw
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 8)
  const head = cleaned
    .slice(0, MAX_DERIVED_LENGTH - hash.length - 1)
    .replace(/-+$/, '')
  return head ? `${head}-${hash}` : hash
}
