import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator, type Fault } from '../emulator/index.ts'
import { runAction, type RunResult } from '../harness/run-action.ts'
import { errorLine, neonIdInputs, warningLines } from './support/run-result.ts'

const LIST = 'GET /v1/storage/stores'
const GET = 'GET /v1/storage/stores/{id}'
const CREATE = 'POST /v1/storage/stores/integration/direct'
const PR = 21
// The default name ends in a hash of the repository, "acme/web".
const NAME = `web-pr-${PR}-86f279ce`

let emulator: Emulator

beforeEach(async () => {
  emulator = await startEmulator()
})

afterEach(async () => {
  await emulator.close()
})

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return neonIdInputs(emulator, extra)
}

/** The team's stores that carry this step's name: never more than one. */
function ourStores() {
  return emulator
    .stores()
    .filter(({ teamId, name }) => teamId === emulator.team.id && name === NAME)
}

/**
 * A route and how a run reaches it. `created` is what a run that recovers
 * reports; `setup` puts in place what the path needs.
 */
interface RouteCase {
  route: string
  created: boolean
  setup(): Record<string, string>
}

const ROUTES: Record<string, RouteCase> = {
  list: { route: LIST, created: true, setup: () => inputs() },
  // A listing without product ids and an iap_ product: one GET confirms it.
  get: {
    route: GET,
    created: false,
    setup() {
      emulator.options.minimalListing = true
      emulator.seedStore({
        installationId: emulator.installations.neon.id,
        productIdOrSlug: 'neon',
        name: NAME
      })
      return inputs({ product: 'iap_emu_neon' })
    }
  },
  create: { route: CREATE, created: true, setup: () => inputs() }
}

const FAULTS: Record<string, Fault> = {
  'HTTP 500': { status: 500 },
  'HTTP 502': { status: 502 },
  'HTTP 503, Retry-After 0': { status: 503, headers: { 'retry-after': '0' } },
  'HTTP 504': { status: 504 },
  'HTTP 429, Retry-After 0': { status: 429, headers: { 'retry-after': '0' } },
  'HTTP 409': { status: 409 },
  reset: 'reset',
  'commit-then-drop': 'commit-then-drop',
  'HTML 502 page': 'html-502',
  'empty body': 'empty-body',
  'invalid JSON': 'invalid-json',
  'truncated JSON': 'truncated-json',
  'no store id': 'omit-id',
  'delay past the timeout': { delay: 2_500 }
}

/** The `timeout` input for a fault; only the delay needs a short one. */
const timeoutFor = (fault: string) =>
  fault === 'delay past the timeout' ? { timeout: '1' } : {}

type Outcome =
  { recovers: 'retried' | 'listed again' | 'created again' } | { fails: string }

const TIMEOUT_LINE = (method: string, path: string) =>
  `The step's timeout (1 s) ran out while waiting for ${method} ${path}`

/** route × fault → what the user sees. One line per scenario. */
const SCENARIOS: [string, string, Outcome][] = [
  ...(['list', 'get'] as const).flatMap(
    (route): [string, string, Outcome][] => {
      const path =
        route === 'list' ? '/v1/storage/stores' : '/v1/storage/stores/'
      return [
        [route, 'HTTP 500', { recovers: 'retried' }],
        [route, 'HTTP 502', { recovers: 'retried' }],
        [route, 'HTTP 503, Retry-After 0', { recovers: 'retried' }],
        [route, 'HTTP 504', { recovers: 'retried' }],
        [route, 'HTTP 429, Retry-After 0', { recovers: 'retried' }],
        [route, 'reset', { recovers: 'retried' }],
        [route, 'commit-then-drop', { recovers: 'retried' }],
        [route, 'HTML 502 page', { recovers: 'retried' }],
        [
          route,
          'empty body',
          { fails: 'answered HTTP 200 with an empty body instead of JSON' }
        ],
        [
          route,
          'invalid JSON',
          { fails: 'answered HTTP 200 with an invalid JSON body' }
        ],
        [
          route,
          'truncated JSON',
          { fails: 'answered HTTP 200 with a truncated JSON body' }
        ],
        [route, 'delay past the timeout', { fails: TIMEOUT_LINE('GET', path) }]
      ]
    }
  ),
  ['create', 'HTTP 500', { recovers: 'created again' }],
  ['create', 'HTTP 502', { recovers: 'created again' }],
  ['create', 'HTTP 503, Retry-After 0', { recovers: 'created again' }],
  ['create', 'HTTP 504', { recovers: 'created again' }],
  ['create', 'HTTP 429, Retry-After 0', { recovers: 'retried' }],
  ['create', 'HTTP 409', { recovers: 'created again' }],
  ['create', 'reset', { recovers: 'created again' }],
  ['create', 'commit-then-drop', { recovers: 'listed again' }],
  ['create', 'HTML 502 page', { recovers: 'created again' }],
  ['create', 'empty body', { recovers: 'listed again' }],
  ['create', 'invalid JSON', { recovers: 'listed again' }],
  ['create', 'truncated JSON', { recovers: 'listed again' }],
  ['create', 'no store id', { recovers: 'listed again' }],
  [
    'create',
    'delay past the timeout',
    { fails: TIMEOUT_LINE('POST', '/v1/storage/stores/integration/direct') }
  ]
]

