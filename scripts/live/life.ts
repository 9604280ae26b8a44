/**
 * One whole life of a store under a unique key, run through the bundle
 * against one target (the live API or the emulator), every request passing
 * the recording proxy: create, reuse, wait, connect, (branch variables),
 * read back, probes, absent. Then whatever is left under the key is removed.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { runBundle } from '../../harness/run-action.ts'
import type { RecordingProxy } from './recording-proxy.ts'

export interface Target {
  token: string
  team: string
  integration: string
  product: string
  project: string
  metadata?: string
}

export interface StepResult {
  name: string
  exitCode: number | null
  /** The outputs that settle questions; never secrets or the env output. */
  outputs: Record<string, string>
  /** The step's error line, redacted, where it failed. */
  error?: string
}

export interface LifeResult {
  steps: StepResult[]
  /** Statuses of the check's store in every answer, in order. */
  statusesSeen: string[]
  cleanup: { removed: number; failures: string[] }
}

const ACTION_INPUTS = Object.keys(
  (
    parse(
      readFileSync(join(import.meta.dirname, '..', '..', 'action.yml'), 'utf8')
    ) as { inputs: Record<string, unknown> }
  ).inputs
)

/** Outputs worth keeping in the report: none holds a secret. */
const KEPT_OUTPUTS = ['created', 'status', 'deleted', 'secret-names']

interface PlannedStep {
  name: string
  inputs?: Record<string, string | undefined>
  /** A direct request instead of a run of the bundle. */
  probe?: (storeId: string, projectId: string) => Promise<Response>
}

