/**
 * The two inputs that name the store's variables: `export-env` (a switch, or
 * the names to put into the job's environment) and `variables` (the names
 * the app reads, each from one of the store's). A name either gives reaches
 * later steps or every build of the branch, so each is refused as
 * `variable-names.ts` refuses a listed name, before any request.
 */
import { Inputs, Outputs } from './constants.ts'
import { InputError } from './errors.ts'
import { FALSE_WORDS, TRUE_WORDS, parseBoolean, quote } from './input-values.ts'
import {
  VARIABLE_NAME,
  unlistable,
  type AppVariable
} from './variable-names.ts'

/**
 * `export-env`: true or false, or the names of the store's variables to put
 * into the job's environment, separated by spaces or lines. A listed name
 * must be a variable name and none a tool reads as a setting.
 */
export function parseExportEnv(value: string): {
  exportEnv: boolean
  exportNames?: string[]
} {
  const trimmed = value.trim()
  if (!trimmed || [...TRUE_WORDS, ...FALSE_WORDS].includes(trimmed)) {
    return { exportEnv: parseBoolean(Inputs.exportEnv, trimmed, false) }
  }
  // A switch spelled otherwise (yes, on…) is a mistake, not a variable of
  // that name: found now, not after the store is made.
  if (/^(y|yes|n|no|on|off)$/i.test(trimmed)) {
    throw new InputError(
      Inputs.exportEnv,
      `must be true, false or the names of the store's variables to export (DATABASE_URL DIRECT_URL); got ${quote(trimmed)}.`
    )
  }
  const names = [...new Set(trimmed.split(/\s+/))]
  for (const name of names) {
    const reason = unlistable(name)
    if (reason === undefined) continue
    throw new InputError(
      Inputs.exportEnv,
      `lists ${quote(name)}, which ${reason}; list the store's variables by their own names (export-env: DATABASE_URL DIRECT_URL), or set true for the names database stores use.`
    )
  }
  return { exportEnv: true, exportNames: names }
}

/**
 * `variables`: the names the app reads, each from one of the store's, one
 * `APP_NAME=STORE_NAME` a line (`DATABASE_URL=POSTGRES_PRISMA_URL`). An app
 * name reaches every build of the branch and the job's environment, so it
 * is refused as a listed name is (`unlistable`); each is given once.
 * Undefined where the input is empty.
 */
export function parseVariables(value: string): AppVariable[] | undefined {
  const lines = value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
  if (lines.length === 0) return undefined
  const example = 'DATABASE_URL=POSTGRES_PRISMA_URL'
  const variables: AppVariable[] = []
  for (const line of lines) {
    const match = /^([^=]*)=(.*)$/.exec(line)
    if (!match) {
      throw new InputError(
        Inputs.variables,
        `has the line ${quote(line)}, which is not APP_NAME=STORE_NAME; give one a line, the name your app reads and the store's name it takes the value of (${example}).`
      )
    }
    const name = match[1].trim()
    const from = match[2].trim()
    const reason = unlistable(name)
    if (reason !== undefined) {
      throw new InputError(
        Inputs.variables,
        `has the line ${quote(line)}, whose app name ${quote(name)} ${reason}; name the variable as your app reads it (${example}).`
      )
    }
    if (!VARIABLE_NAME.test(from)) {
      throw new InputError(
        Inputs.variables,
        `has the line ${quote(line)}, whose store name ${quote(from)} is not a variable name (letters, digits and _, not starting with a digit); after = give one of the store's names (the "${Outputs.secretNames}" output lists them).`
      )
    }
    if (variables.some((variable) => variable.name === name)) {
      throw new InputError(
        Inputs.variables,
        `gives ${name} twice (${quote(line)} is the second); give each app name one line.`
      )
    }
    variables.push({ name, from })
  }
  return variables
}
