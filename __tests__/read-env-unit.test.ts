import { describe, expect, it, vi } from 'vitest'
import { readStoreEnv, type ReadEnvRequest } from '../src/project.ts'
import type { ProjectEnvApi, ProjectEnvVar } from '../src/vercel-api.ts'

const STORE = 'store_abc'
const hint = (storeId = STORE) => ({
  type: 'integration-store-secret',
  storeId
})

const request: ReadEnvRequest = {
  project: 'web',
  projectId: 'prj_web',
  storeId: STORE,
  environment: 'preview',
  names: ['PR1_DATABASE_URL', 'PR1_PGHOST']
}

/** A project env API over a fixed listing and values, recording reads. */
function api(listed: ProjectEnvVar[], values: Record<string, string>) {
  const getEnv = vi.fn(async (_projectId: string, id: string) => {
    const variable = listed.find((candidate) => candidate.id === id)
    return { ...variable, value: values[id], decrypted: true }
  })
  const fake: ProjectEnvApi = { listEnv: async () => listed, getEnv }
  return { fake, getEnv }
}

describe('readStoreEnv', () => {
  const listed: ProjectEnvVar[] = [
    {
      id: 'e1',
      key: 'PR1_DATABASE_URL',
      type: 'encrypted',
      target: ['preview', 'production'],
      contentHint: hint(),
      value: 'enc'
    },
    {
      id: 'e2',
      key: 'PR1_PGHOST',
      type: 'encrypted',
      target: 'preview',
      contentHint: hint(),
      value: 'enc'
    },
    // Another store's, another environment's, and a hand-set variable.
    {
      id: 'e3',
      key: 'PR2_DATABASE_URL',
      type: 'encrypted',
      target: ['preview'],
      contentHint: hint('store_other'),
      value: 'enc'
    },
    {
      id: 'e4',
      key: 'PR1_DATABASE_URL',
      type: 'encrypted',
      target: ['development'],
      contentHint: hint(),
      value: 'enc'
    },
    {
      id: 'e5',
      key: 'SITE',
      type: 'plain',
      target: ['preview'],
      contentHint: null,
      value: 'plain'
    }
  ]

  it('reads the store’s variables of the environment, and masks each value first', async () => {
    const { fake, getEnv } = api(listed, { e1: 'postgres://a', e2: 'host-a' })
    const masked: string[] = []
    const env = await readStoreEnv(fake, request, (value) => masked.push(value))
    expect(env).toEqual({
      PR1_DATABASE_URL: 'postgres://a',
      PR1_PGHOST: 'host-a'
    })
    expect(masked.sort()).toEqual(['host-a', 'postgres://a'])
    expect(getEnv.mock.calls.map(([, id]) => id).sort()).toEqual(['e1', 'e2'])
  })

  it('fails naming a variable of the connection that the project lacks', async () => {
    const { fake, getEnv } = api(listed.slice(1), {})
    await expect(readStoreEnv(fake, request, () => {})).rejects.toThrow(
      'Project web has no variable PR1_DATABASE_URL of store store_abc in preview, so its value cannot be read; disconnect the project from the store in the Vercel dashboard and run again, or drop "read-env".'
    )
    expect(getEnv).not.toHaveBeenCalled()
  })

  it('fails on a variable listed as sensitive before reading any value', async () => {
    const sensitive = listed.map((variable) =>
      variable.id === 'e2' ? { ...variable, type: 'sensitive' } : variable
    )
    const { fake, getEnv } = api(sensitive, {})
    await expect(readStoreEnv(fake, request, () => {})).rejects.toThrow(
      'Variable PR1_PGHOST of project web has no readable value'
    )
    expect(getEnv).not.toHaveBeenCalled()
  })
})
