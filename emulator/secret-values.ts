import { createHash, createHmac } from 'node:crypto'

// The values a store's variables get when it is connected: shaped like the
// provider's own (docs/providers.md), so that a test reads a pooled URL where
// the provider gives one and a leak looks like a leak. Every host ends in
// `.emulator.invalid`, so nothing made here can reach a real database.
//
// The values are derived from the store's id: the same store always gets the
// same values, and the names of one store agree with each other (PGHOST is the
// host of DATABASE_URL, POSTGRES_PASSWORD the password in POSTGRES_URL).

const LOWER = 'abcdefghijklmnopqrstuvwxyz'
const DIGITS = '0123456789'
const ALPHANUMERIC = `${LOWER}${LOWER.toUpperCase()}${DIGITS}`
const HEX = '0123456789abcdef'

/** A string of `length` characters of `alphabet`, fixed by the store and the label. */
type Derive = (label: string, length: number, alphabet?: string) => string

function deriver(storeId: string): Derive {
  return (label, length, alphabet = ALPHANUMERIC) => {
    const bytes = createHash('shake256', { outputLength: length })
      .update(`${storeId}\0${label}`)
      .digest()
    return [...bytes].map((byte) => alphabet[byte % alphabet.length]).join('')
  }
}

function base64url(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url')
}

interface Postgres {
  scheme: 'postgres' | 'postgresql'
  user: string
  password: string
  database: string
  /** `host` or `host:port`. */
  address: string
}

function postgresUrl(db: Postgres, query = ''): string {
  const credentials = `${encodeURIComponent(db.user)}:${encodeURIComponent(db.password)}`
  return `${db.scheme}://${credentials}@${db.address}/${db.database}${query}`
}

/**
 * Neon through Vercel: a pooled (`-pooler`) and a direct host of one endpoint,
 * the names of Neon's table and the legacy `POSTGRES_*` of Vercel Postgres.
 */
function neon(derive: Derive): Record<string, string> {
  const endpoint = `ep-${derive('endpoint', 8, LOWER)}-${derive('suffix', 8, `${LOWER}${DIGITS}`)}`
  const domain = 'us-east-1.aws.neon.emulator.invalid'
  const direct = `${endpoint}.${domain}`
  const pooled = `${endpoint}-pooler.${domain}`
  const db = {
    scheme: 'postgresql' as const,
    user: 'neondb_owner',
    password: `npg_${derive('password', 12)}`,
    database: 'neondb'
  }
  const viaPooler = { ...db, address: pooled }
  const viaDirect = { ...db, address: direct }
  return {
    DATABASE_URL: postgresUrl(viaPooler, '?sslmode=require'),
    DATABASE_URL_UNPOOLED: postgresUrl(viaDirect, '?sslmode=require'),
    PGHOST: pooled,
    PGHOST_UNPOOLED: direct,
    PGUSER: db.user,
    PGDATABASE: db.database,
    PGPASSWORD: db.password,
    POSTGRES_URL: postgresUrl(viaPooler, '?sslmode=require'),
    POSTGRES_URL_NON_POOLING: postgresUrl(viaDirect, '?sslmode=require'),
    POSTGRES_USER: db.user,
    POSTGRES_HOST: pooled,
    POSTGRES_PASSWORD: db.password,
    POSTGRES_DATABASE: db.database,
    POSTGRES_URL_NO_SSL: postgresUrl(viaPooler),
    POSTGRES_PRISMA_URL: postgresUrl(
      viaPooler,
      '?connect_timeout=15&sslmode=require'
    )
  }
}

/** An HS256 JWT signed with the project's secret, as Supabase's API keys are. */
function supabaseKey(ref: string, role: string, secret: string): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
  // Fixed times: the values depend on the store only.
  const payload = base64url(
    JSON.stringify({
      iss: 'supabase',
      ref,
      role,
      iat: 1735689600,
      exp: 2051222400
    })
  )
  const signature = createHmac('sha256', secret)
    .update(`${header}.${payload}`)
    .digest('base64url')
  return `${header}.${payload}.${signature}`
}

/**
 * Supabase through Vercel: Supavisor's transaction mode (6543, with
 * `pgbouncer=true` for Prisma) and session mode (5432), the project's API
 * address and its keys.
 */
