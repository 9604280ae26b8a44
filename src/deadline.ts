/**
 * The step's one deadline: every request, retry and wait takes its time from
 * here, so `timeout` bounds the whole step rather than each call.
 */
export class Deadline {
  readonly seconds: number
  readonly at: number
  private readonly now: () => number
  private readonly abortAfter: (ms: number) => AbortSignal

  /** `now` and `abortAfter` are the clock: real time, or a test's. */
  constructor(
    seconds: number,
    now: () => number = Date.now,
    abortAfter: (ms: number) => AbortSignal = (ms) => AbortSignal.timeout(ms)
  ) {
    this.seconds = seconds
    this.now = now
    this.abortAfter = abortAfter
    this.at = now() + seconds * 1000
  }

  /** Aborts when the deadline passes: what bounds every request. */
  signal(): AbortSignal {
    return this.abortAfter(this.remainingMs())
  }

  remainingMs(): number {
    return Math.max(0, this.at - this.now())
  }

  expired(): boolean {
    return this.remainingMs() === 0
  }
}
