/** How a person supplies credentials, said in every message about them. */
const HOW_TO_SUPPLY =
  'set AWS_PROFILE to a configured profile (aws configure, or aws sso login), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';

/** The SDK's message when no provider in the chain had anything: it names nothing the person can act on. */
const NOTHING_FOUND = /^Could not load credentials from any providers/;

/** AWS error codes of a request signed with credentials that were good and are no longer. */
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);

/** AWS error codes of a request signed with credentials AWS does not know or cannot verify. */
const REJECTED = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'AuthFailure',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);

/** What the CLI checks before a sweep; the sweep itself never starts when this fails. */
export interface AwsAccessProbe {
  /** The credential chain the clients use. */
  readonly credentials: () => Promise<{ readonly expiration?: Date | undefined }>;
  /** One signed read that changes nothing. */
  readonly signedRead: () => Promise<unknown>;
  readonly now: () => Date;
}

/**
 * Why the AWS identity cannot be used, as one line naming what is missing and how
 * to supply it; undefined when nothing is known to be wrong. A failed read for any
 * other reason (a denied action, an unreachable endpoint) is left to the sweep,
 * which reports it as it reports every failed read.
 */
export async function awsAccessProblem(probe: AwsAccessProbe): Promise<string | undefined> {
  let credentials: Awaited<ReturnType<AwsAccessProbe['credentials']>>;
  try {
    credentials = await probe.credentials();
  } catch (error) {
    const detail = firstLine(error);
    return NOTHING_FOUND.test(detail)
      ? `no AWS credentials: ${HOW_TO_SUPPLY}`
      : `no usable AWS credentials (${detail}): ${HOW_TO_SUPPLY}`;
  }
  if (credentials.expiration !== undefined && credentials.expiration.getTime() <= probe.now().getTime()) {
    return `the AWS credentials expired at ${credentials.expiration.toISOString()}: refresh them (aws sso login, or a new AWS_SESSION_TOKEN)`;
  }
  try {
    await probe.signedRead();
  } catch (error) {
    return credentialRejection(error);
  }
  return undefined;
}

/** The one-line problem when an AWS answer says the request's credentials are expired or unknown. */
export function credentialRejection(error: unknown): string | undefined {
  const code = error instanceof Error ? error.name : undefined;
  if (code === undefined) return undefined;
  if (EXPIRED.has(code)) {
    return `the AWS credentials have expired (${code}): refresh them (aws sso login, or a new AWS_SESSION_TOKEN)`;
  }
  if (REJECTED.has(code)) {
    return `AWS does not accept the credentials (${code}): check AWS_PROFILE, or AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN`;
  }
  return undefined;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? text).trim();
}
