import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateCertificates } from './certificates';
import { ClusterObjects, type ResourceName, SERVED_RESOURCES, type ServedResource } from './cluster-objects';
import { type ContinuePosition, decodeContinue, encodeContinue } from './continue-token';
import { EksTokenVerifier, type FakeCredentials } from './eks-token-verifier';
import type { FakeGatewaySpec } from './fake-gateways';
import type { FakeIngressClassParamsSpec, FakeIngressClassSpec } from './fake-ingress-classes';
import type { FakeIngressSpec } from './fake-ingresses';
import type { FakeServiceSpec } from './fake-services';
import { type Fault, type FaultEffect, FaultQueue, type OmittableField } from './faults';
import {
  badRequest,
  continueExpired,
  forbidden,
  internalError,
  type KubernetesStatus,
  listExpired,
  methodNotAllowed,
  objectNotFound,
  type RequestAttributes,
  resourceNotFound,
  StatusError,
  serviceUnavailable,
  tooManyRequests,
  unauthorized,
} from './kubernetes-status';
import type { ObjectsSnapshot, StoredObject } from './object-store';
import { type ObjectPredicate, parseFieldSelector, parseLabelSelector } from './selectors';

/** Versions of `gateway.networking.k8s.io` the Gateway API CRDs of a cluster serve. */
export type GatewayApiVersion = 'v1' | 'v1beta1';

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
  /**
   * Versions of the Gateway API CRDs installed: `/apis` lists `gateway.networking.k8s.io`
   * with them, and Gateways are served at each. `[]`: not installed (no group, 404).
   * @default ['v1', 'v1beta1'] (Gateway API v1.x standard channel)
   */
  readonly gatewayApiVersions?: readonly GatewayApiVersion[];
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
  | {
      readonly kind: 'list';
      readonly resource: ServedResource;
      readonly version: string;
      readonly namespace?: string;
    }
  | {
      readonly kind: 'get';
      readonly resource: ServedResource;
      readonly version: string;
      readonly namespace: string;
      readonly name: string;
    }
  | { readonly kind: 'discovery' }
  | { readonly kind: 'unknown' };

interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

interface ListSnapshot {
  readonly snapshot: ObjectsSnapshot;
  /** When a list last started at this resourceVersion; its continue tokens expire from then. */
  startedAtMs: number;
}

const DEFAULT_CONTINUE_TTL_MS = 5 * 60_000;
// What API Priority and Fairness sends when it rejects a request.
const DEFAULT_RETRY_AFTER_SECONDS = 1;

