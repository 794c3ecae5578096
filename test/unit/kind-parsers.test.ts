import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGateway } from '../../lambda/kubernetes/gateway-kind';
import { parseIngress } from '../../lambda/kubernetes/ingress-kind';
import { parseService } from '../../lambda/kubernetes/service-list';

// Each kind's item parser: what it keeps, and which items make a whole list unusable
// (undefined), since such an item could be the owner of any load balancer.

const metadata = { namespace: 'shop', name: 'web' };

describe('parseService', () => {
  it('keeps labels, and gives {} when there are none', () => {
    const labelled = parseService({
      metadata: { ...metadata, labels: { 'gateway.networking.k8s.io/gateway-name': 'eg' } },
      spec: { type: 'LoadBalancer' },
    });
    const bare = parseService({ metadata, spec: { type: 'LoadBalancer' } });
    assert.deepEqual(labelled?.labels, { 'gateway.networking.k8s.io/gateway-name': 'eg' });
    assert.deepEqual(bare?.labels, {});
  });

  const unusable: [string, unknown][] = [
    ['labels that are not a map', { metadata: { ...metadata, labels: ['a'] }, spec: { type: 'ClusterIP' } }],
    [
      'a label value that is not a string',
      { metadata: { ...metadata, labels: { a: 1 } }, spec: { type: 'ClusterIP' } },
    ],
    ['no spec.type', { metadata, spec: {} }],
    ['an empty name', { metadata: { namespace: 'shop', name: '' }, spec: { type: 'ClusterIP' } }],
  ];
  for (const [name, item] of unusable) {
    it(`is unusable with ${name}`, () => assert.equal(parseService(item), undefined));
  }
});

describe('parseIngress', () => {
  it('reads the IngressGroup annotation, the class and the status hostnames', () => {
    const ingress = parseIngress({
      metadata: { ...metadata, annotations: { 'alb.ingress.kubernetes.io/group.name': 'shared' } },
      spec: { ingressClassName: 'alb', rules: [] },
      status: { loadBalancer: { ingress: [{ hostname: 'a.elb.amazonaws.com' }, { ip: '10.0.0.1' }] } },
    });
    assert.deepEqual(ingress, {
      namespace: 'shop',
      name: 'web',
      groupName: 'shared',
      ingressClassName: 'alb',
      ingressHostnames: ['a.elb.amazonaws.com'],
    });
  });

  it('is usable without annotations, class or status: no explicit group, no class, no hostnames', () => {
    assert.deepEqual(parseIngress({ metadata, spec: {} }), {
      namespace: 'shop',
      name: 'web',
      groupName: undefined,
      ingressClassName: undefined,
      ingressHostnames: [],
    });
  });

  it('ignores annotations other than the group name', () => {
    const ingress = parseIngress({
      metadata: { ...metadata, annotations: { 'kubernetes.io/ingress.class': 'alb' } },
    });
    assert.equal(ingress?.groupName, undefined);
  });

  const unusable: [string, unknown][] = [
    ['no metadata', { spec: {} }],
    ['no namespace', { metadata: { name: 'web' } }],
    ['no name', { metadata: { namespace: 'shop' } }],
    ['annotations that are not strings', { metadata: { ...metadata, annotations: { a: true } } }],
    ['a class that is not a string', { metadata, spec: { ingressClassName: 7 } }],
    ['null', null],
  ];
  for (const [name, item] of unusable) {
    it(`is unusable with ${name}`, () => assert.equal(parseIngress(item), undefined));
  }
});

describe('parseGateway', () => {
  it('reads the class and every status address value', () => {
    const gateway = parseGateway({
      metadata,
      spec: { gatewayClassName: 'aws-nlb', listeners: [] },
      status: {
        addresses: [
          { type: 'Hostname', value: 'k8s-shop-web.elb.amazonaws.com' },
          { type: 'IPAddress', value: '10.0.0.1' },
          { type: 'Hostname' },
        ],
      },
    });
    assert.deepEqual(gateway, {
      namespace: 'shop',
      name: 'web',
      gatewayClassName: 'aws-nlb',
      addresses: ['k8s-shop-web.elb.amazonaws.com', '10.0.0.1'],
    });
  });

  it('is usable before it is programmed: no addresses', () => {
    assert.deepEqual(parseGateway({ metadata, spec: { gatewayClassName: 'aws-nlb' } })?.addresses, []);
  });

  const unusable: [string, unknown][] = [
    ['no spec.gatewayClassName', { metadata, spec: { listeners: [] } }],
    ['an empty spec.gatewayClassName', { metadata, spec: { gatewayClassName: '' } }],
    ['no spec', { metadata }],
    ['no namespace', { metadata: { name: 'web' }, spec: { gatewayClassName: 'aws-nlb' } }],
    ['no name', { metadata: { namespace: 'shop' }, spec: { gatewayClassName: 'aws-nlb' } }],
  ];
  for (const [name, item] of unusable) {
    it(`is unusable with ${name}`, () => assert.equal(parseGateway(item), undefined));
  }
});