export async function runLife(options: {
  target: Target
  proxy: RecordingProxy
  key: string
  envPrefix: string
  timeoutSeconds: number
  redact: (text: string) => string
  /** Run only this many of the life's steps (default all). */
  stepCount?: number
}): Promise<LifeResult> {
  const { target, proxy, key, envPrefix, redact } = options
  const base = {
    token: target.token,
    team: target.team,
    integration: target.integration,
    product: target.product,
    name: key,
    'external-id': key,
    metadata: target.metadata,
    timeout: String(options.timeoutSeconds),
    'api-url': proxy.url
  }
  const connected = {
    ...base,
    project: target.project,
    'env-prefix': envPrefix,
    environments: 'preview'
  }
  const branch = `live/${key}`
  const direct = (method: string, path: string, body?: unknown) =>
    fetch(`${proxy.url}${path}?${teamQuery(target.team)}`, {
      method,
      headers: {
        authorization: `Bearer ${target.token}`,
        'content-type': 'application/json'
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
  const plan: PlannedStep[] = [
    { name: 'create', inputs: { ...base, wait: 'false' } },
    { name: 'reuse', inputs: { ...base, wait: 'false' } },
    { name: 'wait', inputs: { ...base, wait: 'true' } },
    { name: 'connect', inputs: connected },
    // The store's variables as preview variables of a branch of its own.
    ...(ACTION_INPUTS.includes('git-branch')
      ? [
          {
            name: 'branch variables',
            inputs: { ...connected, 'git-branch': branch, 'export-env': 'true' }
          }
        ]
      : []),
    { name: 'read-env', inputs: { ...connected, 'read-env': 'true' } },
    {
      name: 'second connect',
      probe: (storeId, projectId) =>
        direct('POST', `/v1/storage/stores/${storeId}/connections`, {
          projectId,
          envVarEnvironments: ['preview'],
          envVarPrefix: envPrefix
        })
    },
    {
      name: 'delete while connected',
      probe: (storeId) =>
        direct('DELETE', `/v1/storage/stores/integration/${storeId}`)
    },
    // With the branch, so the variables written for it go with the store.
    {
      name: 'absent',
      inputs: ACTION_INPUTS.includes('git-branch')
        ? { ...connected, 'git-branch': branch, state: 'absent' }
        : { ...base, state: 'absent' }
    }
  ]

  const steps: StepResult[] = []
  let storeId = ''
  let projectId = ''
  let cleanup: LifeResult['cleanup']
  try {
    for (const step of plan.slice(0, options.stepCount)) {
      proxy.step = step.name
      if (step.probe) {
        const answer = await step.probe(storeId, projectId)
        await answer.arrayBuffer()
        steps.push({ name: step.name, exitCode: null, outputs: {} })
        continue
      }
      const result = await runBundle({ inputs: step.inputs })
      storeId ||= result.outputs['store-id'] ?? ''
      projectId ||= result.outputs['connected-project'] ?? ''
      const outputs = Object.fromEntries(
        KEPT_OUTPUTS.filter((name) => name in result.outputs).map((name) => [
          name,
          result.outputs[name]
        ])
      )
      const error = result.stdout
        .split('\n')
        .find((line) => line.startsWith('::error::'))
      steps.push({
        name: step.name,
        exitCode: result.exitCode,
        outputs,
        ...(error && { error: redact(error.slice('::error::'.length)) })
      })
      // Later steps need this one's store; stop and clean up instead.
      if (result.exitCode !== 0) break
    }
  } finally {
    proxy.step = 'cleanup'
    cleanup = await removeEverything(direct, key, target.project)
  }
  return { steps, statusesSeen: statusesOf(proxy, key), cleanup }
}

/**
 * Disconnects and deletes every store named after the key, whatever the
 * steps left: a failed step must not leave a store (and its bill) behind.
 */
async function removeEverything(
  direct: (method: string, path: string, body?: unknown) => Promise<Response>,
  key: string,
  project: string
): Promise<LifeResult['cleanup']> {
  const failures: string[] = []
  let removed = 0
  try {
    const listing = await direct('GET', '/v1/storage/stores')
    const { stores = [] } = (await listing.json()) as {
      stores?: { id: string; name: string }[]
    }
    for (const store of stores.filter(({ name }) => name === key)) {
      // The branch variables the action wrote for it, marked with its id.
      const variables = await direct('GET', `/v10/projects/${project}/env`)
      const { envs = [] } = (await variables.json()) as {
        envs?: { id: string; comment?: string }[]
      }
      const ids = envs
        .filter(({ comment }) =>
          comment?.startsWith(`vercel-store-action: store ${store.id} `)
        )
        .map(({ id }) => id)
      if (ids.length > 0) {
        const removal = await direct('DELETE', `/v1/projects/${project}/env`, {
          ids
        })
        await removal.arrayBuffer()
        if (!removal.ok) failures.push(`variables answered ${removal.status}`)
      }
      const disconnect = await direct(
        'DELETE',
        `/v1/storage/stores/${store.id}/connections`
      )
      await disconnect.arrayBuffer()
      const deletion = await direct(
        'DELETE',
        `/v1/storage/stores/integration/${store.id}`
      )
      await deletion.arrayBuffer()
      if (deletion.ok || deletion.status === 404) removed++
      else failures.push(`DELETE store answered ${deletion.status}`)
    }
    if (!listing.ok) failures.push(`listing answered ${listing.status}`)
  } catch (error) {
    failures.push((error as Error).message)
  }
  return { removed, failures }
}

/** `teamId=` for an id, `slug=` for a slug, as the action sends it. */
function teamQuery(team: string): string {
  const name = team.startsWith('team_') ? 'teamId' : 'slug'
  return `${name}=${encodeURIComponent(team)}`
}

/** Every status the check's store showed, in order, repeats folded. */
function statusesOf(proxy: RecordingProxy, key: string): string[] {
  const seen: string[] = []
  for (const { body } of proxy.answers) {
    const { store, stores } = (body ?? {}) as {
      store?: { name?: string; status?: unknown }
      stores?: { name?: string; status?: unknown }[]
    }
    for (const candidate of [store, ...(stores ?? [])]) {
      if (candidate?.name !== key || typeof candidate.status !== 'string') {
        continue
      }
      if (seen.at(-1) !== candidate.status) seen.push(candidate.status)
    }
  }
  return seen
}
