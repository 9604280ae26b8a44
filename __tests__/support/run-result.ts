import { expect } from 'vitest'
import type { RunResult } from '../../harness/run-action.ts'

/**
 * The one `::error::` line of a failed run: exit code 1, a single line, and
 * no stack trace anywhere a user could read.
 */
export function errorLine(result: RunResult): string {
  expect(result.exitCode).toBe(1)
  const errors = linesOf(result, '::error::')
  expect(errors).toHaveLength(1)
  expect(`${result.visible}`).not.toMatch(/\n\s+at /)
  return errors[0]
}

/** The run's `::warning::` lines. */
export function warningLines(result: RunResult): string[] {
  return linesOf(result, '::warning::')
}

function linesOf(result: RunResult, prefix: string): string[] {
  return result.stdout.split('\n').filter((line) => line.startsWith(prefix))
}
