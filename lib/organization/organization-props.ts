import { Token } from 'aws-cdk-lib';
import { EMAIL_ADDRESS_PATTERN } from '../../contract/patterns';

/** Where and how the organization's janitors are deployed. */
export interface OrganizationProps {
  /** The AWS Organizations id (`o-…`): only its accounts may publish reports and read the code. */
  readonly organizationId: string;
  /** Organizational units (`ou-…`, or the root `r-…`) whose accounts, present and future, get a janitor. */
  readonly targetOrganizationalUnits: readonly string[];
  /** Regions where each of those accounts gets a janitor. */
  readonly targetRegions: readonly string[];
  /**
   * Start every member janitor in dry run: it reports, it changes nothing. A
   * StackSet parameter, so one update switches the whole fleet (or, as a
   * parameter override, one OU).
   * @default true
   */
  readonly dryRun?: boolean;
  /**
   * `SELF` from the management account, `DELEGATED_ADMIN` from a delegated administrator of StackSets.
   * @default 'SELF'
   */
  readonly callAs?: 'SELF' | 'DELEGATED_ADMIN';
  /**
   * Share of accounts per region whose deployment may fail before CloudFormation stops the operation.
   * @default 0: the first failure stops the rollout
   */
  readonly failureTolerancePercentage?: number;
  /**
   * Share of accounts deployed at once in a region (1 to 100).
   * @default 25
   */
  readonly maxConcurrentPercentage?: number;
  /**
   * Email addresses subscribed to the central report topic.
   * @default no subscriptions
   */
  readonly alertEmails?: readonly string[];
  /**
   * The StackSet's name.
   * @default 'nlb-janitor'
   */
  readonly stackSetName?: string;
}

export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
export const ORGANIZATIONAL_UNIT = /^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/;
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Throws on the first invalid prop, naming it, its value and what is expected. */
export function validateOrganizationProps(props: OrganizationProps): void {
  const known = (value: string) => !Token.isUnresolved(value);
  if (known(props.organizationId) && !ORGANIZATION_ID.test(props.organizationId)) {
    throw new Error(
      `organizationId: ${JSON.stringify(props.organizationId)} is not an organization id (o- and 10 to 32 lowercase letters or digits)`,
    );
  }
  if (props.targetOrganizationalUnits.length === 0) {
    throw new Error('targetOrganizationalUnits: at least one OU is required, e.g. ["ou-abcd-11111111"]');
  }
  for (const ou of props.targetOrganizationalUnits.filter(known)) {
    if (!ORGANIZATIONAL_UNIT.test(ou)) {
      throw new Error(
        `targetOrganizationalUnits: ${JSON.stringify(ou)} is not an OU id (ou-abcd-11111111) or a root id (r-abcd)`,
      );
    }
  }
  if (props.targetRegions.length === 0) {
    throw new Error('targetRegions: at least one region is required, e.g. ["us-east-1"]');
  }
  for (const region of props.targetRegions.filter(known)) {
    if (!REGION.test(region)) {
      throw new Error(`targetRegions: ${JSON.stringify(region)} is not a region name (us-east-1)`);
    }
  }
  for (const [key, values] of [
    ['targetOrganizationalUnits', props.targetOrganizationalUnits],
    ['targetRegions', props.targetRegions],
  ] as const) {
    if (new Set(values).size !== values.length) {
      throw new Error(`${key}: ${JSON.stringify(values)} names one twice`);
    }
  }
  if (props.callAs !== undefined && props.callAs !== 'SELF' && props.callAs !== 'DELEGATED_ADMIN') {
    throw new Error(`callAs: ${JSON.stringify(props.callAs)} is not SELF or DELEGATED_ADMIN`);
  }
  const { failureTolerancePercentage: tolerance, maxConcurrentPercentage: concurrency } = props;
  if (tolerance !== undefined && !(Number.isInteger(tolerance) && tolerance >= 0 && tolerance <= 100)) {
    throw new Error(`failureTolerancePercentage: ${tolerance} is not a whole number from 0 to 100`);
  }
  if (
    concurrency !== undefined &&
    !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 100)
  ) {
    throw new Error(`maxConcurrentPercentage: ${concurrency} is not a whole number from 1 to 100`);
  }
  for (const email of (props.alertEmails ?? []).filter(known)) {
    if (!new RegExp(EMAIL_ADDRESS_PATTERN).test(email)) {
      throw new Error(`alertEmails: ${JSON.stringify(email)} is not an email address`);
    }
  }
}
