import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubernetesApiError, KubernetesTransportError } from '../../lambda/kubernetes/kubernetes-api-error';
import {
  IncompleteListError,
  type JsonGetter,
  listAllServices,
  type ServiceListOptions,
} from '../../lambda/kubernetes/service-list';

// Unit-level behaviour of the list loop against scripted answers; the same rules
// cross the wire against the fake EKS API server in the integration tests.

const sleeps: number[] = [];
const OPTIONS: ServiceListOptions = {
  pageSize: 2,
  maxAttemptsPerPage: 3,
  maxRetryAfterSeconds: 30,
  baseBackoffMs: 100,
  sleep: async (ms) => {
    sleeps.push(ms);
  },
};

function service(name: string, extra: Record<string, unknown> = {}) {
  return {
    metadata: { namespace: 'default', name, uid: `uid-${name}` },
    spec: { type: 'LoadBalancer' },
    status: { loadBalancer: { ingress: [{ hostname: `${name}.elb.amazonaws.com` }] } },
    ...extra,
  };
}

function page(items: unknown[], next?: string, resourceVersion = '100') {
  return { kind: 'ServiceList', apiVersion: 'v1', metadata: { resourceVersion, continue: next }, items };
}

type Answer = unknown | Error;

/** Answers requests in order, recording each query. */
function scripted(answers: Answer[]): JsonGetter & { queries: Record<string, string>[] } {
  const queue = [...answers];
  const queries: Record<string, string>[] = [];
  return {
    queries,
    async getJson(_path, query) {
      queries.push({ ...query });
      const answer = queue.shift();
      if (answer === undefined) throw new Error('no more scripted answers');
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

const status = (code: number, reason: string, retryAfter?: number) =>
  new KubernetesApiError(code, reason, `${reason} message`, retryAfter);

describe('listAllServices', () => {
  it('follows continue tokens and never sends resourceVersion', async () => {
    const api = scripted([page([service('a'), service('b')], 'c1'), page([service('c')])]);
    const result = await listAllServices(api, OPTIONS);
    assert.deepEqual([...result.services.keys()], ['default/a', 'default/b', 'default/c']);
    assert.deepEqual(api.queries, [{ limit: '2' }, { limit: '2', continue: 'c1' }]);
    assert.equal(result.resourceVersion, '100');
  });

  it('reads hostnames and IPs from the status', async () => {
    const api = scripted([
      page([service('a', { status: { loadBalancer: { ingress: [{ hostname: 'h' }, { ip: '1.2.3.4' }] } } })]),
    ]);
    const result = await listAllServices(api, OPTIONS);
    assert.deepEqual(result.services.get('default/a')?.ingressHostnames, ['h']);
    assert.deepEqual(result.services.get('default/a')?.ingressIps, ['1.2.3.4']);
  });

  it('restarts once from the beginning when the continue token expired (410)', async () => {
    const api = scripted([
      page([service('a'), service('b')], 'c1'),
      status(410, 'Expired'),
      page([service('a'), service('b')], 'c2', '200'),
      page([service('c')], undefined, '200'),
    ]);
    const result = await listAllServices(api, OPTIONS);
    assert.equal(result.services.size, 3);
    assert.deepEqual(api.queries[2], { limit: '2' });
    assert.equal(result.resourceVersion, '200');
  });

  it('gives up when the continue token expires twice', async () => {
    const api = scripted([
      page([service('a')], 'c1'),
      status(410, 'Expired'),
      page([service('a')], 'c2'),
      status(410, 'Expired'),
    ]);
    await assert.rejects(listAllServices(api, OPTIONS), (error: Error) => {
      assert.ok(error instanceof IncompleteListError);
      assert.match(error.message, /expired twice/);
      return true;
    });
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    sleeps.length = 0;
    const api = scripted([status(429, 'TooManyRequests', 3), page([service('a')])]);
    const result = await listAllServices(api, OPTIONS);
    assert.equal(result.services.size, 1);
    assert.deepEqual(sleeps, [3000]);
  });

  it('backs off exponentially on 5xx and transport errors', async () => {
    sleeps.length = 0;
    const api = scripted([
      status(500, 'InternalError'),
      new KubernetesTransportError('reset'),
      page([service('a')]),
    ]);
    await listAllServices(api, OPTIONS);
    assert.deepEqual(sleeps, [100, 200]);
  });

  it('fails after the bounded attempts on one page', async () => {
    const api = scripted([
      page([service('a')], 'c1'),
      status(503, 'ServiceUnavailable'),
      status(503, 'ServiceUnavailable'),
      status(503, 'ServiceUnavailable'),
    ]);
    await assert.rejects(listAllServices(api, OPTIONS), /page 2 after 3 attempts: HTTP 503/);
  });

  it('fails rather than wait for a Retry-After longer than the limit', async () => {
    const api = scripted([status(429, 'TooManyRequests', 120)]);
    await assert.rejects(listAllServices(api, OPTIONS), /HTTP 429/);
  });

  for (const code of [400, 401, 403, 404]) {
    it(`does not retry ${code}`, async () => {
      const api = scripted([status(code, 'Nope'), page([service('a')])]);
      await assert.rejects(listAllServices(api, OPTIONS), IncompleteListError);
      assert.equal(api.queries.length, 1);
    });
  }

  it('treats 410 on the first page (no continue token) as a failure, not a restart', async () => {
    const api = scripted([status(410, 'Gone'), page([service('a')])]);
    await assert.rejects(listAllServices(api, OPTIONS), /HTTP 410/);
  });

  const malformed: [string, unknown][] = [
    ['an item without metadata.name', page([{ metadata: { namespace: 'x' }, spec: { type: 'ClusterIP' } }])],
    ['an item without spec', page([{ metadata: { namespace: 'x', name: 'y' } }])],
    [
      'an item with an empty namespace',
      page([{ metadata: { namespace: '', name: 'y' }, spec: { type: 'ClusterIP' } }]),
    ],
    ['a list without items', { kind: 'ServiceList', metadata: { resourceVersion: '1' } }],
    ['a list without resourceVersion', { kind: 'ServiceList', metadata: {}, items: [] }],
    ['a Status instead of a list', { kind: 'Status', status: 'Failure' }],
    ['null', null],
  ];
  for (const [name, body] of malformed) {
    it(`rejects the whole read for ${name}`, async () => {
      await assert.rejects(listAllServices(scripted([body]), OPTIONS), IncompleteListError);
    });
  }

  it('rejects pages from different snapshots', async () => {
    const api = scripted([page([service('a')], 'c1', '100'), page([service('b')], undefined, '101')]);
    await assert.rejects(listAllServices(api, OPTIONS), /resourceVersion 101/);
  });

  it('rejects a list that repeats a Service', async () => {
    const api = scripted([page([service('a')], 'c1'), page([service('a')])]);
    await assert.rejects(listAllServices(api, OPTIONS), /repeats Service default\/a/);
  });
});
