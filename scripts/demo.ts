/**
 * The action's main job against the embedded Vercel API emulator, as a pull
 * request lives it: opened (create the store, wait while it initializes,
 * connect it to the project), updated (find and reuse it), closed (disconnect
 * and delete it).
 */
import { startEmulator } from '../emulator/index.ts'
import { runBundle, type RunResult } from '../harness/run-action.ts'

const emulator = await startEmulator()
try {
  // New stores start `initializing`, as Vercel's do, and are available at
  // their second read.
  emulator.options.initializingReads = 2
  const inputs = {
    token: emulator.token,
    team: emulator.team.slug,
    integration: 'neon',
    product: 'neon',
    metadata: 'region=iad1',
    project: 'web',
    'env-prefix': 'PR42_',
    'api-url': emulator.url
  }
  console.log(`Vercel API emulator at ${emulator.url}`)
  console.log(
    `Inputs: team=${inputs.team} integration=${inputs.integration} product=${inputs.product} metadata=${inputs.metadata} project=${inputs.project} env-prefix=${inputs['env-prefix']} (pull request #42 of acme/web)\n`
  )
  const runs: [string, Record<string, string>][] = [
    ['Pull request opened', inputs],
    ['Pull request updated', inputs],
    ['Pull request closed (state: absent)', { ...inputs, state: 'absent' }]
  ]
  for (const [label, runInputs] of runs) {
    emulator.resetRequests()
    const result = await runBundle({ inputs: runInputs, pullRequest: 42 })
    show(label, result)
    console.log(`   requests ${JSON.stringify(emulator.counts())}`)
    console.log(
      `   emulator: ${storesOfKey()} store(s) with key acme/web#42; project web has ${storeVariables()} variable(s) from stores\n`
    )
    if (result.exitCode !== 0) process.exitCode = 1
  }
} finally {
  await emulator.close()
}

function storesOfKey(): number {
  return emulator
    .stores()
    .filter(({ externalId }) => externalId === 'acme/web#42').length
}

function storeVariables(): number {
  return emulator
    .envVars('prj_emuWeb0001')
    .filter(({ contentHint }) => contentHint).length
}

function show(label: string, result: RunResult): void {
  console.log(`── ${label}: exit code ${result.exitCode}`)
  for (const line of result.stdout.split('\n')) {
    if (line && !line.startsWith('::add-mask::')) console.log(`   log  ${line}`)
  }
  for (const [name, value] of Object.entries(result.outputs)) {
    console.log(`   out  ${name.padEnd(29)} ${value}`)
  }
  console.log('   job summary:')
  for (const line of summaryText(result.summary).split('\n')) {
    console.log(`        ${line}`)
  }
}

/** The summary's HTML as plain text lines, for a terminal. */
function summaryText(html: string): string {
  return html
    .replace(/<\/(h\d|p|tr|li)>/g, '\n')
    .replace(/<\/t[hd]>/g, ' | ')
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n')
}
