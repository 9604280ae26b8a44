import { createHash } from 'node:crypto'
import type { GitHubContext } from './github-context.js'

export const MAX_DERIVED_LENGTH = 128

/**
 * The default store name and idempotency key for a pull request
 * (`web-pr-42`, `acme-web-pr-42`) or, outside one, a branch
 * (`web-feature-login`, `acme-web-branch-feature-login`).
 * Returns undefined where the context names no repository.
 */
export function deriveDefaults(
  context: GitHubContext
): { name: string; externalId: string } | undefined {
  const { owner, repo, pullRequestNumber, branch } = context
  if (!owner || !repo) return undefined
  if (pullRequestNumber !== undefined) {
    return {
      name: cleanName(`${repo}-pr-${pullRequestNumber}`),
      externalId: cleanName(`${owner}-${repo}-pr-${pullRequestNumber}`)
    }
  }
  if (branch) {
    return {
      name: cleanName(`${repo}-${branch}`),
      externalId: cleanName(`${owner}-${repo}-branch-${branch}`)
    }
  }
  return undefined
}

/**
 * Keeps `[A-Za-z0-9_-]`, turns every other run of characters into one `-`,
 * and caps the result at 128 characters. A value that had to be cut ends in a
 * hash of the whole, so that two long branch names that share their first
 * 128 characters still get different stores.
 */
export function cleanName(raw: string): string {
  const cleaned = raw
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
  if (cleaned.length <= MAX_DERIVED_LENGTH) return cleaned
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 8)
  const head = cleaned
    .slice(0, MAX_DERIVED_LENGTH - hash.length - 1)
    .replace(/-+$/, '')
  return `${head}-${hash}`
}
