import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateCertificates } from './certificates';
import { type ContinuePosition, decodeContinue, encodeContinue } from './continue-token';
import { EksTokenVerifier, type FakeCredentials } from './eks-token-verifier';
import { type Fault, type FaultEffect, FaultQueue, type OmittableField } from './faults';
import {
  badRequest,
  continueExpired,
  forbidden,
  internalError,
  type KubernetesStatus,
  listExpired,
  methodNotAllowed,
  type RequestAttributes,
  resourceNotFound,
  StatusError,
  serviceNotFound,
  serviceUnavailable,
  tooManyRequests,
  unauthorized,
} from './kubernetes-status';
import { parseFieldSelector, parseLabelSelector, type ServicePredicate } from './selectors';
import {
  type FakeServiceSpec,
  type ServicesSnapshot,
  ServicesStore,
  type StoredService,
} from './services-store';

export interface FakeEksApiServerOptions {
  /** The name tokens must be signed for (their x-k8s-aws-id header). */
  readonly clusterName: string;
  /** The cluster's region: tokens must be presigned for its STS endpoint or the global one. */
  readonly region: string;
  /** The IAM access keys whose tokens the cluster accepts. */
  readonly credentials: FakeCredentials;
  /** Clock for token dates, continue-token expiry and creation timestamps. @default () => new Date() */
  readonly now?: () => Date;
  /**
   * Age of a list's snapshot after which its continue tokens answer 410 Expired.
   * @default 300_000 (5 minutes, kube-apiserver's etcd compaction interval)
   */
  readonly continueTokenTtlMs?: number;
  /** Principal ARNs that authenticate but RBAC denies: their every request answers 403. @default none */
  readonly deniedPrincipals?: readonly string[];
}

/** One request as the server saw and answered it. */
export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  /** The query parameters, decoded; resourceVersion, resourceVersionMatch, limit, continue among them. */
  readonly query: Readonly<Record<string, string>>;
  /** The HTTP status sent; 0 when the connection was reset without an answer. */
  readonly status: number;
  /** Whether the bearer token was valid (authentication, not RBAC). */
  readonly authorized: boolean;
  /** The caller's ARN when the token was valid. */
  readonly principal?: string;
  /** Why the token was refused, when it was. */
  readonly authFailure?: string;
  /** The fault that hit this request, if any. */
  readonly fault?: FaultEffect['type'];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A request as the handlers need it. */
interface ParsedRequest {
  readonly method: string;
  readonly path: string;
  readonly route: Route;
  readonly query: Readonly<Record<string, string>>;
  /** Page of its list (1 without `continue`); undefined for anything else. */
  readonly page: number | undefined;
}

type Route =
  | { readonly kind: 'list'; readonly namespace?: string }
  | { readonly kind: 'get'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'unknown' };

interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

interface ListSnapshot {
  readonly snapshot: ServicesSnapshot;
  /** When a list last started at this resourceVersion; its continue tokens expire from then. */
  startedAtMs: number;
}

const DEFAULT_CONTINUE_TTL_MS = 5 * 60_000;
// What API Priority and Fairness sends when it rejects a request.
const DEFAULT_RETRY_AFTER_SECONDS = 1;

/**
 * A Kubernetes API server that answers like EKS for Services: EKS bearer tokens, TLS
 * from its own CA, list pagination over consistent snapshots, and injectable faults.
 * Like every cluster it starts with one Service, `default/kubernetes` (ClusterIP).
 */
export class FakeEksApiServer {
  /** `https://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** PEM of the CA that signed the server's certificate. */
  readonly caPem: string;
  /** Base64 of the PEM, as EKS DescribeCluster's `certificateAuthority.data` gives it. */
  readonly caBase64: string;

  private readonly log: Mutable<RequestRecord>[] = [];
  private readonly faults = new FaultQueue();
  private readonly listSnapshots = new Map<number, ListSnapshot>();
  // Which page of its list a continue token leads to, for faults aimed at a page.
  private readonly pageOfContinue = new Map<string, number>();
  private staleCache: ServicesSnapshot;

