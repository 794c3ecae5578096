import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  type GatewayBehindService,
  gatewayFromLabels,
  gatewayFromServiceName,
} from '../../lambda/ownership/gateway-behind-service';

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

describe('gatewayFromServiceName: from the name of a Service that is gone, never guessed', () => {
  const longNamespace = 'platform-networking-team';
  const longGateway = 'customer-facing-public-gateway';
  // Envoy Gateway cuts "<ns>-<gw>" at 48 characters before the hash.
  const truncated = `envoy-${`${longNamespace}-${longGateway}`.slice(0, 48)}-${hash(`${longNamespace}/${longGateway}`)}`;
  const cases: [string, string, string, GatewayBehindService | undefined][] = [
    [
      'Envoy Gateway, real name',
      'envoy-gateway-system',
      'envoy-default-eg-e41e7b31',
      { implementation: 'envoy-gateway', gateway: 'default/eg', source: 'name' },
    ],
    [
      'Envoy Gateway, dashes in namespace and name',
      'envoy-gateway-system',
      'envoy-envoy-gateway-system-envoy-gateway-dc2b3bc0',
      { implementation: 'envoy-gateway', gateway: 'envoy-gateway-system/envoy-gateway', source: 'name' },
    ],
    [
      'Envoy Gateway, a name cut at 48 characters: unknown',
      'envoy-gateway-system',
      truncated,
      { implementation: 'envoy-gateway', gateway: undefined, source: 'name' },
    ],
    [
      'Envoy Gateway shape with a forged hash: unknown',
      'envoy-gateway-system',
      'envoy-default-eg-00000000',
      { implementation: 'envoy-gateway', gateway: undefined, source: 'name' },
    ],
    [
      'Cilium',
      'shop',
      'cilium-gateway-public',
      { implementation: 'cilium', gateway: 'shop/public', source: 'name' },
    ],
    [
      'Cilium, 63 characters (hashed by Cilium): unknown',
      'shop',
      `cilium-gateway-${'a'.repeat(48)}`,
      undefined,
    ],
    ['a plain Service', 'shop', 'web', undefined],
    ['envoy prefix without a hash', 'shop', 'envoy-proxy', undefined],
  ];
  for (const [name, namespace, serviceName, expected] of cases) {
    it(name, () => assert.deepEqual(gatewayFromServiceName(namespace, serviceName), expected));
  }
  it('the truncated example really is 48 characters between prefix and hash', () => {
    assert.equal(truncated.length, 'envoy-'.length + 48 + 9);
  });
});

describe('gatewayFromLabels: from a live Service', () => {
  const cases: [string, Record<string, string> | undefined, GatewayBehindService | undefined][] = [
    [
      'Envoy Gateway',
      {
        'gateway.envoyproxy.io/owning-gateway-name': 'eg',
        'gateway.envoyproxy.io/owning-gateway-namespace': 'default',
        'app.kubernetes.io/managed-by': 'envoy-gateway',
      },
      { implementation: 'envoy-gateway', gateway: 'default/eg', source: 'labels' },
    ],
    [
      'Envoy Gateway merged gateways: the class only',
      { 'gateway.envoyproxy.io/owning-gatewayclass': 'eg-class' },
      { implementation: 'envoy-gateway', gateway: undefined, gatewayClass: 'eg-class', source: 'labels' },
    ],
    [
      'Cilium (deprecated label)',
      { 'io.cilium.gateway/owning-gateway': 'public' },
      { implementation: 'cilium', gateway: 'shop/public', source: 'labels' },
    ],
    [
      'Istio, NGINX Gateway Fabric, newer Cilium',
      { 'gateway.networking.k8s.io/gateway-name': 'public' },
      { implementation: 'gateway-api', gateway: 'shop/public', source: 'labels' },
    ],
    ['no labels', undefined, undefined],
    ['unrelated labels', { app: 'web' }, undefined],
  ];
  for (const [name, labels, expected] of cases) {
    it(name, () => assert.deepEqual(gatewayFromLabels('shop', labels), expected));
  }
});
