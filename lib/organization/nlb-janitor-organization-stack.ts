import { Aws, CfnOutput, CfnStackSet, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { FleetBus } from './fleet-bus';
import { FleetDigest } from './fleet-digest';
import { MEMBER_PARAMETERS } from './nlb-janitor-member-stack';
import { codeBucketPrefix } from './organization-code-stack';
import { type OrganizationProps, validateOrganizationProps } from './organization-props';

/** CloudFormation's limit on a StackSet's inline TemplateBody. */
export const MAX_TEMPLATE_BODY_BYTES = 51_200;

export interface NlbJanitorOrganizationStackProps extends StackProps {
  readonly organization: OrganizationProps;
  /** The member template (NlbJanitorMemberStack), as synthesized. */
  readonly memberTemplate: unknown;
  /** The handler bundle's key in every code bucket (OrganizationCodeStack.codeKey). */
  readonly codeKey: string;
  /**
   * How often members sweep: a member silent for two of these is named.
   * @default 1 hour
   */
  readonly memberSweepInterval?: Duration;
}

/**
 * The administrator's stack (management account or delegated administrator):
 * the central report topic every member publishes to, a service-managed StackSet
 * deploying a janitor to every account of the target OUs in every target region
 * (and to accounts that join them later), and a fleet dashboard.
 */
export class NlbJanitorOrganizationStack extends Stack {
  public readonly topic: sns.Topic;
  public readonly topicKey: kms.Key;
  public readonly stackSet: CfnStackSet;
  public readonly dashboard: cloudwatch.Dashboard;
  /** Where members' alarms and sweep summaries arrive. */
  public readonly fleetBus: FleetBus;
  /** The members' latest summaries, the daily fleet digest and the silent-member alarm. */
  public readonly fleetDigest: FleetDigest;

  constructor(scope: Construct, id: string, props: NlbJanitorOrganizationStackProps) {
    super(scope, id, props);
    const org = props.organization;
    validateOrganizationProps(org);
    const templateBody = JSON.stringify(props.memberTemplate);
    if (Buffer.byteLength(templateBody) > MAX_TEMPLATE_BODY_BYTES) {
      throw new Error(
        `the member template is ${Buffer.byteLength(templateBody)} bytes, above the StackSet TemplateBody limit of ${MAX_TEMPLATE_BODY_BYTES}`,
      );
    }
    const fromOrganization = { StringEquals: { 'aws:PrincipalOrgID': org.organizationId } };
    const janitorRoles = `arn:${Aws.PARTITION}:iam::*:role/nlb-janitor-*`;

    this.topicKey = new kms.Key(this, 'TopicKey', {
      description: 'nlb-janitor central report topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // Publishing to an encrypted topic uses the publisher's own KMS permissions,
    // through SNS: every janitor of the organization, and nobody outside it.
    this.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OrganizationJanitorsPublish',
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          ...fromOrganization,
          ArnLike: { 'aws:PrincipalArn': janitorRoles },
        },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'nlb-janitor (organization)',
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OrganizationJanitorsPublish',
        principals: [new iam.AnyPrincipal()],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ...fromOrganization,
          ArnLike: { 'aws:PrincipalArn': janitorRoles },
        },
      }),
    );
    for (const email of org.alertEmails ?? []) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    this.fleetBus = new FleetBus(this, 'Fleet', {
      organizationId: org.organizationId,
      memberRoleArnPattern: janitorRoles,
      topic: this.topic,
    });
    this.fleetDigest = new FleetDigest(this, 'FleetDigest', {
      bus: this.fleetBus.bus,
      topic: this.topic,
      sweepInterval: props.memberSweepInterval ?? Duration.hours(1),
    });

    this.stackSet = new CfnStackSet(this, 'StackSet', {
      stackSetName: org.stackSetName ?? 'nlb-janitor',
      description: 'nlb-janitor: one janitor per account and region of the target OUs',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      callAs: org.callAs ?? 'SELF',
      // The member role has a fixed name, for cluster access entries written ahead of time.
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: {
        failureTolerancePercentage: org.failureTolerancePercentage ?? 0,
        maxConcurrentPercentage: org.maxConcurrentPercentage ?? 25,
        regionConcurrencyType: 'SEQUENTIAL',
        regionOrder: [...org.targetRegions],
      },
      parameters: [
        { parameterKey: MEMBER_PARAMETERS.reportTopicArn, parameterValue: this.topic.topicArn },
        { parameterKey: MEMBER_PARAMETERS.reportTopicKeyArn, parameterValue: this.topicKey.keyArn },
        { parameterKey: MEMBER_PARAMETERS.dryRun, parameterValue: String(org.dryRun ?? true) },
        {
          parameterKey: MEMBER_PARAMETERS.codeBucketPrefix,
          parameterValue: codeBucketPrefix(Aws.ACCOUNT_ID),
        },
        { parameterKey: MEMBER_PARAMETERS.codeKey, parameterValue: props.codeKey },
        { parameterKey: MEMBER_PARAMETERS.fleetBusArn, parameterValue: this.fleetBus.bus.eventBusArn },
      ],
      stackInstancesGroup: [
        {
          deploymentTargets: { organizationalUnitIds: [...org.targetOrganizationalUnits] },
          regions: [...org.targetRegions],
        },
      ],
      templateBody,
    });

    this.dashboard = fleetDashboard(this, org.targetRegions);

    new CfnOutput(this, 'TopicArn', {
      description: 'Every member janitor reports here',
      value: this.topic.topicArn,
    });
    new CfnOutput(this, 'FleetBusArn', {
      description: "Members' alarm state changes and sweep summaries arrive here",
      value: this.fleetBus.bus.eventBusArn,
    });
    new CfnOutput(this, 'StackSetName', { value: this.stackSet.attrStackSetId });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboardName });
  }
}

