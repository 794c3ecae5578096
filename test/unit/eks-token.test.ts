import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEksToken } from '../../lambda/kubernetes/eks-token';
import { EksTokenSource, TOKEN_REFRESH_AGE_MS } from '../../lambda/kubernetes/eks-token-source';

const CREDENTIALS = { accessKeyId: 'AKIAEXAMPLE000000000', secretAccessKey: 'secret' };

function decode(token: string): URL {
  assert.match(token, /^k8s-aws-v1\.[A-Za-z0-9_-]+$/, 'base64url without padding');
  return new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
}

describe('createEksToken', () => {
  it('presigns GetCallerIdentity on the regional STS endpoint, for 60 s, with the cluster id signed', async () => {
    const url = decode(
      await createEksToken({
        clusterName: 'prod',
        region: 'eu-west-1',
        credentials: CREDENTIALS,
        now: new Date('2026-11-24T18:00:00Z'),
      }),
    );
    assert.equal(url.origin, 'https://sts.eu-west-1.amazonaws.com');
    assert.equal(url.pathname, '/');
    assert.equal(url.searchParams.get('Action'), 'GetCallerIdentity');
    assert.equal(url.searchParams.get('X-Amz-Expires'), '60');
    assert.equal(url.searchParams.get('X-Amz-Date'), '20261124T180000Z');
    assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'host;x-k8s-aws-id');
    assert.equal(
      url.searchParams.get('x-k8s-aws-id'),
      null,
      'the cluster id is a signed header, not a parameter',
    );
    assert.equal(url.searchParams.get('X-Amz-Security-Token'), null);
  });

  it('carries the session token of temporary credentials', async () => {
    const url = decode(
      await createEksToken({
        clusterName: 'prod',
        region: 'us-east-1',
        credentials: { ...CREDENTIALS, sessionToken: 'session/+=' },
        now: new Date(),
      }),
    );
    assert.equal(url.searchParams.get('X-Amz-Security-Token'), 'session/+=');
  });

  it('uses the amazonaws.com.cn endpoint in China regions', async () => {
    const url = decode(
      await createEksToken({
        clusterName: 'prod',
        region: 'cn-north-1',
        credentials: CREDENTIALS,
        now: new Date(),
      }),
    );
    assert.equal(url.host, 'sts.cn-north-1.amazonaws.com.cn');
  });
});

describe('EksTokenSource', () => {
  it('reuses a token, and signs a new one before it is 14 minutes old', async () => {
    let now = Date.parse('2026-11-24T18:00:00Z');
    let signed = 0;
    const source = new EksTokenSource({
      clusterName: 'prod',
      region: 'eu-west-1',
      credentials: async () => {
        signed += 1;
        return CREDENTIALS;
      },
      clock: () => new Date(now),
    });
    const first = await source.token();
    now += TOKEN_REFRESH_AGE_MS - 1000;
    assert.equal(await source.token(), first);
    now += 1000;
    const second = await source.token();
    assert.notEqual(second, first);
    assert.equal(signed, 2);
    assert.ok(TOKEN_REFRESH_AGE_MS < 14 * 60 * 1000);
  });
});