/** The requests a run that recovers makes, by route. */
function countsAfterRecovery(
  route: string,
  recovers: 'retried' | 'listed again' | 'created again'
): Record<string, number> {
  if (route === 'get') return { [LIST]: 1, [GET]: 2 }
  if (route === 'list') return { [LIST]: 2, [CREATE]: 1 }
  if (recovers === 'retried') return { [LIST]: 1, [CREATE]: 2 }
  if (recovers === 'listed again') return { [LIST]: 2, [CREATE]: 1 }
  // Not listed at once nor after any of the pauses: created again.
  return { [LIST]: 1 + RELISTS_AFTER_A_LOST_CREATE, [CREATE]: 2 }
}

/** The listings after a lost create: at once, then after each of 3 pauses. */
const RELISTS_AFTER_A_LOST_CREATE = 4

/** What a user sees of the faulted run, to compare with `expected`. */
function observe(result: RunResult) {
  const lines = (prefix: string) =>
    result.stdout.split('\n').filter((line) => line.startsWith(prefix))
  return {
    exitCode: result.exitCode,
    errors: lines('::error::'),
    warnings: lines('::warning::'),
    stackTrace: /\n\s+at /.test(`${result.stdout}\n${result.stderr}`),
    stores: ourStores().map(({ id }) => id),
    outputs: result.outputs,
    counts: emulator.counts()
  }
}

function expected(routeName: string, outcome: Outcome) {
  const route = ROUTES[routeName]
  if ('fails' in outcome) {
    return {
      exitCode: 1,
      errors: [expect.stringContaining(outcome.fails)],
      stackTrace: false,
      // A late create committed all the same; the seeded store stays.
      stores: routeName === 'list' ? [] : [expect.any(String)],
      outputs: {}
    }
  }
  const [method] = route.route.split(' ')
  return {
    exitCode: 0,
    errors: [],
    warnings:
      outcome.recovers === 'retried'
        ? [
            expect.stringMatching(
              new RegExp(
                `^::warning::${method} \\S+ → \\S+; retry 1 of 4 in \\d+\\.\\d s$`
              )
            )
          ]
        : [],
    stackTrace: false,
    stores: [expect.any(String)],
    outputs: expect.objectContaining({
      'store-name': NAME,
      created: String(route.created),
      status: 'available'
    }),
    counts: countsAfterRecovery(routeName, outcome.recovers)
  }
}

describe('fault injection, through dist/index.js', () => {
  it.each(SCENARIOS)('%s × %s', async (routeName, faultName, outcome) => {
    const route = ROUTES[routeName]
    const setupInputs = route.setup()
    const runInputs = { ...setupInputs, ...timeoutFor(faultName) }
    emulator.faults.add(route.route, FAULTS[faultName])

    const result = await runAction({ inputs: runInputs, pullRequest: PR })
    const seen = observe(result)
    expect(seen).toMatchObject(expected(routeName, outcome))
    expect(emulator.faults.pending()).toEqual({})
    expect(
      emulator.requests.filter(({ fault }) => fault).map(({ route }) => route)
    ).toEqual([route.route])
    expect(result.outputs['store-id']).toBe(
      result.exitCode === 0 ? seen.stores[0] : undefined
    )

    // Whatever happened, a clean run afterwards ends with one store, and
    // reuses the one that is there.
    emulator.resetRequests()
    const rerun = await runAction({ inputs: setupInputs, pullRequest: PR })
    expect(rerun.exitCode).toBe(0)
    expect(ourStores()).toHaveLength(1)
    expect(rerun.outputs).toMatchObject({
      'store-id': ourStores()[0].id,
      created: String(seen.stores.length === 0)
    })
  })
})

