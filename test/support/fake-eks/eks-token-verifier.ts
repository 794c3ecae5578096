import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** One IAM access key the fake STS knows. */
export interface FakeAwsCredential {
  readonly secretAccessKey: string;
  /** Present for temporary credentials; the token must then carry it as X-Amz-Security-Token. */
  readonly sessionToken?: string;
  /**
   * The caller's ARN, as GetCallerIdentity would return it; the Kubernetes user name.
   * @default `arn:aws:iam::111122223333:user/<accessKeyId>`
   */
  readonly arn?: string;
}

/** Access key id → credential. */
export type FakeCredentials = Readonly<Record<string, FakeAwsCredential>>;

export interface EksTokenVerifierOptions {
  /** The cluster the server is: its name is the x-k8s-aws-id header the verifier signs with. */
  readonly clusterName: string;
  /** The cluster's region: its regional STS endpoint (and the global one) are accepted. */
  readonly region: string;
  readonly credentials: FakeCredentials;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

export type TokenVerification =
  | { readonly ok: true; readonly accessKeyId: string; readonly arn: string }
  | { readonly ok: false; readonly reason: string };

// Constants and checks from kubernetes-sigs/aws-iam-authenticator pkg/token/token.go (Verify).
const V1_PREFIX = 'k8s-aws-v1.';
const MAX_TOKEN_BYTES = 4 * 1024;
const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
const PRESIGNED_URL_VALIDITY_MS = 15 * 60_000;
const ALLOWED_PARAMETERS = new Set([
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
]);
// STS, not the authenticator, refuses a signature dated ahead of its clock
// ("Signature not yet current"); it allows the same 15 minutes of skew.
const MAX_FUTURE_SKEW_MS = 15 * 60_000;
const EMPTY_BODY_SHA256 = createHash('sha256').update('').digest('hex');
const ALGORITHM = 'AWS4-HMAC-SHA256';

/**
 * Verifies EKS bearer tokens as aws-iam-authenticator does, then checks the SigV4
 * signature locally where the real verifier would call STS GetCallerIdentity.
 */
export class EksTokenVerifier {
  private readonly now: () => Date;

  constructor(private readonly options: EksTokenVerifierOptions) {
    this.now = options.now ?? (() => new Date());
  }

  verify(token: string): TokenVerification {
    const url = this.decodeToken(token);
    if (typeof url === 'string') return reject(url);
    const params = this.checkPresignedUrl(url);
    if (typeof params === 'string') return reject(params);
    return this.checkSignature(url, params);
  }

  // The authenticator's format checks: prefix, length, strict base64url, https, host, path.
  private decodeToken(token: string): ParsedUrl | string {
    if (Buffer.byteLength(token, 'utf8') > MAX_TOKEN_BYTES) return 'token is too large';
    if (!token.startsWith(V1_PREFIX)) return `token is missing expected "${V1_PREFIX}" prefix`;
    const encoded = token.slice(V1_PREFIX.length);
    // Go's base64.RawURLEncoding refuses padding and any character outside the alphabet,
    // which Buffer.from(…, 'base64url') would skip silently.
    if (!/^[A-Za-z0-9_-]*$/.test(encoded) || encoded.length % 4 === 1) {
      return 'illegal base64 data (base64url without padding expected)';
    }
    const url = parseUrl(Buffer.from(encoded, 'base64url').toString('utf8'));
    if (url === undefined) return 'the token is not a URL';
    if (url.scheme !== 'https') return `unexpected scheme "${url.scheme}" in pre-signed URL`;
    if (!this.stsHostRegion(url.host)) return `unexpected hostname "${url.host}" in pre-signed URL`;
    if (url.path !== '/') return 'unexpected path in pre-signed URL';
    return url;
  }

  private checkPresignedUrl(url: ParsedUrl): Map<string, string> | string {
    const params = new Map<string, string>();
    for (const [key, value] of url.query) {
      const lower = key.toLowerCase();
      if (!ALLOWED_PARAMETERS.has(lower)) return `non-whitelisted query parameter "${key}"`;
      if (params.has(lower)) return 'query parameter with multiple values not supported';
      params.set(lower, value);
    }
    if (params.get('action') !== 'GetCallerIdentity') return 'unexpected action parameter in pre-signed URL';
    // STS itself needs the API version; the authenticator leaves that check to STS.
    if (params.get('version') !== '2011-06-15') return 'unexpected version parameter in pre-signed URL';
    const signed = (params.get('x-amz-signedheaders') ?? '').split(';').map((h) => h.toLowerCase());
    if (!signed.includes(CLUSTER_ID_HEADER)) {
      return `client did not sign the ${CLUSTER_ID_HEADER} header in the pre-signed URL`;
    }
    const expiresText = params.get('x-amz-expires') ?? '';
    const expires = /^[+-]?\d+$/.test(expiresText) ? Number(expiresText) : Number.NaN;
    if (!(expires >= 0 && expires <= 900)) {
      return `invalid X-Amz-Expires parameter in pre-signed URL: ${expiresText}`;
    }
    const dateText = params.get('x-amz-date');
    if (dateText === undefined || dateText === '') {
      return 'X-Amz-Date parameter must be present in pre-signed URL';
    }
    const date = parseAmzDate(dateText);
    if (date === undefined) return `error parsing X-Amz-Date parameter ${dateText}`;
    const now = this.now().getTime();
    // Presigned STS URLs stay valid 15 minutes after X-Amz-Date, whatever X-Amz-Expires says.
    if (now > date.getTime() + PRESIGNED_URL_VALIDITY_MS) {
      return `X-Amz-Date parameter is expired (15 minute expiration) ${dateText}`;
    }
    if (date.getTime() > now + MAX_FUTURE_SKEW_MS) return `signature not yet current: ${dateText}`;
    return params;
  }

