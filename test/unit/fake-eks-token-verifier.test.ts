import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { EksTokenVerifier, type FakeCredentials } from '../support/fake-eks/eks-token-verifier';

// The verifier is test support itself; these tests pin it to aws-iam-authenticator's
// rules, with tokens signed independently by @smithy/signature-v4.

const NOW = new Date('2025-03-01T12:00:00Z');
const MINUTE = 60_000;
const CLUSTER = 'prod';
const REGION = 'eu-west-1';
const LONG_TERM = { accessKeyId: 'AKIDLONGTERM', secretAccessKey: 'long-term-secret' };
const TEMPORARY = { accessKeyId: 'ASIATEMPORARY', secretAccessKey: 'temp-secret', sessionToken: 'session-1' };
const CREDENTIALS: FakeCredentials = {
  [LONG_TERM.accessKeyId]: { secretAccessKey: LONG_TERM.secretAccessKey },
  [TEMPORARY.accessKeyId]: {
    secretAccessKey: TEMPORARY.secretAccessKey,
    sessionToken: TEMPORARY.sessionToken,
    arn: 'arn:aws:sts::111122223333:assumed-role/janitor/lambda',
  },
};

interface TokenSpec {
  clusterName?: string;
  hostname?: string;
  path?: string;
  scheme?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  region?: string;
  signingDate?: Date;
  expiresIn?: number;
  extraQuery?: Record<string, string>;
  /** Moves x-k8s-aws-id into the query string instead of signing it as a header. */
  hoistClusterId?: boolean;
}

/** Makes a token as aws-iam-authenticator's generator does, with each part overridable. */
async function makeToken(spec: TokenSpec = {}): Promise<string> {
  const region = spec.region ?? REGION;
  const hostname = spec.hostname ?? `sts.${region}.amazonaws.com`;
  const signer = new SignatureV4({
    service: 'sts',
    region,
    credentials: spec.credentials ?? LONG_TERM,
    sha256: Hash.bind(null, 'sha256'),
  });
  // presign hoists only x-amz-* headers into the query, so x-k8s-aws-id stays a signed
  // header unless a test asks otherwise.
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: spec.path ?? '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15', ...spec.extraQuery },
      headers: { host: hostname, 'x-k8s-aws-id': spec.clusterName ?? CLUSTER },
    },
    {
      expiresIn: spec.expiresIn ?? 60,
      signingDate: spec.signingDate ?? NOW,
      ...(spec.hoistClusterId === true ? { hoistableHeaders: new Set(['x-k8s-aws-id']) } : {}),
    },
  );
  const query = Object.entries(presigned.query ?? {})
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
  const url = `${spec.scheme ?? 'https'}://${hostname}${spec.path ?? '/'}?${query}`;
  return `k8s-aws-v1.${Buffer.from(url, 'utf8').toString('base64url')}`;
}

const verifier = new EksTokenVerifier({
  clusterName: CLUSTER,
  region: REGION,
  credentials: CREDENTIALS,
  now: () => NOW,
});

function decodeUrl(token: string): string {
  return Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8');
}

function assertRejected(token: string, reason: RegExp): void {
  const result = verifier.verify(token);
  assert.equal(result.ok, false, 'the token was accepted');
  if (!result.ok) assert.match(result.reason, reason);
}

