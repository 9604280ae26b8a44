/**
 * Loaded with `node --import ./scripts/trace-hooks.ts`: wraps every exported
 * function of src/*.ts so that a call from one file into another is
 * recorded, with the return to the caller's file; `scripts/file-walk.ts`
 * reads the record. Measurement only: nothing in src/ or the bundle loads it.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { registerHooks } from 'node:module'
import { fileURLToPath } from 'node:url'

const SRC = new URL('../src/', import.meta.url).href
const EXPORTED_FUNCTION = /^export (?:async )?function (\w+)/gm

/** The files in the order a reader passes through them, returns included. */
export const walk: string[] = []
/** Every call from one file into another, in the order they are made. */
export const calls: { from: string; to: string; name: string }[] = []
const current = new AsyncLocalStorage<string>()

function trace<A extends unknown[], R>(
  file: string,
  fn: (...args: A) => R,
  name: string
): (...args: A) => R {
  return function (this: unknown, ...args: A): R {
    const caller = current.getStore() ?? '(outside)'
    if (caller === file) return fn.apply(this, args)
    calls.push({ from: caller, to: file, name })
    walk.push(file)
    const result = current.run(file, () => fn.apply(this, args))
    if (result instanceof Promise) {
      return result.finally(() => walk.push(caller)) as R
    }
    walk.push(caller)
    return result
  }
}
Object.assign(globalThis, { __traceFileWalk: trace })

registerHooks({
  load(url, context, nextLoad) {
    const loaded = nextLoad(url, context)
    if (!url.startsWith(SRC) || !url.endsWith('.ts')) return loaded
    const file = fileURLToPath(url).slice(fileURLToPath(SRC).length)
    const source = String(loaded.source)
    const names = [...source.matchAll(EXPORTED_FUNCTION)].map(
      ([, name]) => name
    )
    const wraps = names
      .map(
        (name) =>
          `${name} = globalThis.__traceFileWalk(${JSON.stringify(file)}, ${name}, ${JSON.stringify(name)});`
      )
      .join('\n')
    return { ...loaded, source: `${source}\n${wraps}\n` }
  }
})
