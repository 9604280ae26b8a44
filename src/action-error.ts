/**
 * A failure the action itself found (a store in an end state, a name clash,
 * a project that does not exist…), whose message already says what to do;
 * not a request that failed.
 */
export class ActionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ActionError'
  }
}
