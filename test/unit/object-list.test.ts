import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GATEWAYS } from '../../lambda/kubernetes/gateway-kind';
import { INGRESSES } from '../../lambda/kubernetes/ingress-kind';
import { KubernetesApiError } from '../../lambda/kubernetes/kubernetes-api-error';
import { IncompleteListError, type JsonGetter, listAllObjects } from '../../lambda/kubernetes/object-list';

// The strict list is one loop for every kind: these check that a second and third kind
// get its rules (path, pages, 410 restart, one snapshot, strict items) with their own
// names. The rules in full are tested for Services in service-list.test.ts.

const OPTIONS = {
  pageSize: 2,
  maxAttemptsPerPage: 2,
  maxRetryAfterSeconds: 5,
  baseBackoffMs: 1,
  sleep: async () => {},
};

const ingress = (name: string) => ({
  metadata: { namespace: 'shop', name },
  spec: { ingressClassName: 'alb' },
});
const gateway = (name: string) => ({
  metadata: { namespace: 'shop', name },
  spec: { gatewayClassName: 'aws-nlb' },
});

function page(kind: string, items: unknown[], next?: string, resourceVersion = '100') {
  return { kind, apiVersion: 'x/v1', metadata: { resourceVersion, continue: next }, items };
}

function scripted(answers: unknown[]): JsonGetter & { requests: [string, Record<string, string>][] } {
  const requests: [string, Record<string, string>][] = [];
  return {
    requests,
    async getJson(path, query) {
      requests.push([path, { ...query }]);
      const answer = answers.shift();
      if (answer === undefined) throw new Error('no more scripted answers');
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

describe('listAllObjects for Ingresses and Gateways', () => {
  it('pages through the kind’s own path, keyed namespace/name', async () => {
    const api = scripted([
      page('IngressList', [ingress('a'), ingress('b')], 'c1'),
      page('IngressList', [ingress('c')]),
    ]);
    const result = await listAllObjects(api, INGRESSES, OPTIONS);
    assert.deepEqual([...result.items.keys()], ['shop/a', 'shop/b', 'shop/c']);
    assert.deepEqual(api.requests, [
      ['/apis/networking.k8s.io/v1/ingresses', { limit: '2' }],
      ['/apis/networking.k8s.io/v1/ingresses', { limit: '2', continue: 'c1' }],
    ]);
  });

  it('restarts a Gateway list once when its continue token expired (410)', async () => {
    const api = scripted([
      page('GatewayList', [gateway('a'), gateway('b')], 'c1'),
      new KubernetesApiError(410, 'Expired', 'too old', undefined),
      page('GatewayList', [gateway('a'), gateway('b')], 'c2', '200'),
      page('GatewayList', [gateway('c')], undefined, '200'),
    ]);
    const result = await listAllObjects(api, GATEWAYS, OPTIONS);
    assert.equal(result.items.size, 3);
    assert.equal(result.resourceVersion, '200');
    assert.deepEqual(api.requests[2], ['/apis/gateway.networking.k8s.io/v1/gateways', { limit: '2' }]);
  });

  it('rejects Ingress pages from different snapshots', async () => {
    const api = scripted([
      page('IngressList', [ingress('a')], 'c1', '100'),
      page('IngressList', [ingress('b')], undefined, '101'),
    ]);
    await assert.rejects(listAllObjects(api, INGRESSES, OPTIONS), /page 2 came from resourceVersion 101/);
  });

  it('rejects a page of another kind', async () => {
    const api = scripted([page('IngressList', [gateway('a')])]);
    await assert.rejects(listAllObjects(api, GATEWAYS, OPTIONS), /page 1 is not a GatewayList/);
  });

  it('names the kind when an item is unusable, and when one repeats', async () => {
    const noClass = scripted([
      page('GatewayList', [gateway('a'), { metadata: { namespace: 'shop', name: 'b' } }]),
    ]);
    const repeated = scripted([
      page('IngressList', [ingress('a')], 'c1'),
      page('IngressList', [ingress('a')]),
    ]);
    await assert.rejects(
      listAllObjects(noClass, GATEWAYS, OPTIONS),
      (error: Error) =>
        error instanceof IncompleteListError &&
        error.message === 'page 1, item 1: a Gateway without namespace, name or spec.gatewayClassName',
    );
    await assert.rejects(listAllObjects(repeated, INGRESSES, OPTIONS), /page 2 repeats Ingress shop\/a/);
  });

  it('names the kind when retries run out', async () => {
    const api = scripted([
      new KubernetesApiError(500, 'InternalError', 'x', undefined),
      new KubernetesApiError(500, 'InternalError', 'x', undefined),
    ]);
    await assert.rejects(
      listAllObjects(api, GATEWAYS, OPTIONS),
      /^IncompleteListError: listing Gateways, page 1 after 2 attempts: HTTP 500/,
    );
  });
});
