import { describe, expect, it } from 'vitest'
import { printable } from '../src/log.ts'

describe('printable', () => {
  it('shows line breaks and other control characters escaped', () => {
    expect(printable('a\nb\r\nc\td\u0085e\u2028f\u2029g\u001bh')).toBe(
      'a\\nb\\r\\nc\\td\\u0085e\\u2028f\\u2029g\\u001bh'
    )
  })

  it('leaves no legacy ##[ command anywhere', () => {
    expect(printable('x ##[error]y ###[z')).toBe('x ##\\[error]y ###\\[z')
  })

  it('never starts a line with ::, leading whitespace or not', () => {
    expect(printable('::stop-commands::x')).toBe('\\::stop-commands::x')
    expect(printable('  \u00a0::warning::x')).toBe('  \u00a0\\::warning::x')
    expect(printable('a ::b::c')).toBe('a ::b::c')
  })

  it('leaves ordinary text as it is', () => {
    const text = 'Reused store web-pr-42 (store_1), status available: https://x'
    expect(printable(text)).toBe(text)
  })
})
