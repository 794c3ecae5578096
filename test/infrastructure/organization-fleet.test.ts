import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { ALARM_STATE_CHANGE } from '../../lib/organization/fleet-forwarding';
import { MEMBER_PARAMETERS } from '../../lib/organization/nlb-janitor-member-stack';
import { addOrganizationStacks } from '../../lib/organization/organization-app';
import { janitorRoleStatements } from './synth';

// The fleet's wiring in the synthesized organization templates: a member's alarms
// reach the center through event buses, the bus admits the organization's janitor
// roles only, and each piece's IAM is exactly what it needs.

const ORGANIZATION = {
  organizationId: 'o-abcd123456',
  targetOrganizationalUnits: ['ou-abcd-11111111'],
  targetRegions: ['us-east-1', 'eu-west-1'],
};
const app = new App();
const stacks = addOrganizationStacks(app, {
  organization: ORGANIZATION,
  env: { account: '111111111111', region: 'eu-west-1' },
});
const administrator = Template.fromStack(stacks.administrator);
const member = Template.fromStack(stacks.member);

type Resource = { Type: string; Properties: Record<string, unknown> };
const only = (template: Template, type: string, props: Record<string, unknown> = {}) => {
  const found = Object.entries(template.findResources(type, { Properties: props })) as [string, Resource][];
  assert.equal(found.length, 1, `one ${type} like ${JSON.stringify(props)}, found ${found.length}`);
  return found[0] as [string, Resource];
};
const logicalId = (template: Template, type: string, props: Record<string, unknown> = {}) =>
  only(template, type, props)[0];
const janitorRoles = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/nlb-janitor-*']],
};
/** Every statement of the inline policies attached to `role` (a logical id). */
const statementsOf = (template: Template, role: string) =>
  Object.values(
    template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } }),
  ).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]);

describe("organization mode: a member's alarms reach the center", () => {
  const errorsAlarm = logicalId(member, 'AWS::CloudWatch::Alarm', { MetricName: 'Errors' });
  const unverifiedAlarm = logicalId(member, 'AWS::CloudWatch::Alarm', { MetricName: 'UnverifiedClusters' });
  const [ruleId, rule] = only(member, 'AWS::Events::Rule');
  const forwardingRole = logicalId(member, 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: Match.objectLike({
      Statement: [Match.objectLike({ Principal: { Service: 'events.amazonaws.com' } })],
    }),
  });

  it("a rule on the member's default bus matches the state changes of exactly the janitor's two alarms", () => {
    assert.ok(ruleId);
    assert.equal(rule.Properties.EventBusName, undefined, 'the default bus, where CloudWatch puts them');
    assert.deepEqual(rule.Properties.EventPattern, {
      source: ['aws.cloudwatch'],
      'detail-type': [ALARM_STATE_CHANGE],
      resources: [{ 'Fn::GetAtt': [errorsAlarm, 'Arn'] }, { 'Fn::GetAtt': [unverifiedAlarm, 'Arn'] }],
    });
  });

  it('sends them to the fleet bus the StackSet names, with a role of its own', () => {
    assert.deepEqual(rule.Properties.Targets, [
      {
        Arn: { Ref: MEMBER_PARAMETERS.fleetBusArn },
        Id: 'Target0',
        RoleArn: { 'Fn::GetAtt': [forwardingRole, 'Arn'] },
      },
    ]);
    const stackSet = only(administrator, 'AWS::CloudFormation::StackSet')[1];
    const parameters = stackSet.Properties.Parameters as { ParameterKey: string; ParameterValue: unknown }[];
    assert.deepEqual(
      parameters.find((p) => p.ParameterKey === MEMBER_PARAMETERS.fleetBusArn)?.ParameterValue,
      {
        'Fn::GetAtt': [logicalId(administrator, 'AWS::Events::EventBus'), 'Arn'],
      },
    );
    const template = member.toJSON() as { Parameters: Record<string, { AllowedPattern?: string }> };
    assert.match(
      'arn:aws:events:eu-west-1:111111111111:event-bus/nlb-janitor-fleet',
      new RegExp(template.Parameters[MEMBER_PARAMETERS.fleetBusArn]?.AllowedPattern ?? '^$'),
    );
  });

  it('the forwarding role: assumed by EventBridge, named under nlb-janitor- for the bus policy, may only put events on the fleet bus', () => {
    member.hasResourceProperties('AWS::IAM::Role', {
      RoleName: { 'Fn::Join': ['', ['nlb-janitor-forward-', { Ref: 'AWS::Region' }]] },
      AssumeRolePolicyDocument: {
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } },
        ],
      },
    });
    assert.deepEqual(statementsOf(member, forwardingRole), [
      { Action: 'events:PutEvents', Effect: 'Allow', Resource: { Ref: MEMBER_PARAMETERS.fleetBusArn } },
    ]);
  });

  it("the member's alarms keep no actions: CloudWatch notifies topics of its own region only", () => {
    for (const alarm of Object.values(member.findResources('AWS::CloudWatch::Alarm'))) {
      assert.equal(alarm.Properties.AlarmActions, undefined);
      assert.equal(alarm.Properties.OKActions, undefined);
    }
  });

  it("no member permission on the central topic's tags; its memory is its own table", () => {
    const statements = janitorRoleStatements(member);
    const actions = statements.flatMap((statement) => [statement.Action].flat().map(String));
    assert.deepEqual(
      actions.filter((action) => /^sns:(TagResource|UntagResource|ListTagsForResource)$/.test(action)),
      [],
    );
    const table = logicalId(member, 'AWS::DynamoDB::Table');
    assert.deepEqual(
      statements.find((statement) => statement.Sid === 'RememberWhatWasSaid'),
      {
        Sid: 'RememberWhatWasSaid',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        Resource: { 'Fn::GetAtt': [table, 'Arn'] },
      },
    );
  });
});

