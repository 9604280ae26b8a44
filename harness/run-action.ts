/**
 * Runs the action the way the GitHub Actions runner does: `INPUT_*`
 * variables, a `pull_request` event file, `GITHUB_OUTPUT` and
 * `GITHUB_STEP_SUMMARY` files read back afterwards. Either the bundle in a
 * child process (`bundle: true`; the demo, the benchmark and the tests of
 * what only the bundle shows), or `run()` from src/ in this process with a
 * virtual clock, which is how most tests run: the same inputs, files and
 * logs, in milliseconds and without real waits.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { clock } from '../emulator/clock.ts'
import { runningEmulators } from '../emulator/index.ts'
import { runningGitHubEmulators } from '../emulator/github/index.ts'

export const BUNDLE = join(import.meta.dirname, '..', 'dist', 'index.js')

export interface RunOptions {
  /** Inputs by their action.yml names; undefined ones are not set. */
  inputs?: Record<string, string | undefined>
  /** Extra environment variables (VERCEL_TOKEN, GITHUB_HEAD_REF…). */
  env?: Record<string, string | undefined>
  /** The `pull_request` payload's number; undefined for a push build. */
  pullRequest?: number
  /** The `pull_request` event's action (default `opened`), e.g. `closed`. */
  pullRequestAction?: string
  /**
   * The event of a run without a pull request (default `push`), e.g.
   * `schedule` for a nightly prune.
   */
  eventName?: string
  /**
   * The event file's payload where a test writes its own, such as a
   * `delete` event's `{ ref, ref_type }`; default: the pull request's, or a
   * push's.
   */
  event?: Record<string, unknown>
  repository?: string
  /**
   * The GitHub API the run talks to (`GITHUB_API_URL`), such as the GitHub
   * emulator's; default: unset, as outside the runner.
   */
  githubApiUrl?: string
  /**
   * Values that must never be shown unmasked. Always checked besides: the
   * token (`INPUT_TOKEN` or `VERCEL_TOKEN`), and the token and every secret
   * value (a connection's variables) of each emulator running in this
   * process, read after the run so that values it made count too.
   */
  secrets?: string[]
  /** Run `node dist/index.js` in a child process instead of `run()` here. */
  bundle?: boolean
  /** With `bundle`: another copy of the bundle to run (default `BUNDLE`). */
  bundlePath?: string
}

export interface RunResult {
  exitCode: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** What the step put into the job's environment (`GITHUB_ENV`). */
  exportedEnv: Record<string, string>
  /** Everything a user could read: logs, outputs file and summary. */
  visible: string
  /** Wall time of the run: the child process from spawn to exit, or `run()`. */
  durationMs: number
  /** In-process runs: the time the action waited on its virtual clock. */
  virtualWaitMs: number
}

/**
 * Runs the bundled action as the runner does: `node dist/index.js` with
 * `INPUT_*` variables, a `pull_request` event file, and `GITHUB_OUTPUT` and
 * `GITHUB_STEP_SUMMARY` files that are read back afterwards.
 */
