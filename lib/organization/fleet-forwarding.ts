import { Aws } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * The forwarding role's name in every member: under `nlb-janitor-`, the prefix the
 * fleet bus's policy admits (with the organization condition), per region since
 * IAM names are global to an account.
 */
export const FORWARDING_ROLE_NAME_PREFIX = 'nlb-janitor-forward-';

/** The detail type of an alarm's state change, as CloudWatch puts it on the default bus. */
export const ALARM_STATE_CHANGE = 'CloudWatch Alarm State Change';

export interface FleetForwardingProps {
  /** The janitor's alarms, whose state changes a person at the center must see. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** The organization's fleet event bus, in the administrator account and region. */
  readonly fleetBusArn: string;
}

/**
 * A member's alarms reach the center the way AWS recommends across accounts and
 * regions: a rule on the member's default bus sends their state changes to the
 * fleet bus (a cross-region target must be an event bus), with a role that may put
 * events on that bus and nothing else. CloudWatch alarm actions reach topics of the
 * alarm's own region only, so the alarms keep no actions of their own.
 */
export class FleetForwarding extends Construct {
  public readonly rule: events.Rule;
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: FleetForwardingProps) {
    super(scope, id);
    const fleetBus = events.EventBus.fromEventBusArn(this, 'FleetBus', props.fleetBusArn);
    this.role = new iam.Role(this, 'Role', {
      roleName: `${FORWARDING_ROLE_NAME_PREFIX}${Aws.REGION}`,
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: "nlb-janitor: forwards the janitor's alarm state changes to the organization's fleet bus",
    });
    this.rule = new events.Rule(this, 'AlarmsToFleet', {
      description: "nlb-janitor: the janitor's alarm state changes, to the organization's fleet bus",
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: [ALARM_STATE_CHANGE],
        resources: props.alarms.map((alarm) => alarm.alarmArn),
      },
      targets: [new targets.EventBus(fleetBus, { role: this.role })],
    });
  }
}
