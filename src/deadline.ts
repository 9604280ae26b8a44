/**
 * The step's one deadline: every request, retry and wait takes its time from
 * here, so `timeout` bounds the whole step rather than each call.
 */
export class Deadline {
  readonly seconds: number
  readonly at: number
  private readonly now: () => number

  constructor(seconds: number, now: () => number = Date.now) {
    this.seconds = seconds
    this.now = now
    this.at = now() + seconds * 1000
  }

  remainingMs(): number {
    return Math.max(0, this.at - this.now())
  }

  expired(): boolean {
    return this.remainingMs() === 0
  }
}
