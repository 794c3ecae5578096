/**
 * The shapes of values the construct checks at synth and the function checks at start,
 * as pattern strings: a RegExp for code, the same text for a CloudFormation
 * parameter's AllowedPattern.
 */

/** EKS CreateCluster's name pattern: anything else cannot be looked up in EKS. */
export const EKS_CLUSTER_NAME_PATTERN = '^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$';

const EKS_CLUSTER_NAME = new RegExp(EKS_CLUSTER_NAME_PATTERN);

export function isEksClusterName(name: string): boolean {
  return EKS_CLUSTER_NAME.test(name);
}

/**
 * A standard SNS topic's ARN. FIFO topics (`.fifo`) are refused on purpose: SNS delivers
 * email only from standard topics ("Directly subscribing email endpoints is supported
 * for standard topics only", Amazon SNS Developer Guide, email notifications), chat
 * applications take standard topics, and the janitor publishes without the
 * MessageGroupId a FIFO topic requires — every publish would fail.
 */
export const SNS_TOPIC_ARN_PATTERN = '^arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}$';

/** What to say when a topic ARN is a FIFO topic's: it looks right and would fail every publish. */
export const FIFO_TOPIC_REFUSAL =
  'is a FIFO topic: SNS delivers email only from standard topics; use a standard topic';

/** A KMS key's ARN (not an alias). */
export const KMS_KEY_ARN_PATTERN = '^arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[0-9a-f-]{36}$';

/** An IAM role's ARN, path included. */
export const IAM_ROLE_ARN_PATTERN = '^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$';

/** Roughly an email address: something, @, a domain with a dot. SNS confirms the rest. */
export const EMAIL_ADDRESS_PATTERN = '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$';
