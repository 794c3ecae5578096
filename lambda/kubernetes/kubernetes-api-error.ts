/**
 * The API server answered with an error status. `reason` and `message` come from
 * the Kubernetes `Status` object when the body is one.
 */
export class KubernetesApiError extends Error {
  override readonly name = 'KubernetesApiError';
  constructor(
    readonly statusCode: number,
    readonly reason: string,
    readonly statusMessage: string,
    /** Seconds from a `Retry-After` header (429, some 5xx). */
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(`HTTP ${statusCode} ${reason}: ${statusMessage}`);
  }
}

/** The request did not produce a usable answer: connection, TLS, timeout or an unreadable body. */
export class KubernetesTransportError extends Error {
  override readonly name = 'KubernetesTransportError';
}