  private constructor(
    private readonly server: Server,
    caPem: string,
    private readonly store: ServicesStore,
    private readonly verifier: EksTokenVerifier,
    private readonly options: FakeEksApiServerOptions & { readonly now: () => Date },
  ) {
    const { port } = server.address() as AddressInfo;
    this.endpoint = `https://127.0.0.1:${port}`;
    this.caPem = caPem;
    this.caBase64 = Buffer.from(caPem, 'utf8').toString('base64');
    this.staleCache = store.snapshot();
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((error: unknown) => {
        // A bug in the fake: answer 500 so the test fails visibly instead of hanging.
        if (!res.headersSent && !res.destroyed) {
          this.write(res, { status: 500, headers: {}, body: internalError(String(error)) });
        }
      });
    });
  }

  /** Starts a server on 127.0.0.1 with a fresh CA; call stop() when done. */
  static async start(options: FakeEksApiServerOptions): Promise<FakeEksApiServer> {
    const now = options.now ?? (() => new Date());
    const certificates = await generateCertificates();
    const server = createServer({ key: certificates.serverKeyPem, cert: certificates.serverCertPem });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new FakeEksApiServer(
      server,
      certificates.caPem,
      new ServicesStore(now),
      new EksTokenVerifier({ ...options, now }),
      { ...options, now },
    );
  }

  /** Every request so far, in arrival order; a fault's `{ request: n }` is an index here. */
  get requests(): readonly RequestRecord[] {
    return this.log;
  }

  /** Creates or replaces a Service; bumps the resourceVersion. */
  putService(spec: FakeServiceSpec): void {
    this.store.put(spec);
  }

  /**
   * Deletes a Service; bumps the resourceVersion; throws when there is none. Deleting
   * `default/kubernetes`, which every cluster starts with, gives a cluster with no Services.
   */
  deleteService(namespace: string, name: string): void {
    this.store.delete(namespace, name);
  }

  /**
   * Makes the Services as they are now what `resourceVersion=0` lists serve, standing in
   * for the API server's watch cache, which may lag. Until called, that is the state the
   * server started with: `default/kubernetes` alone.
   */
  captureStaleCache(): void {
    this.staleCache = this.store.snapshot();
  }

  /** Queues a fault; see {@link Fault}. */
  injectFault(fault: Fault): void {
    this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Stops listening and closes every connection, keep-alive ones included. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://fake-eks.invalid');
    const query = Object.fromEntries(url.searchParams);
    const record: Mutable<RequestRecord> = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      status: 0,
      authorized: false,
    };
    const index = this.log.push(record) - 1;

    const identity = this.authenticate(req.headers.authorization);
    if (!identity.ok) {
      record.authFailure = identity.reason;
      record.status = this.write(res, statusAnswer(unauthorized()));
      return;
    }
    record.authorized = true;
    record.principal = identity.arn;

    const route = parseRoute(url.pathname);
    const page = route.kind === 'list' ? this.listPage(query.continue) : undefined;
    const request: ParsedRequest = { method: record.method, path: record.path, route, query, page };
    const fault = this.faults.take({ index, listPage: page });
    if (fault !== undefined) record.fault = fault.type;
    if (fault?.type === 'delay') {
      await new Promise((resolve) => setTimeout(resolve, fault.ms).unref());
      if (res.destroyed) return;
    }
    if (fault?.type === 'resetConnection') {
      req.socket.destroy();
      return;
    }

    let answer: Answer;
    try {
      answer = this.answer(request, identity.arn, fault);
    } catch (error) {
      if (!(error instanceof StatusError)) throw error;
      answer = statusAnswer(error.status, error.headers);
    }
    if (fault?.type === 'omitItemField') answer = { ...answer, body: omitField(answer.body, fault.field) };
    if (fault?.type === 'malformedJson') {
      const json = JSON.stringify(answer.body);
      // Half of a JSON object never parses: its closing brace is gone.
      record.status = this.write(res, {
        status: 200,
        headers: answer.headers,
        body: json.slice(0, Math.floor(json.length / 2)),
      });
      return;
    }
    record.status = this.write(res, answer, fault?.type === 'truncateBody');
  }

  private authenticate(
    header: string | undefined,
  ): { ok: true; arn: string } | { ok: false; reason: string } {
    // As k8s.io/apiserver's bearer token authenticator splits the header.
    const parts = (header ?? '').trim().split(' ');
    if (parts.length < 2 || parts[0]?.toLowerCase() !== 'bearer' || parts[1] === '') {
      return { ok: false, reason: 'no bearer token' };
    }
    return this.verifier.verify(parts[1] ?? '');
  }

  private answer(request: ParsedRequest, user: string, fault: FaultEffect | undefined): Answer {
    const { method, route, query, page } = request;
    const attributes = requestAttributes(request);
    if (fault?.type === 'status') throw faultStatus(fault.code, fault.retryAfterSeconds, user, attributes);
    if (fault?.type === 'expireContinue') throw this.expiredContinue(query.continue, page);
    if (this.options.deniedPrincipals?.includes(user) === true) {
      throw new StatusError(forbidden(user, attributes));
    }
    if (route.kind === 'unknown') throw new StatusError(resourceNotFound());
    if (method !== 'GET') throw new StatusError(methodNotAllowed());
    if (query.watch === 'true' || query.watch === '1') {
      throw new StatusError(badRequest('fake-eks: watch is not implemented'));
    }
    if (route.kind === 'get') {
      const service = this.store.get(route.namespace, route.name);
      if (service === undefined) throw new StatusError(serviceNotFound(route.name));
      return jsonAnswer({ kind: 'Service', apiVersion: 'v1', ...service });
    }
    return jsonAnswer(this.list(route.namespace, query, page ?? 1));
  }

  /**
   * A list as kube-apiserver serves it from etcd: sorted by key, `limit`/`continue`
   * paging over the snapshot at the list's first page, `resourceVersion=0` from the
   * (stale) watch cache, which ignores `limit`.
   */
  private list(namespace: string | undefined, query: Readonly<Record<string, string>>, page: number): object {
    const prefix = namespace === undefined ? '' : `${namespace}/`;
    const matches = selectorPredicate(query);
    const limit = parseLimit(query.limit);
    const requestedVersion = query.resourceVersion;

    let snapshot: ServicesSnapshot;
    let fromKey = prefix;
    if (query.continue !== undefined && query.continue !== '') {
      if (requestedVersion !== undefined && requestedVersion !== '' && requestedVersion !== '0') {
        throw new StatusError(badRequest('specifying resource version is not allowed when using continue'));
      }
      const position = decodeContinue(query.continue);
      snapshot = this.snapshotFor(position, page);
      fromKey = prefix + position.startKey;
    } else if (requestedVersion === '0') {
      const items = this.staleCache.services.filter((s) => s.key.startsWith(prefix) && matches(s.service));
      return serviceList({ resourceVersion: String(this.staleCache.resourceVersion) }, items);
    } else {
      snapshot = this.startList();
    }

    const candidates = snapshot.services.filter(
      (s) => s.key.startsWith(prefix) && s.key >= fromKey && matches(s.service),
    );
    const served = limit === undefined ? candidates : candidates.slice(0, limit);
    const last = served[served.length - 1];
    const metadata: Record<string, unknown> = { resourceVersion: String(snapshot.resourceVersion) };
    if (served.length < candidates.length && last !== undefined) {
      // etcd resumes just after the last key served.
      const token = encodeContinue({
        resourceVersion: snapshot.resourceVersion,
        startKey: `${last.key.slice(prefix.length)}\u0000`,
      });
      this.pageOfContinue.set(token, page + 1);
      metadata.continue = token;
      // The API server can count what remains only when no selector filters it.
      if (query.fieldSelector === undefined && query.labelSelector === undefined) {
        metadata.remainingItemCount = candidates.length - served.length;
      }
    }
    return serviceList(metadata, served);
  }

  // A consistent list reads the latest state; its continuations read the same state.
  private startList(): ServicesSnapshot {
    const nowMs = this.options.now().getTime();
    for (const [version, entry] of this.listSnapshots) {
      if (nowMs - entry.startedAtMs > this.continueTtlMs) this.listSnapshots.delete(version);
    }
    const current = this.store.snapshot();
    const entry = this.listSnapshots.get(current.resourceVersion);
    if (entry === undefined) {
      this.listSnapshots.set(current.resourceVersion, { snapshot: current, startedAtMs: nowMs });
    } else {
      entry.startedAtMs = nowMs;
    }
    return current;
  }

  private snapshotFor(position: ContinuePosition, page: number): ServicesSnapshot {
    // rv -1: the inconsistent continuation a 410 offered, resumed at the latest state.
    if (position.resourceVersion === -1) return this.startList();
    const entry = this.listSnapshots.get(position.resourceVersion);
    if (entry === undefined || this.options.now().getTime() - entry.startedAtMs > this.continueTtlMs) {
      throw this.expiredContinue(encodeContinue(position), page);
    }
    return entry.snapshot;
  }

  // The 410 offers a continuation at the latest state from the same key (rv -1).
  private expiredContinue(continueToken: string | undefined, page: number | undefined): StatusError {
    if (continueToken === undefined || continueToken === '') return new StatusError(listExpired());
    const { startKey } = decodeContinue(continueToken);
    const inconsistent = encodeContinue({ resourceVersion: -1, startKey });
    if (page !== undefined) this.pageOfContinue.set(inconsistent, page);
    return new StatusError(continueExpired(inconsistent));
  }

  private get continueTtlMs(): number {
    return this.options.continueTokenTtlMs ?? DEFAULT_CONTINUE_TTL_MS;
  }

  private listPage(continueToken: string | undefined): number | undefined {
    if (continueToken === undefined || continueToken === '') return 1;
    return this.pageOfContinue.get(continueToken);
  }

  // Returns the status written, for the request log.
  private write(res: ServerResponse, answer: Answer, truncate = false): number {
    const body = Buffer.from(
      typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body),
      'utf8',
    );
    res.writeHead(answer.status, {
      'content-type': 'application/json',
      'content-length': String(body.length),
      'cache-control': 'no-cache, private',
      'audit-id': randomUUID(),
      ...answer.headers,
    });
    if (truncate) {
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
    } else {
      res.end(body);
    }
    return answer.status;
  }
}

