import assert from 'node:assert/strict';
import { it } from 'node:test';
import { composeNotification } from '../../lambda/report/notification';
import { entry } from '../support/report-entries';
import { describeWithWorld } from '../support/test-world';

// Every owner family through whole sweeps: owned ones untouched, orphaned ones
// marked with a reason naming what is missing, and a kind that cannot be read
// holding only the load balancers that need it.

const AUTO = (service: string) => ({
  'eks:eks-cluster-name': 'prod',
  'service.eks.amazonaws.com/stack': service,
  'service.eks.amazonaws.com/resource': 'LoadBalancer',
});
const GATEWAY = (gateway: string) => ({
  'elbv2.k8s.aws/cluster': 'prod',
  'gateway.k8s.aws.nlb/stack': gateway,
});
const FRONTEND = (stack: string) => ({
  'elbv2.k8s.aws/cluster': 'prod',
  'ingress.k8s.aws/stack': stack,
  'ingress.k8s.aws/resource': 'FrontendNlb',
});

describeWithWorld('owner families', (world) => {
  it('EKS Auto Mode: a live Service owns its NLB; a gone one is marked, naming Auto Mode', async () => {
    const w = world();
    await w.addCluster('prod');
    const live = await w.createNlb({ name: 'auto-live', tags: AUTO('shop/web') });
    const gone = await w.createNlb({ name: 'auto-gone', tags: AUTO('shop/old') });
    w.putService('prod', 'shop/web', { dnsName: live.dnsName });

    const report = await w.sweep();

    assert.deepEqual(
      report.loadBalancers.map((lb) => [lb.name, lb.outcome, lb.reason, lb.ownerKind, lb.controller]),
      [['auto-gone', 'marked', 'SERVICE_NOT_FOUND', 'Service', 'eks-auto-mode']],
    );
    assert.ok((await w.tagsOf(gone.arn))['nlb-janitor/deletes-at']);
    assert.equal((await w.tagsOf(live.arn))['nlb-janitor/suspect-since'], undefined);
  });

  it('LBC Gateway API: a Gateway owns its NLB; a gone Gateway is GATEWAY_NOT_FOUND', async () => {
    const w = world();
    await w.addCluster('prod');
    const live = await w.createNlb({ name: 'gw-live', tags: GATEWAY('infra/public') });
    const gone = await w.createNlb({ name: 'gw-gone', tags: GATEWAY('infra/old') });
    w.putGateway('prod', 'infra/public', { address: live.dnsName });

    const report = await w.sweep();

    assert.deepEqual(
      report.loadBalancers.map((lb) => [lb.name, lb.outcome, lb.reason, lb.ownerKind, lb.owner]),
      [['gw-gone', 'marked', 'GATEWAY_NOT_FOUND', 'Gateway', 'infra/old']],
    );
    assert.ok((await w.tagsOf(gone.arn))['nlb-janitor/deletes-at']);
  });

  it('a forbidden Gateway list holds only Gateway-owned NLBs; the Service-owned ones are still judged', async () => {
    const w = world();
    const cluster = await w.addCluster('prod');
    const gateway = await w.createNlb({ name: 'gw-gone', tags: GATEWAY('infra/old') });
    await w.createNlb({ name: 'svc-gone', cluster: 'prod', service: 'shop/old' });
    cluster.injectFault({
      type: 'status',
      code: 403,
      target: { path: '/apis/gateway.networking.k8s.io/v1/gateways' },
      times: Number.POSITIVE_INFINITY,
    });

    const report = await w.sweep();

    assert.equal(entry(report, 'gw-gone').outcome, 'held');
    assert.match(
      entry(report, 'gw-gone').detail ?? '',
      /the Gateways of cluster prod could not be read: .*403/,
    );
    assert.equal(entry(report, 'svc-gone').outcome, 'marked');
    assert.equal(report.clusters[0]?.status, 'VERIFIED');
    assert.equal((await w.tagsOf(gateway.arn))['nlb-janitor/suspect-since'], undefined);
  });

  it('a cluster without the Gateway API CRDs has no Gateways: its Gateway-owned NLB is orphaned', async () => {
    const w = world();
    await w.addCluster('prod', { gatewayApiVersions: [] });
    await w.createNlb({ name: 'gw-gone', tags: GATEWAY('infra/old') });

    const report = await w.sweep();

    assert.deepEqual(
      report.loadBalancers.map((lb) => [lb.name, lb.outcome, lb.reason]),
      [['gw-gone', 'marked', 'GATEWAY_NOT_FOUND']],
    );
  });

  it('LBC Ingress front-end NLB: an Ingress or a non-empty IngressGroup owns it; otherwise it is marked', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.createNlb({ name: 'ing-live', tags: FRONTEND('shop/web') });
    await w.createNlb({ name: 'ing-gone', tags: FRONTEND('shop/old') });
    await w.createNlb({ name: 'group-live', tags: FRONTEND('public') });
    await w.createNlb({ name: 'group-empty', tags: FRONTEND('internal') });
    w.putIngress('prod', 'shop/web');
    w.putIngress('prod', 'blog/site', { groupName: 'public' });

    const report = await w.sweep();

    assert.deepEqual(
      report.loadBalancers.map((lb) => [lb.name, lb.outcome, lb.reason, lb.ownerKind]).sort(),
      [
        ['group-empty', 'marked', 'INGRESS_GROUP_EMPTY', 'IngressGroup'],
        ['ing-gone', 'marked', 'INGRESS_NOT_FOUND', 'Ingress'],
      ],
    );
  });

  it('names the Gateway behind a gone Envoy Gateway Service, and says "unknown" for one that does not verify', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.createNlb({
      name: 'envoy',
      cluster: 'prod',
      service: 'envoy-gateway-system/envoy-default-eg-e41e7b31',
    });
    await w.createNlb({
      name: 'forged',
      cluster: 'prod',
      service: 'envoy-gateway-system/envoy-default-eg-00000000',
    });
    const live = await w.createNlb({
      name: 'cilium',
      cluster: 'prod',
      service: 'shop/cilium-gateway-public',
    });
    // A live Cilium Service whose status names another load balancer: its labels name the Gateway.
    w.putService('prod', 'shop/cilium-gateway-public', {
      dnsName: `other-${live.dnsName}`,
      labels: { 'gateway.networking.k8s.io/gateway-name': 'public' },
    });

    const report = await w.sweep();

    assert.equal(entry(report, 'envoy').gateway, 'made by Envoy Gateway for Gateway default/eg');
    assert.equal(
      entry(report, 'forged').gateway,
      'made by Envoy Gateway for a Gateway unknown (its name does not verify)',
    );
    assert.equal(
      entry(report, 'cilium').gateway,
      'made by a Gateway API implementation for Gateway shop/public',
    );
    assert.match(
      composeNotification(report).message,
      /\* envoy \(.*\n.*owner Service envoy-gateway-system\/envoy-default-eg-e41e7b31.*\n {2}the Service was made by Envoy Gateway for Gateway default\/eg/,
    );
  });

  it('reports a live Envoy Gateway Service whose Gateway is gone, and never touches its load balancer', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({
      name: 'envoy-live',
      cluster: 'prod',
      service: 'envoy-gateway-system/envoy-default-eg-e41e7b31',
    });
    w.putService('prod', 'envoy-gateway-system/envoy-default-eg-e41e7b31', {
      dnsName: nlb.dnsName,
      labels: {
        'gateway.envoyproxy.io/owning-gateway-name': 'eg',
        'gateway.envoyproxy.io/owning-gateway-namespace': 'default',
      },
    });
    // Another, whose Gateway still exists, is not reported.
    w.putService('prod', 'envoy-gateway-system/envoy-default-kept-0c9f7f1a', {
      labels: {
        'gateway.envoyproxy.io/owning-gateway-name': 'kept',
        'gateway.envoyproxy.io/owning-gateway-namespace': 'default',
      },
    });
    w.putGateway('prod', 'default/kept');

    const report = await w.sweep();

    assert.deepEqual(
      (report.gatewaysGone ?? []).map((entry) => [entry.cluster, entry.service, entry.gateway]),
      [['prod', 'envoy-gateway-system/envoy-default-eg-e41e7b31', 'default/eg']],
    );
    assert.match(composeNotification(report).message, /SERVICES WHOSE GATEWAY IS GONE \(1; report only/);
    assert.equal(report.loadBalancers.length, 0);
    assert.equal((await w.tagsOf(nlb.arn))['nlb-janitor/suspect-since'], undefined);
  });
});
