import { describe, expect, it } from 'vitest'
import { cleanName, deriveDefaults } from '../src/naming.ts'

describe('deriveDefaults', () => {
  it('names a pull request’s store after the repository and its number', () => {
    expect(
      deriveDefaults({
        owner: 'acme',
        repo: 'web',
        pullRequestNumber: 42,
        branch: 'feature/login'
      })
    ).toEqual({ name: 'web-pr-42', externalId: 'acme-web-pr-42' })
  })

  it('names a branch build’s store after the branch', () => {
    expect(
      deriveDefaults({
        owner: 'acme',
        repo: 'web.site',
        branch: 'feat/Ünïcode x'
      })
    ).toEqual({
      name: 'web-site-feat-n-code-x',
      externalId: 'acme-web-site-branch-feat-n-code-x'
    })
  })

  it('derives nothing without a repository or a ref', () => {
    expect(deriveDefaults({ pullRequestNumber: 1 })).toBeUndefined()
    expect(deriveDefaults({ owner: 'acme', repo: 'web' })).toBeUndefined()
  })
})

describe('cleanName', () => {
  it.each([
    [
      'dependabot/npm_and_yarn/undici-8.1',
      'dependabot-npm_and_yarn-undici-8-1'
    ],
    ['--a//b--', 'a-b'],
    ['ok_NAME-1', 'ok_NAME-1']
  ])('cleans %j to %j', (raw, clean) => {
    expect(cleanName(raw)).toBe(clean)
  })

  it('caps long values at 128 characters and keeps them apart by a hash', () => {
    const a = cleanName(`web-${'x'.repeat(200)}-a`)
    const b = cleanName(`web-${'x'.repeat(200)}-b`)
    expect(a).toHaveLength(128)
    expect(b).toHaveLength(128)
    expect(a).not.toBe(b)
    expect(a).toMatch(/^web-x+-[0-9a-f]{8}$/)
  })
})
