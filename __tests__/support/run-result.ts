import { expect } from 'vitest'
import type { Emulator } from '../../emulator/index.ts'
import type { RunOptions, RunResult } from '../../harness/run-action.ts'

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

/**
 * The inputs of a step for the emulator's Neon installation and product,
 * given by id: they cost no discovery request.
 */
export function neonIdInputs(
  emulator: Emulator,
  extra: Record<string, string> = {}
): Record<string, string> {
  return {
    token: emulator.token,
    team: emulator.team.slug,
    integration: emulator.installations.neon.id,
    product: emulator.installations.neon.products[0].id,
    'api-url': emulator.url,
    ...extra
  }
}

/**
 * Pull request 1's step with `git-branch` and `redeploy`: the emulator's
 * project web, its branch feature/login, Neon by id.
 */
export function redeployStep(
  emulator: Emulator,
  bundle: boolean,
  extra: Record<string, string> = {}
): RunOptions {
  const branch = 'feature/login'
  return {
    inputs: neonIdInputs(emulator, {
      project: 'prj_emuWeb0001',
      'git-branch': branch,
      redeploy: 'true',
      ...extra
    }),
    pullRequest: 1,
    env: { GITHUB_HEAD_REF: branch },
    bundle
  }
}
