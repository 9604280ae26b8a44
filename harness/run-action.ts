/**
 * Runs dist/index.js the way the GitHub Actions runner does. Shared by the
 * tests, the demo and the benchmark.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
  repository?: string
  /**
   * Values that must never be shown unmasked. Always checked besides: the
   * token (`INPUT_TOKEN` or `VERCEL_TOKEN`), and the token and every secret
   * value (a connection's variables) of each emulator running in this
   * process, read after the run so that values it made count too.
   */
  secrets?: string[]
}

export interface RunResult {
  exitCode: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** Everything a user could read: logs, outputs file and summary. */
  visible: string
  /** Wall time of the `node dist/index.js` process, from spawn to exit. */
  durationMs: number
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
      summary: join(dir, 'summary'),
      event: join(dir, 'event.json')
    }
    await writeFile(files.output, '')
    await writeFile(files.summary, '')
    const event =
      options.pullRequest === undefined
        ? { ref: 'refs/heads/main' }
        : { action: 'opened', pull_request: { number: options.pullRequest } }
    await writeFile(files.event, JSON.stringify(event))
    const env: Record<string, string | undefined> = {
      PATH: process.env.PATH ?? '',
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: options.repository ?? 'acme/web',
      GITHUB_EVENT_NAME:
        options.pullRequest === undefined ? 'push' : 'pull_request',
      GITHUB_EVENT_PATH: files.event,
      GITHUB_REF_NAME:
        options.pullRequest === undefined
          ? 'main'
          : `${options.pullRequest}/merge`,
      GITHUB_HEAD_REF: options.pullRequest === undefined ? '' : 'feature/login',
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      RUNNER_TEMP: dir
    }
    for (const [name, value] of Object.entries(options.inputs ?? {})) {
      env[`INPUT_${name.toUpperCase()}`] = value
    }
    Object.assign(env, options.env)
    const started = performance.now()
    const { exitCode, stdout, stderr } = await execNode(
      BUNDLE,
      definedOnly(env)
    )
    const durationMs = performance.now() - started
    const outputs = parseOutputFile(await readFile(files.output, 'utf8'))
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
        'the job summary': summary
      },
      { masked: maskedValues(stdout), mayHoldMasked: ['the outputs file'] }
    )
    return { exitCode, stdout, stderr, outputs, summary, visible, durationMs }
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
      ['the GitHub emulator’s read-only token', github.readOnlyToken]
    ])
  ]
  return named.filter(
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

function execNode(
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
