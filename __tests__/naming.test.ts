import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  MAX_DEFAULT_NAME_LENGTH,
  branchOfKey,
  branchOfStoreName,
  branchStoreName,
  branchStoreNameParts,
  deriveDefaults,
  pullRequestOfStoreName,
  pullRequestStoreName,
  readGitHubContext
} from '../src/naming.ts'

const hash = (raw: string) =>
  createHash('sha256').update(raw).digest('hex').slice(0, 8)

// The strictest rule the Vercel CLI knows for a store name (aws-apg).
const STRICTEST_NAME = /^[a-zA-Z][a-zA-Z0-9-]*$/
function isValidName(name: string | undefined): boolean {
  return (
    name !== undefined &&
    STRICTEST_NAME.test(name) &&
    name.length <= MAX_DEFAULT_NAME_LENGTH &&
    !/--|-$/.test(name)
  )
}

describe('deriveDefaults', () => {
  const pullRequest = {
    owner: 'acme',
    repo: 'web',
    pullRequestNumber: 42,
    branch: 'feature/login'
  }

  it('names a pull request’s store after the repository, its number and a hash of owner/repo', () => {
    expect(deriveDefaults(pullRequest)).toEqual({
      name: `web-pr-42-${hash('acme/web')}`,
      externalId: 'acme/web#42'
    })
  })

  it('names a branch build’s store after the branch', () => {
    expect(
      deriveDefaults({ owner: 'acme', repo: 'web', branch: 'main' })
    ).toEqual({
      name: `web-branch-main-${hash('acme/web@main')}`,
      externalId: 'acme/web@main'
    })
  })

  it('keeps a branch called pr-42 apart from pull request 42', () => {
    const branch = deriveDefaults({
      owner: 'acme',
      repo: 'web',
      branch: 'pr-42'
    })
    expect(branch.name).toMatch(/^web-branch-pr-42-/)
    expect(branch.name).not.toBe(deriveDefaults(pullRequest).name)
    expect(branch.externalId).not.toBe(deriveDefaults(pullRequest).externalId)
  })

  it('gives acme/web, acme-labs/web and acme/labs-web different names and keys', () => {
    const repositories = [
      { owner: 'acme', repo: 'web' },
      { owner: 'acme-labs', repo: 'web' },
      { owner: 'acme', repo: 'labs-web' }
    ]
    const defaults = repositories.map((repository) =>
      deriveDefaults({ ...repository, pullRequestNumber: 42 })
    )
    expect(new Set(defaults.map(({ name }) => name)).size).toBe(3)
    expect(new Set(defaults.map(({ externalId }) => externalId)).size).toBe(3)
  })

  it('does not tell owner/repo apart by case, as GitHub does not', () => {
    expect(
      deriveDefaults({ owner: 'Acme', repo: 'Web', pullRequestNumber: 7 })
    ).toEqual(
      deriveDefaults({ owner: 'acme', repo: 'web', pullRequestNumber: 7 })
    )
  })

  it('keeps every default name within the strictest product rule', () => {
    const contexts = [
      { owner: 'acme', repo: 'web', pullRequestNumber: 42 },
      { owner: 'a', repo: 'x'.repeat(100), pullRequestNumber: 123456789 },
      { owner: 'acme', repo: '123-app', pullRequestNumber: 1 },
      { owner: 'acme', repo: '_.-', pullRequestNumber: 1 },
      { owner: 'acme', repo: 'web.site_v2', pullRequestNumber: 3 },
      { owner: 'acme', repo: 'web', branch: 'feature/' + 'y'.repeat(80) },
      { owner: 'acme', repo: 'web', branch: 'ü/ö' },
      { owner: 'acme', repo: 'w'.repeat(60), branch: 'main' }
    ]
    const invalid = contexts
      .map((context) => deriveDefaults(context).name)
      .filter((name) => !isValidName(name))
    expect(invalid).toEqual([])
  })

  it('keeps apart branches that clean to the same characters', () => {
    const names = ['feature/login', 'feature.login', 'feature-login'].map(
      (branch) => branchStoreName({ owner: 'acme', repo: 'web' }, branch)
    )
    expect(new Set(names).size).toBe(3)
  })

  it('keeps a key that is not printable ASCII within the input’s rule', () => {
    const { externalId } = deriveDefaults({
      owner: 'acme',
      repo: 'web',
      branch: 'fix/ünïcode'
    })
    expect(externalId).toMatch(/^acme\/web@fix\/-n-code-[0-9a-f]{8}$/)
  })

  it('derives the key from a name the user gives', () => {
    expect(deriveDefaults(pullRequest, 'db-analytics')).toEqual({
      name: 'db-analytics',
      externalId: 'acme/web:db-analytics'
    })
    expect(deriveDefaults({}, 'db-analytics')).toEqual({
      name: 'db-analytics',
      externalId: 'db-analytics'
    })
  })

  it('derives nothing without a repository and a ref', () => {
    expect(deriveDefaults({ pullRequestNumber: 1 })).toEqual({})
    expect(deriveDefaults({ owner: 'acme', repo: 'web' })).toEqual({})
  })
})

