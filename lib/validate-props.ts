import { Token } from 'aws-cdk-lib';
import { parseDuration } from '../contract/duration';
import { SKIPPABLE_EVIDENCE } from '../contract/evidence-kinds';
import {
  EKS_CLUSTER_NAME_PATTERN,
  EMAIL_ADDRESS_PATTERN,
  FIFO_TOPIC_REFUSAL,
  KMS_KEY_ARN_PATTERN,
  SNS_TOPIC_ARN_PATTERN,
} from '../contract/patterns';
import { MAX_DELETIONS_LIMIT, MAX_GRACE_PERIOD_MS, MIN_GRACE_PERIOD_MS } from '../contract/settings';
import type { NlbJanitorProps } from './nlb-janitor-props';

// The same rules the function applies to its environment, checked at synth time so that
// a bad value never reaches a deployment. Infrastructure and runtime share only the
// contract module (contract/): its patterns, bounds and evidence kinds, one definition each.
const EKS_CLUSTER_NAME = new RegExp(EKS_CLUSTER_NAME_PATTERN);
const EMAIL = new RegExp(EMAIL_ADDRESS_PATTERN);
const SNS_TOPIC_ARN = new RegExp(SNS_TOPIC_ARN_PATTERN);
const KMS_KEY_ARN = new RegExp(KMS_KEY_ARN_PATTERN);

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
    const ms = parseDuration(props.gracePeriod);
    if (ms === undefined) {
      throw new Error(
        `gracePeriod: ${JSON.stringify(props.gracePeriod)} is not a duration; use e.g. 7d, 36h or 1d12h`,
      );
    }
    if (ms < MIN_GRACE_PERIOD_MS)
      throw new Error(`gracePeriod: ${JSON.stringify(props.gracePeriod)} is shorter than 1h`);
    // Huge digit strings come out as Infinity or a rounded number, both above the bound.
    if (ms > MAX_GRACE_PERIOD_MS) {
      throw new Error(`gracePeriod: ${JSON.stringify(props.gracePeriod)} is longer than 365d`);
    }
  }
  const { maxDeletions, maxDeletionsPerCluster, maxOrphanRatio, memorySize } = props;
  if (maxDeletions !== undefined && !isDeletionLimit(maxDeletions)) {
    throw new Error(`maxDeletions: ${maxDeletions} is not a whole number from 0 to ${MAX_DELETIONS_LIMIT}`);
  }
  if (maxDeletionsPerCluster !== undefined && !isDeletionLimit(maxDeletionsPerCluster)) {
    throw new Error(
      `maxDeletionsPerCluster: ${maxDeletionsPerCluster} is not a whole number from 0 to ${MAX_DELETIONS_LIMIT}`,
    );
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
    refuseFifoTopic('reportTopic.topicArn', reportTopic.topicArn);
    if (!SNS_TOPIC_ARN.test(reportTopic.topicArn)) {
      throw new Error(
        `reportTopic.topicArn: ${JSON.stringify(reportTopic.topicArn)} is not an SNS topic ARN`,
      );
    }
  }
  if (reportTopic !== undefined && !Token.isUnresolved(reportTopic.keyArn)) {
    if (!KMS_KEY_ARN.test(reportTopic.keyArn)) {
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
  if (props.chatTopicArn !== undefined && !Token.isUnresolved(props.chatTopicArn)) {
    refuseFifoTopic('chatTopicArn', props.chatTopicArn);
  }
  if (
    props.chatTopicArn !== undefined &&
    !Token.isUnresolved(props.chatTopicArn) &&
    !SNS_TOPIC_ARN.test(props.chatTopicArn)
  ) {
    throw new Error(
      `chatTopicArn: ${JSON.stringify(props.chatTopicArn)} is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)`,
    );
  }
}

function isDeletionLimit(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= MAX_DELETIONS_LIMIT;
}

function refuseFifoTopic(prop: string, arn: string): void {
  if (arn.endsWith('.fifo')) throw new Error(`${prop}: ${JSON.stringify(arn)} ${FIFO_TOPIC_REFUSAL}`);
}
