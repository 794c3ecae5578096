import { getWithRetries, type RetryOptions } from './api-retry';
import { IncompleteListError } from './incomplete-list-error';
import { KubernetesApiError } from './kubernetes-api-error';
import { asRecord } from './object-fields';

export { IncompleteListError } from './incomplete-list-error';

/** The subset of the API client a list needs; lets tests count or fake requests. */
export interface JsonGetter {
  getJson(path: string, query: Readonly<Record<string, string>>): Promise<unknown>;
}

export interface ObjectListOptions extends RetryOptions {
  /** `limit` per page; the API server may return fewer. */
  readonly pageSize: number;
}

/** An object the list keys by `<namespace>/<name>`. */
export interface NamespacedObject {
  readonly namespace: string;
  readonly name: string;
}

/** What the strict list needs to know of one kind. */
export interface KindSpec<T extends NamespacedObject> {
  /** The cluster-wide list path, e.g. `/api/v1/services`. */
  readonly path: string;
  /** The `kind` every page must carry. */
  readonly listKind:
    | 'ServiceList'
    | 'IngressList'
    | 'GatewayList'
    | 'IngressClassList'
    | 'IngressClassParamsList';
  /** Singular and plural, for messages: `Service`, `Services`. */
  readonly noun: string;
  readonly pluralNoun: string;
  /** An unusable item, for the message: `a Service without namespace, name or spec.type`. */
  readonly unusableItem: string;
  /** The item as the janitor needs it, or undefined when it cannot be identified. */
  parse(item: unknown): T | undefined;
}

export interface ObjectListResult<T> {
  /** Every object, keyed `<namespace>/<name>`. */
  readonly items: ReadonlyMap<string, T>;
  /** The list's `metadata.resourceVersion`: the snapshot the read saw. */
  readonly resourceVersion: string;
}

/**
 * Lists every object of one kind in a cluster in pages, as one consistent snapshot.
 *
 * - No `resourceVersion` parameter: a consistent read from etcd. `resourceVersion=0`
 *   may come from a stale watch cache and miss an object created a moment ago.
 * - An expired continue token (410) restarts the list from the beginning once,
 *   rather than accepting the inconsistent continuation the server offers.
 * - An item the kind cannot parse makes the whole list unusable: that item could
 *   be the owner of any load balancer.
 * - Any failure that retries cannot cure throws IncompleteListError.
 */
export async function listAllObjects<T extends NamespacedObject>(
  api: JsonGetter,
  kind: KindSpec<T>,
  options: ObjectListOptions,
): Promise<ObjectListResult<T>> {
  try {
    return await listOnce(api, kind, options);
  } catch (error) {
    if (!(error instanceof ContinueExpired)) throw error;
    try {
      return await listOnce(api, kind, options);
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

async function listOnce<T extends NamespacedObject>(
  api: JsonGetter,
  kind: KindSpec<T>,
  options: ObjectListOptions,
): Promise<ObjectListResult<T>> {
  const items = new Map<string, T>();
  let continueToken: string | undefined;
  let resourceVersion: string | undefined;
  let page = 0;
  do {
    page += 1;
    const query: Record<string, string> = { limit: String(options.pageSize) };
    if (continueToken !== undefined) query.continue = continueToken;
    const body = await getWithRetries(api, kind.path, query, `listing ${kind.pluralNoun}, page ${page}`, {
      ...options,
      // A continuation's 410 restarts the list; the first page's 410 is a plain failure.
      interrupt: (error) =>
        error instanceof KubernetesApiError && error.statusCode === 410 && query.continue !== undefined
          ? new ContinueExpired()
          : undefined,
    });
    const list = parsePage(body, page, kind);
    // Every page of one list is served from the same snapshot; a change means the
    // pages do not add up to one consistent view.
    if (resourceVersion !== undefined && list.resourceVersion !== resourceVersion) {
      throw new IncompleteListError(
        `page ${page} came from resourceVersion ${list.resourceVersion}, page 1 from ${resourceVersion}`,
      );
    }
    resourceVersion = list.resourceVersion;
    for (const item of list.items) {
      const key = `${item.namespace}/${item.name}`;
      if (items.has(key)) throw new IncompleteListError(`page ${page} repeats ${kind.noun} ${key}`);
      items.set(key, item);
    }
    continueToken = list.continueToken;
  } while (continueToken !== undefined);
  return { items, resourceVersion: resourceVersion ?? '' };
}

interface ParsedPage<T> {
  readonly resourceVersion: string;
  readonly continueToken: string | undefined;
  readonly items: T[];
}

function parsePage<T extends NamespacedObject>(
  body: unknown,
  page: number,
  kind: KindSpec<T>,
): ParsedPage<T> {
  const list = asRecord(body);
  if (list?.kind !== kind.listKind) throw new IncompleteListError(`page ${page} is not a ${kind.listKind}`);
  const metadata = asRecord(list.metadata);
  const resourceVersion = metadata?.resourceVersion;
  if (typeof resourceVersion !== 'string' || resourceVersion === '') {
    throw new IncompleteListError(`page ${page} has no metadata.resourceVersion`);
  }
  const next = metadata?.continue;
  const continueToken = typeof next === 'string' && next !== '' ? next : undefined;
  if (!Array.isArray(list.items)) throw new IncompleteListError(`page ${page} has no items array`);
  const items = list.items.map((item: unknown, index: number) => {
    const parsed = kind.parse(item);
    if (parsed === undefined) {
      throw new IncompleteListError(`page ${page}, item ${index}: ${kind.unusableItem}`);
    }
    return parsed;
  });
  return { resourceVersion, continueToken, items };
}
