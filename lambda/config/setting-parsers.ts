import { parseDuration } from '../../contract/duration';
import { SKIPPABLE_EVIDENCE, type SkippableEvidenceKind } from '../../contract/evidence-kinds';
import {
  FIFO_TOPIC_REFUSAL,
  IAM_ROLE_ARN_PATTERN,
  isEksClusterName,
  SNS_TOPIC_ARN_PATTERN,
} from '../../contract/patterns';
import { MAX_DELETIONS_LIMIT, MAX_GRACE_PERIOD_MS, MIN_GRACE_PERIOD_MS } from '../../contract/settings';
import { clusterOfTagKey } from '../inventory/vpc-clusters';
import { ConfigurationError } from './configuration-error';

const SNS_TOPIC_ARN = new RegExp(SNS_TOPIC_ARN_PATTERN);
const IAM_ROLE_ARN = new RegExp(IAM_ROLE_ARN_PATTERN);

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
  if (!/^\d+$/.test(value.trim()) || Number(value) > MAX_DELETIONS_LIMIT) {
    throw new ConfigurationError(
      `${source} ${JSON.stringify(value)} is not a whole number from 0 to ${MAX_DELETIONS_LIMIT}`,
    );
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
  if (value.trim().endsWith('.fifo')) {
    throw new ConfigurationError(`${source} ${JSON.stringify(value)} ${FIFO_TOPIC_REFUSAL}`);
  }
  if (!SNS_TOPIC_ARN.test(value.trim())) {
    throw new ConfigurationError(`${source} ${JSON.stringify(value)} is not an SNS topic ARN`);
  }
  return value.trim();
}

/** A DynamoDB table name (3 to 255 of letters, digits, `_`, `-`, `.`); empty means none. */
export function parseTableName(source: string, value: string): string | undefined {
  if (value.trim() === '') return undefined;
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(value.trim())) {
    throw new ConfigurationError(`${source} ${JSON.stringify(value)} is not a DynamoDB table name`);
  }
  return value.trim();
}

/** An EventBridge event bus ARN; empty means none. */
export function parseEventBusArn(source: string, value: string): string | undefined {
  if (value.trim() === '') return undefined;
  if (!/^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[A-Za-z0-9._\-/]{1,256}$/.test(value.trim())) {
    throw new ConfigurationError(`${source} ${JSON.stringify(value)} is not an EventBridge event bus ARN`);
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
  if (!IAM_ROLE_ARN.test(value.trim())) {
    throw new ConfigurationError(`${source} ${JSON.stringify(value)} is not an IAM role ARN`);
  }
  return value.trim();
}