  // What STS would check when the authenticator forwards the URL with x-k8s-aws-id set
  // to the cluster's own name.
  private checkSignature(url: ParsedUrl, params: Map<string, string>): TokenVerification {
    if (params.get('x-amz-algorithm') !== ALGORITHM) return reject('unsupported X-Amz-Algorithm');
    const credential = (params.get('x-amz-credential') ?? '').split('/');
    const [accessKeyId = '', scopeDate = '', scopeRegion = '', scopeService = '', terminator = ''] =
      credential;
    const dateText = params.get('x-amz-date') ?? '';
    if (
      credential.length !== 5 ||
      scopeDate !== dateText.slice(0, 8) ||
      scopeRegion !== this.stsHostRegion(url.host) ||
      scopeService !== 'sts' ||
      terminator !== 'aws4_request'
    ) {
      return reject(`malformed credential scope "${credential.slice(1).join('/')}"`);
    }
    const known = this.options.credentials[accessKeyId];
    if (known === undefined) return reject(`the security token included in the request is invalid`);
    const sessionToken = params.get('x-amz-security-token');
    if (sessionToken !== known.sessionToken) {
      return reject(
        known.sessionToken === undefined
          ? 'a security token was sent with long-term credentials'
          : 'the security token is missing or does not match the access key',
      );
    }

    const signedHeaders = params.get('x-amz-signedheaders') ?? '';
    const headerValues: Record<string, string> = {
      host: url.host,
      [CLUSTER_ID_HEADER]: this.options.clusterName,
    };
    const canonicalHeaders: string[] = [];
    for (const name of signedHeaders.split(';')) {
      // The authenticator's request to STS carries only these two; a signature over any
      // other header could not match.
      const value = headerValues[name];
      if (value === undefined) return reject(`signed header "${name}" is not one the verifier sends`);
      canonicalHeaders.push(`${name}:${value.trim().replace(/\s+/g, ' ')}\n`);
    }
    const canonicalQuery = url.query
      .filter(([key]) => key.toLowerCase() !== 'x-amz-signature')
      .map(([key, value]) => [rfc3986(key), rfc3986(value)] as const)
      .sort(([ak, av], [bk, bv]) => compare(ak, bk) || compare(av, bv))
      .map(([key, value]) => `${key}=${value}`)
      .join('&');
    const canonicalRequest = [
      'GET',
      '/',
      canonicalQuery,
      canonicalHeaders.join(''),
      signedHeaders,
      EMPTY_BODY_SHA256,
    ].join('\n');
    const scope = credential.slice(1).join('/');
    const stringToSign = [ALGORITHM, dateText, scope, sha256Hex(canonicalRequest)].join('\n');
    let key = hmac(`AWS4${known.secretAccessKey}`, scopeDate);
    for (const part of [scopeRegion, scopeService, terminator]) key = hmac(key, part);
    const expected = Buffer.from(hmac(key, stringToSign).toString('hex'), 'utf8');
    const given = Buffer.from(params.get('x-amz-signature') ?? '', 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return reject('the request signature we calculated does not match the signature you provided');
    }
    return { ok: true, accessKeyId, arn: known.arn ?? `arn:aws:iam::111122223333:user/${accessKeyId}` };
  }

  /**
   * The signing region of an accepted STS host, or undefined. The real verifier takes
   * every regional endpoint of the partition; the fake narrows that to the cluster's
   * region and the global endpoint, which signs for us-east-1.
   */
  private stsHostRegion(host: string): string | undefined {
    if (host === 'sts.amazonaws.com') return 'us-east-1';
    if (host === `sts.${this.options.region}.amazonaws.com`) return this.options.region;
    return undefined;
  }
}

interface ParsedUrl {
  readonly scheme: string;
  readonly host: string;
  readonly path: string;
  /** Decoded name/value pairs in URL order. */
  readonly query: readonly (readonly [string, string])[];
}

// Splits a URL the way Go's url.Parse does (RFC 3986 components), without the WHATWG
// URL's repairs: new URL() would turn an empty path into '/' and drop ':443'.
function parseUrl(text: string): ParsedUrl | undefined {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#.*)?$/.exec(text);
  if (match === null) return undefined;
  const [, scheme = '', host = '', path = '', rawQuery = ''] = match;
  const query: [string, string][] = [];
  // Like Go's url.ParseQuery: '&'-separated, '+' is a space, empty pieces skipped.
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = decodeQueryComponent(eq < 0 ? piece : piece.slice(0, eq));
    const value = decodeQueryComponent(eq < 0 ? '' : piece.slice(eq + 1));
    if (name === undefined || value === undefined) return undefined;
    query.push([name, value]);
  }
  return { scheme: scheme.toLowerCase(), host: host.toLowerCase(), path, query };
}

function decodeQueryComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

// YYYYMMDDTHHMMSSZ
function parseAmzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const date = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day, hour, minute, second));
  // Date.UTC rolls 20240230 over to March; Go's time.Parse refuses it.
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '') === text
    ? date
    : undefined;
}

// SigV4 encodes query names and values per RFC 3986: encodeURIComponent leaves !'()* alone.
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

// SigV4 sorts by byte order, not locale.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function reject(reason: string): TokenVerification {
  return { ok: false, reason };
}
