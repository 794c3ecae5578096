import { SKIPPABLE_EVIDENCE, type SkippableEvidenceKind } from '../evidence/evidence';
import { clusterOfTagKey } from '../inventory/vpc-clusters';
import { isEksClusterName } from '../util/eks-cluster-name';
import { ConfigurationError } from './configuration-error';
import { parseDuration } from './duration';

/** A grace period shorter than this could delete a Service's load balancer during a routine re-deploy. */
export const MIN_GRACE_PERIOD_MS = 60 * 60 * 1000;
/**
 * More than a year is almost surely a typo. The bound also keeps "now plus the
 * grace period" a valid Date, which `100000000d` would not be.
 */
export const MAX_GRACE_PERIOD_MS = 365 * 24 * 60 * 60 * 1000;

export function parseGracePeriod(source: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) {
    throw new ConfigurationError(
      `${source} ${JSON.stringify(abbreviate(value))} is not a duration: use e.g. 7d, 36h or 1d12h`,
    );
  }
  if (ms < MIN_GRACE_PERIOD_MS) {
    throw new ConfigurationError(
      `${source} ${JSON.stringify(abbreviate(value))} is too short: the grace period is at least 1h`,
    );
  }
  if (ms > MAX_GRACE_PERIOD_MS) {
    throw new ConfigurationError(
      `${source} ${JSON.stringify(abbreviate(value))} is too long: the grace period is at most 365d`,
    );
  }
  return ms;
}

/** A value as quoted in a one-line message: a pasted megabyte stays a line. */
function abbreviate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 37)}...` : value;
}

export function parseMaxDeletions(source: string, value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) > 1000) {
    throw new ConfigurationError(`${source} ${JSON.stringify(value)} is not a whole number from 0 to 1000`);
  }
  return Number(value);
}

export function parseRatio(source: string, value: string): number {
  const ratio = Number(value);
  if (value.trim() === '' || !Number.isFinite(ratio) || ratio <= 0 || ratio > 1) {
    throw new ConfigurationError(
      `${source} ${JSON.stringify(value)} is not a number above 0 and at most 1 (e.g. 0.5)`,
    );
  }
  return ratio;
}

export function parseBoolean(source: string, value: string): boolean {
  const normalized = value.trim().toLowerCase();
  if (normalized === 'true') return true;
  if (normalized === 'false' || normalized === '') return false;
  throw new ConfigurationError(`${source} ${JSON.stringify(value)} is not true or false`);
}

/** A comma-separated list of EKS cluster names; empty means every cluster the tags name. */
export function parseClusterList(source: string, value: string): string[] | undefined {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) return undefined;
  return validateClusterNames(source, names);
}

/**
 * Names of Kubernetes clusters as `kubernetes.io/cluster/<name>` carries them
 * (self-managed ones too: kops' `k8s.example.com`), comma-separated; undefined: none.
 */
export function parseKubernetesClusterList(source: string, value: string): string[] | undefined {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) return undefined;
  for (const name of names) {
    if (clusterOfTagKey(`kubernetes.io/cluster/${name}`) !== name) {
      throw new ConfigurationError(
        `${source}: ${JSON.stringify(name)} is not a cluster name as kubernetes.io/cluster/<name> carries it (letters, digits, ., - and _, starting with a letter or digit, at most 100)`,
      );
    }
  }
  return [...new Set(names)];
}

export function validateClusterNames(source: string, names: readonly string[]): string[] {
  for (const name of names) {
    if (!isEksClusterName(name)) {
      throw new ConfigurationError(
        `${source}: ${JSON.stringify(name)} is not an EKS cluster name (letters, digits, - and _, starting with a letter or digit, at most 100)`,
      );
    }
  }
  return [...new Set(names)];
}

export function parseSnsTopicArn(source: string, value: string): string | undefined {
  if (value.trim() === '') return undefined;
  if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(value.trim())) {
    throw new ConfigurationError(`${source} ${JSON.stringify(value)} is not an SNS topic ARN`);
  }
  return value.trim();
}

/** A comma-separated list of evidence kinds to switch off; empty means none. */
export function parseSkippedEvidence(source: string, value: string): SkippableEvidenceKind[] {
  const kinds = value
    .split(',')
    .map((kind) => kind.trim())
    .filter((kind) => kind !== '');
  const skipped: SkippableEvidenceKind[] = [];
  for (const kind of kinds) {
    const known = SKIPPABLE_EVIDENCE.find((candidate) => candidate === kind);
    if (known === undefined) {
      throw new ConfigurationError(
        `${source}: ${JSON.stringify(kind)} cannot be switched off; only ${SKIPPABLE_EVIDENCE.join(', ')} can`,
      );
    }
    if (!skipped.includes(known)) skipped.push(known);
  }
  return skipped;
}

export function parseRoleArn(source: string, value: string): string | undefined {
  if (value.trim() === '') return undefined;
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(value.trim())) {
    throw new ConfigurationError(`${source} ${JSON.stringify(value)} is not an IAM role ARN`);
  }
  return value.trim();
}
