/**
 * How a `state: present` run crosses the files of src/: the files it enters,
 * in order, and how often it comes back to a file it had left. Runs the
 * action in this process against the emulator (`git-branch`, `redeploy`,
 * `export-env`), once creating the store and once reusing it, with every
 * exported function of src/ wrapped (`trace-hooks.ts`).
 *
 *   node scripts/file-walk.ts
 *
 * "flow files" leaves out what every file uses below the plan: the Vercel
 * client and answers, log, errors, constants. "present.ts calls" is the
 * sequencer's own view: for each phase flows.ts enters (`planPresent`,
 * `applyPresent`), the functions of other files present.ts itself calls,
 * in order.
 */
import { calls, walk } from './trace-hooks.ts'

const { startEmulator } = await import('../emulator/index.ts')
const { runAction } = await import('../harness/run-action.ts')

const BELOW_THE_PLAN = new Set([
  'answer-shape.ts',
  'constants.ts',
  'error-body.ts',
  'errors.ts',
  'log.ts',
  'project-answers.ts',
  'retry.ts',
  'vercel-answers.ts',
  'vercel-api.ts',
  'vercel-client.ts',
  'vercel-types.ts'
])

/**
 * The part of the walk inside `runFlow`, without repeats in a row. A
 * `main.ts` inside it is a promise main started (the project's variables,
 * listed early) settling while the flow runs.
 */
function flowWalk(files: string[], keep: (file: string) => boolean): string[] {
  const start = files.indexOf('flows.ts')
  const end = files.lastIndexOf('flows.ts') + 1
  const inside = files.slice(start, end).filter(keep)
  return inside.filter((file, at) => at === 0 || inside[at - 1] !== file)
}

function describe(label: string, files: string[]): void {
  const seen = new Set<string>()
  const returns = new Map<string, number>()
  for (const file of files) {
    if (seen.has(file)) returns.set(file, (returns.get(file) ?? 0) + 1)
    seen.add(file)
  }
  const total = [...returns.values()].reduce((sum, n) => sum + n, 0)
  const most = [...returns]
    .sort((a, b) => b[1] - a[1])
    .map(([file, n]) => `${file} ${n}`)
    .join(', ')
  console.log(
    `${label}: ${seen.size} files entered ${files.length} times, ${total} returns to a file already left${most ? ` (${most})` : ''}`
  )
  console.log(`  ${files.join(' → ')}`)
}

/** The calls present.ts makes into other files, phase by phase. */
function sequencer(label: string): void {
  const phases: string[] = []
  for (const { from, to, name } of calls) {
    if (from === 'flows.ts' && to === 'present.ts') phases.push(`  ${name}:`)
    else if (from === 'present.ts' && phases.length > 0) {
      phases[phases.length - 1] += ` ${name} (${to})`
    }
  }
  console.log(`${label}, present.ts calls:\n${phases.join('\n')}`)
}

const emulator = await startEmulator({ deploymentBuildMs: 600_000 })
try {
  const branch = 'feature/login'
  for (const run of ['create', 'reuse']) {
    if (run === 'create') {
      emulator.seedDeployment({
        projectId: 'prj_emuWeb0001',
        branch,
        createdAt: Date.now() - 60_000,
        state: 'BUILDING'
      })
    }
    walk.length = 0
    calls.length = 0
    const result = await runAction({
      inputs: {
        token: emulator.token,
        team: emulator.team.slug,
        integration: emulator.installations.neon.id,
        product: emulator.installations.neon.products[0].id,
        'api-url': emulator.url,
        project: 'prj_emuWeb0001',
        'git-branch': branch,
        redeploy: 'true',
        'export-env': 'true'
      },
      pullRequest: 1,
      env: { GITHUB_HEAD_REF: branch }
    })
    if (result.exitCode !== 0) throw new Error(result.stdout)
    const files = [...walk]
    describe(
      `${run}, flow files`,
      flowWalk(files, (file) => !BELOW_THE_PLAN.has(file))
    )
    sequencer(run)
    describe(
      `${run}, all of src/`,
      flowWalk(files, () => true)
    )
  }
} finally {
  await emulator.close()
}
