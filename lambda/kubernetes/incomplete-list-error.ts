/** A read that could not be completed; the message says why. Nothing may be concluded from it. */
export class IncompleteListError extends Error {
  override readonly name = 'IncompleteListError';
  constructor(
    message: string,
    /** The API server's HTTP status when it refused the read (401, 403, ...). */
    readonly statusCode?: number,
  ) {
    super(message);
  }
}
