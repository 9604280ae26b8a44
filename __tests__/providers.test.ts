import { createHmac } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  startEmulator,
  type Emulator,
  type Installation
} from '../emulator/index.ts'
import { runAction } from '../harness/run-action.ts'

// Each product of the emulator gives the variables its provider documents
// (docs/providers.md), with values shaped like the real ones: what a user's
// `env` output holds once the store is connected.

const WEB = 'prj_emuWeb0001'
const API = 'prj_emuApi0001'
const PR = 42

let emulator: Emulator

beforeEach(async () => {
  emulator = await startEmulator()
})

afterEach(async () => {
  await emulator.close()
})

interface Provider {
  installation: (emulator: Emulator) => Installation
  product: string
  metadata?: string
  /** The names as docs/providers.md lists them, with its sources. */
  names: string[]
}

const PROVIDERS: Record<string, Provider> = {
  Neon: {
    installation: (emulator) => emulator.installations.neon,
    product: 'neon',
    names: [
      'DATABASE_URL',
      'DATABASE_URL_UNPOOLED',
      'PGHOST',
      'PGHOST_UNPOOLED',
      'PGUSER',
      'PGDATABASE',
      'PGPASSWORD',
      'POSTGRES_URL',
      'POSTGRES_URL_NON_POOLING',
      'POSTGRES_USER',
      'POSTGRES_HOST',
      'POSTGRES_PASSWORD',
      'POSTGRES_DATABASE',
      'POSTGRES_URL_NO_SSL',
      'POSTGRES_PRISMA_URL'
    ]
  },
  Supabase: {
    installation: (emulator) => emulator.installations.supabase[1],
    product: 'supabase',
    names: [
      'POSTGRES_URL',
      'POSTGRES_PRISMA_URL',
      'POSTGRES_URL_NON_POOLING',
      'POSTGRES_USER',
      'POSTGRES_HOST',
      'POSTGRES_PASSWORD',
      'POSTGRES_DATABASE',
      'SUPABASE_SERVICE_ROLE_KEY',
      'SUPABASE_ANON_KEY',
      'SUPABASE_URL',
      'SUPABASE_JWT_SECRET',
      'NEXT_PUBLIC_SUPABASE_ANON_KEY',
      'NEXT_PUBLIC_SUPABASE_URL'
    ]
  },
  'Prisma Postgres': {
    installation: (emulator) => emulator.installations.prisma,
    product: 'prisma-postgres',
    metadata: 'region=us-east-1',
    names: [
      'DATABASE_URL',
      'POSTGRES_URL',
      'PRISMA_DATABASE_URL',
      'DATABASE_URL_POOLED'
    ]
  },
  'Upstash for Redis': {
    installation: (emulator) => emulator.installations.upstash,
    product: 'upstash-kv',
    names: [
      'KV_URL',
      'KV_REST_API_URL',
      'KV_REST_API_TOKEN',
      'KV_REST_API_READ_ONLY_TOKEN',
      'REDIS_URL'
    ]
  },
  'Upstash Vector': {
    installation: (emulator) => emulator.installations.upstash,
    product: 'upstash-vector',
    names: [
      'UPSTASH_VECTOR_REST_URL',
      'UPSTASH_VECTOR_REST_TOKEN',
      'UPSTASH_VECTOR_REST_READONLY_TOKEN'
    ]
  }
}

/** A run that creates the provider's store, connects it and reads `env`. */
async function envOf(name: string): Promise<Record<string, string>> {
  const provider = PROVIDERS[name]
  const result = await runAction({
    inputs: {
      token: emulator.token,
      team: emulator.team.slug,
      integration: provider.installation(emulator).id,
      product: provider.product,
      metadata: provider.metadata,
      project: WEB,
      'read-env': 'true',
      'api-url': emulator.url
    },
    pullRequest: PR
  })
  expect({ exitCode: result.exitCode, log: result.stdout }).toMatchObject({
    exitCode: 0
  })
  expect(JSON.parse(result.outputs['secret-names'])).toEqual(provider.names)
  expect(JSON.parse(result.outputs['env-var-names'])).toEqual(
    provider.names.map((variable) => `PR${PR}_${variable}`)
  )
  return JSON.parse(result.outputs.env)
}

/** A URL's parts; `postgres://` and `postgresql://` parse as any scheme does. */
function parts(value: string): URL {
  return new URL(value)
}

function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString())
}

