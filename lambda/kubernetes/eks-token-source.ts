import { type AwsCredentials, createEksToken } from './eks-token';

/**
 * EKS accepts a token for 15 minutes from signing; a new one is made well before
 * that (aws-iam-authenticator's clients refresh before 14), so a long list never
 * sends a token about to expire.
 */
export const TOKEN_REFRESH_AGE_MS = 10 * 60 * 1000;

export interface EksTokenSourceOptions {
  readonly clusterName: string;
  readonly region: string;
  /** The SDK's credential provider: it refreshes temporary credentials itself. */
  readonly credentials: () => Promise<AwsCredentials>;
  readonly clock: () => Date;
}

/** Hands out a token for one cluster, re-signing it when it gets old. */
export class EksTokenSource {
  private cached: { token: string; signedAt: number } | undefined;

  constructor(private readonly options: EksTokenSourceOptions) {}

  async token(): Promise<string> {
    const now = this.options.clock();
    if (this.cached !== undefined && now.getTime() - this.cached.signedAt < TOKEN_REFRESH_AGE_MS) {
      return this.cached.token;
    }
    const token = await createEksToken({
      clusterName: this.options.clusterName,
      region: this.options.region,
      credentials: await this.options.credentials(),
      now,
    });
    this.cached = { token, signedAt: now.getTime() };
    return token;
  }
}
