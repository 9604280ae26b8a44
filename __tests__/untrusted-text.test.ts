import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  startEmulator,
  type Emulator,
  type EmulatorOptions
} from '../emulator/index.ts'
import {
  maskedValues,
  runAction,
  runBundle,
  type RunResult
} from '../harness/run-action.ts'
import { errorLine, neonIdInputs } from './support/run-result.ts'

// Strings from Vercel's answers are anyone's to write: through dist/index.js,
// none may start a workflow command, add a link to the job summary, or grow
// the summary past GitHub's limit; and a multi-line secret is masked line by
// line.

const WEB = 'prj_emuWeb0001'
const PR = 42
const NAME = 'web-pr-42'
const KEY = 'acme-web-pr-42'

let emulator: Emulator

async function start(options: EmulatorOptions = {}): Promise<void> {
  emulator = await startEmulator(options)
}

afterEach(async () => {
  await emulator?.close()
})

/** The step's inputs, its name and key given, so that naming rules can change. */
function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return neonIdInputs(emulator, { name: NAME, 'external-id': KEY, ...extra })
}

function seedNeon(name: string, status?: string) {
  return emulator.seedStore({
    installationId: emulator.installations.neon.id,
    productIdOrSlug: emulator.installations.neon.products[0].id,
    name,
    externalId: KEY,
    status
  })
}

interface RunnerCommand {
  name: string
  data: string
  line: string
}

/**
 * The workflow commands the runner would run, read from stdout as
 * actions/runner reads it (ActionCommandManager, ActionCommand): lines split
 * at CR and LF; `::name …::data` once leading whitespace is trimmed, or
 * `##[name …]data` anywhere in a line; nothing but the resume token after
 * `stop-commands`. Any name counts, not only the runner's.
 */
function runnerCommands(stdout: string): RunnerCommand[] {
  const commands: RunnerCommand[] = []
  let stopToken: string | undefined
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    const command = parseCommand(line) ?? parseLegacyCommand(line)
    if (!command) continue
    if (stopToken !== undefined) {
      if (command.name.toLowerCase() === stopToken.toLowerCase()) {
        stopToken = undefined
      }
      continue
    }
    if (command.name.toLowerCase() === 'stop-commands') stopToken = command.data
    commands.push(command)
  }
  return commands
}

function parseCommand(line: string): RunnerCommand | undefined {
  // .NET's TrimStart also drops U+0085, which JavaScript's does not.
  const trimmed = line.replace(/^[\s\u0085]+/, '')
  if (!trimmed.startsWith('::')) return undefined
  const end = trimmed.indexOf('::', 2)
  if (end < 0) return undefined
  const name = trimmed.slice(2, end).split(' ')[0]
  return { name, data: trimmed.slice(end + 2), line }
}

function parseLegacyCommand(line: string): RunnerCommand | undefined {
  const start = line.indexOf('##[')
  if (start < 0) return undefined
  const end = line.indexOf(']', start)
  if (end < 0) return undefined
  const name = line.slice(start + 3, end).split(' ')[0]
  return { name, data: line.slice(end + 1), line }
}

/** The commands @actions/core issues for this action, and only those. */
const MEANT = new Set([
  'add-mask',
  'group',
  'endgroup',
  'debug',
  'warning',
  'error',
  'notice'
])

function expectOnlyMeantCommands(
  result: RunResult,
  expected: { warnings: number; errors: number; masks: string[] }
): void {
  const commands = runnerCommands(result.stdout)
  expect(commands.filter(({ name }) => !MEANT.has(name))).toEqual([])
  // The action's own commands start at the first column, in the modern form.
  expect(commands.filter(({ line }) => !line.startsWith('::'))).toEqual([])
  const named = (name: string) =>
    commands.filter((command) => command.name === name)
  expect(named('warning')).toHaveLength(expected.warnings)
  expect(named('error')).toHaveLength(expected.errors)
  expect(named('notice')).toHaveLength(0)
  expect(named('group')).toHaveLength(named('endgroup').length)
  // Every mask is one the action meant, and every secret is masked.
  const masks = named('add-mask').map(({ data }) => data)
  expect(masks.filter((value) => !expected.masks.includes(value))).toEqual([])
  for (const value of expected.masks) expect(masks).toContain(value)
}

// A name and a status that try every way to start a line or a command.
const HOSTILE_NAME = [
  'evil',
  '\n::add-mask::evil',
  '\r::warning::injected',
  '\r\n  ::notice::indented',
  '\n\u0085::save-state name=a::b',
  '\u2028::set-output name=x::y',
  ' ##[error]legacy',
  ' ##[set-env name=NODE_OPTIONS]--require=/tmp/x'
].join('')
const HOSTILE_STATUS = 'initializing\n::stop-commands::x'
// What a name may still hold on its one line (a line break fails the run:
// the name reaches the store-name output).
const HOSTILE_ONE_LINE = [
  'evil ::add-mask::evil',
  ' ##[error]legacy',
  ' ##[set-env name=NODE_OPTIONS]--require=/tmp/x',
  ' \u202egnp.exe'
].join('')

