// The version check comes first: ESM evaluates imports in order, and the
// rest of the bundle cannot load on an older Node.js.
import './node-version.ts'
import { run } from './main.ts'

await run()
