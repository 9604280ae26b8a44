/**
 * The action's main job against the embedded Vercel API emulator, with the
 * GitHub emulator beside it, as a pull request lives it: opened (create the
 * store, wait while it initializes, connect it to the project, comment),
 * updated (find and reuse it, update the comment), closed (disconnect and
 * delete it, say so in the comment); then the nightly prune, which deletes
 * the stores that missed close events left behind.
 */
import { startEmulator } from '../emulator/index.ts'
import { startGitHubEmulator } from '../emulator/github/index.ts'
import { runBundle, type RunResult } from '../harness/run-action.ts'
import { pullRequestStoreName } from '../src/naming.ts'

const ACME_WEB = { owner: 'acme', repo: 'web' }
const emulator = await startEmulator()
const github = await startGitHubEmulator()
try {
  // acme/web's pull requests 1 to 41: the odd ones closed, two of which
  // (#7 and #13) left their stores behind (their close event was missed),
  // and #40 still open with its store. #42 is the one this demo opens.
  for (let number = 1; number <= 41; number++) {
    github.seedPull({
      ...ACME_WEB,
      head: `change-${number}`,
      state: number % 2 === 1 ? 'closed' : 'open'
    })
  }
  for (const number of [7, 13, 40]) {
    emulator.seedStore({
      installationId: emulator.installations.neon.id,
      productIdOrSlug: 'neon',
      name: pullRequestStoreName(ACME_WEB, number)
    })
  }
  const pull = github.seedPull({ ...ACME_WEB, head: 'feature/login' })

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
    'api-url': emulator.url,
    comment: 'true',
    'github-token': github.token
  }
  console.log(`Vercel API emulator at ${emulator.url}`)
  console.log(`GitHub API emulator at ${github.url}`)
  console.log(
    `Inputs: team=${inputs.team} integration=${inputs.integration} product=${inputs.product} metadata=${inputs.metadata} project=${inputs.project} env-prefix=${inputs['env-prefix']} comment=true (pull request #${pull.number} of acme/web)\n`
  )
  const runs: [string, string, Record<string, string>][] = [
    ['Pull request opened', 'opened', inputs],
    ['Pull request updated', 'synchronize', inputs],
    [
      'Pull request closed (state: absent)',
      'closed',
      { ...inputs, state: 'absent' }
    ]
  ]
  for (const [label, action, runInputs] of runs) {
    emulator.resetRequests()
    github.resetRequests()
    if (action === 'closed') github.closePull('acme', 'web', pull.number)
    const result = await runBundle({
      inputs: runInputs,
      pullRequest: pull.number,
      pullRequestAction: action,
      githubApiUrl: github.url
    })
    show(label, result)
    console.log(`   requests ${JSON.stringify(emulator.counts())}`)
    console.log(
      `   GitHub requests ${JSON.stringify(github.requests.map(({ route }) => route))}`
    )
    console.log(
      `   emulator: ${storesOfKey()} store(s) with key acme/web#42; project web has ${storeVariables()} variable(s) from stores`
    )
    const comments = github.comments('acme', 'web', pull.number)
    console.log(
      `   pull request #${pull.number} has ${comments.length} comment(s); the action's reads:`
    )
    for (const line of summaryText(comments[0]?.body ?? '').split('\n')) {
      console.log(`        ${line}`)
    }
    console.log('')
    if (result.exitCode !== 0) process.exitCode = 1
  }

  // The nightly workflow: first a dry run, then the prune itself.
  const prune = {
    token: emulator.token,
    team: emulator.team.slug,
    integration: 'neon',
    product: 'neon',
    'api-url': emulator.url,
    'github-token': github.token,
    state: 'prune'
  }
  for (const [label, pruneInputs] of [
    ['Nightly prune, dry run', { ...prune, 'dry-run': 'true' }],
    ['Nightly prune', prune]
  ] as const) {
    emulator.resetRequests()
    github.resetRequests()
    const result = await runBundle({
      inputs: pruneInputs,
      eventName: 'schedule',
      githubApiUrl: github.url
    })
    show(label, result)
    console.log(`   requests ${JSON.stringify(emulator.counts())}`)
    console.log(
      `   GitHub requests ${JSON.stringify(github.requests.map(({ route }) => route))}`
    )
    console.log(
      `   emulator: stores left ${JSON.stringify(emulator.stores().map(({ name }) => name))}\n`
    )
    if (result.exitCode !== 0) process.exitCode = 1
  }
} finally {
  await Promise.all([emulator.close(), github.close()])
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
    .replace(/&#(\d+);/g, (_, code: string) =>
      String.fromCharCode(Number(code))
    )
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n')
}
