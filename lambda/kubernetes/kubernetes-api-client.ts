import { Agent, request } from 'node:https';
import { KubernetesApiError, KubernetesTransportError } from './kubernetes-api-error';

export interface KubernetesApiClientOptions {
  /** `https://…` from EKS DescribeCluster. */
  readonly endpoint: string;
  /** PEM of the cluster's CA, from EKS DescribeCluster; TLS is verified against it, never switched off. */
  readonly caPem: string;
  /** Returns a bearer token that is valid now. */
  readonly token: () => Promise<string>;
  /** Whole-request limit: connect, headers and body. */
  readonly requestTimeoutMs: number;
}

/** A minimal, read-only Kubernetes API client: GET a path, parse JSON, turn errors into types. */
export class KubernetesApiClient {
  private readonly agent: Agent;
  private readonly base: URL;

  constructor(private readonly options: KubernetesApiClientOptions) {
    this.base = new URL(options.endpoint);
    if (this.base.protocol !== 'https:') {
      throw new KubernetesTransportError(`cluster endpoint ${options.endpoint} is not https`);
    }
    this.agent = new Agent({ ca: options.caPem, keepAlive: true, maxSockets: 1 });
  }

  async getJson(path: string, query: Readonly<Record<string, string>> = {}): Promise<unknown> {
    const url = new URL(path, this.base);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const token = await this.options.token();
    const body = await this.send(url, token);
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw new KubernetesTransportError(`GET ${url.pathname}: the response is not JSON`);
    }
  }

  /** Closes idle connections so a finished sweep leaves nothing open. */
  close(): void {
    this.agent.destroy();
  }

  private send(url: URL, token: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'GET',
          agent: this.agent,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (error) => fail(`GET ${url.pathname}: ${error.message}`));
          res.on('aborted', () => fail(`GET ${url.pathname}: the connection closed mid-response`));
          res.on('end', () => {
            if (!res.complete) return fail(`GET ${url.pathname}: the connection closed mid-response`);
            clearTimeout(timer);
            const body = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve(body);
            reject(apiError(status, body, res.headers['retry-after']));
          });
        },
      );
      const timer = setTimeout(
        () => fail(`GET ${url.pathname}: no complete answer within ${this.options.requestTimeoutMs} ms`),
        this.options.requestTimeoutMs,
      );
      req.on('error', (error) => fail(`GET ${url.pathname}: ${describeNetworkError(error)}`));
      req.end();

      function fail(message: string): void {
        clearTimeout(timer);
        req.destroy();
        reject(new KubernetesTransportError(message));
      }
    });
  }
}

function apiError(
  status: number,
  body: string,
  retryAfter: string | string[] | undefined,
): KubernetesApiError {
  let reason = 'Unknown';
  let message = body.slice(0, 200);
  try {
    const parsed = JSON.parse(body) as { kind?: unknown; reason?: unknown; message?: unknown };
    if (parsed.kind === 'Status') {
      if (typeof parsed.reason === 'string') reason = parsed.reason;
      if (typeof parsed.message === 'string') message = parsed.message;
    }
  } catch {
    // Not a Status object (a proxy's HTML page, say): keep the start of the body.
  }
  return new KubernetesApiError(status, reason, message, parseRetryAfter(retryAfter));
}

// Retry-After is either delay-seconds or an HTTP date (RFC 9110 10.2.3).
function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim());
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function describeNetworkError(error: Error & { code?: string }): string {
  return error.code !== undefined && !error.message.includes(error.code)
    ? `${error.code} ${error.message}`
    : error.message;
}
