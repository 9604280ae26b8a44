import { setTimeout as realSleep } from 'node:timers/promises'

/**
 * The emulator's sense of time, shared with the action when a test runs it
 * in-process. Virtual time moves only when someone pauses: the action between
 * polls and retries, or the emulator holding an answer back. So a store that
 * settles "after 4 s" settles after 4 s of the action's waiting, and an answer
 * delayed past the step's deadline ends the step at once instead of after the
 * real seconds. A run of the bundle, in its own process, keeps real time.
 */
const MAX_REAL_PAUSE_MS = 25

let offsetMs = 0
let virtual = false
const timers = new Set<{ at: number; fire: () => void }>()

export const clock = {
  now(): number {
    return Date.now() + offsetMs
  },

  /** Moves virtual time forward, firing the timers that come due. */
  advance(ms: number): void {
    offsetMs += Math.max(0, Math.ceil(ms))
    const now = clock.now()
    for (const timer of timers) {
      if (timer.at <= now) {
        timers.delete(timer)
        timer.fire()
      }
    }
  },

  /** An AbortSignal that aborts once `ms` have passed, virtual or real. */
  abortAfter(ms: number): AbortSignal {
    const controller = new AbortController()
    const timer = {
      at: clock.now() + ms,
      fire: () =>
        controller.abort(new DOMException('timed out', 'TimeoutError'))
    }
    timers.add(timer)
    const real = AbortSignal.timeout(Math.max(0, Math.ceil(ms)))
    real.addEventListener('abort', () => timers.delete(timer), { once: true })
    return AbortSignal.any([controller.signal, real])
  },

  /** The emulator's pauses: virtual while an in-process run is on. */
  async pause(ms: number): Promise<void> {
    if (ms <= 0) return
    if (!virtual) {
      await realSleep(ms)
      return
    }
    clock.advance(ms)
    // A little real time still, so that requests sent together overlap here
    // as they would on a slow server.
    await realSleep(Math.min(ms, MAX_REAL_PAUSE_MS))
  },

  /** Set by the test harness around an in-process run. */
  setVirtual(on: boolean): void {
    virtual = on
    if (!on) timers.clear()
  }
}
