/**
 * Errors the CLI reports to people: a message on stderr and an exit code, never a stack trace.
 */

/** Exit codes, documented in docs/live-push.md#cli. */
export const EXIT = {
  ok: 0,
  /** The operation failed: a build failed, the server refused the module. */
  failed: 1,
  /** Wrong arguments. */
  usage: 2,
  /** No dev server to talk to. */
  noServer: 3,
  /** The dev server refused the token. */
  auth: 4,
};

export class CliError extends Error {
  /**
   * @param {string} message for the person at the terminal
   * @param {number} code one of {@link EXIT}
   */
  constructor(message, code = EXIT.failed) {
    super(message);
    this.name = 'CliError';
    this.code = code;
  }
}
