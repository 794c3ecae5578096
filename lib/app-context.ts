import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { NlbJanitorProps } from './nlb-janitor-props';
import type { MemberJanitorSettings } from './organization/nlb-janitor-member-stack';
import {
  ORGANIZATION_ID,
  ORGANIZATIONAL_UNIT,
  type OrganizationProps,
  REGION,
} from './organization/organization-props';

/** Where the function runs when cluster endpoints are private: looked up by the stack. */
export interface VpcLookup {
  readonly vpcId: string;
  readonly subnetIds: readonly string[] | undefined;
  readonly securityGroupIds: readonly string[] | undefined;
}

export interface JanitorContext {
  readonly janitor: Omit<NlbJanitorProps, 'vpc' | 'vpcSubnets' | 'securityGroups'>;
  readonly vpcLookup: VpcLookup | undefined;
}

/** Organization mode: a StackSet deploys a janitor to every account of the OUs, in every region. */
export interface OrganizationContext {
  readonly organization: OrganizationProps;
  readonly janitor: MemberJanitorSettings;
}

type ContextReader = (key: string) => unknown;

/** Context that names the organization; any of it switches the app to organization mode. */
const ORGANIZATION_KEYS = ['targetOrganizationalUnits', 'targetRegions', 'organizationId'] as const;
/** Single-account context that organization mode refuses, with why. */
const ACCOUNT_ONLY_KEYS: Readonly<Record<string, string>> = {
  clusters: 'member janitors discover the clusters of their account and region',
  vpcId: 'each account has its own VPCs',
  subnetIds: 'each account has its own subnets',
  securityGroupIds: 'each account has its own security groups',
  createAccessEntries:
    'the member template cannot name clusters; grant the nlb-janitor-<region> role access where clusters are defined',
};

/**
 * Organization mode's context, or undefined for the single-account app. Values
 * are checked here with one-line messages; the stacks check the props again.
 */
export function readOrganizationContext(read: ContextReader): OrganizationContext | undefined {
  if (ORGANIZATION_KEYS.every((key) => read(key) === undefined || read(key) === '')) return undefined;
  const targetOrganizationalUnits = list(read, 'targetOrganizationalUnits');
  const targetRegions = list(read, 'targetRegions');
  const organizationId = text(read, 'organizationId');
  if (targetOrganizationalUnits.length === 0) {
    throw new Error(
      'context targetOrganizationalUnits is required in organization mode, e.g. -c targetOrganizationalUnits=ou-abcd-11111111,ou-abcd-22222222',
    );
  }
  if (targetRegions.length === 0) {
    throw new Error(
      'context targetRegions is required in organization mode, e.g. -c targetRegions=us-east-1,eu-west-1',
    );
  }
  if (organizationId === undefined) {
    throw new Error(
      'context organizationId is required in organization mode, e.g. -c organizationId=o-abcd123456 (aws organizations describe-organization)',
    );
  }
  for (const [key, why] of Object.entries(ACCOUNT_ONLY_KEYS)) {
    if (read(key) !== undefined && read(key) !== '') {
      throw new Error(`context ${key} is not used in organization mode: ${why}`);
    }
  }
  if (!ORGANIZATION_ID.test(organizationId)) {
    throw new Error(
      `context organizationId ${JSON.stringify(organizationId)} is not an organization id (o-abcd123456)`,
    );
  }
  expectAll(
    'targetOrganizationalUnits',
    targetOrganizationalUnits,
    ORGANIZATIONAL_UNIT,
    'OU ids (ou-abcd-11111111) or root ids (r-abcd)',
  );
  expectAll('targetRegions', targetRegions, REGION, 'region names (us-east-1)');
  const callAs = text(read, 'callAs');
  if (callAs !== undefined && callAs !== 'SELF' && callAs !== 'DELEGATED_ADMIN') {
    throw new Error(`context callAs ${JSON.stringify(callAs)} must be SELF or DELEGATED_ADMIN`);
  }
  return {
    organization: {
      organizationId,
      targetOrganizationalUnits,
      targetRegions,
      callAs,
      dryRun: boolean(read, 'dryRun'),
      failureTolerancePercentage: integer(read, 'failureTolerancePercentage'),
      maxConcurrentPercentage: integer(read, 'maxConcurrentPercentage'),
      alertEmails: optionalList(read, 'alertEmails'),
    },
    janitor: {
      schedule: schedule(read),
      gracePeriod: text(read, 'gracePeriod'),
      maxDeletions: integer(read, 'maxDeletions'),
      maxDeletionsPerCluster: integer(read, 'maxDeletionsPerCluster'),
      maxOrphanRatio: ratio(read, 'maxOrphanRatio'),
      deleteWhenClusterMissing: boolean(read, 'deleteWhenClusterMissing'),
    },
  };
}