/**
 * The routes a run reaches beyond get-or-create: discovery by slug and name,
 * the readiness wait, the project lookup and connection, and deletion. A
 * route is one entry; `prepare` puts in place what reaches it and returns
 * the run's inputs.
 */
interface StepRoute {
  route: string
  kind: 'read' | 'write' | 'delete'
  /** What a clean run afterwards must leave: one store, or none. */
  goal: 'present' | 'absent'
  prepare(): Promise<Record<string, string>>
}

const WEB = 'prj_emuWeb0001'

const STEP_ROUTES: Record<string, StepRoute> = {
  installations: {
    route: 'GET /v1/integrations/configurations',
    kind: 'read',
    goal: 'present',
    prepare: async () => inputs({ integration: 'neon' })
  },
  products: {
    route: 'GET /v1/integrations/configuration/{id}/products',
    kind: 'read',
    goal: 'present',
    prepare: async () => inputs({ product: 'neon' })
  },
  plans: {
    route:
      'GET /v1/integrations/integration/{integrationIdOrSlug}/products/{productIdOrSlug}/plans',
    kind: 'read',
    goal: 'present',
    prepare: async () => inputs({ plan: 'Free' })
  },
  'wait poll': {
    route: GET,
    kind: 'read',
    goal: 'present',
    async prepare() {
      emulator.options.initializingReads = 1
      return inputs()
    }
  },
  project: {
    route: 'GET /v9/projects/{idOrName}',
    kind: 'read',
    goal: 'present',
    prepare: async () => inputs({ project: 'web' })
  },
  connect: {
    route: 'POST /v1/storage/stores/{id}/connections',
    kind: 'write',
    goal: 'present',
    prepare: async () => inputs({ project: WEB })
  },
  'env list': {
    route: 'GET /v10/projects/{idOrName}/env',
    kind: 'read',
    goal: 'present',
    prepare: async () => inputs({ project: WEB, 'read-env': 'true' })
  },
  // One of the value reads, which are made at once.
  'env value': {
    route: 'GET /v1/projects/{idOrName}/env/{id}',
    kind: 'read',
    goal: 'present',
    prepare: async () => inputs({ project: WEB, 'read-env': 'true' })
  },
  disconnect: {
    route: 'DELETE /v1/storage/stores/{id}/connections',
    kind: 'delete',
    goal: 'absent',
    async prepare() {
      const setup = await runAction({
        inputs: inputs({ project: WEB }),
        pullRequest: PR
      })
      if (setup.exitCode !== 0) throw new Error(setup.stdout)
      emulator.resetRequests()
      return inputs({ state: 'absent' })
    }
  },
  delete: {
    route: 'DELETE /v1/storage/stores/integration/{id}',
    kind: 'delete',
    goal: 'absent',
    async prepare() {
      emulator.seedStore({
        installationId: emulator.installations.neon.id,
        productIdOrSlug: 'neon',
        name: NAME,
        externalId: `acme/web#${PR}`
      })
      return inputs({ state: 'absent' })
    }
  }
}

const STEP_FAULTS = [
  'HTTP 503, Retry-After 0',
  'HTTP 429, Retry-After 0',
  'reset',
  'commit-then-drop',
  'HTML 502 page',
  'truncated JSON',
  'delay past the timeout'
]

/**
 * Reads and deletes are retried; a connection (a write) only on a 429. The
 * answers of deletes and connections are not read, so a spoilt body does
 * not matter to them.
 */
function stepOutcome(kind: StepRoute['kind'], fault: string): string {
  if (fault === 'delay past the timeout') return 'fails with one line'
  if (fault === 'truncated JSON') {
    return kind === 'read' ? 'fails with one line' : 'succeeds'
  }
  if (kind === 'write' && !fault.startsWith('HTTP 429')) {
    return 'fails with one line'
  }
  return 'retried with a warning'
}

const STEP_SCENARIOS = Object.entries(STEP_ROUTES).flatMap(([name, route]) =>
  STEP_FAULTS.map((fault): [string, string, string] => [
    name,
    fault,
    stepOutcome(route.kind, fault)
  ])
)