describe('pullRequestOfStoreName', () => {
  const web = { owner: 'acme', repo: 'web' }

  it('reads back the pull request of this repository’s default name', () => {
    for (const number of [1, 42, 99999]) {
      expect(
        pullRequestOfStoreName(pullRequestStoreName(web, number), web)
      ).toBe(number)
    }
    const long = { owner: 'acme', repo: 'r'.repeat(90) }
    expect(pullRequestOfStoreName(pullRequestStoreName(long, 7), long)).toBe(7)
  })

  it('reads nothing from another repository’s, a branch’s or a given name', () => {
    const others = [
      pullRequestStoreName({ owner: 'acme-labs', repo: 'web' }, 42),
      pullRequestStoreName({ owner: 'acme', repo: 'labs-web' }, 42),
      branchStoreName(web, 'pr-42'),
      'web-pr-42',
      'db-analytics',
      // This repository's hash behind another readable part.
      `api-pr-42-${hash('acme/web')}`
    ]
    for (const name of others) {
      expect(pullRequestOfStoreName(name, web)).toBeUndefined()
    }
  })
})

describe('branch stores’ names (issue 24)', () => {
  const web = { owner: 'acme', repo: 'web' }

  it('finds the readable part of this repository’s branch store names, however long or odd', () => {
    expect(branchStoreNameParts(branchStoreName(web, 'feat/b'), web)).toEqual([
      'feat-b'
    ])
    // A repository whose name holds "-branch": every split is a candidate.
    const tool = { owner: 'acme', repo: 'my-branch-tool' }
    expect(branchStoreNameParts(branchStoreName(tool, 'x'), tool)).toContain(
      'x'
    )
    const long = 'feature/' + 'a'.repeat(80)
    expect(branchStoreNameParts(branchStoreName(web, long), web)).toHaveLength(
      1
    )
    expect(branchStoreNameParts(branchStoreName(web, '///'), web)).toEqual([''])
    for (const name of [
      pullRequestStoreName(web, 1),
      'my-db',
      branchStoreName({ owner: 'acme', repo: 'api' }, 'feat/b')
    ]) {
      expect(branchStoreNameParts(name, web)).toEqual([])
    }
  })

  it('confirms a branch only where its default name is exactly the store’s', () => {
    const name = branchStoreName(web, 'Feat/B')
    expect(branchOfStoreName(name, web, ['feat-b', 'feat/b'])).toBeUndefined()
    expect(branchOfStoreName(name, web, ['feat/b', 'Feat/B'])).toBe('Feat/B')
    // The same branch of another owner's repository hashes otherwise.
    expect(
      branchOfStoreName(name, { owner: 'other', repo: 'web' }, ['Feat/B'])
    ).toBeUndefined()
  })

  it('reads the branch from this repository’s key only', () => {
    expect(branchOfKey('acme/web@feat/b', web)).toBe('feat/b')
    expect(branchOfKey('acme/web@feat/b', { owner: 'Acme', repo: 'Web' })).toBe(
      'feat/b'
    )
    expect(branchOfKey('other/web@feat/b', web)).toBeUndefined()
    expect(branchOfKey('acme/web#4', web)).toBeUndefined()
    expect(branchOfKey('acme/web@', web)).toBeUndefined()
  })
})

describe('readGitHubContext on a delete event', () => {
  function contextOf(event: unknown, eventName = 'delete') {
    const dir = mkdtempSync(join(tmpdir(), 'naming-'))
    try {
      writeFileSync(join(dir, 'event.json'), JSON.stringify(event))
      return readGitHubContext({
        GITHUB_REPOSITORY: 'acme/web',
        GITHUB_EVENT_NAME: eventName,
        GITHUB_EVENT_PATH: join(dir, 'event.json'),
        GITHUB_REF_NAME: 'main'
      })
    } finally {
      rmSync(dir, { recursive: true })
    }
  }

  it('takes the deleted branch from the event’s ref, not GITHUB_REF_NAME', () => {
    expect(contextOf({ ref: 'feat/b', ref_type: 'branch' }).branch).toBe(
      'feat/b'
    )
    // A branch named refs/heads/feat/b is that branch, not feat/b.
    expect(
      contextOf({ ref: 'refs/heads/feat/b', ref_type: 'branch' }).branch
    ).toBe('refs/heads/feat/b')
    expect(
      deriveDefaults(contextOf({ ref: 'feat/b', ref_type: 'branch' }))
    ).toEqual({
      name: branchStoreName(web(), 'feat/b'),
      externalId: 'acme/web@feat/b'
    })
  })

  it('has no branch for a tag, or an event file without a string ref', () => {
    expect(contextOf({ ref: 'v1', ref_type: 'tag' }).branch).toBeUndefined()
    expect(contextOf({ ref: 7, ref_type: 'branch' }).branch).toBeUndefined()
    expect(contextOf([]).branch).toBeUndefined()
    // Any other event keeps GITHUB_REF_NAME.
    expect(contextOf({ ref: 'feat/b' }, 'push').branch).toBe('main')
  })

  function web() {
    return { owner: 'acme', repo: 'web' }
  }
})
