import * as core from '@actions/core'

/*
 * Every line the action prints, and every value it masks, goes through this
 * module; ESLint keeps `core`'s printing functions out of the other files.
 *
 * Why: the runner reads stdout line by line (split at CR and LF) and runs as
 * a workflow command any line that starts with `::` once leading whitespace
 * is trimmed, or that holds `##[` (actions/runner, ActionCommand.TryParseV2
 * and TryParse). Names, statuses and every other string from an API answer
 * or the event file can be written by anyone, so each line is made inert
 * here: otherwise a status like "initializing\n::stop-commands::x" would stop
 * command processing, and the `::add-mask::` lines after it would show
 * secrets in clear.
 */

// CR and LF, where the runner splits lines; NEL, U+2028 and U+2029, which it
// trims before looking for `::` and a log viewer may break lines at; every
// other control character; and the invisible marks that reorder text.
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

const SHORT_ESCAPES: Record<string, string> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t'
}

/**
 * The text as one line that no runner reads as a command: line breaks and
 * other control characters are shown escaped (a newline as `\n`), `##[`
 * becomes `##\[`, and a line that would start with `::` starts with `\::`.
 */
export function printable(text: string): string {
  const oneLine = text
    .replace(
      UNPRINTABLE,
      (char) =>
        SHORT_ESCAPES[char] ??
        `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
    )
    .replaceAll('##[', '##\\[')
  return oneLine.replace(/^(\s*)::/, '$1\\::')
}

export function info(text: string): void {
  core.info(printable(text))
}

export function debug(text: string): void {
  core.debug(printable(text))
}

export function warning(text: string): void {
  core.warning(printable(text))
}

/** Fails the step with this message as its one error line. */
export function fail(message: string): void {
  core.setFailed(printable(message))
}

/** Runs `fn` in a foldable group of the log with this title. */
export function group<T>(title: string, fn: () => Promise<T>): Promise<T> {
  return core.group(printable(title), fn)
}

/**
 * Masks a secret in the log of this step and of every later one: the whole
 * value, and each of its lines, since the runner masks a value only where it
 * shows whole and a later step may print one line of it; and the value as
 * it stands inside the `env` output's JSON (a `"`, `\` or tab escaped),
 * which a later step may print as it is.
 */
export function mask(secret: string): void {
  const lines = secret.split(/\r\n|\r|\n/)
  const inJson = JSON.stringify(secret).slice(1, -1)
  for (const part of new Set([secret, ...lines, inJson])) {
    // The runner refuses to mask an empty or blank value, with a warning.
    if (part.trim()) core.setSecret(part)
  }
}
