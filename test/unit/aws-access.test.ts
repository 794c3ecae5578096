import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AwsAccessProbe, awsAccessProblem } from '../../lambda/cli/aws-access';

const NOW = new Date('2026-12-04T12:00:00Z');

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function probe(overrides: Partial<AwsAccessProbe>): AwsAccessProbe {
  return {
    credentials: async () => ({}),
    signedRead: async () => ({}),
    now: () => NOW,
    ...overrides,
  };
}

describe('the CLI access check before a sweep', () => {
  const cases: [string, Partial<AwsAccessProbe>, string | undefined][] = [
    ['usable credentials and a good read', {}, undefined],
    [
      'no provider found anything',
      {
        credentials: async () => {
          throw named('CredentialsProviderError', 'Could not load credentials from any providers');
        },
      },
      'no AWS credentials: set AWS_PROFILE to a configured profile (aws configure, or aws sso login), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    ],
    [
      'a provider says what is wrong (first line only)',
      {
        credentials: async () => {
          throw named('TokenProviderError', 'The SSO session has expired.\nRun aws sso login.');
        },
      },
      'no usable AWS credentials (The SSO session has expired.): set AWS_PROFILE to a configured profile (aws configure, or aws sso login), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    ],
    [
      'temporary credentials whose expiration has passed, known without a call',
      {
        credentials: async () => ({ expiration: new Date('2026-12-04T11:59:59Z') }),
        signedRead: async () => assert.fail('no call with credentials known to be expired'),
      },
      'the AWS credentials expired at 2026-12-04T11:59:59.000Z: refresh them (aws sso login, or a new AWS_SESSION_TOKEN)',
    ],
    [
      'credentials expiring later',
      { credentials: async () => ({ expiration: new Date('2026-12-04T13:00:00Z') }) },
      undefined,
    ],
    [
      'AWS says the token expired',
      {
        signedRead: async () => {
          throw named('ExpiredToken', 'The security token included in the request is expired');
        },
      },
      'the AWS credentials have expired (ExpiredToken): refresh them (aws sso login, or a new AWS_SESSION_TOKEN)',
    ],
    [
      'AWS does not know the key',
      {
        signedRead: async () => {
          throw named(
            'UnrecognizedClientException',
            'The security token included in the request is invalid.',
          );
        },
      },
      'AWS does not accept the credentials (UnrecognizedClientException): check AWS_PROFILE, or AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN',
    ],
    [
      "a denied read is the sweep's to report (the tagging API is optional to it)",
      {
        signedRead: async () => {
          throw named('AccessDeniedException', 'not allowed');
        },
      },
      undefined,
    ],
    [
      "an unreachable endpoint is the sweep's to report",
      {
        signedRead: async () => {
          throw named('TimeoutError', 'connect ETIMEDOUT');
        },
      },
      undefined,
    ],
  ];
  for (const [name, overrides, expected] of cases) {
    it(name, async () => assert.equal(await awsAccessProblem(probe(overrides)), expected));
  }
});