/**
 * A Kubernetes API server that answers like EKS for Services, Ingresses and Gateways:
 * EKS bearer tokens, TLS from its own CA, API discovery (`/apis`), list pagination
 * over consistent snapshots, and injectable faults. Like every cluster it starts
 * with one Service, `default/kubernetes` (ClusterIP).
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
  // Keyed `<resource> <resourceVersion>`: each kind's list has its own snapshots.
  private readonly listSnapshots = new Map<string, ListSnapshot>();
  // Which page of its list a continue token leads to, keyed `<resource> <token>`, for faults aimed at a page.
  private readonly pageOfContinue = new Map<string, number>();
  private staleCache: ReadonlyMap<ResourceName, ObjectsSnapshot>;
  private gatewayApiVersions: readonly GatewayApiVersion[];

  private constructor(
    private readonly server: Server,
    caPem: string,
    private readonly store: ClusterObjects,
    private readonly verifier: EksTokenVerifier,
    private readonly options: FakeEksApiServerOptions & { readonly now: () => Date },
  ) {
    const { port } = server.address() as AddressInfo;
    this.endpoint = `https://127.0.0.1:${port}`;
    this.caPem = caPem;
    this.caBase64 = Buffer.from(caPem, 'utf8').toString('base64');
    this.staleCache = this.snapshotAll();
    this.gatewayApiVersions = options.gatewayApiVersions ?? ['v1', 'v1beta1'];
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
      new ClusterObjects(now),
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
    this.store.putService(spec);
  }

  /**
   * Deletes a Service; bumps the resourceVersion; throws when there is none. Deleting
   * `default/kubernetes`, which every cluster starts with, gives a cluster with no Services.
   */
  deleteService(namespace: string, name: string): void {
    this.store.services.delete(namespace, name);
  }

  /** Creates or replaces an Ingress; bumps the resourceVersion. */
  putIngress(spec: FakeIngressSpec): void {
    this.store.putIngress(spec);
  }

  /** Deletes an Ingress; bumps the resourceVersion; throws when there is none. */
  deleteIngress(namespace: string, name: string): void {
    this.store.ingresses.delete(namespace, name);
  }

  /** Creates or replaces a Gateway, whether or not its CRDs are installed; bumps the resourceVersion. */
  putGateway(spec: FakeGatewaySpec): void {
    this.store.putGateway(spec);
  }

  /** Creates or replaces an IngressClass (cluster-scoped); bumps the resourceVersion. */
  putIngressClass(spec: FakeIngressClassSpec): void {
    this.store.putIngressClass(spec);
  }

  /** Creates or replaces an IngressClassParams (`elbv2.k8s.aws/v1beta1`, cluster-scoped); bumps the resourceVersion. */
  putIngressClassParams(spec: FakeIngressClassParamsSpec): void {
    this.store.putIngressClassParams(spec);
  }

  /** Deletes a Gateway; bumps the resourceVersion; throws when there is none. */
  deleteGateway(namespace: string, name: string): void {
    this.store.gateways.delete(namespace, name);
  }

  /**
   * Installs (or, with `[]`, removes) the Gateway API CRDs at these versions: what `/apis`
   * lists and where Gateways are served. Stored Gateways are kept either way.
   */
  setGatewayApiVersions(versions: readonly GatewayApiVersion[]): void {
    this.gatewayApiVersions = [...versions];
  }

  /**
   * Makes every object as it is now what `resourceVersion=0` lists serve, standing in
   * for the API server's watch cache, which may lag. Until called, that is the state the
   * server started with: `default/kubernetes` alone.
   */
  captureStaleCache(): void {
    this.staleCache = this.snapshotAll();
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

    const route = parseRoute(url.pathname, (group) => this.versionsOf(group));
    const page = route.kind === 'list' ? this.listPage(route.resource.resource, query.continue) : undefined;
    const request: ParsedRequest = { method: record.method, path: record.path, route, query, page };
    const fault = this.faults.take({ index, path: url.pathname, listPage: page });
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
    if (fault?.type === 'expireContinue') {
      throw this.expiredContinue(
        route.kind === 'list' ? route.resource.resource : undefined,
        query.continue,
        page,
      );
    }
    if (this.options.deniedPrincipals?.includes(user) === true) {
      throw new StatusError(forbidden(user, attributes));
    }
    if (route.kind === 'unknown') throw new StatusError(resourceNotFound());
    if (method !== 'GET') throw new StatusError(methodNotAllowed());
    if (query.watch === 'true' || query.watch === '1') {
      throw new StatusError(badRequest('fake-eks: watch is not implemented'));
    }
    if (route.kind === 'discovery') return jsonAnswer(this.discovery());
    const { resource, version } = route;
    if (route.kind === 'get') {
      const object = this.store.store(resource.resource).get(route.namespace, route.name);
      if (object === undefined) {
        throw new StatusError(objectNotFound(resource.resource, resource.group, route.name));
      }
      return jsonAnswer({ kind: resource.kind, apiVersion: apiVersion(resource, version), ...object });
    }
    return jsonAnswer(this.list(route, query, page ?? 1));
  }

  /** `GET /apis`: the APIGroupList, as kube-apiserver serves it without aggregated discovery. */
  private discovery(): object {
    const group = (name: string, versions: readonly string[]) => {
      const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
      return { name, versions: entries, preferredVersion: entries[0] };
    };
    const groups = [
      group('apps', ['v1']),
      group('networking.k8s.io', ['v1']),
      group('elbv2.k8s.aws', ['v1beta1']),
    ];
    if (this.gatewayApiVersions.length > 0) {
      groups.push(group('gateway.networking.k8s.io', this.gatewayApiVersions));
    }
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }

  private versionsOf(group: ServedResource['group']): readonly string[] {
    if (group === 'elbv2.k8s.aws') return ['v1beta1'];
    return group === 'gateway.networking.k8s.io' ? this.gatewayApiVersions : ['v1'];
  }

  private snapshotAll(): ReadonlyMap<ResourceName, ObjectsSnapshot> {
    return new Map(SERVED_RESOURCES.map(({ resource }) => [resource, this.store.store(resource).snapshot()]));
  }

  /**
   * A list as kube-apiserver serves it from etcd: sorted by key, `limit`/`continue`
   * paging over the snapshot at the list's first page, `resourceVersion=0` from the
   * (stale) watch cache, which ignores `limit`.
   */
  private list(
    route: Extract<Route, { kind: 'list' }>,
    query: Readonly<Record<string, string>>,
    page: number,
  ): object {
    const { namespace, resource, version } = route;
    const name = resource.resource;
    const toList = (metadata: Record<string, unknown>, objects: readonly StoredObject[]) => ({
      kind: `${resource.kind}List`,
      apiVersion: apiVersion(resource, version),
      metadata,
      // Items of a list carry no kind or apiVersion: kube-apiserver leaves them out
      // (kubernetes/kubernetes#3030).
      items: objects.map((stored) => stored.object),
    });
    const prefix = namespace === undefined ? '' : `${namespace}/`;
    const matches = selectorPredicate(query);
    const limit = parseLimit(query.limit);
    const requestedVersion = query.resourceVersion;

    let snapshot: ObjectsSnapshot;
    let fromKey = prefix;
    if (query.continue !== undefined && query.continue !== '') {
      if (requestedVersion !== undefined && requestedVersion !== '' && requestedVersion !== '0') {
        throw new StatusError(badRequest('specifying resource version is not allowed when using continue'));
      }
      const position = decodeContinue(query.continue);
      snapshot = this.snapshotFor(name, position, page);
      fromKey = prefix + position.startKey;
    } else if (requestedVersion === '0') {
      const cached = this.staleCache.get(name) ?? this.store.store(name).snapshot();
      const items = cached.objects.filter((s) => s.key.startsWith(prefix) && matches(s.object));
      return toList({ resourceVersion: String(cached.resourceVersion) }, items);
    } else {
      snapshot = this.startList(name);
    }

    const candidates = snapshot.objects.filter(
      (s) => s.key.startsWith(prefix) && s.key >= fromKey && matches(s.object),
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
      this.pageOfContinue.set(`${name} ${token}`, page + 1);
      metadata.continue = token;
      // The API server can count what remains only when no selector filters it.
      if (query.fieldSelector === undefined && query.labelSelector === undefined) {
        metadata.remainingItemCount = candidates.length - served.length;
      }
    }
    return toList(metadata, served);
  }

  // A consistent list reads the latest state; its continuations read the same state.
  private startList(resource: ResourceName): ObjectsSnapshot {
    const nowMs = this.options.now().getTime();
    for (const [key, entry] of this.listSnapshots) {
      if (nowMs - entry.startedAtMs > this.continueTtlMs) this.listSnapshots.delete(key);
    }
    const current = this.store.store(resource).snapshot();
    const key = `${resource} ${current.resourceVersion}`;
    const entry = this.listSnapshots.get(key);
    if (entry === undefined) {
      this.listSnapshots.set(key, { snapshot: current, startedAtMs: nowMs });
    } else {
      entry.startedAtMs = nowMs;
    }
    return current;
  }

  private snapshotFor(resource: ResourceName, position: ContinuePosition, page: number): ObjectsSnapshot {
    // rv -1: the inconsistent continuation a 410 offered, resumed at the latest state.
    if (position.resourceVersion === -1) return this.startList(resource);
    const entry = this.listSnapshots.get(`${resource} ${position.resourceVersion}`);
    if (entry === undefined || this.options.now().getTime() - entry.startedAtMs > this.continueTtlMs) {
      throw this.expiredContinue(resource, encodeContinue(position), page);
    }
    return entry.snapshot;
  }

  // The 410 offers a continuation at the latest state from the same key (rv -1).
  private expiredContinue(
    resource: ResourceName | undefined,
    continueToken: string | undefined,
    page: number | undefined,
  ): StatusError {
    if (continueToken === undefined || continueToken === '') return new StatusError(listExpired());
    const { startKey } = decodeContinue(continueToken);
    const inconsistent = encodeContinue({ resourceVersion: -1, startKey });
    if (page !== undefined && resource !== undefined) {
      this.pageOfContinue.set(`${resource} ${inconsistent}`, page);
    }
    return new StatusError(continueExpired(inconsistent));
  }

  private get continueTtlMs(): number {
    return this.options.continueTokenTtlMs ?? DEFAULT_CONTINUE_TTL_MS;
  }

  private listPage(resource: ResourceName, continueToken: string | undefined): number | undefined {
    if (continueToken === undefined || continueToken === '') return 1;
    return this.pageOfContinue.get(`${resource} ${continueToken}`);
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

/**
 * `/api/v1/<resource>` for the core group, `/apis/<group>/<version>/<resource>` for the
 * others, each also under `namespaces/<ns>/` and with a name; `/apis` is discovery.
 * A group version the cluster does not serve is unknown (404), as without its CRDs.
 */
function parseRoute(path: string, versionsOf: (group: ServedResource['group']) => readonly string[]): Route {
  // Namespaces and names are DNS labels: nothing to percent-decode.
  const segments = path.split('/').slice(1);
  if (segments.length === 1 && segments[0] === 'apis') return { kind: 'discovery' };
  const [root, ...after] = segments;
  const [group, version, ...rest] = root === 'api' ? ['', ...after] : root === 'apis' ? after : [];
  const [first, namespace, plural, name, ...extra] = rest;
  const byName = (wanted: string | undefined) =>
    SERVED_RESOURCES.find((served) => served.group === group && served.resource === wanted);
  if (version === undefined || extra.length > 0) return { kind: 'unknown' };
  const clusterWide = namespace === undefined ? byName(first) : undefined;
  const inNamespace = first === 'namespaces' && namespace !== '' ? byName(plural) : undefined;
  // Cluster-scoped kinds live in no namespace.
  const namespaced = inNamespace?.clusterScoped === true ? undefined : inNamespace;
  const resource = clusterWide ?? namespaced;
  if (resource === undefined || !versionsOf(resource.group).includes(version)) return { kind: 'unknown' };
  if (clusterWide !== undefined) return { kind: 'list', resource, version };
  if (namespace === undefined) return { kind: 'unknown' };
  if (name === undefined) return { kind: 'list', resource, version, namespace };
  return name === '' ? { kind: 'unknown' } : { kind: 'get', resource, version, namespace, name };
}

function apiVersion(resource: ServedResource, version: string): string {
  return resource.group === '' ? version : `${resource.group}/${version}`;
}

function requestAttributes({ method, route, path }: ParsedRequest): RequestAttributes {
  // RBAC names non-resource requests by their lowercase HTTP method.
  if (route.kind === 'unknown' || route.kind === 'discovery') return { verb: method.toLowerCase(), path };
  const writeVerbs: Readonly<Record<string, string>> = {
    POST: 'create',
    PUT: 'update',
    PATCH: 'patch',
    DELETE: route.kind === 'list' ? 'deletecollection' : 'delete',
  };
  const readVerb = route.kind === 'get' ? 'get' : 'list';
  const kind = { resource: route.resource.resource, group: route.resource.group };
  const resource =
    route.kind === 'get'
      ? { ...kind, namespace: route.namespace, name: route.name }
      : route.namespace === undefined
        ? kind
        : { ...kind, namespace: route.namespace };
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

function selectorPredicate(query: Readonly<Record<string, string>>): ObjectPredicate {
  const byField = parseFieldSelector(query.fieldSelector ?? '');
  const byLabel = parseLabelSelector(query.labelSelector ?? '');
  return (object) => byField(object) && byLabel(object);
}

// No limit, or one that is not positive, lists everything, as the API server does.
function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^-?\d+$/.test(text)) throw new StatusError(badRequest(`invalid limit "${text}": not an integer`));
  const limit = Number(text);
  return limit > 0 ? limit : undefined;
}

function omitField(body: unknown, field: OmittableField): unknown {
  const strip = (object: unknown): unknown => {
    const copy = structuredClone(object) as Record<string, Record<string, unknown> | undefined>;
    const [top = '', nested] = field.split('.');
    if (nested === undefined) delete copy[top];
    else if (copy[top] !== undefined) delete copy[top][nested];
    return copy;
  };
  const answer = body as { kind?: unknown; items?: unknown };
  const kinds = SERVED_RESOURCES.map((served) => served.kind as string);
  if (kinds.some((kind) => answer.kind === `${kind}List`) && Array.isArray(answer.items)) {
    return { ...answer, items: answer.items.map(strip) };
  }
  return kinds.includes(String(answer.kind)) ? strip(body) : body;
}

function jsonAnswer(body: object): Answer {
  return { status: 200, headers: {}, body };
}

function statusAnswer(status: KubernetesStatus, headers: Readonly<Record<string, string>> = {}): Answer {
  return { status: status.code, headers, body: status };
}