describe('organization mode: the fleet bus', () => {
  const bus = logicalId(administrator, 'AWS::Events::EventBus', { Name: 'nlb-janitor-fleet' });
  const topic = logicalId(administrator, 'AWS::SNS::Topic');
  const key = logicalId(administrator, 'AWS::KMS::Key');
  const [, alarmRule] = only(administrator, 'AWS::Events::Rule', {
    EventPattern: { source: ['aws.cloudwatch'], 'detail-type': [ALARM_STATE_CHANGE] },
  });
  const target = (alarmRule.Properties.Targets as Record<string, unknown>[])[0] ?? {};
  const publishRole = (target.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

  it("admits only the organization's janitor roles to put events, in one statement", () => {
    const policies = Object.values(administrator.findResources('AWS::Events::EventBusPolicy'));
    assert.equal(policies.length, 1);
    assert.deepEqual(policies[0]?.Properties.EventBusName, { Ref: bus });
    assert.deepEqual(policies[0]?.Properties.Statement, {
      Sid: 'cdk-OrganizationJanitorsPutEvents',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'events:PutEvents',
      Resource: { 'Fn::GetAtt': [bus, 'Arn'] },
      Condition: {
        StringEquals: { 'aws:PrincipalOrgID': 'o-abcd123456' },
        ArnLike: { 'aws:PrincipalArn': janitorRoles },
      },
    });
  });

  it('a rule on the fleet bus tells the central topic of each alarm change, with a role of this account', () => {
    assert.deepEqual(alarmRule.Properties.EventBusName, { Ref: bus });
    assert.deepEqual(target.Arn, { Ref: topic });
    assert.deepEqual(target.RetryPolicy, { MaximumRetryAttempts: 8 });
    administrator.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
    assert.deepEqual(statementsOf(administrator, publishRole), [
      { Action: 'sns:Publish', Effect: 'Allow', Resource: { Ref: topic } },
      {
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [key, 'Arn'] },
      },
    ]);
  });

  it('the message reads: account, region, alarm, state, what it was, why, and what it means', () => {
    const transformer = target.InputTransformer as {
      InputPathsMap: Record<string, string>;
      InputTemplate: string;
    };
    const event = {
      account: '222222222222',
      region: 'us-east-1',
      detail: {
        alarmName: 'NlbJanitorMember-JanitorMonitoringErrorsAlarm-1A2B',
        state: { value: 'ALARM', reason: 'Threshold Crossed: 1 datapoint [1.0] was >= 1.0.' },
        previousState: { value: 'OK' },
        configuration: { description: 'nlb-janitor failed: see the function log for the error.' },
      },
    };
    // EventBridge's substitution: each <name> by the value at its JSON path.
    const at = (path: string) =>
      path
        .slice(2)
        .split('.')
        .reduce<unknown>((value, step) => (value as Record<string, unknown>)[step], event);
    const message = JSON.parse(
      transformer.InputTemplate.replace(/<([\w-]+)>/g, (_, name: string) =>
        String(at(transformer.InputPathsMap[name] ?? '$.missing')),
      ),
    ) as string;
    assert.equal(
      message,
      'nlb-janitor alarm in account 222222222222, region us-east-1: NlbJanitorMember-JanitorMonitoringErrorsAlarm-1A2B is ALARM (was OK). ' +
        'Reason: Threshold Crossed: 1 datapoint [1.0] was >= 1.0. What it means: nlb-janitor failed: see the function log for the error. ' +
        "The member's function log and dashboard are in that account and region.",
    );
  });

  it('no service principal may publish to the topic or use its key: only roles of the organization', () => {
    const text = JSON.stringify([
      administrator.findResources('AWS::SNS::TopicPolicy'),
      administrator.findResources('AWS::KMS::Key'),
    ]);
    assert.doesNotMatch(text, /events\.amazonaws\.com/);
  });
});