describe('the variables of each provider’s store', () => {
  it.each(Object.keys(PROVIDERS))(
    '%s: the seeded product gives the documented names',
    (name) => {
      const provider = PROVIDERS[name]
      const product = provider
        .installation(emulator)
        .products.find(({ slug }) => slug === provider.product)
      expect(product?.secrets).toEqual(provider.names)
    }
  )

  it('Neon: pooled URLs on the -pooler host, unpooled on the direct one, PG* their parts', async () => {
    const env = await envOf('Neon')
    const pooled = parts(env.DATABASE_URL)
    const direct = parts(env.DATABASE_URL_UNPOOLED)
    expect(pooled.protocol).toBe('postgresql:')
    expect(pooled.hostname).toMatch(/^ep-[a-z0-9-]+-pooler\./)
    expect(direct.hostname).toBe(pooled.hostname.replace('-pooler.', '.'))
    expect(pooled.searchParams.get('sslmode')).toBe('require')
    expect(env.PGHOST).toBe(pooled.hostname)
    expect(env.PGHOST_UNPOOLED).toBe(direct.hostname)
    expect(env.PGUSER).toBe(pooled.username)
    expect(env.PGPASSWORD).toBe(pooled.password)
    expect(env.PGPASSWORD).toMatch(/^npg_\w{12}$/)
    expect(`/${env.PGDATABASE}`).toBe(pooled.pathname)
    expect(env.DATABASE_URL).toBe(
      `postgresql://${env.PGUSER}:${env.PGPASSWORD}@${env.PGHOST}/${env.PGDATABASE}?sslmode=require`
    )
    // The legacy POSTGRES_* of Vercel Postgres: the same database.
    expect(env.POSTGRES_URL).toBe(env.DATABASE_URL)
    expect(env.POSTGRES_URL_NON_POOLING).toBe(env.DATABASE_URL_UNPOOLED)
    expect(env.POSTGRES_HOST).toBe(env.PGHOST)
    expect(env.POSTGRES_USER).toBe(env.PGUSER)
    expect(env.POSTGRES_PASSWORD).toBe(env.PGPASSWORD)
    expect(env.POSTGRES_DATABASE).toBe(env.PGDATABASE)
    expect(parts(env.POSTGRES_URL_NO_SSL).search).toBe('')
    expect(parts(env.POSTGRES_URL_NO_SSL).hostname).toBe(pooled.hostname)
    const prisma = parts(env.POSTGRES_PRISMA_URL)
    expect(prisma.hostname).toBe(pooled.hostname)
    expect(prisma.searchParams.get('connect_timeout')).toBe('15')
  })

  it('Supabase: the Prisma URL on 6543 with pgbouncer=true, the direct one on 5432, keys signed with the JWT secret', async () => {
    const env = await envOf('Supabase')
    const prisma = parts(env.POSTGRES_PRISMA_URL)
    const session = parts(env.POSTGRES_URL_NON_POOLING)
    expect(prisma.protocol).toBe('postgres:')
    expect(prisma.port).toBe('6543')
    expect(prisma.searchParams.get('pgbouncer')).toBe('true')
    expect(session.port).toBe('5432')
    expect(session.searchParams.has('pgbouncer')).toBe(false)
    expect(parts(env.POSTGRES_URL).port).toBe('6543')
    const ref = prisma.username.replace(/^postgres\./, '')
    expect(ref).toMatch(/^[a-z]{20}$/)
    expect(prisma.password).toBe(env.POSTGRES_PASSWORD)
    expect(env.POSTGRES_HOST).toMatch(new RegExp(`^db\\.${ref}\\.`))
    expect([env.POSTGRES_USER, env.POSTGRES_DATABASE]).toEqual([
      'postgres',
      'postgres'
    ])
    expect(parts(env.SUPABASE_URL).protocol).toBe('https:')
    expect(parts(env.SUPABASE_URL).hostname).toMatch(new RegExp(`^${ref}\\.`))
    expect(env.NEXT_PUBLIC_SUPABASE_URL).toBe(env.SUPABASE_URL)
    expect(env.NEXT_PUBLIC_SUPABASE_ANON_KEY).toBe(env.SUPABASE_ANON_KEY)
    for (const [key, role] of [
      [env.SUPABASE_ANON_KEY, 'anon'],
      [env.SUPABASE_SERVICE_ROLE_KEY, 'service_role']
    ]) {
      expect(payloadOf(key)).toMatchObject({ iss: 'supabase', ref, role })
      const [header, payload, signature] = key.split('.')
      expect(signature).toBe(
        createHmac('sha256', env.SUPABASE_JWT_SECRET)
          .update(`${header}.${payload}`)
          .digest('base64url')
      )
    }
  })

  it('Prisma Postgres: three names for the direct URL, one for the pooled', async () => {
    const env = await envOf('Prisma Postgres')
    const direct = parts(env.DATABASE_URL)
    const pooled = parts(env.DATABASE_URL_POOLED)
    expect(direct.protocol).toBe('postgres:')
    expect(direct.hostname).toMatch(/^db\.prisma\./)
    expect(pooled.hostname).toBe(`pooled.${direct.hostname}`)
    expect([direct.port, pooled.port]).toEqual(['5432', '5432'])
    expect(pooled.password).toBe(direct.password)
    expect(env.POSTGRES_URL).toBe(env.DATABASE_URL)
    expect(env.PRISMA_DATABASE_URL).toBe(env.DATABASE_URL)
  })

  it('Upstash for Redis: rediss:// on 6379, the REST API on the same host, two tokens', async () => {
    const env = await envOf('Upstash for Redis')
    const redis = parts(env.KV_URL)
    expect(redis.protocol).toBe('rediss:')
    expect(redis.port).toBe('6379')
    expect(redis.username).toBe('default')
    expect(env.REDIS_URL).toBe(env.KV_URL)
    expect(parts(env.KV_REST_API_URL).href).toBe(`https://${redis.hostname}/`)
    expect(env.KV_REST_API_TOKEN).toMatch(/^A\w{59}$/)
    expect(env.KV_REST_API_READ_ONLY_TOKEN).toMatch(/^A\w{59}$/)
    expect(env.KV_REST_API_READ_ONLY_TOKEN).not.toBe(env.KV_REST_API_TOKEN)
  })

  it('Upstash Vector: an https:// REST API and two tokens', async () => {
    const env = await envOf('Upstash Vector')
    expect(parts(env.UPSTASH_VECTOR_REST_URL).protocol).toBe('https:')
    expect(parts(env.UPSTASH_VECTOR_REST_URL).hostname).toMatch(/-vector\./)
    expect(env.UPSTASH_VECTOR_REST_TOKEN).toMatch(/^A\w{59}$/)
    expect(env.UPSTASH_VECTOR_REST_READONLY_TOKEN).toMatch(/^A\w{59}$/)
    expect(env.UPSTASH_VECTOR_REST_READONLY_TOKEN).not.toBe(
      env.UPSTASH_VECTOR_REST_TOKEN
    )
  })

  it('every host is under .emulator.invalid, so no value can reach a real database', async () => {
    for (const name of Object.keys(PROVIDERS)) {
      const env = await envOf(name)
      for (const value of Object.values(env)) {
        if (!/^[a-z]+:\/\//.test(value)) continue
        expect(parts(value).hostname).toMatch(/\.emulator\.invalid$/)
      }
      await emulator.close()
      emulator = await startEmulator()
    }
  })
})

describe('the values of one store', () => {
  function valuesOn(projectId: string, storeId: string): string[] {
    return emulator
      .envVars(projectId)
      .filter(({ contentHint }) => contentHint?.storeId === storeId)
      .map(({ value }) => value)
  }

  it('are the same on every project it is connected to, and another store’s differ', () => {
    const neon = emulator.installations.neon
    const [first, second] = ['one', 'two'].map((name) =>
      emulator.seedStore({
        installationId: neon.id,
        productIdOrSlug: 'neon',
        name
      })
    )
    emulator.connectStore(first.id, WEB, ['preview'], 'A_')
    emulator.connectStore(first.id, API, ['preview'], 'B_')
    emulator.connectStore(second.id, WEB, ['preview'], 'C_')
    const onWeb = valuesOn(WEB, first.id)
    expect(onWeb).toHaveLength(15)
    expect(valuesOn(API, first.id)).toEqual(onWeb)
    const other = valuesOn(WEB, second.id)
    expect(other).toHaveLength(15)
    // Only Neon's fixed role and database names are shared.
    expect(other.filter((value) => onWeb.includes(value)).sort()).toEqual([
      'neondb',
      'neondb',
      'neondb_owner',
      'neondb_owner'
    ])
  })
})
