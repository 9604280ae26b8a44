import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { cleanName, deriveDefaults } from '../src/naming.ts'

const hash = (raw: string) =>
  createHash('sha256').update(raw).digest('hex').slice(0, 8)

describe('deriveDefaults', () => {
  const pullRequest = {
    owner: 'acme',
    repo: 'web',
    pullRequestNumber: 42,
    branch: 'feature/login'
  }

  it('names a pull request’s store after the repository and its number', () => {
    expect(deriveDefaults(pullRequest)).toEqual({
      name: 'web-pr-42',
      externalId: 'acme-web-pr-42'
    })
  })

  it('names a branch build’s store after the branch', () => {
    expect(
      deriveDefaults({ owner: 'acme', repo: 'web', branch: 'main' })
    ).toEqual({ name: 'web-branch-main', externalId: 'acme-web-branch-main' })
  })

  it('keeps a branch called pr-42 apart from pull request 42', () => {
    const branch = deriveDefaults({
      owner: 'acme',
      repo: 'web',
      branch: 'pr-42'
    })
    expect(branch.name).toBe('web-branch-pr-42')
    expect(branch.name).not.toBe(deriveDefaults(pullRequest).name)
  })

  it('derives the key from a name the user gives', () => {
    expect(deriveDefaults(pullRequest, 'db-analytics')).toEqual({
      name: 'db-analytics',
      externalId: 'acme-web-db-analytics'
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

describe('cleanName', () => {
  it('leaves a clean value as it is', () => {
    expect(cleanName('ok_NAME-1')).toBe('ok_NAME-1')
  })

  it.each([
    ['web-branch-feature/login', 'web-branch-feature-login'],
    ['--a//b--', 'a-b'],
    ['web.site-pr-1', 'web-site-pr-1']
  ])('cleans %j to %j and a hash of the original', (raw, clean) => {
    expect(cleanName(raw)).toBe(`${clean}-${hash(raw)}`)
  })

  it('keeps apart branches that clean to the same characters', () => {
    const names = ['feature/login', 'feature.login', 'feature-login'].map(
      cleanName
    )
    expect(new Set(names).size).toBe(3)
  })

  it('caps long values at 128 characters and keeps them apart by a hash', () => {
    const a = cleanName(`web-${'x'.repeat(200)}-a`)
    const b = cleanName(`web-${'x'.repeat(200)}-b`)
    expect(a).toHaveLength(128)
    expect(b).toHaveLength(128)
    expect(a).not.toBe(b)
    expect(a).toMatch(/^web-x+-[0-9a-f]{8}$/)
  })

  it('is a bare hash where no character survives', () => {
    expect(cleanName('ü/ö')).toBe(hash('ü/ö'))
  })
})