// Must match lambda/report/sweep-metrics.ts and lib/janitor-monitoring.ts.
const NAMESPACE = 'NlbJanitor';

/**
 * Marked, pending, deleted and unverified counts per account, one row per region:
 * CloudWatch Metrics Insights queries grouped by AWS.AccountId, which see member
 * accounts' metrics once this account is their cross-account observability
 * monitoring account (README "Organization", step 5).
 */
function fleetDashboard(scope: Construct, regions: readonly string[]): cloudwatch.Dashboard {
  const query = (metric: string, statistic: 'SUM' | 'MAX', region: string, label: string) =>
    new cloudwatch.MathExpression({
      expression: `SELECT ${statistic}(${metric}) FROM SCHEMA("${NAMESPACE}", service) GROUP BY AWS.AccountId`,
      usingMetrics: {},
      label,
      period: Duration.hours(1),
      searchRegion: region,
    });
  const rows = regions.map((region) => [
    ...(
      [
        ['LoadBalancersMarked', 'SUM', 'Marked'],
        ['LoadBalancersPending', 'MAX', 'Pending deletion'],
        ['LoadBalancersDeleted', 'SUM', 'Deleted'],
        ['UnverifiedClusters', 'MAX', 'Unverified clusters'],
      ] as const
    ).map(
      ([metric, statistic, title]) =>
        new cloudwatch.GraphWidget({
          title: `${region}: ${title} per account`,
          region,
          width: 6,
          left: [query(metric, statistic, region, title)],
        }),
    ),
  ]);
  return new cloudwatch.Dashboard(scope, 'FleetDashboard', {
    defaultInterval: Duration.days(14),
    widgets: [
      [
        new cloudwatch.TextWidget({
          markdown:
            '# nlb-janitor fleet\nPer account and region. Empty graphs: this account is not yet the monitoring account of the members (README "Organization", step 5), or no sweep has run.',
          width: 24,
          height: 2,
        }),
      ],
      ...rows,
    ],
  });
}
