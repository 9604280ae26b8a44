import { describe, expect, it } from 'vitest'
import { Deadline } from '../src/vercel-client.ts'
import type { FoundStore } from '../src/store.ts'
import { StepTimeoutError } from '../src/errors.ts'
import { END_STATUSES, waitUntilAvailable } from '../src/store.ts'
import type { VercelStore } from '../src/vercel-api.ts'

/** A clock that moves only when the wait sleeps. */
function fakeTime(timeoutSeconds = 300) {
  let now = 0
  const sleeps: number[] = []
  return {
    deadline: new Deadline(timeoutSeconds, () => now),
    sleeps,
    options: {
      random: () => 0.5,
      sleep: async (ms: number) => {
        sleeps.push(ms)
        now += ms
      }
    }
  }
}

/** A store API whose GET answers the given statuses in turn, then the last. */
function statuses(...answers: (VercelStore | string | null)[]) {
  const reads: string[] = []
  return {
    reads,
    async getStore(id: string) {
      reads.push(id)
      const answer = answers[Math.min(reads.length - 1, answers.length - 1)]
      return typeof answer === 'object' && answer !== null
        ? answer
        : { id, status: answer }
    }
  }
}

const initializing: FoundStore = {
  id: 'store_1',
  name: 'web-pr-1',
  status: 'initializing'
}

describe('waitUntilAvailable', () => {
  it('costs nothing for a store already available', async () => {
    const api = statuses('available')
    const time = fakeTime()
    const store = { ...initializing, status: 'available' }
    expect(
      await waitUntilAvailable(api, store, time.deadline, time.options)
    ).toBe(store)
    expect(api.reads).toEqual([])
  })

  it('reads at once, then every 0.9 to 1 s', async () => {
    const api = statuses(
      'initializing',
      'onboarding',
      null,
      'initializing',
      'available'
    )
    const time = fakeTime()
    const store = await waitUntilAvailable(
      api,
      initializing,
      time.deadline,
      time.options
    )
    expect(store).toMatchObject({ id: 'store_1', status: 'available' })
    expect(api.reads).toHaveLength(5)
    expect(time.sleeps).toEqual([950, 950, 950, 950])
  })

  it('spreads the pauses between 0.9 and 1 s', async () => {
    const pauses = []
    for (const random of [0, 1]) {
      const time = fakeTime()
      await waitUntilAvailable(
        statuses('initializing', 'available'),
        initializing,
        time.deadline,
        { ...time.options, random: () => random }
      )
      pauses.push(...time.sleeps)
    }
    expect(pauses).toEqual([1000, 900])
  })

  it.each(END_STATUSES)(
    'fails on %s with the store’s own notification',
    async (status) => {
      const api = statuses({
        id: 'store_1',
        status,
        notification: {
          title: 'Database suspended',
          level: 'error',
          message: 'The compute quota\nis exhausted.'
        }
      })
      const time = fakeTime()
      await expect(
        waitUntilAvailable(api, initializing, time.deadline, time.options)
      ).rejects.toThrow(
        `Store "web-pr-1" (store_1) is ${status}, which it will not leave by itself. Vercel says: Database suspended: The compute quota is exhausted. Resolve it in the Vercel dashboard, or delete the store and run the job again.`
      )
      expect(api.reads).toHaveLength(1)
    }
  )

  it('says so when Vercel gives no reason', async () => {
    const time = fakeTime()
    await expect(
      waitUntilAvailable(
        statuses('error'),
        initializing,
        time.deadline,
        time.options
      )
    ).rejects.toThrow(
      'is error, which it will not leave by itself. Vercel gives no reason.'
    )
  })

  it('stops at the deadline, naming the last status and the time waited', async () => {
    const api = statuses('initializing', 'onboarding')
    const time = fakeTime(5)
    await expect(
      waitUntilAvailable(api, initializing, time.deadline, time.options)
    ).rejects.toThrow(
      'Store "web-pr-1" (store_1) is still onboarding after 5 s of waiting, and the step\'s 5 s are up; raise "timeout", or set "wait" to false to go on without waiting.'
    )
    // Five pauses of 0.95 s, then the last 0.25 s: never past the deadline.
    expect(time.sleeps).toEqual([950, 950, 950, 950, 950, 250])
    expect(api.reads).toHaveLength(6)
  })
})

describe('a deadline that runs out during a read', () => {
  it('still names the last status seen', async () => {
    const time = fakeTime(5)
    let reads = 0
    const api = {
      async getStore(id: string): Promise<VercelStore> {
        reads++
        if (reads === 1) return { id, status: 'onboarding' }
        throw StepTimeoutError.ranOut(5, `GET /v1/storage/stores/${id}`)
      }
    }
    await expect(
      waitUntilAvailable(api, initializing, time.deadline, time.options)
    ).rejects.toThrow(
      /^Store "web-pr-1" \(store_1\) is still onboarding after 1 s of waiting, and the step's 5 s are up/
    )
  })
})
