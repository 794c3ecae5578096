/** A read that could not be completed; the message says why. Nothing may be concluded from it. */
export class IncompleteListError extends Error {
  override readonly name = 'IncompleteListError';
}