export async function runAction(options: RunOptions = {}): Promise<RunResult> {
  const dir = await mkdtemp(join(tmpdir(), 'vercel-store-action-'))
  try {
    const files = {
      output: join(dir, 'output'),
      env: join(dir, 'env'),
      // @actions/core remembers the summary's path for the process's life.
      summary: options.bundle
        ? join(dir, 'summary')
        : join(tmpdir(), `vercel-store-action-summary-${process.pid}`),
      event: join(dir, 'event.json')
    }
    await writeFile(files.output, '')
    await writeFile(files.env, '')
    await writeFile(files.summary, '')
    const event =
      options.event ??
      (options.pullRequest === undefined
        ? { ref: 'refs/heads/main' }
        : {
            action: options.pullRequestAction ?? 'opened',
            number: options.pullRequest,
            pull_request: { number: options.pullRequest }
          })
    await writeFile(files.event, JSON.stringify(event))
    const env: Record<string, string | undefined> = {
      PATH: process.env.PATH ?? '',
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: options.repository ?? 'acme/web',
      GITHUB_EVENT_NAME:
        options.pullRequest === undefined
          ? (options.eventName ?? 'push')
          : 'pull_request',
      GITHUB_API_URL: options.githubApiUrl,
      GITHUB_EVENT_PATH: files.event,
      GITHUB_REF_NAME:
        options.pullRequest === undefined
          ? 'main'
          : `${options.pullRequest}/merge`,
      GITHUB_HEAD_REF: options.pullRequest === undefined ? '' : 'feature/login',
      GITHUB_OUTPUT: files.output,
      GITHUB_ENV: files.env,
      GITHUB_STEP_SUMMARY: files.summary,
      RUNNER_TEMP: dir
    }
    for (const [name, value] of Object.entries(options.inputs ?? {})) {
      env[`INPUT_${name.toUpperCase()}`] = value
    }
    Object.assign(env, options.env)
    const started = performance.now()
    const { exitCode, stdout, stderr, virtualWaitMs } = options.bundle
      ? {
          ...(await execNode(options.bundlePath ?? BUNDLE, definedOnly(env))),
          virtualWaitMs: 0
        }
      : await runInProcess(definedOnly(env))
    const durationMs = performance.now() - started
    const outputs = parseOutputFile(await readFile(files.output, 'utf8'))
    const envFile = await readFile(files.env, 'utf8')
    const summary = await readFile(files.summary, 'utf8')
    const visible = [
      stdout,
      stderr,
      await readFile(files.output, 'utf8'),
      summary
    ].join('\n')
    assertNoSecretShown(
      secretsOf(options, env),
      {
        stdout,
        stderr,
        'the outputs file': await readFile(files.output, 'utf8'),
        'the GITHUB_ENV file': envFile,
        'the job summary': summary
      },
      {
        masked: maskedValues(stdout),
        mayHoldMasked: ['the outputs file', 'the GITHUB_ENV file']
      }
    )
    return {
      exitCode,
      stdout,
      stderr,
      outputs,
      exportedEnv: parseOutputFile(envFile),
      summary,
      visible,
      durationMs,
      virtualWaitMs
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

// Shorter values could be ordinary words in a log; real tokens are far longer.
const MIN_SECRET_LENGTH = 6

/** Each secret of the run, with a name to report it by (never its value). */
function secretsOf(
  options: RunOptions,
  env: Record<string, string | undefined>
): [string, string][] {
  const named: [string, string | undefined][] = [
    ['the token (INPUT_TOKEN)', env.INPUT_TOKEN],
    ['the token (VERCEL_TOKEN)', env.VERCEL_TOKEN],
    ...(options.secrets ?? []).map((value, index): [string, string] => [
      `secrets[${index}]`,
      value
    ]),
    ...runningEmulators().flatMap((emulator): [string, string][] => [
      ['the emulator’s token', emulator.token],
      ...emulator
        .secretValues()
        .map((value, index): [string, string] => [
          `the emulator’s secret value ${index}`,
          value
        ])
    ]),
    ...runningGitHubEmulators().flatMap((github): [string, string][] => [
      ['the GitHub emulator’s token', github.token],
      ['the GitHub emulator’s read-only token', github.readOnlyToken],
      ['the GitHub emulator’s user token', github.userToken],
      ['the GitHub emulator’s app token', github.appToken]
    ])
  ]
  // A later step may print one line of a multi-line secret: each line of it
  // must be masked as well as the whole.
  return named
    .flatMap(([name, value]): [string, string | undefined][] => {
      const lines = value?.split(/\r\n|\r|\n/) ?? []
      return [
        [name, value],
        ...(lines.length > 1
          ? lines.map((line, index): [string, string] => [
              `line ${index + 1} of ${name}`,
              line
            ])
          : [])
      ]
    })
    .filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && entry[1].trim().length >= MIN_SECRET_LENGTH
    )
}

export interface MaskRules {
  /** The values the step masked: its `::add-mask::` commands. */
  masked?: ReadonlySet<string>
  /**
   * Places that may hold a masked value: the outputs file, which the runner
   * reads (a later step gets the value) and shows only masked.
   */
  mayHoldMasked?: string[]
}

/**
 * Fails the calling test when a secret shows anywhere a user could read it,
 * outside the `::add-mask::` commands the runner consumes. Every run is
 * checked, so that no test can forget to.
 */
export function assertNoSecretShown(
  secrets: [string, string][],
  places: Record<string, string>,
  { masked = new Set(), mayHoldMasked = [] }: MaskRules = {}
): void {
  for (const [place, text] of Object.entries(places)) {
    const shown = withoutMaskCommands(text)
    for (const [name, value] of secrets) {
      if (!shown.includes(value)) continue
      if (!mayHoldMasked.includes(place)) {
        throw new Error(`${name} is shown unmasked in ${place}`)
      }
      if (!masked.has(value)) {
        throw new Error(
          `${name} is in ${place} without an ::add-mask:: command for it`
        )
      }
    }
  }
}

/** The values of the `::add-mask::` commands in a step's stdout. */
export function maskedValues(stdout: string): Set<string> {
  return new Set(
    stdout
      .split('\n')
      .filter((line) => line.startsWith('::add-mask::'))
      .map((line) => unescapeCommandData(line.slice('::add-mask::'.length)))
  )
}

/** Undoes @actions/core's escaping of a command's data. */
function unescapeCommandData(data: string): string {
  return data
    .replace(/\r$/, '')
    .replaceAll('%0D', '\r')
    .replaceAll('%0A', '\n')
    .replaceAll('%25', '%')
}

function definedOnly(
  env: Record<string, string | undefined>
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined
    )
  )
}

