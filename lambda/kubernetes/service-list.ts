import { KubernetesApiError, KubernetesTransportError } from './kubernetes-api-error';
import type { ServiceSummary } from './service-summary';

/** The subset of the API client a list needs; lets tests count or fake requests. */
export interface JsonGetter {
  getJson(path: string, query: Readonly<Record<string, string>>): Promise<unknown>;
}

export interface ServiceListOptions {
  /** `limit` per page; the API server may return fewer. */
  readonly pageSize: number;
  /** Attempts for one page on 429, 5xx or a transport error, the first included. */
  readonly maxAttemptsPerPage: number;
  /** A 429 or 503 asking to wait longer than this fails the read instead of stalling the sweep. */
  readonly maxRetryAfterSeconds: number;
  /** First backoff when the server gave no Retry-After; doubles per attempt. */
  readonly baseBackoffMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface ServiceListResult {
  readonly services: ReadonlyMap<string, ServiceSummary>;
  /** The list's `metadata.resourceVersion`: the snapshot the read saw. */
  readonly resourceVersion: string;
}

/** A list that could not be completed; the message says why. Nothing may be concluded from it. */
export class IncompleteListError extends Error {
  override readonly name = 'IncompleteListError';
  constructor(
    message: string,
    /** The API server's HTTP status when it refused the list (401, 403, ...). */
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

const SERVICES_PATH = '/api/v1/services';

/**
 * Lists every Service of a cluster in pages, as one consistent snapshot.
 *
 * - No `resourceVersion` parameter: a consistent read from etcd. `resourceVersion=0`
 *   may come from a stale watch cache and miss a Service created a moment ago.
 * - An expired continue token (410) restarts the list from the beginning once,
 *   rather than accepting the inconsistent continuation the server offers.
 * - Any failure that retries cannot cure throws IncompleteListError.
 */
export async function listAllServices(
  api: JsonGetter,
  options: ServiceListOptions,
): Promise<ServiceListResult> {
  try {
    return await listOnce(api, options);
  } catch (error) {
    if (!(error instanceof ContinueExpired)) throw error;
    try {
      return await listOnce(api, options);
    } catch (second) {
      if (second instanceof ContinueExpired) {
        throw new IncompleteListError(
          'the continue token expired twice (410 Gone); the list was restarted once',
        );
      }
      throw second;
    }
  }
}

class ContinueExpired extends Error {}

async function listOnce(api: JsonGetter, options: ServiceListOptions): Promise<ServiceListResult> {
  const services = new Map<string, ServiceSummary>();
  let continueToken: string | undefined;
  let resourceVersion: string | undefined;
  let page = 0;
  do {
    page += 1;
    const query: Record<string, string> = { limit: String(options.pageSize) };
    if (continueToken !== undefined) query.continue = continueToken;
    const body = await getPage(api, query, page, options);
    const list = parseServiceList(body, page);
    // Every page of one list is served from the same snapshot; a change means the
    // pages do not add up to one consistent view.
    if (resourceVersion !== undefined && list.resourceVersion !== resourceVersion) {
      throw new IncompleteListError(
        `page ${page} came from resourceVersion ${list.resourceVersion}, page 1 from ${resourceVersion}`,
      );
    }
    resourceVersion = list.resourceVersion;
    for (const service of list.items) {
      const key = `${service.namespace}/${service.name}`;
      if (services.has(key)) throw new IncompleteListError(`page ${page} repeats Service ${key}`);
      services.set(key, service);
    }
    continueToken = list.continueToken;
  } while (continueToken !== undefined);
  return { services, resourceVersion: resourceVersion ?? '' };
}

async function getPage(
  api: JsonGetter,
  query: Readonly<Record<string, string>>,
  page: number,
  options: ServiceListOptions,
): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.getJson(SERVICES_PATH, query);
    } catch (error) {
      if (error instanceof KubernetesApiError && error.statusCode === 410 && query.continue !== undefined) {
        throw new ContinueExpired();
      }
      const wait = retryDelayMs(error, attempt, options);
      if (wait === undefined || attempt >= options.maxAttemptsPerPage) {
        const attempts = attempt > 1 ? ` after ${attempt} attempts` : '';
        throw new IncompleteListError(
          `listing Services, page ${page}${attempts}: ${describe(error)}`,
          error instanceof KubernetesApiError ? error.statusCode : undefined,
        );
      }
      await options.sleep(wait);
    }
  }
}

/** How long to wait before retrying, or undefined when retrying cannot help. */
function retryDelayMs(error: unknown, attempt: number, options: ServiceListOptions): number | undefined {
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

interface ParsedList {
  readonly resourceVersion: string;
  readonly continueToken: string | undefined;
  readonly items: ServiceSummary[];
}

/**
 * Reads a ServiceList strictly: an item the janitor cannot identify makes the
 * whole list unusable, since that item could be the owner of any load balancer.
 */
function parseServiceList(body: unknown, page: number): ParsedList {
  const list = asRecord(body);
  if (list?.kind !== 'ServiceList') throw new IncompleteListError(`page ${page} is not a ServiceList`);
  const metadata = asRecord(list.metadata);
  const resourceVersion = metadata?.resourceVersion;
  if (typeof resourceVersion !== 'string' || resourceVersion === '') {
    throw new IncompleteListError(`page ${page} has no metadata.resourceVersion`);
  }
  const next = metadata?.continue;
  const continueToken = typeof next === 'string' && next !== '' ? next : undefined;
  if (!Array.isArray(list.items)) throw new IncompleteListError(`page ${page} has no items array`);
  const items = list.items.map((item: unknown, index: number) => {
    const service = parseService(item);
    if (service === undefined) {
      throw new IncompleteListError(
        `page ${page}, item ${index}: a Service without namespace, name or spec.type`,
      );
    }
    return service;
  });
  return { resourceVersion, continueToken, items };
}

function parseService(item: unknown): ServiceSummary | undefined {
  const record = asRecord(item);
  const metadata = asRecord(record?.metadata);
  const spec = asRecord(record?.spec);
  const namespace = metadata?.namespace;
  const name = metadata?.name;
  const type = spec?.type;
  if (typeof namespace !== 'string' || typeof name !== 'string' || typeof type !== 'string') return undefined;
  if (namespace === '' || name === '' || type === '') return undefined;
  const ingress = asRecord(asRecord(record?.status)?.loadBalancer)?.ingress;
  const entries = Array.isArray(ingress) ? ingress.map(asRecord) : [];
  return {
    namespace,
    name,
    uid: typeof metadata?.uid === 'string' ? metadata.uid : '',
    type,
    ingressHostnames: entries.flatMap((entry) =>
      typeof entry?.hostname === 'string' ? [entry.hostname] : [],
    ),
    ingressIps: entries.flatMap((entry) => (typeof entry?.ip === 'string' ? [entry.ip] : [])),
  };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
