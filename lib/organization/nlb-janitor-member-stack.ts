import { Aws, BootstraplessSynthesizer, CfnOutput, CfnParameter, Stack, type StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { KMS_KEY_ARN_PATTERN, SNS_TOPIC_ARN_PATTERN } from '../../contract/patterns';
import { NlbJanitor } from '../nlb-janitor';
import type { NlbJanitorProps } from '../nlb-janitor-props';
import { FleetForwarding } from './fleet-forwarding';
import { summariesToFleet } from './fleet-summaries';

/** What every member janitor of an organization shares, fixed when the StackSet's template is synthesized. */
export type MemberJanitorSettings = Pick<
  NlbJanitorProps,
  | 'schedule'
  | 'gracePeriod'
  | 'maxDeletions'
  | 'maxDeletionsPerCluster'
  | 'maxOrphanRatio'
  | 'deleteWhenClusterMissing'
  | 'memorySize'
  | 'timeout'
  | 'logRetention'
>;

/** The role every member janitor has, the same name in every account: cluster IaC can grant it access ahead of time. */
export const MEMBER_ROLE_NAME_PREFIX = 'nlb-janitor-';

/** The StackSet parameters the administrator stack sets; the names are the contract between the two templates. */
export const MEMBER_PARAMETERS = {
  reportTopicArn: 'ReportTopicArn',
  reportTopicKeyArn: 'ReportTopicKeyArn',
  dryRun: 'DryRun',
  codeBucketPrefix: 'CodeBucketPrefix',
  codeKey: 'CodeKey',
  fleetBusArn: 'FleetBusArn',
} as const;

export interface NlbJanitorMemberStackProps extends StackProps {
  readonly janitor?: MemberJanitorSettings;
}

/**
 * The janitor of one member account and region, as a StackSet deploys it: it
 * discovers its clusters (one template cannot name every account's), publishes
 * to the organization's central topic, takes its code from the administrator's
 * bucket in its own region, and runs in dry run until the DryRun parameter says otherwise.
 * Synthesized without a bootstrap: members are not bootstrapped, and an asset would fail synthesis.
 */
export class NlbJanitorMemberStack extends Stack {
  public readonly janitor: NlbJanitor;
  public readonly forwarding: FleetForwarding;

  constructor(scope: Construct, id: string, props: NlbJanitorMemberStackProps = {}) {
    super(scope, id, { ...props, synthesizer: new BootstraplessSynthesizer(), analyticsReporting: false });
    const parameter = (
      name: string,
      description: string,
      extra: Partial<ConstructorParameters<typeof CfnParameter>[2]> = {},
    ) => new CfnParameter(this, name, { type: 'String', description, ...extra });
    const topicArn = parameter(
      MEMBER_PARAMETERS.reportTopicArn,
      'The central report topic (administrator stack output)',
      {
        allowedPattern: SNS_TOPIC_ARN_PATTERN,
      },
    );
    const keyArn = parameter(MEMBER_PARAMETERS.reportTopicKeyArn, "The central report topic's KMS key", {
      allowedPattern: KMS_KEY_ARN_PATTERN,
    });
    const dryRun = parameter(MEMBER_PARAMETERS.dryRun, 'true: analyse and report only, change nothing', {
      allowedValues: ['true', 'false'],
      default: 'true',
    });
    const codeBucketPrefix = parameter(
      MEMBER_PARAMETERS.codeBucketPrefix,
      'The code buckets, one a region: <prefix>-<region>, readable by the organization',
      { allowedPattern: '^[a-z0-9][a-z0-9.-]{1,40}$' },
    );
    const codeKey = parameter(MEMBER_PARAMETERS.codeKey, "The handler bundle's key in the code bucket", {
      allowedPattern: '^[A-Za-z0-9/._-]{1,200}\\.zip$',
    });

    const fleetBusArn = parameter(
      MEMBER_PARAMETERS.fleetBusArn,
      "The organization's fleet event bus (administrator stack output)",
      { allowedPattern: '^arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/[A-Za-z0-9._-]{1,256}$' },
    );

    const codeBucket = s3.Bucket.fromBucketName(
      this,
      'CodeBucket',
      `${codeBucketPrefix.valueAsString}-${Aws.REGION}`,
    );
    this.janitor = new NlbJanitor(this, 'Janitor', {
      ...props.janitor,
      clusters: [],
      discoverClusters: true,
      // The template cannot know the clusters of every account; access is granted where they are defined.
      createAccessEntries: false,
      reportTopic: { topicArn: topicArn.valueAsString, keyArn: keyArn.valueAsString },
      roleName: `${MEMBER_ROLE_NAME_PREFIX}${Aws.REGION}`,
      code: lambda.Code.fromBucket(codeBucket, codeKey.valueAsString),
      // One fleet digest a day comes from the administrator account instead.
      digestSchedule: false,
    });
    this.janitor.function.addEnvironment('DRY_RUN', dryRun.valueAsString);
    summariesToFleet(this.janitor, fleetBusArn.valueAsString, codeKey.valueAsString);
    this.forwarding = new FleetForwarding(this, 'Fleet', {
      alarms: this.janitor.alarms,
      fleetBusArn: fleetBusArn.valueAsString,
    });

    new CfnOutput(this, 'RoleArn', {
      description: 'Give this role an EKS access entry with AmazonEKSViewPolicy in every cluster to sweep',
      value: this.janitor.role.roleArn,
    });
    new CfnOutput(this, 'FunctionName', { value: this.janitor.function.functionName });
  }
}