/**
 * These routes come after several requests: the delay and the timeout leave
 * a loaded machine time to reach them before the deadline.
 */
const stepTimeoutFor = (fault: string) =>
  fault === 'delay past the timeout' ? { timeout: '4' } : {}

function stepFault(name: string): Fault {
  return name === 'delay past the timeout' ? { delay: 6_000 } : FAULTS[name]
}

/** What a user sees of a run with one fault on a step route. */
function expectedOfStep(outcome: string) {
  const common = { stackTrace: false }
  if (outcome === 'fails with one line') {
    return {
      ...common,
      exitCode: 1,
      errors: [expect.stringMatching(/^::error::\S/)]
    }
  }
  return {
    ...common,
    exitCode: 0,
    errors: [],
    warnings:
      outcome === 'succeeds'
        ? []
        : [expect.stringMatching(/→ \S+; retry 1 of 4 in \d+\.\d s$/)]
  }
}

/** The emulator's state after a clean run: the route's goal reached. */
function goalOf(route: StepRoute, runInputs: Record<string, string>) {
  const connected = route.goal === 'present' && runInputs.project !== undefined
  return {
    exitCode: 0,
    stores: route.goal === 'present' ? 1 : 0,
    storeVariables: connected
      ? emulator.installations.neon.products[0].secrets.length
      : 0,
    connectedProject: connected ? WEB : ''
  }
}

describe('faults on the discovery, wait, connection and deletion routes, through dist/index.js', () => {
  it.each(STEP_SCENARIOS)('%s × %s: %s', async (name, faultName, outcome) => {
    const route = STEP_ROUTES[name]
    const runInputs = await route.prepare()
    emulator.faults.add(route.route, stepFault(faultName))

    const result = await runAction({
      inputs: { ...runInputs, ...stepTimeoutFor(faultName) },
      pullRequest: PR,
      secrets: emulator.secretValues()
    })
    expect(emulator.faults.pending()).toEqual({})
    expect(observe(result)).toMatchObject(expectedOfStep(outcome))

    // Whatever happened, a clean run afterwards reaches the goal.
    const rerun = await runAction({ inputs: runInputs, pullRequest: PR })
    expect({
      exitCode: rerun.exitCode,
      stores: ourStores().length,
      storeVariables: emulator
        .envVars(WEB)
        .filter(({ contentHint }) => contentHint).length,
      connectedProject: rerun.outputs['connected-project'] ?? ''
    }).toEqual(goalOf(route, runInputs))
  })
})