function parseRoute(path: string): Route {
  // Namespaces and names are DNS labels: nothing to percent-decode.
  const [api, version, first, namespace, resource, name, ...rest] = path.split('/').slice(1);
  if (api !== 'api' || version !== 'v1' || rest.length > 0) return { kind: 'unknown' };
  if (first === 'services' && namespace === undefined) return { kind: 'list' };
  if (first !== 'namespaces' || namespace === undefined || namespace === '' || resource !== 'services') {
    return { kind: 'unknown' };
  }
  if (name === undefined) return { kind: 'list', namespace };
  return name === '' ? { kind: 'unknown' } : { kind: 'get', namespace, name };
}

function requestAttributes({ method, route, path }: ParsedRequest): RequestAttributes {
  // RBAC names non-resource requests by their lowercase HTTP method.
  if (route.kind === 'unknown') return { verb: method.toLowerCase(), path };
  const writeVerbs: Readonly<Record<string, string>> = {
    POST: 'create',
    PUT: 'update',
    PATCH: 'patch',
    DELETE: route.kind === 'list' ? 'deletecollection' : 'delete',
  };
  const readVerb = route.kind === 'get' ? 'get' : 'list';
  const resource =
    route.kind === 'get'
      ? { namespace: route.namespace, name: route.name }
      : route.namespace === undefined
        ? {}
        : { namespace: route.namespace };
  return { verb: writeVerbs[method] ?? readVerb, path, resource };
}

