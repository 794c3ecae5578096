import { Token } from 'aws-cdk-lib';
import { SKIPPABLE_EVIDENCE } from '../lambda/evidence/evidence';
import type { NlbJanitorProps } from './nlb-janitor-props';

// The same rules the function applies to its environment, checked at synth time
// so that a bad value never reaches a deployment. Infrastructure and runtime do
// not import each other, so the few patterns are repeated here.
const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HOUR_MS = 3_600_000;
const MAX_GRACE_PERIOD_MS = 365 * 24 * HOUR_MS;

/** Throws on the first invalid prop, naming it, its value and what is expected. */
export function validateProps(props: NlbJanitorProps): void {
  if (props.clusters.length === 0 && props.discoverClusters !== true) {
    throw new Error(
      'clusters: at least one EKS cluster name is required, e.g. ["prod"], unless discoverClusters is true',
    );
  }
  for (const name of props.clusters) {
    if (!Token.isUnresolved(name) && !EKS_CLUSTER_NAME.test(name)) {
      throw new Error(
        `clusters: ${JSON.stringify(name)} is not an EKS cluster name (letters, digits, - and _, starting with a letter or digit, at most 100)`,
      );
    }
  }
  if (new Set(props.clusters).size !== props.clusters.length) {
    throw new Error(`clusters: ${JSON.stringify(props.clusters)} names a cluster twice`);
  }
  for (const name of props.ignoreUnreadableClusters ?? []) {
    // As the runtime takes kubernetes.io/cluster/<name> (self-managed names may hold dots).
    if (!Token.isUnresolved(name) && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) {
      throw new Error(
        `ignoreUnreadableClusters: ${JSON.stringify(name)} is not a cluster name as kubernetes.io/cluster/<name> carries it`,
      );
    }
  }
  if (props.gracePeriod !== undefined) {
    const ms = durationMs(props.gracePeriod);
    if (ms === undefined) {
      throw new Error(
        `gracePeriod: ${JSON.stringify(props.gracePeriod)} is not a duration; use e.g. 7d, 36h or 1d12h`,
      );
    }
    if (ms < HOUR_MS) throw new Error(`gracePeriod: ${JSON.stringify(props.gracePeriod)} is shorter than 1h`);
    // Huge digit strings come out as Infinity or a rounded number, both above the bound.
    if (ms > MAX_GRACE_PERIOD_MS) {
      throw new Error(`gracePeriod: ${JSON.stringify(props.gracePeriod)} is longer than 365d`);
    }
  }
  const { maxDeletions, maxDeletionsPerCluster, maxOrphanRatio, memorySize } = props;
  if (maxDeletions !== undefined && !isDeletionLimit(maxDeletions)) {
    throw new Error(`maxDeletions: ${maxDeletions} is not a whole number from 0 to 1000`);
  }
  if (maxDeletionsPerCluster !== undefined && !isDeletionLimit(maxDeletionsPerCluster)) {
    throw new Error(`maxDeletionsPerCluster: ${maxDeletionsPerCluster} is not a whole number from 0 to 1000`);
  }
  if (maxOrphanRatio !== undefined && !(maxOrphanRatio > 0 && maxOrphanRatio <= 1)) {
    throw new Error(`maxOrphanRatio: ${maxOrphanRatio} is not above 0 and at most 1`);
  }
  for (const kind of props.skipEvidence ?? []) {
    if (!(SKIPPABLE_EVIDENCE as readonly string[]).includes(kind)) {
      throw new Error(
        `skipEvidence: ${JSON.stringify(kind)} cannot be switched off; only ${SKIPPABLE_EVIDENCE.join(', ')} can`,
      );
    }
  }
  if (props.reportTopic !== undefined && (props.alertEmails ?? []).length > 0) {
    throw new Error('alertEmails: subscribe them to the existing reportTopic where it is defined');
  }
  const { reportTopic } = props;
  if (reportTopic !== undefined && !Token.isUnresolved(reportTopic.topicArn)) {
    if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(reportTopic.topicArn)) {
      throw new Error(
        `reportTopic.topicArn: ${JSON.stringify(reportTopic.topicArn)} is not an SNS topic ARN`,
      );
    }
  }
  if (reportTopic !== undefined && !Token.isUnresolved(reportTopic.keyArn)) {
    if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/.test(reportTopic.keyArn)) {
      throw new Error(`reportTopic.keyArn: ${JSON.stringify(reportTopic.keyArn)} is not a KMS key ARN`);
    }
  }
  for (const email of props.alertEmails ?? []) {
    if (!Token.isUnresolved(email) && !EMAIL.test(email)) {
      throw new Error(`alertEmails: ${JSON.stringify(email)} is not an email address`);
    }
  }
  if (
    memorySize !== undefined &&
    !(Number.isInteger(memorySize) && memorySize >= 256 && memorySize <= 10_240)
  ) {
    throw new Error(`memorySize: ${memorySize} is not a whole number of MB from 256 to 10240`);
  }
  if (props.timeout !== undefined && !props.timeout.isUnresolved()) {
    const seconds = props.timeout.toSeconds();
    if (seconds < 60 || seconds > 900) throw new Error(`timeout: ${seconds} s is not from 60 to 900 seconds`);
  }
  if ((props.vpcSubnets !== undefined || props.securityGroups !== undefined) && props.vpc === undefined) {
    throw new Error('vpcSubnets and securityGroups need vpc');
  }
  if (props.chatTopicArn !== undefined && props.createChatTopic) {
    throw new Error(
      'chatTopicArn and createChatTopic: give the topic, or let the construct create it, not both',
    );
  }
  if (
    props.chatTopicArn !== undefined &&
    !Token.isUnresolved(props.chatTopicArn) &&
    !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(props.chatTopicArn)
  ) {
    throw new Error(
      `chatTopicArn: ${JSON.stringify(props.chatTopicArn)} is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)`,
    );
  }
}

function isDeletionLimit(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 1000;
}

function durationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (match === null || text === '') return undefined;
  const [, d, h, m, s] = match;
  return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(m ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
}
