/**
 * The emulator's sense of time. A test that runs the action in-process with a
 * virtual clock moves this clock forward by the same amount, so a store that
 * settles "after 4 s" settles after 4 s of the action's waiting, not of the
 * machine's.
 */
let offsetMs = 0

export const clock = {
  now(): number {
    return Date.now() + offsetMs
  },
  advance(ms: number): void {
    offsetMs += Math.max(0, Math.ceil(ms))
  }
}
