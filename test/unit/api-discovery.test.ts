import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupVersionListed, servesGroupVersion } from '../../lambda/kubernetes/api-discovery';
import { IncompleteListError } from '../../lambda/kubernetes/incomplete-list-error';
import { KubernetesApiError, KubernetesTransportError } from '../../lambda/kubernetes/kubernetes-api-error';

// Whether a cluster serves gateway.networking.k8s.io/v1: only an APIGroupList read in
// full may say "no"; anything else must fail, never answer "not served".

const GROUP = 'gateway.networking.k8s.io';

function group(name: string, versions: string[]) {
  const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

const groups = (...entries: unknown[]) => ({ kind: 'APIGroupList', apiVersion: 'v1', groups: entries });

describe('groupVersionListed', () => {
  const decisions: [string, unknown, boolean][] = [
    ['the group with v1', groups(group('apps', ['v1']), group(GROUP, ['v1', 'v1beta1'])), true],
    ['the group with v1beta1 only', groups(group(GROUP, ['v1beta1', 'v1alpha2'])), false],
    ['no such group', groups(group('apps', ['v1']), group('networking.k8s.io', ['v1'])), false],
    ['no groups at all', groups(), false],
    ['v1 of another group only', groups(group('gateway.networking.x-k8s.io', ['v1'])), false],
  ];
  for (const [name, body, served] of decisions) {
    it(`${served ? 'serves' : 'does not serve'} for ${name}`, () => {
      assert.equal(groupVersionListed(body, GROUP, 'v1'), served);
    });
  }

  const unusable: [string, unknown][] = [
    ['a Status', { kind: 'Status', status: 'Failure' }],
    ['an APIVersions (the core /api answer)', { kind: 'APIVersions', versions: ['v1'] }],
    ['a list without groups', { kind: 'APIGroupList' }],
    ['a group without a name', groups({ versions: [{ version: 'v1' }] }, group('apps', ['v1']))],
    ['a group without versions', groups({ name: GROUP })],
    ['a version without a name', groups({ name: GROUP, versions: [{ groupVersion: `${GROUP}/v1` }] })],
    ['null', null],
  ];
  for (const [name, body] of unusable) {
    it(`fails rather than answer for ${name}`, () => {
      assert.throws(() => groupVersionListed(body, GROUP, 'v1'), IncompleteListError);
    });
  }
});

describe('servesGroupVersion', () => {
  const options = { maxAttemptsPerPage: 2, maxRetryAfterSeconds: 5, baseBackoffMs: 1, sleep: async () => {} };

  function scripted(answers: unknown[]) {
    const paths: string[] = [];
    return {
      paths,
      async getJson(path: string) {
        paths.push(path);
        const answer = answers.shift();
        if (answer instanceof Error) throw answer;
        return answer;
      },
    };
  }

  it('asks /apis, retrying a transient failure', async () => {
    const api = scripted([new KubernetesTransportError('reset'), groups(group(GROUP, ['v1']))]);
    assert.equal(await servesGroupVersion(api, GROUP, 'v1', options), true);
    assert.deepEqual(api.paths, ['/apis', '/apis']);
  });

  it('fails when discovery is forbidden, not "not served"', async () => {
    const api = scripted([new KubernetesApiError(403, 'Forbidden', 'no', undefined)]);
    await assert.rejects(servesGroupVersion(api, GROUP, 'v1', options), /discovering API groups: HTTP 403/);
  });

  it('fails after the bounded attempts', async () => {
    const api = scripted([
      new KubernetesApiError(503, 'ServiceUnavailable', 'x', undefined),
      new KubernetesApiError(503, 'ServiceUnavailable', 'x', undefined),
    ]);
    await assert.rejects(
      servesGroupVersion(api, GROUP, 'v1', options),
      /discovering API groups after 2 attempts: HTTP 503/,
    );
  });
});