function faultStatus(
  code: 401 | 403 | 404 | 429 | 500 | 503,
  retryAfterSeconds: number | undefined,
  user: string,
  attributes: RequestAttributes,
): StatusError {
  const statuses: Record<typeof code, () => KubernetesStatus> = {
    401: unauthorized,
    403: () => forbidden(user, attributes),
    404: resourceNotFound,
    429: () => tooManyRequests(retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS),
    500: () => internalError('fake-eks: injected fault'),
    503: serviceUnavailable,
  };
  const retryAfter = code === 429 ? (retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS) : retryAfterSeconds;
  return new StatusError(
    statuses[code](),
    retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
  );
}

function selectorPredicate(query: Readonly<Record<string, string>>): ServicePredicate {
  const byField = parseFieldSelector(query.fieldSelector ?? '');
  const byLabel = parseLabelSelector(query.labelSelector ?? '');
  return (service) => byField(service) && byLabel(service);
}

// No limit, or one that is not positive, lists everything, as the API server does.
function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^-?\d+$/.test(text)) throw new StatusError(badRequest(`invalid limit "${text}": not an integer`));
  const limit = Number(text);
  return limit > 0 ? limit : undefined;
}

// Items of a list carry no kind or apiVersion: kube-apiserver leaves them out
// (kubernetes/kubernetes#3030).
function serviceList(metadata: Record<string, unknown>, services: readonly StoredService[]): object {
  return { kind: 'ServiceList', apiVersion: 'v1', metadata, items: services.map((stored) => stored.service) };
}

function omitField(body: unknown, field: OmittableField): unknown {
  const strip = (service: unknown): unknown => {
    const copy = structuredClone(service) as Record<string, Record<string, unknown> | undefined>;
    const [top = '', nested] = field.split('.');
    if (nested === undefined) delete copy[top];
    else if (copy[top] !== undefined) delete copy[top][nested];
    return copy;
  };
  const answer = body as { kind?: unknown; items?: unknown };
  if (answer.kind === 'ServiceList' && Array.isArray(answer.items)) {
    return { ...answer, items: answer.items.map(strip) };
  }
  return answer.kind === 'Service' ? strip(body) : body;
}

function jsonAnswer(body: object): Answer {
  return { status: 200, headers: {}, body };
}

function statusAnswer(status: KubernetesStatus, headers: Readonly<Record<string, string>> = {}): Answer {
  return { status: status.code, headers, body: status };
}