describe('organization mode: one fleet digest a day', () => {
  const fleetFunction = logicalId(administrator, 'AWS::Lambda::Function', {
    Environment: { Variables: Match.objectLike({ FLEET_TABLE: Match.anyValue() }) },
  });
  const fleetFn = administrator.findResources('AWS::Lambda::Function')[fleetFunction] as Resource;
  const fleetRole = (fleetFn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const table = logicalId(administrator, 'AWS::DynamoDB::Table');
  const topic = logicalId(administrator, 'AWS::SNS::Topic');
  const key = logicalId(administrator, 'AWS::KMS::Key');

  it('members send a summary of each sweep to the fleet bus, their role may put events there only, and they send no digest of their own', () => {
    const statements = janitorRoleStatements(member);
    assert.deepEqual(
      statements.find((statement) => statement.Sid === 'SendSweepSummary'),
      {
        Sid: 'SendSweepSummary',
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: { Ref: MEMBER_PARAMETERS.fleetBusArn },
      },
    );
    assert.equal(
      statements.filter((statement) => JSON.stringify(statement.Action).includes('events:')).length,
      1,
    );
    member.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          FLEET_BUS_ARN: { Ref: MEMBER_PARAMETERS.fleetBusArn },
          JANITOR_VERSION: {
            'Fn::Join': [
              '',
              [Match.stringLikeRegexp('^\\d+\\.\\d+\\.\\d+\\+$'), { Ref: MEMBER_PARAMETERS.codeKey }],
            ],
          },
        }),
      },
    });
    member.resourceCountIs('AWS::Scheduler::Schedule', 1);
    member.hasResourceProperties('AWS::Scheduler::Schedule', { Target: Match.objectLike({ Input: '{}' }) });
  });

  it('a rule on the fleet bus hands every summary to the fleet function, retried', () => {
    administrator.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: logicalId(administrator, 'AWS::Events::EventBus') },
      EventPattern: { source: ['nlb-janitor'], 'detail-type': ['nlb-janitor sweep summary'] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [fleetFunction, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 },
        }),
      ],
    });
  });

  it('the fleet function: the members table, the central topic, two sweep intervals of silence, one invocation at a time', () => {
    assert.deepEqual(fleetFn.Properties.Environment, {
      Variables: {
        FLEET_TABLE: { Ref: table },
        TOPIC_ARN: { Ref: topic },
        SILENT_AFTER_MINUTES: '120',
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    assert.equal(fleetFn.Properties.ReservedConcurrentExecutions, 1);
    administrator.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it("the fleet function's role, statement by statement: its table, the topic and its key, its log group; nothing else", () => {
    const statements = statementsOf(administrator, fleetRole);
    assert.deepEqual(
      statements.find((statement) => statement.Sid === 'KeepMemberSummaries'),
      {
        Sid: 'KeepMemberSummaries',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Scan'],
        Resource: { 'Fn::GetAtt': [table, 'Arn'] },
      },
    );
    assert.deepEqual(
      statements.find((statement) => statement.Action === 'sns:Publish'),
      { Action: 'sns:Publish', Effect: 'Allow', Resource: { Ref: topic } },
    );
    assert.deepEqual(
      statements.find((statement) => JSON.stringify(statement.Action).includes('kms:')),
      {
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [key, 'Arn'] },
      },
    );
    const logsStatement = statements.find((statement) => JSON.stringify(statement.Action).includes('logs:'));
    assert.deepEqual(logsStatement?.Action, ['logs:CreateLogStream', 'logs:PutLogEvents']);
    assert.match(JSON.stringify(logsStatement?.Resource), /FleetDigestLogGroup/);
    assert.equal(statements.length, 4);
    const role = administrator.findResources('AWS::IAM::Role')[fleetRole] as Resource;
    assert.equal(role.Properties.ManagedPolicyArns, undefined);
    assert.deepEqual(role.Properties.AssumeRolePolicyDocument, {
      Statement: [
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
      ],
      Version: '2012-10-17',
    });
  });

  it('the digest once a day at 08:00 UTC, the watch for silent members every hour', () => {
    administrator.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 8 * * ? *)',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [fleetFunction, 'Arn'] },
        Input: '{"fleet":"digest"}',
      }),
    });
    administrator.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [fleetFunction, 'Arn'] }, Input: '{"fleet":"watch"}' }),
    });
  });

  it('an alarm in the administrator account the hour a member falls silent, and one when the fleet function fails, both to the central topic', () => {
    administrator.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'NlbJanitorFleet',
      MetricName: 'SilentMembers',
      Dimensions: [{ Name: 'service', Value: 'nlb-janitor-fleet' }],
      Period: 3600,
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topic }],
      OKActions: [{ Ref: topic }],
    });
    administrator.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fleetFunction } }],
      AlarmActions: [{ Ref: topic }],
    });
  });

  it('a member sweeping every 30 minutes is silent after an hour', () => {
    const other = new App();
    const { administrator: stack } = addOrganizationStacks(other, {
      organization: ORGANIZATION,
      env: { account: '111111111111', region: 'eu-west-1' },
      janitor: { schedule: scheduler.ScheduleExpression.rate(Duration.minutes(30)) },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SILENT_AFTER_MINUTES: '60' }) },
    });
  });
});