function supabase(derive: Derive): Record<string, string> {
  const ref = derive('ref', 20, LOWER)
  const pooler = 'aws-0-us-east-1.pooler.supabase.emulator.invalid'
  const db = {
    scheme: 'postgres' as const,
    user: `postgres.${ref}`,
    password: derive('password', 16),
    database: 'postgres'
  }
  const transaction = { ...db, address: `${pooler}:6543` }
  const session = { ...db, address: `${pooler}:5432` }
  const jwtSecret = Buffer.from(derive('jwt', 64, HEX), 'hex').toString(
    'base64'
  )
  const apiUrl = `https://${ref}.supabase.emulator.invalid`
  const anonKey = supabaseKey(ref, 'anon', jwtSecret)
  const publishableKey = `sb_publishable_${derive('publishable', 22)}`
  return {
    POSTGRES_URL: postgresUrl(
      transaction,
      '?sslmode=require&supa=base-pooler.x'
    ),
    POSTGRES_PRISMA_URL: postgresUrl(
      transaction,
      '?sslmode=require&supa=base-pooler.x&pgbouncer=true'
    ),
    POSTGRES_URL_NON_POOLING: postgresUrl(session, '?sslmode=require'),
    POSTGRES_USER: 'postgres',
    POSTGRES_HOST: `db.${ref}.supabase.emulator.invalid`,
    POSTGRES_PASSWORD: db.password,
    POSTGRES_DATABASE: db.database,
    SUPABASE_URL: apiUrl,
    SUPABASE_ANON_KEY: anonKey,
    SUPABASE_SERVICE_ROLE_KEY: supabaseKey(ref, 'service_role', jwtSecret),
    SUPABASE_JWT_SECRET: jwtSecret,
    SUPABASE_PUBLISHABLE_KEY: publishableKey,
    NEXT_PUBLIC_SUPABASE_URL: apiUrl,
    NEXT_PUBLIC_SUPABASE_ANON_KEY: anonKey,
    NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: publishableKey
  }
}

/**
 * Prisma Postgres through Vercel (its current guide): three names for the
 * direct URL, one for the pooled.
 */
function prismaPostgres(derive: Derive): Record<string, string> {
  const db = {
    scheme: 'postgres' as const,
    user: derive('user', 32, HEX),
    password: `sk_${derive('password', 24)}`,
    database: 'postgres'
  }
  const direct = postgresUrl(
    { ...db, address: 'db.prisma.emulator.invalid:5432' },
    '?sslmode=require'
  )
  return {
    DATABASE_URL: direct,
    POSTGRES_URL: direct,
    PRISMA_DATABASE_URL: direct,
    DATABASE_URL_POOLED: postgresUrl(
      { ...db, address: 'pooled.db.prisma.emulator.invalid:5432' },
      '?sslmode=require'
    )
  }
}

/** An Upstash REST token: base64 of the database's id and a key. */
function upstashToken(derive: Derive, label: string): string {
  return `A${derive(label, 59)}`
}

/** Upstash for Redis (the former Vercel KV): `rediss://` and REST. */
function upstashKv(derive: Derive): Record<string, string> {
  const host = `${derive('name', 8, LOWER)}-${derive('number', 5, DIGITS)}.upstash.emulator.invalid`
  const redis = `rediss://default:${derive('password', 34)}@${host}:6379`
  return {
    KV_URL: redis,
    REDIS_URL: redis,
    KV_REST_API_URL: `https://${host}`,
    KV_REST_API_TOKEN: upstashToken(derive, 'token'),
    KV_REST_API_READ_ONLY_TOKEN: upstashToken(derive, 'read-only token')
  }
}

function upstashVector(derive: Derive): Record<string, string> {
  const host = `${derive('name', 8, LOWER)}-${derive('number', 5, DIGITS)}-us1-vector.upstash.emulator.invalid`
  return {
    UPSTASH_VECTOR_REST_URL: `https://${host}`,
    UPSTASH_VECTOR_REST_TOKEN: upstashToken(derive, 'token'),
    UPSTASH_VECTOR_REST_READONLY_TOKEN: upstashToken(derive, 'read-only token')
  }
}

const PROVIDERS: Record<string, (derive: Derive) => Record<string, string>> = {
  neon,
  supabase,
  'prisma-postgres': prismaPostgres,
  'upstash-kv': upstashKv,
  'upstash-vector': upstashVector
}

/** A name no provider above gives: a value guessed from the name alone. */
function byName(derive: Derive, name: string): string {
  const host = `${derive(`${name} host`, 10, LOWER)}.emulator.invalid`
  const password = derive(`${name} password`, 24)
  if (/REDIS|KV_URL/.test(name)) {
    return `rediss://default:${password}@${host}:6379`
  }
  if (/URL/.test(name) && /REST|API/.test(name)) return `https://${host}`
  if (/URL/.test(name)) {
    return `postgres://user_${derive(`${name} user`, 8, LOWER)}:${password}@${host}/db?sslmode=require`
  }
  if (/HOST/.test(name)) return host
  return `secret_${password}`
}

/** The values of a store's variables, by name (without any prefix). */
export function madeUpSecrets(
  storeId: string,
  productSlug: string,
  names: string[]
): Record<string, string> {
  const derive = deriver(storeId)
  const known = PROVIDERS[productSlug]?.(derive) ?? {}
  return Object.fromEntries(
    names.map((name) => [name, known[name] ?? byName(derive, name)])
  )
}