describe('strings from API answers in the log', () => {
  beforeEach(() => start({ listIncludesExternalId: true }))

  it('start no workflow command, and read-env still masks every value', async () => {
    const store = seedNeon(HOSTILE_ONE_LINE)
    // A newer store with the key: a warning names the two.
    seedNeon(`${HOSTILE_ONE_LINE}-2`)
    const result = await runBundle({
      inputs: inputs({ project: WEB, 'read-env': 'true' }),
      pullRequest: PR
    })
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.outputs.env)).not.toEqual({})

    expectOnlyMeantCommands(result, {
      warnings: 1,
      errors: 0,
      masks: [emulator.token, ...emulator.secretValues()]
    })
    // Still readable: the payloads are shown, escaped, on the action's lines.
    expect(result.stdout).toContain(
      `Reused store evil ::add-mask::evil ##\\[error]legacy ##\\[set-env name=NODE_OPTIONS]--require=/tmp/x \\u202egnp.exe (${store.id})`
    )
  })

  it.each([
    {
      field: 'stores[0].name',
      seed: () => seedNeon(HOSTILE_NAME),
      shown:
        '"evil\\n::add-mask::evil\\r::warning::injected\\r\\n  ::notice::indented\\n\\u0085::save-state na"'
    },
    {
      field: 'stores[0].status',
      seed: () => seedNeon(NAME, HOSTILE_STATUS),
      shown: '"initializing\\n::stop-commands::x"'
    }
  ])(
    'fail on a line break in $field, which would reach an output, and start no workflow command',
    async ({ field, seed, shown }) => {
      seed()
      const result = await runBundle({ inputs: inputs(), pullRequest: PR })
      expect(result.exitCode).toBe(1)
      expect(errorLine(result)).toContain(`has "${field}" as ${shown}`)
      expect(errorLine(result)).toContain('which is not one line of text')
      expectOnlyMeantCommands(result, {
        warnings: 0,
        errors: 1,
        masks: [emulator.token]
      })
      expect(result.outputs['store-name']).toBeUndefined()
      expect(result.outputs.status).toBeUndefined()
    }
  )

  it('start no workflow command in a failure', async () => {
    // The store is in an end state whose notification, quoted in the
    // failure, is hostile too.
    const store = seedNeon(HOSTILE_ONE_LINE)
    emulator.setStoreStatus(store.id, 'error', {
      title: '::stop-commands::x',
      level: 'error',
      message: 'down ##[add-mask]evil'
    })
    const result = await runBundle({ inputs: inputs(), pullRequest: PR })
    expect(errorLine(result)).toContain('##\\[add-mask]evil')
    expectOnlyMeantCommands(result, {
      warnings: 0,
      errors: 1,
      masks: [emulator.token]
    })
  })
})

/** The summary as a reader sees its text: entities decoded. */
function decoded(html: string): string {
  const named: Record<string, string> = {
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"'
  }
  return html.replace(/&(#\d+|\w+);/g, (entity, code: string) =>
    code.startsWith('#')
      ? String.fromCharCode(Number(code.slice(1)))
      : (named[code] ?? entity)
  )
}

const MARKDOWN_PAYLOAD =
  '\n\n![x](http://evil.test/p.png) [click](http://evil.test) <img src=x> http://evil.test www.evil.test me@evil.test'

function expectNoMarkupFromPayload(summary: string): void {
  expect(summary).not.toContain('](')
  expect(summary).not.toMatch(/<img/i)
  expect(summary).not.toContain('http://evil.test')
  expect(summary).not.toContain('www.evil')
  expect(summary).not.toContain('@evil')
  // No blank line, which would end the HTML block and start Markdown.
  expect(summary).not.toMatch(/\n[ \t]*\n/)
  // The only link is the store's own page in the dashboard.
  for (const [, href] of summary.matchAll(/<a href="([^"]*)"/g)) {
    expect(href).toMatch(
      /^https:\/\/vercel\.com\/acme\/~\/stores\/integration\//
    )
  }
}

