/**
 * The action's main job against the embedded Vercel API emulator, with the
 * GitHub emulator beside it, as a pull request lives it with the README's
 * recommended set-up (`git-branch`, `redeploy`, `export-env`, `comment`;
 * see `pull-request-life.ts`): opened, updated, closed; then the nightly
 * prune, which deletes the stores that missed close events left behind.
 * For each run it prints what a user looks at: the log, the outputs, the
 * job summary and the pull request comment, as text.
 */
import { startEmulator } from '../emulator/index.ts'
import { startGitHubEmulator } from '../emulator/github/index.ts'
import { runBundle, type RunResult } from '../harness/run-action.ts'
import {
  pullRequestLife,
  recommendedInputs,
  seedRepository
} from './pull-request-life.ts'

const emulator = await startEmulator()
const github = await startGitHubEmulator()
try {
  const pull = seedRepository(emulator, github)
  const shown = Object.entries(recommendedInputs(emulator, github))
    .filter(([name]) => !/token|api-url/.test(name))
    .map(([name, value]) => `${name}=${value}`)
    .join(' ')
  console.log(`Vercel API emulator at ${emulator.url}`)
  console.log(`GitHub API emulator at ${github.url}`)
  console.log(
    `Inputs (the README's recommended set-up): ${shown} (pull request #${pull} of acme/web)\n`
  )
  for await (const { label, result, comment } of pullRequestLife(
    emulator,
    github,
    pull
  )) {
    show(label, result)
    console.log(`   requests ${JSON.stringify(emulator.counts())}`)
    console.log(
      `   GitHub requests ${JSON.stringify(github.requests.map(({ route }) => route))}`
    )
    console.log(
      `   emulator: ${storesOfKey()} store(s) with key acme/web#42; branch feature/login has ${branchVariables()} preview variable(s) from the store; exported to the job: ${Object.keys(result.exportedEnv).join(', ') || 'none'}`
    )
    console.log(
      `   pull request #${pull}'s comment by the action, as a reviewer sees it (details collapsed):`
    )
    for (const line of summaryText(collapsed(comment)).split('\n')) {
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

function branchVariables(): number {
  return emulator
    .envVars('prj_emuWeb0001')
    .filter(({ gitBranch }) => gitBranch === 'feature/login').length
}

function show(label: string, result: RunResult): void {
  console.log(`── ${label}: exit code ${result.exitCode}`)
  for (const line of result.stdout.split('\n')) {
    if (line && !line.startsWith('::add-mask::')) console.log(`   log  ${line}`)
  }
  for (const [name, value] of Object.entries(result.outputs)) {
    console.log(`   out  ${name.padEnd(29)} ${value}`)
  }
  console.log('   job summary (details collapsed):')
  for (const line of summaryText(collapsed(result.summary)).split('\n')) {
    console.log(`        ${line}`)
  }
}

/** The comment with its `<details>` shut, as GitHub first shows it. */
function collapsed(markdown: string): string {
  return markdown.replace(
    /<details><summary>(.*?)<\/summary>[\s\S]*?<\/details>/g,
    '<p>▸ $1</p>'
  )
}

/** The summary's or comment's HTML as plain text lines, for a terminal. */
function summaryText(html: string): string {
  return html
    .replace(/<!--.*?-->/g, '')
    .replace(/<a href="([^"]*)">([^<]*)<\/a>/g, '$2 ($1)')
    .replace(/<\/(h\d|p|tr|li|summary|table)>/g, '\n')
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
    .replace(/\*\*/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n')
}
