/**
 * The action's main job, twice, against the embedded Vercel API emulator: the
 * first run creates the pull request's store, the second finds and reuses it.
 */
import { startEmulator } from '../emulator/index.ts'
import { runAction, type RunResult } from '../harness/run-action.ts'

const emulator = await startEmulator()
try {
  const inputs = {
    token: emulator.token,
    team: emulator.team.slug,
    integration: emulator.installations.neon.id,
    product: 'neon',
    'api-url': emulator.url
  }
  console.log(`Vercel API emulator at ${emulator.url}`)
  console.log(
    `Inputs: team=${inputs.team} integration=${inputs.integration} product=${inputs.product} (pull request #42 of acme/web)\n`
  )
  for (const label of ['First run', 'Second run']) {
    const result = await runAction({ inputs, pullRequest: 42 })
    show(label, result)
    if (result.exitCode !== 0) process.exitCode = 1
  }
  const stores = emulator
    .stores()
    .filter(({ externalId }) => externalId === 'acme-web-pr-42')
  console.log(
    `Stores with key acme-web-pr-42 in the emulator: ${stores.length}`
  )
  console.log(`Requests: ${JSON.stringify(emulator.counts())}`)
} finally {
  await emulator.close()
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
  console.log()
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