// Variables a run reads from its environment; the rest of this process's
// environment (vitest's own) is left as it is.
const RUN_VARIABLE =
  /^(INPUT_|GITHUB_|RUNNER_|VERCEL_|ACTIONS_|NODE_EXTRA_CA_CERTS$|(HTTPS?|NO|ALL)_PROXY$)/i

/**
 * `run()` from src/main.ts in this process: its environment set, its stdout
 * and stderr captured, and a virtual clock for its pauses, which the
 * emulator's clock follows. Runs in one process must not overlap: vitest runs
 * the tests of a file, and the files of a worker, one after another, and a
 * run still going (its test timed out) makes the next one fail at once
 * rather than share its environment and stdout.
 */
let runInProgress = false

interface InProcessRun {
  exitCode: number | null
  stdout: string
  stderr: string
  virtualWaitMs: number
}

async function runInProcess(
  env: Record<string, string>
): Promise<InProcessRun> {
  if (runInProgress) {
    throw new Error(
      'An in-process run is still going (its test timed out?): runs in one process must not overlap'
    )
  }
  runInProgress = true
  try {
    return await runIsolated(env)
  } finally {
    runInProgress = false
  }
}

async function runIsolated(env: Record<string, string>): Promise<InProcessRun> {
  const [{ run }, core] = await Promise.all([
    import('../src/main.ts'),
    import('@actions/core')
  ])
  const saved = { ...process.env }
  for (const name of Object.keys(process.env)) {
    if (RUN_VARIABLE.test(name)) Reflect.deleteProperty(process.env, name)
  }
  Object.assign(process.env, env)
  const written = { stdout: '', stderr: '' }
  const writes = {
    stdout: process.stdout.write,
    stderr: process.stderr.write
  }
  const capture =
    (stream: 'stdout' | 'stderr') =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      written[stream] +=
        typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
      const callback = rest.find((arg) => typeof arg === 'function')
      if (callback) (callback as () => void)()
      return true
    }
  process.stdout.write = capture('stdout') as typeof process.stdout.write
  process.stderr.write = capture('stderr') as typeof process.stderr.write
  let virtualWaitMs = 0
  const sleep = async (ms: number): Promise<void> => {
    const waited = Math.max(0, ms)
    virtualWaitMs += waited
    clock.advance(waited)
    // Let sockets and timers of this turn run, as a real pause would.
    await new Promise((resolve) => setImmediate(resolve))
  }
  // @actions/core keeps one summary buffer per process.
  core.summary.emptyBuffer()
  const exitCodeBefore = process.exitCode
  process.exitCode = undefined
  clock.setVirtual(true)
  try {
    await run({ now: clock.now, sleep, abortAfter: clock.abortAfter })
  } catch (error) {
    written.stderr += `${(error as Error)?.stack ?? String(error)}\n`
    process.exitCode = 1
  } finally {
    clock.setVirtual(false)
    process.stdout.write = writes.stdout
    process.stderr.write = writes.stderr
    for (const name of Object.keys(process.env)) {
      if (!(name in saved)) Reflect.deleteProperty(process.env, name)
    }
    Object.assign(process.env, saved)
  }
  const exitCode = Number(process.exitCode ?? 0)
  process.exitCode = exitCodeBefore
  return { exitCode, ...written, virtualWaitMs }
}

/** Runs a script with this process's Node and only the environment given. */
export function execNode(
  script: string,
  env: Record<string, string>
): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script],
      { env, timeout: 60_000 },
      (error, stdout, stderr) => {
        const exitCode = error
          ? typeof error.code === 'number'
            ? error.code
            : null
          : 0
        resolve({ exitCode, stdout, stderr })
      }
    )
  })
}

/** Reads `name<<delimiter … delimiter` blocks as @actions/core writes them. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
  for (const [, name, , value] of text.matchAll(pattern)) {
    outputs[name] = value
  }
  return outputs
}

/**
 * The lines a user would read, without the `::add-mask::` commands, which the
 * runner consumes and never shows.
 */
export function withoutMaskCommands(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
}

/** `runAction` on dist/index.js: for what only the bundle shows. */
export function runBundle(options: RunOptions = {}): Promise<RunResult> {
  return runAction({ ...options, bundle: true })
}
