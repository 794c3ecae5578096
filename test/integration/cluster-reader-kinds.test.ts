import assert from 'node:assert/strict';
import { it } from 'node:test';
import { readCluster } from '../../lambda/kubernetes/cluster-reader';
import { describeWithWorld, REGION, TEST_CREDENTIALS } from '../support/test-world';

// Ingresses and Gateways read beside the Services over the wire: each kind complete or
// unverified on its own, and a Service read that fails still fails the whole cluster.

const GATEWAYS = '/apis/gateway.networking.k8s.io/v1/gateways';

const READER = {
  region: REGION,
  credentials: async () => TEST_CREDENTIALS,
  clock: () => new Date(),
  sleep: async () => {},
  requestTimeoutMs: 2_000,
  pageSize: 1,
  maxAttemptsPerPage: 2,
  maxRetryAfterSeconds: 5,
  baseBackoffMs: 1,
  kinds: { ingresses: true, gateways: true },
};

describeWithWorld('readCluster with Ingresses and Gateways', (world) => {
  it('reads all three kinds completely, paged, and counts every request', async () => {
    const cluster = await world().addCluster('prod');
    world().putService('prod', 'shop/web', { dnsName: 'web.elb.amazonaws.com' });
    world().putIngress('prod', 'shop/front', { groupName: 'shared', hostname: 'front.elb.amazonaws.com' });
    world().putIngress('prod', 'shop/admin');
    world().putGateway('prod', 'edge/gw', { address: 'gw.elb.amazonaws.com' });

    const result = await readCluster(world().eks, 'prod', READER);

    assert.equal(result.read.kind, 'complete');
    if (result.read.kind !== 'complete') return;
    assert.deepEqual([...result.read.services.keys()], ['default/kubernetes', 'shop/web']);
    assert.deepEqual(
      result.read.ingresses?.kind === 'complete' ? result.read.ingresses.items.get('shop/front') : undefined,
      {
        namespace: 'shop',
        name: 'front',
        groupName: 'shared',
        ingressClassName: 'alb',
        ingressHostnames: ['front.elb.amazonaws.com'],
      },
    );
    assert.deepEqual(
      result.read.ingresses?.kind === 'complete' ? [...result.read.ingresses.items.keys()] : [],
      ['shop/admin', 'shop/front'],
    );
    assert.deepEqual(result.read.gateways, {
      kind: 'complete',
      items: new Map([
        [
          'edge/gw',
          { namespace: 'edge', name: 'gw', gatewayClassName: 'aws-nlb', addresses: ['gw.elb.amazonaws.com'] },
        ],
      ]),
    });
    assert.deepEqual(
      cluster.requests.map((request) => request.path),
      [
        '/api/v1/services',
        '/api/v1/services',
        '/apis/networking.k8s.io/v1/ingresses',
        '/apis/networking.k8s.io/v1/ingresses',
        // The IngressClasses and IngressClassParams that form IngressGroups (none here), with the Ingresses.
        '/apis/networking.k8s.io/v1/ingressclasses',
        '/apis',
        '/apis/elbv2.k8s.aws/v1beta1/ingressclassparams',
        '/apis',
        GATEWAYS,
      ],
    );
    assert.equal(result.kubernetesRequests, 9);
  });

  it('reads neither kind unless asked', async () => {
    const cluster = await world().addCluster('prod');
    const result = await readCluster(world().eks, 'prod', { ...READER, kinds: undefined });
    assert.equal(result.read.kind, 'complete');
    assert.ok(
      result.read.kind === 'complete' && !('ingresses' in result.read) && !('gateways' in result.read),
    );
    assert.deepEqual(
      cluster.requests.map((request) => request.path),
      ['/api/v1/services'],
    );
  });

  it('a Gateway list forbidden by RBAC leaves Gateways unverified, Services and Ingresses complete', async () => {
    const cluster = await world().addCluster('prod');
    world().putIngress('prod', 'shop/front');
    cluster.injectFault({ type: 'status', code: 403, target: { path: GATEWAYS }, times: Infinity });

    const result = await readCluster(world().eks, 'prod', READER);

    assert.equal(result.read.kind, 'complete');
    if (result.read.kind !== 'complete') return;
    assert.equal(result.read.services.size, 1);
    assert.equal(result.read.ingresses?.kind, 'complete');
    assert.equal(result.read.gateways?.kind, 'unverified');
    assert.match(
      result.read.gateways?.kind === 'unverified' ? result.read.gateways.error : '',
      /^listing Gateways, page 1: HTTP 403 Forbidden: gateways.gateway.networking.k8s.io is forbidden/,
    );
  });

  it('a malformed Ingress or a failing Ingress list leaves only Ingresses unverified', async () => {
    const cluster = await world().addCluster('prod');
    world().putIngress('prod', 'shop/front');
    cluster.injectFault({
      type: 'omitItemField',
      field: 'metadata.name',
      target: { path: '/apis/networking.k8s.io/v1/ingresses' },
    });

    const malformed = await readCluster(world().eks, 'prod', READER);
    cluster.injectFault({
      type: 'status',
      code: 500,
      target: { path: '/apis/networking.k8s.io/v1/ingresses' },
      times: 2,
    });
    const failing = await readCluster(world().eks, 'prod', READER);

    for (const result of [malformed, failing]) {
      assert.equal(result.read.kind, 'complete');
      if (result.read.kind !== 'complete') return;
      assert.equal(result.read.ingresses?.kind, 'unverified');
      assert.equal(result.read.gateways?.kind, 'complete');
    }
    assert.match(
      malformed.read.kind === 'complete' && malformed.read.ingresses?.kind === 'unverified'
        ? malformed.read.ingresses.error
        : '',
      /an Ingress without namespace or name/,
    );
    assert.match(
      failing.read.kind === 'complete' && failing.read.ingresses?.kind === 'unverified'
        ? failing.read.ingresses.error
        : '',
      /after 2 attempts: HTTP 500/,
    );
  });

  it('without the Gateway API CRDs, Gateways are complete and empty, and never listed', async () => {
    const cluster = await world().addCluster('prod', { gatewayApiVersions: [] });

    const result = await readCluster(world().eks, 'prod', READER);

    assert.equal(result.read.kind, 'complete');
    if (result.read.kind !== 'complete') return;
    assert.deepEqual(result.read.gateways, { kind: 'complete', items: new Map() });
    assert.ok(!cluster.requests.some((request) => request.path === GATEWAYS));
  });

  it('with Gateway API v1beta1 only, Gateways are complete and empty: the janitor reads v1', async () => {
    await world().addCluster('prod', { gatewayApiVersions: ['v1beta1'] });
    const result = await readCluster(world().eks, 'prod', READER);
    assert.deepEqual(result.read.kind === 'complete' ? result.read.gateways : undefined, {
      kind: 'complete',
      items: new Map(),
    });
  });

  // Ingresses need discovery too now (are the LBC's IngressClassParams served?), so a
  // discovery that always fails leaves both kinds unverified; the Services stay complete.
  it('a failing discovery leaves Gateways (and Ingresses) unverified, even where the CRDs are absent', async () => {
    const cluster = await world().addCluster('prod', { gatewayApiVersions: [] });
    cluster.injectFault({ type: 'status', code: 403, target: { path: '/apis' }, times: 2 });
    const forbidden = await readCluster(world().eks, 'prod', READER);
    cluster.injectFault({ type: 'malformedJson', target: { path: '/apis' }, times: 4 });
    const malformed = await readCluster(world().eks, 'prod', READER);

    for (const result of [forbidden, malformed]) {
      assert.equal(result.read.kind, 'complete');
      if (result.read.kind !== 'complete') return;
      assert.equal(result.read.ingresses?.kind, 'unverified');
      assert.equal(result.read.gateways?.kind, 'unverified');
    }
    assert.match(
      forbidden.read.kind === 'complete' && forbidden.read.gateways?.kind === 'unverified'
        ? forbidden.read.gateways.error
        : '',
      /^discovering API groups: HTTP 403/,
    );
  });

  it('a failed Service list fails the whole read: no Ingresses or Gateways are read', async () => {
    const cluster = await world().addCluster('prod');
    cluster.injectFault({ type: 'status', code: 403, target: { path: '/api/v1/services' } });

    const result = await readCluster(world().eks, 'prod', READER);

    assert.equal(result.read.kind, 'unverified');
    assert.deepEqual(
      cluster.requests.map((request) => request.path),
      ['/api/v1/services'],
    );
  });
});
