/*
 * The first module the bundle evaluates. The action needs Node.js 24
 * (action.yml says `using: node24`); on an older Node, undici's module code
 * fails as it loads with a TypeError that says nothing of the cause. This
 * check runs before any other module of the bundle is evaluated, so that
 * such a run ends with one line saying what to change instead.
 */
const REQUIRED_NODE_MAJOR = 24

/** The line for a Node.js older than the action needs; otherwise none. */
function tooOldNode(version: string): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1])
  if (major >= REQUIRED_NODE_MAJOR) return undefined
  return `vercel-store-action needs Node.js ${REQUIRED_NODE_MAJOR} or newer, and this is Node.js ${version}: run it as a GitHub Action step (action.yml runs it on node24), or locally with Node.js ${REQUIRED_NODE_MAJOR} (npm ci puts one in node_modules/.bin).`
}

const tooOld = tooOldNode(process.version)
if (tooOld) {
  // @actions/core is not loaded yet: this is its ::error:: line by hand, on
  // a text with no line break or workflow-command start of its own.
  process.stdout.write(`::error::${tooOld}\n`)
  process.exit(1)
}
