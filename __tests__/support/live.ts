/**
 * Runs `npm run live` (scripts/live.ts) the way a maintainer would, against
 * an emulator standing in for Vercel as its `api-url`, for the tests of the
 * live check.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import { startEmulator } from '../../emulator/index.ts'
import { execNode } from '../../harness/run-action.ts'
import type {
  Emulator,
  EmulatorOptions,
  ShapeReport
} from '../../emulator/index.ts'

export const ROOT = join(import.meta.dirname, '..', '..')

export interface LiveRun {
  exitCode: number | null
  stdout: string
  stderr: string
}

export interface LiveReport extends ShapeReport {
  differences: { step: string; route: string; path: string }[]
  questions: Record<string, unknown>
  lives: {
    live: {
      steps: { name: string; exitCode: number | null }[]
      cleanup: { removed: number; failures: string[] }
    }
    emulator: { steps: { name: string; exitCode: number | null }[] }
  }
}

/**
 * A scratch folder for each test's report, and the target emulator it
 * starts, both gone after the test.
 */
export function useLiveCheck() {
  let dir = ''
  let target: Emulator | undefined

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'live-test-'))
  })
  afterEach(async () => {
    await target?.close()
    target = undefined
    await rm(dir, { recursive: true, force: true })
  })

  const reportPath = () => join(dir, 'live-report.json')

  return {
    dir: () => dir,
    reportPath,

    /** A target like Vercel: its stores answer `initializing` first. */
    async startTarget(options: EmulatorOptions = {}): Promise<Emulator> {
      target = await startEmulator({ initializingReads: 1, ...options })
      return target
    },

    /** What a maintainer sets for `npm run live`, aimed at the emulator. */
    liveEnv(
      emulator: Emulator,
      overrides: Record<string, string> = {}
    ): Record<string, string> {
      return {
        VERCEL_TOKEN: emulator.token,
        VERCEL_TEAM: emulator.team.slug,
        VERCEL_INTEGRATION: 'neon',
        VERCEL_PRODUCT: 'neon',
        VERCEL_PROJECT: 'web',
        LIVE_API_URL: emulator.url,
        LIVE_REPORT: reportPath(),
        ...overrides
      }
    },

    async readReport(): Promise<LiveReport> {
      return JSON.parse(await readFile(reportPath(), 'utf8'))
    }
  }
}

export function runLive(env: Record<string, string>): Promise<LiveRun> {
  // Nothing of the test's own environment: no token can leak in.
  return execNode(join(ROOT, 'scripts', 'live.ts'), {
    PATH: process.env.PATH ?? '',
    ...env
  })
}
