import { IncompleteListError } from './incomplete-list-error';
import { KubernetesApiError, KubernetesTransportError } from './kubernetes-api-error';

export interface RetryOptions {
  /** Attempts for one request on 429, 5xx or a transport error, the first included. */
  readonly maxAttemptsPerPage: number;
  /** A 429 or 503 asking to wait longer than this fails the read instead of stalling the sweep. */
  readonly maxRetryAfterSeconds: number;
  /** First backoff when the server gave no Retry-After; doubles per attempt. */
  readonly baseBackoffMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

interface Getter {
  getJson(path: string, query: Readonly<Record<string, string>>): Promise<unknown>;
}

/**
 * GETs one path, retrying 429, 5xx and transport errors with bounded, doubling
 * backoff (or the server's Retry-After, up to a limit). Whatever retries cannot
 * cure throws IncompleteListError, its message starting with `what`; `interrupt`
 * may turn an error into one of the caller's own, thrown as is without retrying.
 */
export async function getWithRetries(
  api: Getter,
  path: string,
  query: Readonly<Record<string, string>>,
  what: string,
  options: RetryOptions & { readonly interrupt?: (error: unknown) => Error | undefined },
): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.getJson(path, query);
    } catch (error) {
      const interrupted = options.interrupt?.(error);
      if (interrupted !== undefined) throw interrupted;
      const wait = retryDelayMs(error, attempt, options);
      if (wait === undefined || attempt >= options.maxAttemptsPerPage) {
        const attempts = attempt > 1 ? ` after ${attempt} attempts` : '';
        throw new IncompleteListError(
          `${what}${attempts}: ${describe(error)}`,
          error instanceof KubernetesApiError ? error.statusCode : undefined,
        );
      }
      await options.sleep(wait);
    }
  }
}

/** How long to wait before retrying, or undefined when retrying cannot help. */
function retryDelayMs(error: unknown, attempt: number, options: RetryOptions): number | undefined {
  const backoff = options.baseBackoffMs * 2 ** (attempt - 1);
  if (error instanceof KubernetesTransportError) return backoff;
  if (!(error instanceof KubernetesApiError)) return undefined;
  const retryable = error.statusCode === 429 || (error.statusCode >= 500 && error.statusCode <= 599);
  if (!retryable) return undefined;
  if (error.retryAfterSeconds === undefined) return backoff;
  if (error.retryAfterSeconds > options.maxRetryAfterSeconds) return undefined;
  return error.retryAfterSeconds * 1000;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
