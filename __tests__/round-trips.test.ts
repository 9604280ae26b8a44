import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../emulator/index.ts'
import { runAction } from '../harness/run-action.ts'
import {
  SCENARIOS,
  routeOf,
  type RoundTrip,
  type Scenario
} from '../harness/scenarios.ts'

let emulator: Emulator

beforeEach(async () => {
  emulator = await startEmulator()
})

afterEach(async () => {
  await emulator.close()
})

/**
 * The recorded routes, cut into the planned round trips; requests made
 * concurrently are sorted, since their order is not the action's to keep.
 */
function asRoundTrips(routes: string[], plan: RoundTrip[]): string[][] {
  let next = 0
  const trips = plan.map((trip) => {
    const size = Array.isArray(trip) ? trip.length : 1
    const taken = routes.slice(next, next + size).sort()
    next += size
    return taken
  })
  // Anything beyond the plan is a round trip too many.
  return next < routes.length ? [...trips, routes.slice(next)] : trips
}

function planned(plan: RoundTrip[]): string[][] {
  return plan.map((trip) =>
    (Array.isArray(trip) ? trip : [trip]).map(routeOf).sort()
  )
}

describe('round trips of dist/index.js: the fewest requests, in order', () => {
  it.each(Object.values(SCENARIOS) as Scenario[])('$name', async (scenario) => {
    const result = await runAction(scenario.prepare(emulator))
    // The log beside the exit code, to show why if a run fails.
    expect({ exitCode: result.exitCode, log: result.stdout }).toMatchObject({
      exitCode: 0
    })
    expect(result.outputs).toMatchObject(scenario.outputs)
    const plan = scenario.roundTrips(emulator)
    const routes = emulator.requests.map(({ route }) => route)
    expect(asRoundTrips(routes, plan)).toEqual(planned(plan))
    expect(emulator.requests.every(({ status }) => status < 400)).toBe(true)
  })

  it('reuse with ids makes one request: the list', async () => {
    await runAction(SCENARIOS.reuseWithIds.prepare(emulator))
    expect(emulator.counts()).toEqual({ 'GET /v1/storage/stores': 1 })
  })

  it('create with ids makes two: the list, then the create', async () => {
    await runAction(SCENARIOS.createWithIds.prepare(emulator))
    expect(emulator.requests.map(({ route }) => route)).toEqual([
      'GET /v1/storage/stores',
      'POST /v1/storage/stores/integration/direct'
    ])
  })
})
