import { Inputs } from './constants.js'

/** The step's `timeout` ran out: no request, retry or wait may go past it. */
export class StepTimeoutError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StepTimeoutError'
  }

  /** `attempting` says what was being done, e.g. "waiting for GET /v1/storage/stores". */
  static ranOut(
    seconds: number,
    attempting: string,
    detail = ''
  ): StepTimeoutError {
    return new StepTimeoutError(
      `The step's timeout (${seconds} s) ran out while ${attempting}${detail}; raise "${Inputs.timeout}" or run the job again.`
    )
  }

  /** The wait before the next try would end after the deadline. */
  static waitTooLong(
    seconds: number,
    attempted: string,
    wait: { ms: string; askedBy?: string },
    left: string
  ): StepTimeoutError {
    const waiting = wait.askedBy
      ? `${wait.askedBy} asks to wait ${wait.ms} before trying again`
      : `the next try would be in ${wait.ms}`
    return new StepTimeoutError(
      `${attempted}; ${waiting}, more than the ${left} left of the step's timeout (${seconds} s). Raise "${Inputs.timeout}" or run the job again later.`
    )
  }
}
