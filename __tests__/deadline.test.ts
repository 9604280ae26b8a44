import { describe, expect, it } from 'vitest'
import { Deadline } from '../src/vercel-client.ts'

describe('Deadline', () => {
  it('counts down from its seconds and stops at zero', () => {
    let now = 1_000
    const deadline = new Deadline(2, () => now)
    expect(deadline.at).toBe(3_000)
    expect(deadline.remainingMs()).toBe(2_000)
    now = 2_500
    expect(deadline.remainingMs()).toBe(500)
    expect(deadline.expired()).toBe(false)
    now = 4_000
    expect(deadline.remainingMs()).toBe(0)
    expect(deadline.expired()).toBe(true)
  })
})
