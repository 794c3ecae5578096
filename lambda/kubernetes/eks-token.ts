import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

/** The token prefix aws-iam-authenticator expects (pkg/token/token.go). */
const TOKEN_PREFIX = 'k8s-aws-v1.';
/** The header that binds a token to one cluster; it must be signed. */
const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** As aws-iam-authenticator presigns: the server accepts the token for 15 minutes regardless. */
const PRESIGN_EXPIRES_SECONDS = 60;

/** AWS credentials as the SDK's credential providers resolve them. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface EksTokenInput {
  readonly clusterName: string;
  readonly region: string;
  readonly credentials: AwsCredentials;
  readonly now: Date;
}

/**
 * Makes an EKS bearer token: a presigned STS GetCallerIdentity URL, signed for
 * the cluster's name. Temporary credentials (a Lambda role's) carry their session
 * token in the URL, which the signer adds as X-Amz-Security-Token.
 */
export async function createEksToken(input: EksTokenInput): Promise<string> {
  const hostname = stsHostname(input.region);
  const signer = new SignatureV4({
    service: 'sts',
    region: input.region,
    credentials: input.credentials,
    sha256: Hash.bind(null, 'sha256'),
  });
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: hostname, [CLUSTER_ID_HEADER]: input.clusterName },
    },
    { expiresIn: PRESIGN_EXPIRES_SECONDS, signingDate: input.now },
  );
  const query = Object.entries(presigned.query ?? {})
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
  const url = `https://${hostname}/?${query}`;
  return TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
}

// The regional endpoint, as aws-iam-authenticator's verifier accepts; China regions
// live under amazonaws.com.cn.
function stsHostname(region: string): string {
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `sts.${region}.${suffix}`;
}