describe('EksTokenVerifier', () => {
  it('accepts a token signed with long-term credentials for this cluster', async () => {
    assert.deepEqual(verifier.verify(await makeToken()), {
      ok: true,
      accessKeyId: LONG_TERM.accessKeyId,
      arn: `arn:aws:iam::111122223333:user/${LONG_TERM.accessKeyId}`,
    });
  });

  it('accepts temporary credentials that carry their session token', async () => {
    assert.deepEqual(verifier.verify(await makeToken({ credentials: TEMPORARY })), {
      ok: true,
      accessKeyId: TEMPORARY.accessKeyId,
      arn: 'arn:aws:sts::111122223333:assumed-role/janitor/lambda',
    });
  });

  it('accepts the global STS endpoint signed for us-east-1', async () => {
    const token = await makeToken({ hostname: 'sts.amazonaws.com', region: 'us-east-1' });
    assert.equal(verifier.verify(token).ok, true);
  });

  it('accepts a token exactly 15 minutes old and X-Amz-Expires 900', async () => {
    const token = await makeToken({ signingDate: new Date(NOW.getTime() - 15 * MINUTE), expiresIn: 900 });
    assert.equal(verifier.verify(token).ok, true);
  });

  const rejections: { name: string; spec: TokenSpec; reason: RegExp }[] = [
    { name: 'a token signed for another cluster', spec: { clusterName: 'staging' }, reason: /signature/ },
    {
      name: 'a wrong secret',
      spec: { credentials: { ...LONG_TERM, secretAccessKey: 'guessed' } },
      reason: /signature/,
    },
    {
      name: 'an unknown access key',
      spec: { credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' } },
      reason: /security token included in the request is invalid/,
    },
    {
      name: 'a date older than 15 minutes',
      spec: { signingDate: new Date(NOW.getTime() - 15 * MINUTE - 1000) },
      reason: /expired/,
    },
    {
      name: 'a date more than 15 minutes ahead',
      spec: { signingDate: new Date(NOW.getTime() + 16 * MINUTE) },
      reason: /not yet current/,
    },
    { name: 'X-Amz-Expires 901', spec: { expiresIn: 901 }, reason: /X-Amz-Expires/ },
    {
      name: 'an extra query parameter, even signed',
      spec: { extraQuery: { Foo: 'bar' } },
      reason: /non-whitelisted query parameter "Foo"/,
    },
    {
      name: 'the cluster id sent as a query parameter instead of a signed header',
      spec: { hoistClusterId: true },
      reason: /non-whitelisted query parameter "x-k8s-aws-id"/,
    },
    { name: 'another host', spec: { hostname: 'sts.example.com' }, reason: /unexpected hostname/ },
    {
      name: 'the STS endpoint of another region',
      spec: { region: 'us-west-2' },
      reason: /unexpected hostname "sts.us-west-2.amazonaws.com"/,
    },
    { name: 'the http scheme', spec: { scheme: 'http' }, reason: /unexpected scheme "http"/ },
    { name: 'a path other than /', spec: { path: '/other' }, reason: /unexpected path/ },
    {
      name: 'temporary credentials without their session token',
      spec: {
        credentials: { accessKeyId: TEMPORARY.accessKeyId, secretAccessKey: TEMPORARY.secretAccessKey },
      },
      reason: /security token is missing/,
    },
    {
      name: 'temporary credentials with another session token',
      spec: { credentials: { ...TEMPORARY, sessionToken: 'session-2' } },
      reason: /does not match/,
    },
    {
      name: 'a session token with long-term credentials',
      spec: { credentials: { ...LONG_TERM, sessionToken: 'invented' } },
      reason: /long-term credentials/,
    },
    {
      // Real session tokens run to a thousand characters and more; this one makes the token too long.
      name: 'a token longer than 4 KiB',
      spec: { credentials: { ...TEMPORARY, sessionToken: 'x'.repeat(3000) } },
      reason: /token is too large/,
    },
  ];
  for (const { name, spec, reason } of rejections) {
    it(`rejects ${name}`, async () => {
      assertRejected(await makeToken(spec), reason);
    });
  }

  it('rejects base64url with padding', async () => {
    const url = decodeUrl(await makeToken());
    const padded = Buffer.from(url, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    assert.match(padded, /=$/, 'precondition: this URL needs padding');
    assertRejected(`k8s-aws-v1.${padded}`, /illegal base64/);
  });

  it('rejects a token without the k8s-aws-v1. prefix', async () => {
    assertRejected((await makeToken()).replace('k8s-aws-v1.', 'k8s-aws-v2.'), /prefix/);
  });

  it('rejects a URL whose query was changed after signing', async () => {
    const url = decodeUrl(await makeToken());
    const tampered = url.replace('X-Amz-Expires=60', 'X-Amz-Expires=61');
    assert.notEqual(tampered, url);
    assertRejected(`k8s-aws-v1.${Buffer.from(tampered).toString('base64url')}`, /signature/);
  });
});
