import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { generateCertificates } from '../support/fake-eks/certificates';
import { FakeEksApiServer, type FakeEksApiServerOptions } from '../support/fake-eks/fake-eks-api-server';

// The fake must answer like EKS for the product's client to be tested against it; these
// tests cross the wire with plain node:https, trusting only the fake's own CA.

const CLUSTER = 'prod';
const REGION = 'eu-west-1';
const KEY = { accessKeyId: 'AKIDJANITOR', secretAccessKey: 'janitor-secret' };
const ARN = 'arn:aws:iam::111122223333:user/janitor';
const MINUTE = 60_000;

let clockMs = Date.parse('2025-03-01T12:00:00Z');
let server: FakeEksApiServer;

function startServer(extra: Partial<FakeEksApiServerOptions> = {}): Promise<FakeEksApiServer> {
  return FakeEksApiServer.start({
    clusterName: CLUSTER,
    region: REGION,
    credentials: { [KEY.accessKeyId]: { secretAccessKey: KEY.secretAccessKey, arn: ARN } },
    now: () => new Date(clockMs),
    ...extra,
  });
}

/** A token as aws-iam-authenticator makes it, signed at the fake clock's time. */
async function token(clusterName = CLUSTER): Promise<string> {
  const hostname = `sts.${REGION}.amazonaws.com`;
  const signer = new SignatureV4({
    service: 'sts',
    region: REGION,
    credentials: KEY,
    sha256: Hash.bind(null, 'sha256'),
  });
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: hostname, 'x-k8s-aws-id': clusterName },
    },
    { expiresIn: 60, signingDate: new Date(clockMs) },
  );
  const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
  return `k8s-aws-v1.${Buffer.from(`https://${hostname}/?${query}`).toString('base64url')}`;
}