describe('strings from API answers in the job summary', () => {
  beforeEach(() => start({ listIncludesExternalId: true }))

  it('add no link, image or HTML, and still show what they say', async () => {
    // A name is one line (a line break fails the run); the rest of the
    // payload stays.
    const oneLine = MARKDOWN_PAYLOAD.replace('\n\n', ' ')
    seedNeon(`web${oneLine}`)
    seedNeon(`dup${oneLine}`)
    const result = await runBundle({ inputs: inputs(), pullRequest: PR })
    expect(result.exitCode).toBe(0)
    expectNoMarkupFromPayload(result.summary)
    expect(decoded(result.summary)).toContain(`web${oneLine}`)
    expect(decoded(result.summary)).toContain(`dup${oneLine}`)
  })

  it('add none to the failure line either', async () => {
    const store = seedNeon(NAME)
    emulator.setStoreStatus(store.id, 'error', {
      title: 'Down',
      level: 'error',
      message: MARKDOWN_PAYLOAD
    })
    const result = await runBundle({ inputs: inputs(), pullRequest: PR })
    expect(result.exitCode).toBe(1)
    expectNoMarkupFromPayload(result.summary)
    expect(decoded(result.summary)).toContain(
      '![x](http://evil.test/p.png) [click](http://evil.test)'
    )
  })

  it('stays under 1 MiB whatever the listing holds, and says what it left out', async () => {
    const count = 1_000
    const longName = (index: number) => `${index}-${'n'.repeat(1_500)}`
    for (let index = 0; index < count; index++) {
      emulator.seedStore({
        installationId: emulator.installations.neon.id,
        productIdOrSlug: emulator.installations.neon.products[0].id,
        name: longName(index),
        externalId: KEY,
        createdAt: 1_000 + index
      })
    }
    const result = await runBundle({ inputs: inputs(), pullRequest: PR })
    expect(result.exitCode).toBe(0)
    expect(Buffer.byteLength(result.summary)).toBeLessThan(1024 * 1024)
    expect(result.summary).toContain(
      `${count - 1} more store(s) share this key`
    )
    expect(result.summary).toMatch(/…and \d+ more/)
    const listed = result.summary.match(/<li>/g)?.length ?? 0
    expect(result.summary).toContain(`…and ${count - listed} more`)
    // Long names are cut, not dropped.
    expect(result.summary).toContain(`0-${'n'.repeat(200)}`)
    expect(result.summary).not.toContain(longName(0))

    // The dry run of closing the pull request lists them all too.
    const dryRun = await runBundle({
      inputs: inputs({ state: 'absent', 'dry-run': 'true' }),
      pullRequest: PR
    })
    expect(dryRun.exitCode).toBe(0)
    expect(Buffer.byteLength(dryRun.summary)).toBeLessThan(1024 * 1024)
    expect(dryRun.summary).toContain(`would delete ${count} Vercel stores`)
    expect(dryRun.summary).toMatch(/…and \d+ more/)
  })
})

describe('a multi-line secret read by read-env', () => {
  beforeEach(() => start())

  /**
   * A read-env run of a new store whose first secret has this value: in
   * this process, or through dist/index.js. The value as `env` holds it.
   */
  async function readWithValue(value: string, run = runAction) {
    const store = seedNeon(NAME)
    const [name] = emulator.installations.neon.products[0].secrets
    emulator.presetSecrets(store.id, { [name]: value })
    const result = await run({
      inputs: inputs({
        project: WEB,
        'env-prefix': 'PR42_',
        'read-env': 'true'
      }),
      pullRequest: PR
    })
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.outputs.env)[name]).toBe(value)
    return result
  }

  it('is masked whole and line by line before it is set as an output', async () => {
    const lines = [
      '-----BEGIN PRIVATE KEY-----',
      `MIIEvQIBADANBgkqhkiG9w0B${Math.random().toString(36).slice(2)}`,
      `q2Vb8xZ3mT5pLr7Wd9Yh1KcN${Math.random().toString(36).slice(2)}`,
      '-----END PRIVATE KEY-----'
    ]
    const value = `${lines[0]}\n${lines[1]}\r\n${lines[2]}\n\n${lines[3]}\n`
    // The harness fails the run where any line shows unmasked.
    const result = await readWithValue(value, runBundle)
    const masked = maskedValues(result.stdout)
    for (const part of [value, ...lines]) expect(masked).toContain(part)
    // Masked inside the read, before the step goes on to set outputs.
    const stdout = result.stdout.split('\n')
    const readDone = stdout.findIndex((line) =>
      line.startsWith('Read the values of')
    )
    for (const line of lines) {
      expect(stdout.indexOf(`::add-mask::${line}`)).toBeLessThan(readDone)
    }
  })

  it('is masked as the env output’s JSON writes it too, where a quote or backslash is escaped there', async () => {
    const value = `pa"ss\\word\t${Math.random().toString(36).slice(2)}`
    const result = await readWithValue(value)
    const inJson = JSON.stringify(value).slice(1, -1)
    expect(inJson).not.toBe(value)
    expect(maskedValues(result.stdout)).toContain(inJson)
  })
})