describe('rate limits, retries and the deadline, through dist/index.js', () => {
  const rateLimited = (headers: Record<string, string>): Fault => ({
    status: 429,
    headers
  })

  it.each([
    ['Retry-After in seconds', () => ({ 'retry-after': '1' }), /in 1\.0 s$/],
    [
      'Retry-After as an HTTP date',
      () => ({ 'retry-after': new Date(Date.now() + 2_000).toUTCString() }),
      /in [0-2]\.\d s$/
    ],
    [
      'X-RateLimit-Reset',
      () => ({ 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1) }),
      /in [0-2]\.\d s$/
    ]
  ])('waits out a 429 with %s', async (_, headers, wait) => {
    emulator.faults.add(LIST, rateLimited(headers()))
    const result = await runAction({ inputs: inputs(), pullRequest: PR })
    expect(result.exitCode).toBe(0)
    const [warning, ...others] = warningLines(result)
    expect(others).toEqual([])
    expect(warning).toContain(
      '::warning::GET /v1/storage/stores → 429; retry 1 of 4 in'
    )
    expect(warning).toMatch(wait)
    expect(emulator.count(LIST)).toBe(2)
    expect(ourStores()).toHaveLength(1)
  })

  it('gives up after five attempts and says so', async () => {
    const unavailable: Fault = { status: 503, headers: { 'retry-after': '0' } }
    emulator.faults.add(LIST, ...Array<Fault>(5).fill(unavailable))
    const result = await runAction({ inputs: inputs(), pullRequest: PR })
    expect(errorLine(result)).toContain(
      'GET /v1/storage/stores answered HTTP 503: internal_server_error "Injected fault: HTTP 503" (5 attempts). Vercel had a server error'
    )
    expect(warningLines(result)).toHaveLength(4)
    expect(warningLines(result)[3]).toContain('→ 503; retry 4 of 4 in 0.0 s')
    expect(emulator.counts()).toEqual({ [LIST]: 5 })
  })

  it('fails at once when the wait asked for is longer than the time left', async () => {
    emulator.faults.add(LIST, rateLimited({ 'retry-after': '600' }))
    const result = await runAction({
      inputs: inputs({ timeout: '60' }),
      pullRequest: PR
    })
    expect(errorLine(result)).toMatch(
      /GET \/v1\/storage\/stores answered HTTP 429: rate_limited "Injected fault: HTTP 429"; Vercel asks to wait 600 s before trying again, more than the \d+ s left of the step's timeout \(60 s\)/
    )
    expect(emulator.counts()).toEqual({ [LIST]: 1 })
  })

  it('says nothing more once the step has failed, though a listing was under way', async () => {
    // The listing starts while the product is looked up; the product is
    // unknown, so the step fails while the listing waits to retry.
    emulator.faults.add(
      LIST,
      ...Array<Fault>(3).fill({ status: 503, headers: { 'retry-after': '1' } })
    )
    const result = await runAction({
      inputs: inputs({ product: 'no-such-product' }),
      pullRequest: PR
    })
    const lines = result.stdout.split('\n')
    const error = lines.findIndex((line) => line.startsWith('::error::'))
    expect(lines[error]).toContain('Input "product"')
    expect(
      lines.slice(error).filter((line) => line.startsWith('::warning::'))
    ).toEqual([])
  })

  it('stops after three creates whose answers are lost and none listed', async () => {
    emulator.faults.add(CREATE, { status: 503 }, 'html-502', 'reset')
    const result = await runAction({ inputs: inputs(), pullRequest: PR })
    expect(errorLine(result)).toContain(
      'POST /v1/storage/stores/integration/direct got no answer'
    )
    expect(errorLine(result)).toContain(
      '(3 creates, and the store is not listed after any)'
    )
    expect(emulator.counts()).toEqual({
      [LIST]: 1 + 3 * RELISTS_AFTER_A_LOST_CREATE,
      [CREATE]: 3
    })
    expect(ourStores()).toHaveLength(0)
  })
})

describe('concurrent runs with one key, through dist/index.js', () => {
  /**
   * Starts the bundles at once, no concurrency group, with the emulator
   * holding every listing until all of them have listed: each finds no store,
   * and each creates.
   */
  async function race(runs: number): Promise<RunResult[]> {
    emulator.options.hold = { routes: [LIST], until: runs }
    try {
      return await Promise.all(
        Array.from({ length: runs }, () =>
          runAction({ inputs: inputs(), pullRequest: PR, bundle: true })
        )
      )
    } finally {
      emulator.options.hold = undefined
    }
  }

  it('five runs each succeed, and the next run takes the oldest store and names the rest', async () => {
    const results = await race(5)
    const stores = ourStores().sort(
      (a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id)
    )
    const ids = stores.map(({ id }) => id)
    for (const result of results) {
      expect(result.exitCode).toBe(0)
      expect(ids).toContain(result.outputs['store-id'])
    }
    // The race happened: more than one run created.
    expect(stores.length).toBeGreaterThan(1)
    expect(stores.length).toBeLessThanOrEqual(5)

    const [oldest, ...duplicates] = stores
    const next = await runAction({ inputs: inputs(), pullRequest: PR })
    expect(next.exitCode).toBe(0)
    expect(next.outputs).toMatchObject({
      'store-id': oldest.id,
      created: 'false'
    })
    const [warning] = warningLines(next)
    expect(warning).toContain(
      `${stores.length} stores share the key "acme/web#${PR}"; using the oldest, ${oldest.id}`
    )
    for (const { id } of duplicates) {
      expect(warning).toContain(id)
      expect(next.summary).toContain(id)
    }
    expect(ourStores()).toHaveLength(stores.length)

    // Closing the pull request removes every one of them.
    const close = await runAction({
      inputs: inputs({ state: 'absent' }),
      pullRequest: PR
    })
    expect(close.exitCode).toBe(0)
    expect(close.outputs).toMatchObject({
      deleted: 'true',
      'store-id': oldest.id
    })
    for (const { id } of stores) expect(close.summary).toContain(id)
    expect(ourStores()).toEqual([])
  })
})
