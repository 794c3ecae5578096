import { Aws, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ALARM_STATE_CHANGE } from './fleet-forwarding';

export interface FleetBusProps {
  /** Only principals of this organization may put events on the bus. */
  readonly organizationId: string;
  /** The member roles that may put events: `arn:<partition>:iam::*:role/<prefix>*`. */
  readonly memberRoleArnPattern: string;
  /** The central report topic, where a person reads the members' alarms. */
  readonly topic: sns.ITopic;
  /**
   * The bus's name.
   * @default 'nlb-janitor-fleet'
   */
  readonly eventBusName?: string;
}

/** The alarm message a person reads: who, where, what, and why, in one paragraph. */
export const ALARM_MESSAGE_FIELDS = {
  alarm: '$.detail.alarmName',
  state: '$.detail.state.value',
  previous: '$.detail.previousState.value',
  reason: '$.detail.state.reason',
  description: '$.detail.configuration.description',
} as const;

/**
 * The organization's fleet event bus, in the administrator account and region:
 * members forward their alarms' state changes to it (and send a summary of each
 * sweep), and a rule here turns each alarm change into a readable message on the
 * central topic. Its policy lets only the organization's janitor roles put events.
 */
export class FleetBus extends Construct {
  public readonly bus: events.EventBus;
  public readonly alarmRule: events.Rule;
  /** The role the bus's rules publish to the central topic with. */
  public readonly publishRole: iam.Role;

  constructor(scope: Construct, id: string, props: FleetBusProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: props.eventBusName ?? 'nlb-janitor-fleet',
      description: "nlb-janitor: the members' alarms and sweep summaries",
    });
    this.bus.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OrganizationJanitorsPutEvents',
        principals: [new iam.AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [this.bus.eventBusArn],
        conditions: {
          StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
          ArnLike: { 'aws:PrincipalArn': props.memberRoleArnPattern },
        },
      }),
    );

    // A role of this account publishes, with its own KMS permissions: no service
    // principal on the topic or the key that another account's rule could use.
    this.publishRole = new iam.Role(this, 'PublishRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: "nlb-janitor: tells the central topic of the members' alarms and the fleet",
    });
    Validations.of(this.publishRole).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        'Publishing to the encrypted central topic needs data keys of its KMS key (topic.grantPublish).',
    });
    const field = (path: string) => events.EventField.fromPath(path);
    const f = ALARM_MESSAGE_FIELDS;
    this.alarmRule = new events.Rule(this, 'AlarmsToTopic', {
      eventBus: this.bus,
      description: "nlb-janitor: a member's alarm changed state; tell the central topic",
      // Only a rule can put an aws.* source on a bus: these came from a member's default bus.
      eventPattern: { source: ['aws.cloudwatch'], detailType: [ALARM_STATE_CHANGE] },
      targets: [
        new targets.SnsTopic(props.topic, {
          message: events.RuleTargetInput.fromText(
            `nlb-janitor alarm in account ${events.EventField.account}, region ${events.EventField.region}: ` +
              `${field(f.alarm)} is ${field(f.state)} (was ${field(f.previous)}). ` +
              `Reason: ${field(f.reason)} What it means: ${field(f.description)} ` +
              `The member's function log and dashboard are in that account and region.`,
          ),
          role: this.publishRole,
          retryAttempts: 8,
        }),
      ],
    });
  }
}