/**
 * Reads the app's context (`-c key=value` or cdk.json) into construct props.
 * Every value is checked here with a message naming the key, the value and what
 * is expected; the construct then checks the props again, for library users.
 */
export function readJanitorContext(read: ContextReader): JanitorContext {
  const clusters = list(read, 'clusters');
  if (clusters.length === 0) {
    throw new Error('context clusters is required: the EKS clusters to sweep, e.g. -c clusters=prod,staging');
  }
  const vpcId = text(read, 'vpcId');
  const subnetIds = optionalList(read, 'subnetIds');
  const securityGroupIds = optionalList(read, 'securityGroupIds');
  if (vpcId === undefined && (subnetIds !== undefined || securityGroupIds !== undefined)) {
    throw new Error('context subnetIds and securityGroupIds need vpcId, e.g. -c vpcId=vpc-0123456789abcdef0');
  }
  if (vpcId !== undefined && !/^vpc-[0-9a-f]{8,17}$/.test(vpcId)) {
    throw new Error(`context vpcId ${JSON.stringify(vpcId)} is not a VPC id (vpc-0123456789abcdef0)`);
  }
  expectAll('subnetIds', subnetIds, /^subnet-[0-9a-f]{8,17}$/, 'subnet ids (subnet-0123456789abcdef0)');
  expectAll(
    'securityGroupIds',
    securityGroupIds,
    /^sg-[0-9a-f]{8,17}$/,
    'security group ids (sg-0123456789abcdef0)',
  );

  return {
    janitor: {
      clusters,
      schedule: schedule(read),
      digestSchedule: digestSchedule(read),
      chatTopicArn: text(read, 'chatTopicArn'),
      createChatTopic: boolean(read, 'createChatTopic'),
      gracePeriod: text(read, 'gracePeriod'),
      maxDeletions: integer(read, 'maxDeletions'),
      maxDeletionsPerCluster: integer(read, 'maxDeletionsPerCluster'),
      maxOrphanRatio: ratio(read, 'maxOrphanRatio'),
      dryRun: boolean(read, 'dryRun'),
      alertEmails: optionalList(read, 'alertEmails'),
      deleteWhenClusterMissing: boolean(read, 'deleteWhenClusterMissing'),
      createAccessEntries: boolean(read, 'createAccessEntries'),
      skipEvidence: optionalList(read, 'skipEvidence'),
    },
    vpcLookup: vpcId === undefined ? undefined : { vpcId, subnetIds, securityGroupIds },
  };
}

function text(read: ContextReader, key: string): string | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`context ${key} ${JSON.stringify(value)} must be a string`);
  return value.trim();
}

function optionalList(read: ContextReader, key: string): string[] | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (items === undefined || items.some((item) => typeof item !== 'string')) {
    throw new Error(
      `context ${key} ${JSON.stringify(value)} must be a comma-separated list or an array of strings`,
    );
  }
  const cleaned = (items as string[]).map((item) => item.trim()).filter((item) => item !== '');
  return cleaned.length === 0 ? undefined : cleaned;
}

function list(read: ContextReader, key: string): string[] {
  return optionalList(read, key) ?? [];
}

function expectAll(key: string, values: readonly string[] | undefined, pattern: RegExp, what: string): void {
  const bad = values?.find((value) => !pattern.test(value));
  if (bad !== undefined) throw new Error(`context ${key}: ${JSON.stringify(bad)} is not one of ${what}`);
}

function boolean(read: ContextReader, key: string): boolean | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context ${key} ${JSON.stringify(value)} must be true or false`);
}

function integer(read: ContextReader, key: string): number | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isInteger(number))
    throw new Error(`context ${key} ${JSON.stringify(value)} must be a whole number`);
  return number;
}

function ratio(read: ContextReader, key: string): number | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(number)) throw new Error(`context ${key} ${JSON.stringify(value)} must be a number`);
  return number;
}

function schedule(read: ContextReader, key = 'schedule'): scheduler.ScheduleExpression | undefined {
  const value = text(read, key);
  if (value === undefined) return undefined;
  if (!/^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$/.test(value)) {
    throw new Error(
      `context ${key} ${JSON.stringify(value)} must be an EventBridge Scheduler expression: rate(1 hour), rate(30 minutes) or cron(0 * * * ? *)`,
    );
  }
  return scheduler.ScheduleExpression.expression(value);
}

/** The digest's schedule: an expression, or `off` for no digest. */
function digestSchedule(read: ContextReader): scheduler.ScheduleExpression | false | undefined {
  return text(read, 'digestSchedule') === 'off' ? false : schedule(read, 'digestSchedule');
}