interface Response {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

interface ServiceListBody {
  readonly kind: string;
  readonly metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  readonly items: { metadata: { namespace: string; name: string }; spec?: unknown }[];
}

interface ServiceBody {
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly metadata: Record<string, unknown>;
  readonly spec: Record<string, unknown>;
  readonly status: unknown;
}

interface StatusBody {
  readonly kind: string;
  readonly reason: string;
  readonly message: string;
  readonly code: number;
  readonly metadata: { continue?: string };
}

async function get(
  path: string,
  query: Record<string, string> = {},
  options: { bearer?: string | null; ca?: string } = {},
): Promise<Response> {
  const url = new URL(path, server.endpoint);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const bearer = options.bearer === undefined ? await token() : options.bearer;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca: options.ca ?? server.caPem,
        rejectUnauthorized: true,
        agent: false,
        headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function getJson<T>(path: string, query: Record<string, string> = {}): Promise<T & { status: number }> {
  const response = await get(path, query);
  return { ...(JSON.parse(response.text) as T), status: response.status };
}

function names(list: ServiceListBody): string[] {
  return list.items.map((item) => `${item.metadata.namespace}/${item.metadata.name}`);
}

function putServices(...keys: string[]): void {
  for (const key of keys) {
    const [namespace = '', name = ''] = key.split('/');
    server.putService({ namespace, name, loadBalancerIngress: [{ hostname: `${name}.elb.amazonaws.com` }] });
  }
}

describe('FakeEksApiServer', () => {
  beforeEach(async () => {
    clockMs = Date.parse('2025-03-01T12:00:00Z');
    server = await startServer();
  });
  afterEach(() => server.stop());

  it('pages with limit and continue over one snapshot, even when a Service is added mid-list', async () => {
    putServices('shop/web', 'default/b', 'default/a', 'kube-system/dns', 'shop/api');

    const first = await getJson<ServiceListBody>('/api/v1/services', { limit: '2' });
    server.putService({ namespace: 'default', name: 'added-mid-list' });
    server.deleteService('shop', 'web');
    const pages = [first];
    let next = first.metadata.continue;
    while (next !== undefined) {
      const page = await getJson<ServiceListBody>('/api/v1/services', { limit: '2', continue: next });
      pages.push(page);
      next = page.metadata.continue;
    }

    // default/kubernetes is there from the cluster's start.
    assert.deepEqual(pages.map(names), [
      ['default/a', 'default/b'],
      ['default/kubernetes', 'kube-system/dns'],
      ['shop/api', 'shop/web'],
    ]);
    assert.deepEqual(
      pages.map((page) => page.metadata.resourceVersion),
      Array(3).fill(first.metadata.resourceVersion),
    );
    assert.deepEqual(
      pages.map((page) => page.metadata.remainingItemCount),
      [4, 2, undefined],
    );
    const fresh = await getJson<ServiceListBody>('/api/v1/services');
    assert.deepEqual(names(fresh), [
      'default/a',
      'default/added-mid-list',
      'default/b',
      'default/kubernetes',
      'kube-system/dns',
      'shop/api',
    ]);
    assert.ok(Number(fresh.metadata.resourceVersion) > Number(first.metadata.resourceVersion));
  });

  it('serves full v1 Services, without kind and apiVersion in list items as kube-apiserver does', async () => {
    server.putService({
      namespace: 'shop',
      name: 'web',
      labels: { app: 'web' },
      annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' },
      loadBalancerClass: 'service.k8s.aws/nlb',
      loadBalancerIngress: [{ hostname: 'web.elb.amazonaws.com' }],
      uid: 'uid-web',
    });

    const list = await getJson<{ items: ServiceBody[] }>('/api/v1/namespaces/shop/services');
    const one = await getJson<ServiceBody>('/api/v1/namespaces/shop/services/web');

    const [item] = list.items;
    assert.ok(item !== undefined);
    assert.deepEqual([item.kind, item.apiVersion], [undefined, undefined]);
    assert.deepEqual([one.kind, one.apiVersion], ['Service', 'v1']);
    assert.deepEqual(one.metadata, item.metadata);
    assert.deepEqual(item.metadata, {
      name: 'web',
      namespace: 'shop',
      uid: 'uid-web',
      resourceVersion: '1001',
      creationTimestamp: '2025-03-01T12:00:00Z',
      labels: { app: 'web' },
      annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' },
    });
    assert.deepEqual([item.spec.type, item.spec.loadBalancerClass], ['LoadBalancer', 'service.k8s.aws/nlb']);
    assert.deepEqual(item.status, { loadBalancer: { ingress: [{ hostname: 'web.elb.amazonaws.com' }] } });
  });

  it('starts, as every cluster, with default/kubernetes (ClusterIP, no load balancer), which a test can delete', async () => {
    const list = await getJson<ServiceListBody & { items: ServiceBody[] }>('/api/v1/services');
    const one = await getJson<ServiceBody>('/api/v1/namespaces/default/services/kubernetes');

    assert.deepEqual(names(list), ['default/kubernetes']);
    assert.equal(list.metadata.resourceVersion, '1000');
    assert.deepEqual(one.metadata, list.items[0]?.metadata);
    assert.deepEqual(
      { ...one.metadata, uid: typeof one.metadata.uid },
      {
        name: 'kubernetes',
        namespace: 'default',
        uid: 'string',
        resourceVersion: '1000',
        creationTimestamp: '2025-03-01T12:00:00Z',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
    );
    assert.deepEqual(
      [one.spec.type, one.spec.clusterIP, one.spec.selector],
      ['ClusterIP', '10.100.0.1', undefined],
    );
    // getJson puts the HTTP status in `status`: the Service's own status is read from the list.
    assert.deepEqual(list.items[0]?.status, { loadBalancer: {} });

    server.deleteService('default', 'kubernetes');
    const empty = await getJson<ServiceListBody>('/api/v1/services');
    assert.deepEqual(names(empty), []);
    assert.equal(empty.metadata.resourceVersion, '1001');
  });

  it('answers 404 NotFound for an absent Service and for unknown paths', async () => {
    const absent = await getJson<StatusBody>('/api/v1/namespaces/shop/services/gone');
    const unknown = await getJson<StatusBody>('/api/v1/pods');

    assert.deepEqual(
      [absent.status, absent.reason, absent.message],
      [404, 'NotFound', 'services "gone" not found'],
    );
    assert.deepEqual([unknown.status, unknown.reason], [404, 'NotFound']);
  });

  it('answers 410 Expired to a continue token past its TTL, offering an inconsistent continuation', async () => {
    putServices('default/a', 'default/b', 'default/c');
    const first = await getJson<ServiceListBody>('/api/v1/services', { limit: '1' });

    clockMs += 5 * MINUTE + 1000;
    const expired = await getJson<StatusBody>('/api/v1/services', {
      limit: '1',
      continue: first.metadata.continue ?? '',
    });

    assert.equal(expired.status, 410);
    assert.equal(expired.reason, 'Expired');
    assert.match(
      expired.message,
      /^The provided continue parameter is too old to display a consistent list result/,
    );
    const inconsistent = expired.metadata.continue ?? '';
    assert.notEqual(inconsistent, '');
    const resumed = await getJson<ServiceListBody>('/api/v1/services', {
      limit: '1',
      continue: inconsistent,
    });
    assert.deepEqual(names(resumed), ['default/b']);
  });

  it('answers 410 Expired when a fault expires the list on its second page', async () => {
    putServices('default/a', 'default/b', 'default/c');
    server.injectFault({ type: 'expireContinue', target: { listPage: 2 } });
    const first = await getJson<ServiceListBody>('/api/v1/services', { limit: '1' });

    const second = await get('/api/v1/services', { limit: '1', continue: first.metadata.continue ?? '' });

    assert.equal(second.status, 410);
    assert.deepEqual(
      server.requests.map((r) => [r.fault, r.status]),
      [
        [undefined, 200],
        ['expireContinue', 410],
      ],
    );
  });

  it('answers 400 BadRequest to an unparseable continue parameter', async () => {
    const response = await getJson<StatusBody>('/api/v1/services', { continue: 'not-a-token' });

    assert.deepEqual([response.status, response.reason], [400, 'BadRequest']);
  });

  it('answers 401 with the Unauthorized Status without a token, or with one for another cluster', async () => {
    const missing = await get('/api/v1/services', {}, { bearer: null });
    const otherCluster = await get('/api/v1/services', {}, { bearer: await token('staging') });

    for (const response of [missing, otherCluster]) {
      assert.equal(response.status, 401);
      assert.deepEqual(JSON.parse(response.text), {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
    assert.deepEqual(
      server.requests.map((r) => [r.authorized, r.authFailure !== undefined]),
      [
        [false, true],
        [false, true],
      ],
    );
  });

  it('answers 403 Forbidden in RBAC words when a fault denies the request', async () => {
    server.injectFault({ type: 'status', code: 403 });

    const denied = await getJson<StatusBody>('/api/v1/services');
    const after = await get('/api/v1/services');

    assert.equal(denied.status, 403);
    assert.equal(denied.reason, 'Forbidden');
    assert.equal(
      denied.message,
      `services is forbidden: User "${ARN}" cannot list resource "services" in API group "" at the cluster scope`,
    );
    assert.equal(after.status, 200, 'a fault hits once by default');
  });

  it('answers 403 Forbidden to a denied principal, in the namespace it asked for', async () => {
    await server.stop();
    server = await startServer({ deniedPrincipals: [ARN] });

    const denied = await getJson<StatusBody>('/api/v1/namespaces/shop/services');

    assert.equal(denied.status, 403);
    assert.equal(
      denied.message,
      `services is forbidden: User "${ARN}" cannot list resource "services" in API group "" in the namespace "shop"`,
    );
  });

  it('answers 429 with Retry-After', async () => {
    server.injectFault({ type: 'status', code: 429, retryAfterSeconds: 7, times: 2 });

    const responses = [
      await get('/api/v1/services'),
      await get('/api/v1/services'),
      await get('/api/v1/services'),
    ];

    assert.deepEqual(
      responses.map((r) => [r.status, r.headers['retry-after']]),
      [
        [429, '7'],
        [429, '7'],
        [200, undefined],
      ],
    );
    assert.equal((JSON.parse(responses[0]?.text ?? '') as StatusBody).reason, 'TooManyRequests');
  });

  it('filters by metadata field selectors and refuses other fields with 400', async () => {
    putServices('default/a', 'shop/a', 'shop/b');

    const byName = await getJson<ServiceListBody>('/api/v1/services', { fieldSelector: 'metadata.name=a' });
    const notShop = await getJson<ServiceListBody>('/api/v1/services', {
      fieldSelector: 'metadata.namespace!=shop',
    });
    const unsupported = await getJson<StatusBody>('/api/v1/services', {
      fieldSelector: 'spec.loadBalancerClass=service.k8s.aws/nlb',
    });

    const paged = await getJson<ServiceListBody>('/api/v1/services', {
      fieldSelector: 'metadata.name=a',
      limit: '1',
    });

    assert.deepEqual(names(byName), ['default/a', 'shop/a']);
    assert.notEqual(paged.metadata.continue, undefined);
    assert.equal(paged.metadata.remainingItemCount, undefined, 'not counted under a selector');
    assert.deepEqual(names(notShop), ['default/a', 'default/kubernetes']);
    assert.deepEqual(
      [unsupported.status, unsupported.reason, unsupported.message],
      [400, 'BadRequest', 'field label not supported: spec.loadBalancerClass'],
    );
  });

  it('serves resourceVersion=0 from a stale cache and records the parameter', async () => {
    putServices('default/old');
    server.captureStaleCache();
    putServices('default/new');

    const cached = await getJson<ServiceListBody>('/api/v1/services', { resourceVersion: '0', limit: '1' });
    const consistent = await getJson<ServiceListBody>('/api/v1/services', { limit: '5' });

    // The cache ignores limit; default/kubernetes is in every state of the cluster.
    assert.deepEqual(names(cached), ['default/kubernetes', 'default/old']);
    assert.deepEqual(names(consistent), ['default/kubernetes', 'default/new', 'default/old']);
    assert.equal(server.requests[0]?.query.resourceVersion, '0');
  });

  it('resets the connection, truncates the body, or sends malformed JSON when told to', async () => {
    putServices('default/a', 'default/b');
    server.injectFault({ type: 'resetConnection' });
    server.injectFault({ type: 'truncateBody' });
    server.injectFault({ type: 'malformedJson' });

    await assert.rejects(get('/api/v1/services'), /socket hang up|ECONNRESET/);
    await assert.rejects(get('/api/v1/services'), /aborted|ECONNRESET/);
    const malformed = await get('/api/v1/services');

    assert.equal(malformed.status, 200);
    assert.throws(() => JSON.parse(malformed.text), SyntaxError);
    assert.deepEqual(
      server.requests.map((r) => r.status),
      [0, 200, 200],
    );
  });

  it('omits a field from every item when told to', async () => {
    putServices('default/a', 'default/b');
    server.injectFault({ type: 'omitItemField', field: 'spec' });

    const list = await getJson<ServiceListBody>('/api/v1/services');

    assert.deepEqual(
      list.items.map((item) => item.spec),
      [undefined, undefined, undefined],
    );
  });

  it('delays an answer by the given time', async () => {
    server.injectFault({ type: 'delay', ms: 150 });
    const started = Date.now();

    const response = await get('/api/v1/services');

    assert.equal(response.status, 200);
    assert.ok(Date.now() - started >= 150);
  });

  it('fails TLS for a client that trusts another CA', async () => {
    const other = await generateCertificates();

    await assert.rejects(
      get('/api/v1/services', {}, { ca: other.caPem }),
      (error: NodeJS.ErrnoException) => error.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    );
    assert.equal(server.requests.length, 0);
  });
});

const INGRESSES = '/apis/networking.k8s.io/v1/ingresses';
const GATEWAYS = '/apis/gateway.networking.k8s.io/v1/gateways';

interface ObjectBody {
  readonly metadata: Record<string, unknown>;
  readonly spec: Record<string, unknown>;
  readonly status: Record<string, unknown>;
}

interface GroupListBody {
  readonly kind: string;
  readonly groups: { name: string; versions: { groupVersion: string; version: string }[] }[];
}

describe('FakeEksApiServer, Ingresses and Gateways', () => {
  beforeEach(async () => {
    clockMs = Date.parse('2025-03-01T12:00:00Z');
    server = await startServer();
  });
  afterEach(() => server.stop());

  it('serves networking.k8s.io/v1 Ingresses with their group annotation, class and status', async () => {
    server.putIngress({
      namespace: 'shop',
      name: 'web',
      groupName: 'shared',
      hostnames: ['k8s-shared.elb.amazonaws.com'],
    });

    const list = await getJson<ServiceListBody & { apiVersion: string; items: ObjectBody[] }>(INGRESSES);
    const one = await getJson<ObjectBody & { kind: string; apiVersion: string }>(
      '/apis/networking.k8s.io/v1/namespaces/shop/ingresses/web',
    );

    assert.deepEqual([list.kind, list.apiVersion], ['IngressList', 'networking.k8s.io/v1']);
    assert.deepEqual(names(list), ['shop/web']);
    assert.deepEqual([one.kind, one.apiVersion], ['Ingress', 'networking.k8s.io/v1']);
    const [item] = list.items;
    assert.deepEqual(item?.metadata.annotations, { 'alb.ingress.kubernetes.io/group.name': 'shared' });
    assert.equal(item?.spec.ingressClassName, 'alb');
    assert.deepEqual(item?.status, {
      loadBalancer: { ingress: [{ hostname: 'k8s-shared.elb.amazonaws.com' }] },
    });
  });

  it('serves gateway.networking.k8s.io/v1 Gateways with their class and addresses', async () => {
    server.putGateway({
      namespace: 'shop',
      name: 'gw',
      addresses: ['k8s-shop-gw.elb.amazonaws.com', '10.0.0.7'],
    });

    const list = await getJson<ServiceListBody & { apiVersion: string; items: ObjectBody[] }>(GATEWAYS);
    const missing = await getJson<StatusBody>(
      '/apis/gateway.networking.k8s.io/v1/namespaces/shop/gateways/nope',
    );

    assert.deepEqual([list.kind, list.apiVersion], ['GatewayList', 'gateway.networking.k8s.io/v1']);
    assert.deepEqual(names(list), ['shop/gw']);
    assert.equal(list.items[0]?.spec.gatewayClassName, 'aws-nlb');
    assert.deepEqual(list.items[0]?.status.addresses, [
      { type: 'Hostname', value: 'k8s-shop-gw.elb.amazonaws.com' },
      { type: 'IPAddress', value: '10.0.0.7' },
    ]);
    assert.deepEqual(
      [missing.status, missing.message],
      [404, 'gateways.gateway.networking.k8s.io "nope" not found'],
    );
  });

  it('pages each kind over its own snapshot, with one resourceVersion counter for the cluster', async () => {
    server.putIngress({ namespace: 'a', name: 'one' });
    server.putIngress({ namespace: 'b', name: 'two' });
    server.putIngress({ namespace: 'c', name: 'three' });

    const first = await getJson<ServiceListBody>(INGRESSES, { limit: '2' });
    server.putService({ namespace: 'shop', name: 'web' });
    server.deleteIngress('c', 'three');
    const second = await getJson<ServiceListBody>(INGRESSES, {
      limit: '2',
      continue: first.metadata.continue ?? '',
    });
    const fresh = await getJson<ServiceListBody>(INGRESSES);
    const services = await getJson<ServiceListBody>('/api/v1/services');

    assert.deepEqual([names(first), names(second)], [['a/one', 'b/two'], ['c/three']]);
    assert.equal(first.metadata.resourceVersion, '1003');
    assert.equal(second.metadata.resourceVersion, '1003');
    assert.deepEqual(names(fresh), ['a/one', 'b/two']);
    // A write of any kind moves every list's resourceVersion, as etcd's revision does.
    assert.deepEqual([fresh.metadata.resourceVersion, services.metadata.resourceVersion], ['1005', '1005']);
  });

  it('filters Ingresses and Gateways by label and field selectors', async () => {
    server.putGateway({ namespace: 'shop', name: 'a', labels: { team: 'x' } });
    server.putGateway({ namespace: 'shop', name: 'b' });

    const labelled = await getJson<ServiceListBody>(GATEWAYS, { labelSelector: 'team=x' });
    const byName = await getJson<ServiceListBody>(GATEWAYS, { fieldSelector: 'metadata.name=b' });

    assert.deepEqual([names(labelled), names(byName)], [['shop/a'], ['shop/b']]);
  });

  it('lists networking.k8s.io and gateway.networking.k8s.io v1 and v1beta1 in /apis by default', async () => {
    const discovery = await getJson<GroupListBody>('/apis');

    assert.equal(discovery.kind, 'APIGroupList');
    const byName = new Map(
      discovery.groups.map((group) => [group.name, group.versions.map((v) => v.version)]),
    );
    assert.deepEqual(byName.get('networking.k8s.io'), ['v1']);
    assert.deepEqual(byName.get('gateway.networking.k8s.io'), ['v1', 'v1beta1']);
    assert.deepEqual(
      discovery.groups.find((group) => group.name === 'gateway.networking.k8s.io')?.versions[0],
      {
        groupVersion: 'gateway.networking.k8s.io/v1',
        version: 'v1',
      },
    );
  });

  it('without the Gateway API CRDs, leaves the group out of /apis and answers 404 for Gateways', async () => {
    server.putGateway({ namespace: 'shop', name: 'gw' });
    server.setGatewayApiVersions([]);

    const discovery = await getJson<GroupListBody>('/apis');
    const list = await getJson<StatusBody>(GATEWAYS);

    assert.ok(!discovery.groups.some((group) => group.name === 'gateway.networking.k8s.io'));
    assert.deepEqual([list.status, list.reason], [404, 'NotFound']);

    await server.stop();
    server = await startServer({ gatewayApiVersions: ['v1beta1'] });
    const beta = await getJson<GroupListBody>('/apis');
    const v1 = await get(GATEWAYS);
    const v1beta1 = await get('/apis/gateway.networking.k8s.io/v1beta1/gateways');
    assert.deepEqual(
      beta.groups.find((group) => group.name === 'gateway.networking.k8s.io')?.versions.map((v) => v.version),
      ['v1beta1'],
    );
    assert.deepEqual([v1.status, v1beta1.status], [404, 200]);
  });

  it('aims a fault at one path: a 403 on Gateways in RBAC words, Services and Ingresses untouched', async () => {
    server.injectFault({ type: 'status', code: 403, target: { path: GATEWAYS }, times: Infinity });

    const services = await get('/api/v1/services');
    const ingresses = await get(INGRESSES);
    const gateways = await getJson<StatusBody>(GATEWAYS);
    const again = await get(GATEWAYS);

    assert.deepEqual([services.status, ingresses.status, again.status], [200, 200, 403]);
    assert.equal(
      gateways.message,
      `gateways.gateway.networking.k8s.io is forbidden: User "${ARN}" cannot list resource "gateways" in API group "gateway.networking.k8s.io" at the cluster scope`,
    );
  });

  it('aims a fault at one page of one kind’s list', async () => {
    server.putIngress({ namespace: 'a', name: 'one' });
    server.putIngress({ namespace: 'b', name: 'two' });
    server.injectFault({ type: 'status', code: 500, target: { path: INGRESSES, listPage: 2 } });
    const services = await getJson<ServiceListBody>('/api/v1/services', { limit: '1' });
    putServices('shop/web');
    const servicesSecond = await get('/api/v1/services', {
      limit: '1',
      continue: services.metadata.continue ?? '',
    });
    const first = await getJson<ServiceListBody>(INGRESSES, { limit: '1' });

    const second = await get(INGRESSES, { limit: '1', continue: first.metadata.continue ?? '' });

    assert.deepEqual([servicesSecond.status, first.status, second.status], [200, 200, 500]);
  });

  it('omits spec.gatewayClassName from every Gateway when told to', async () => {
    server.putGateway({ namespace: 'shop', name: 'gw' });
    server.injectFault({ type: 'omitItemField', field: 'spec.gatewayClassName' });

    const list = await getJson<{ items: ObjectBody[] }>(GATEWAYS);

    assert.deepEqual(list.items[0]?.spec, {
      listeners: [
        { name: 'tcp', port: 80, protocol: 'TCP', allowedRoutes: { namespaces: { from: 'Same' } } },
      ],
    });
  });
});
