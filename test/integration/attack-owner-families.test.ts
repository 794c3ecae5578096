import assert from 'node:assert/strict';
import { it } from 'node:test';
import { daysAgo, suspectTags } from '../support/marks';
import { entry } from '../support/report-entries';
import { describeWithWorld } from '../support/test-world';

// Safety review (attack): owner families. Each test is a way a confused platform
// team could get a live NLB marked or deleted.

const GATEWAY = (cluster: string, gateway: string) => ({
  'elbv2.k8s.aws/cluster': cluster,
  'gateway.k8s.aws.nlb/stack': gateway,
});
const FRONTEND = (cluster: string, stack: string) => ({
  'elbv2.k8s.aws/cluster': cluster,
  'ingress.k8s.aws/stack': stack,
  'ingress.k8s.aws/resource': 'FrontendNlb',
});

describeWithWorld('attack: owner families', (world) => {
  it('a Gateway in another cluster of the same VPC whose status names the NLB spares it (its LBC runs with the wrong cluster name)', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.addCluster('dev');
    // dev's controller was installed with clusterName=prod: it tags its Gateway's NLB as prod's.
    const nlb = await w.createNlb({
      name: 'gw-live-in-dev',
      tags: { ...GATEWAY('prod', 'infra/public'), ...suspectTags(daysAgo(8), 'GATEWAY_NOT_FOUND') },
    });
    w.putGateway('dev', 'infra/public', { address: nlb.dnsName });
    // dev also has a Gateway-owned NLB of its own, so its Gateways are read too.
    const own = await w.createNlb({ name: 'dev-own', tags: GATEWAY('dev', 'infra/own') });
    w.putGateway('dev', 'infra/own', { address: own.dnsName });

    const report = await w.sweep({ clusters: ['prod', 'dev'] });

    assert.notEqual(entry(report, 'gw-live-in-dev').outcome, 'deleted');
    assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
  });

  it('an Ingress of the group in another cluster of the same VPC whose status names the front-end NLB spares it', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.addCluster('dev');
    const nlb = await w.createNlb({
      name: 'front-live-in-dev',
      tags: { ...FRONTEND('prod', 'public'), ...suspectTags(daysAgo(8), 'INGRESS_GROUP_EMPTY') },
    });
    w.putIngress('dev', 'shop/web', { groupName: 'public', hostname: nlb.dnsName });

    const report = await w.sweep({ clusters: ['prod', 'dev'] });

    assert.notEqual(entry(report, 'front-live-in-dev').outcome, 'deleted');
    assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
  });

  it('a Service in another cluster naming a Gateway-owned NLB spares it, even with that cluster’s Gateway list forbidden', async () => {
    const w = world();
    await w.addCluster('prod');
    const dev = await w.addCluster('dev');
    const nlb = await w.createNlb({
      name: 'gw-named',
      tags: { ...GATEWAY('prod', 'infra/public'), ...suspectTags(daysAgo(8), 'GATEWAY_NOT_FOUND') },
    });
    await w.createNlb({ name: 'dev-gw', tags: GATEWAY('dev', 'infra/x') });
    w.putService('dev', 'shop/web', { dnsName: `dualstack.${nlb.dnsName.toUpperCase()}.` });
    dev.injectFault({
      type: 'status',
      code: 403,
      target: { path: '/apis/gateway.networking.k8s.io/v1/gateways' },
      times: Number.POSITIVE_INFINITY,
    });

    const report = await w.sweep({ clusters: ['prod', 'dev'] });

    assert.equal(entry(report, 'gw-named').outcome, 'spared');
    assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
  });

  it('a Gateway whose status names the NLB as dualstack., upper case, trailing dot, owns it', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({
      name: 'gw-dual',
      tags: { ...GATEWAY('prod', 'infra/public'), ...suspectTags(daysAgo(8), 'GATEWAY_NOT_FOUND') },
    });
    w.putGateway('prod', 'infra/public', { address: ` dualstack.${nlb.dnsName.toUpperCase()}. ` });

    const report = await w.sweep();

    assert.equal(entry(report, 'gw-dual').outcome, 'recovered');
    assert.equal((await w.tagsOf(nlb.arn))['nlb-janitor/suspect-since'], undefined);
  });

  it('Service and Gateway stacks naming the same ns/name are ambiguous: skipped, never marked', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({
      name: 'two-kinds',
      tags: {
        'elbv2.k8s.aws/cluster': 'prod',
        'service.k8s.aws/stack': 'infra/public',
        'gateway.k8s.aws.nlb/stack': 'infra/public',
        ...suspectTags(daysAgo(8), 'GATEWAY_NOT_FOUND'),
      },
    });
    w.putService('prod', 'infra/public', { dnsName: nlb.dnsName });

    const report = await w.sweep();

    assert.deepEqual(report.loadBalancers, []);
    assert.ok(report.skipped.some((s) => s.name === 'two-kinds' && s.reason === 'AMBIGUOUS_OWNER_TAGS'));
    assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
  });

  it('EKS Auto Mode and LBC tags naming the same Service of the same cluster: the live Service owns it', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({
      name: 'auto-and-lbc',
      cluster: 'prod',
      service: 'shop/web',
      tags: {
        'eks:eks-cluster-name': 'prod',
        'service.eks.amazonaws.com/stack': 'shop/web',
        ...suspectTags(daysAgo(8)),
      },
    });
    w.putService('prod', 'shop/web', { dnsName: nlb.dnsName });

    const report = await w.sweep();

    assert.equal(entry(report, 'auto-and-lbc').outcome, 'recovered');
  });

  it('EKS Auto Mode tags naming one cluster and LBC tags another: ambiguous, skipped', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.addCluster('dev');
    const nlb = await w.createNlb({
      name: 'auto-vs-lbc',
      cluster: 'prod',
      service: 'shop/web',
      tags: {
        'eks:eks-cluster-name': 'dev',
        'service.eks.amazonaws.com/stack': 'shop/web',
        ...suspectTags(daysAgo(8)),
      },
    });
    w.putService('dev', 'shop/web', { dnsName: nlb.dnsName });

    const report = await w.sweep();

    assert.ok(report.skipped.some((s) => s.name === 'auto-vs-lbc' && s.reason === 'AMBIGUOUS_OWNER_TAGS'));
    assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
  });

  it('an IngressGroup named like a namespace is the group, not the namespace: an Ingress of that namespace outside the group does not own it', async () => {
    const w = world();
    await w.addCluster('prod');
    const live = await w.createNlb({ name: 'group-shop', tags: FRONTEND('prod', 'shop') });
    w.putIngress('prod', 'shop/web');
    w.putIngress('prod', 'blog/site', { groupName: 'shop' });
    const gone = await w.createNlb({ name: 'group-blog', tags: FRONTEND('prod', 'blog') });

    const report = await w.sweep();

    // Group shop has blog/site: owned. Group blog is empty, though namespace blog has an Ingress.
    assert.deepEqual(
      report.loadBalancers.map((lb) => [lb.name, lb.outcome, lb.reason]),
      [['group-blog', 'marked', 'INGRESS_GROUP_EMPTY']],
    );
    assert.equal((await w.tagsOf(live.arn))['nlb-janitor/suspect-since'], undefined);
    assert.ok((await w.tagsOf(gone.arn))['nlb-janitor/deletes-at']);
  });

  it('breaker: both Gateway-owned NLBs of a 2-NLB cluster due at once are held (ratio 0.5)', async () => {
    const w = world();
    await w.addCluster('prod');
    const a = await w.createNlb({
      name: 'gw-a',
      tags: { ...GATEWAY('prod', 'infra/a'), ...suspectTags(daysAgo(8), 'GATEWAY_NOT_FOUND') },
    });
    const b = await w.createNlb({
      name: 'gw-b',
      tags: { ...GATEWAY('prod', 'infra/b'), ...suspectTags(daysAgo(8), 'GATEWAY_NOT_FOUND') },
    });

    const report = await w.sweep({ maxOrphanRatio: 0.5 });

    assert.deepEqual(report.loadBalancers.map((lb) => lb.outcome).sort(), ['held', 'held']);
    const arns = await w.loadBalancerArns();
    assert.ok(arns.includes(a.arn) && arns.includes(b.arn));
  });

  it('breaker: marks spread over three families in one cluster count together', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.createNlb({ name: 'svc', cluster: 'prod', service: 'shop/gone' });
    await w.createNlb({ name: 'gw', tags: GATEWAY('prod', 'infra/gone') });
    await w.createNlb({ name: 'front', tags: FRONTEND('prod', 'shop/gone') });
    const live = await w.createNlb({ name: 'live', cluster: 'prod', service: 'shop/live' });
    w.putService('prod', 'shop/live', { dnsName: live.dnsName });

    const report = await w.sweep({ maxOrphanRatio: 0.5 });

    assert.deepEqual(report.loadBalancers.map((lb) => [lb.name, lb.outcome]).sort(), [
      ['front', 'held'],
      ['gw', 'held'],
      ['svc', 'held'],
    ]);
  });
});
