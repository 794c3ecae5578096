import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DELETED_WITH_TAG, IGNORE_TAG, JANITOR_MARK_TAGS } from '../../contract/tag-keys';
import { MEMORY_KEY_ATTRIBUTE } from '../../lambda/memory/table-memory';
import { NlbJanitor, type NlbJanitorProps } from '../../lib/nlb-janitor';
import { janitorRoleStatements, synthJanitor } from './synth';

const { template } = synthJanitor({
  alertEmails: ['ops@example.com', 'sre@example.com'],
  gracePeriod: '36h',
});

const arn = (service: string, resource: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      `:${service}:`,
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:${resource}`,
    ],
  ],
});

describe('NlbJanitor resources', () => {
  it('a pinned, arm64, locally bundled function that never runs twice at once', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 1024,
      Timeout: 300,
      ReservedConcurrentExecutions: 1,
      Handler: 'index.handler',
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^JanitorLogGroup') } },
      Environment: {
        Variables: {
          CLUSTERS: 'prod,staging',
          GRACE_PERIOD: '36h',
          MAX_DELETIONS: '10',
          MAX_DELETIONS_PER_CLUSTER: '3',
          DRY_RUN: 'false',
          DELETE_WHEN_CLUSTER_MISSING: 'false',
          MAX_ORPHAN_RATIO: '0.5',
          SNS_TOPIC_ARN: { Ref: Match.stringLikeRegexp('^JanitorTopic') },
          ROLE_ARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JanitorRole'), 'Arn'] },
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
  });

  it('an explicit log group with retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('an hourly EventBridge Scheduler schedule with an explicit input and no retries', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JanitorFunction'), 'Arn'] },
        Input: '{}',
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 900 },
      },
    });
  });

  it('an encrypted topic that refuses plain HTTP, with the email subscriptions', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JanitorTopicKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, PendingWindowInDays: 7 });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  it('lets CloudWatch alarms use the topic key', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });

  it('an access entry with AmazonEKSViewPolicy at cluster scope in each cluster', () => {
    for (const cluster of ['prod', 'staging']) {
      template.hasResourceProperties('AWS::EKS::AccessEntry', {
        ClusterName: cluster,
        Type: 'STANDARD',
        PrincipalArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JanitorRole'), 'Arn'] },
        AccessPolicies: [
          {
            PolicyArn: {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSViewPolicy'],
              ],
            },
            AccessScope: { Type: 'cluster' },
          },
        ],
      });
    }
    template.resourceCountIs('AWS::EKS::AccessEntry', 2);
  });

  it('puts the role in the Kubernetes group deploy/gateway-api/rbac.yaml binds, in each cluster', () => {
    const rbac = readFileSync(join(__dirname, '..', '..', 'deploy', 'gateway-api', 'rbac.yaml'), 'utf8');
    assert.match(rbac, /kind: Group\n\s+name: nlb-janitor:gateway-readers\n/);
    for (const cluster of ['prod', 'staging']) {
      template.hasResourceProperties('AWS::EKS::AccessEntry', {
        ClusterName: cluster,
        KubernetesGroups: ['nlb-janitor:gateway-readers'],
      });
    }
  });

  it('alarms on function errors and on unverified clusters, to the topic', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    const topic = { Ref: Match.stringLikeRegexp('^JanitorTopic') };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Threshold: 1,
      AlarmActions: [topic],
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'UnverifiedClusters',
      Namespace: 'NlbJanitor',
      Dimensions: [{ Name: 'service', Value: 'nlb-janitor' }],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topic],
      OKActions: [topic],
    });
  });

  it('a dashboard of what the janitor did', () => {
    const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(Object.values(dashboards)[0]?.Properties?.DashboardBody);
    for (const metric of [
      'LoadBalancersMarked',
      'LoadBalancersDeleted',
      'LoadBalancersRecovered',
      'LoadBalancersPending',
      'UnverifiedClusters',
      'EstimatedMonthlySavingsUsd',
      'Elbv2DescribeCalls',
      'Elbv2Throttled',
      'TaggingApiFallback',
    ]) {
      assert.ok(body.includes(metric), `dashboard shows ${metric}`);
    }
  });
});

describe('NlbJanitor IAM, statement by statement', () => {
  const statements = janitorRoleStatements(template);
  const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid);
  const lb = arn('elasticloadbalancing', 'loadbalancer/net/*/*');
  const tg = arn('elasticloadbalancing', 'targetgroup/*/*');
  const sg = arn('ec2', 'security-group/*');
  const sgr = arn('ec2', 'security-group-rule/*');
  const markKeys = [
    'nlb-janitor/suspect-since',
    'nlb-janitor/reason',
    'nlb-janitor/deletes-at',
    'nlb-janitor/announced-at',
    'nlb-janitor/reminded-at',
  ];

  const expected: Record<string, unknown>[] = [
    {
      Sid: 'ReadLoadBalancers',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeTags',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeLoadBalancerAttributes',
        'elasticloadbalancing:DescribeTargetGroups',
      ],
      Resource: '*',
    },
    {
      Sid: 'ReadSecurityGroups',
      Effect: 'Allow',
      Action: [
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSecurityGroupRules',
        'ec2:DescribeNetworkInterfaces',
      ],
      Resource: '*',
    },
    {
      Sid: 'ReadTagsThroughTaggingApi',
      Effect: 'Allow',
      Action: 'tag:GetResources',
      Resource: '*',
    },
    // Issue 20: every cluster that could claim a load balancer is read, configured or not:
    // every EKS cluster of the account and region, and clusters known from their tags.
    {
      Sid: 'DescribeClusters',
      Effect: 'Allow',
      Action: 'eks:DescribeCluster',
      Resource: arn('eks', 'cluster/*'),
    },
    { Sid: 'ListClusters', Effect: 'Allow', Action: 'eks:ListClusters', Resource: '*' },
    {
      Sid: 'ReadClusterTags',
      Effect: 'Allow',
      Action: ['ec2:DescribeSubnets', 'ec2:DescribeInstances'],
      Resource: '*',
    },
    ...[
      ['TagLoadBalancerControllerLoadBalancers', 'elbv2.k8s.aws/cluster'],
      ['TagInTreeLoadBalancers', 'kubernetes.io/service-name'],
      ['TagEksAutoModeLoadBalancers', 'eks:eks-cluster-name'],
    ].map(([Sid, ownerTag]) => ({
      Sid,
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: lb,
      Condition: {
        'ForAllValues:StringEquals': { 'aws:TagKeys': markKeys },
        Null: { 'aws:TagKeys': 'false', [`aws:ResourceTag/${ownerTag}`]: 'false' },
      },
    })),
    // On target groups, the marks and the deleted-with tag that lets a later sweep finish a deletion.
    ...[
      ['TagLoadBalancerControllerTargetGroups', 'elbv2.k8s.aws/cluster'],
      ['TagInTreeTargetGroups', 'kubernetes.io/service-name'],
      ['TagEksAutoModeTargetGroups', 'eks:eks-cluster-name'],
    ].map(([Sid, ownerTag]) => ({
      Sid,
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: tg,
      Condition: {
        'ForAllValues:StringEquals': { 'aws:TagKeys': [...markKeys, 'nlb-janitor/deleted-with'] },
        Null: { 'aws:TagKeys': 'false', [`aws:ResourceTag/${ownerTag}`]: 'false' },
      },
    })),
    // On security groups, the marks only, and only on a controller's groups.
    ...[
      ['TagLoadBalancerControllerSecurityGroups', 'elbv2.k8s.aws/cluster'],
      ['TagEksAutoModeSecurityGroups', 'eks:eks-cluster-name'],
    ].map(([Sid, ownerTag]) => ({
      Sid,
      Effect: 'Allow',
      Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
      Resource: sg,
      Condition: {
        'ForAllValues:StringEquals': { 'aws:TagKeys': markKeys },
        Null: { 'aws:TagKeys': 'false', [`aws:ResourceTag/${ownerTag}`]: 'false' },
      },
    })),
    // On security group rules, the marks only: a rule carries no owner tag to condition on.
    {
      Sid: 'TagSecurityGroupRules',
      Effect: 'Allow',
      Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
      Resource: sgr,
      Condition: {
        'ForAllValues:StringEquals': { 'aws:TagKeys': markKeys },
        Null: { 'aws:TagKeys': 'false' },
      },
    },
    // A load balancer only with a controller's owner tag and the janitor's mark: the mark
    // alone, which anyone who may AddTags could write, is not enough.
    ...[
      ['DeleteMarkedLoadBalancerControllerLoadBalancers', 'elbv2.k8s.aws/cluster'],
      ['DeleteMarkedInTreeLoadBalancers', 'kubernetes.io/service-name'],
      ['DeleteMarkedEksAutoModeLoadBalancers', 'eks:eks-cluster-name'],
    ].map(([Sid, ownerTag]) => ({
      Sid,
      Effect: 'Allow',
      Action: 'elasticloadbalancing:DeleteLoadBalancer',
      Resource: lb,
      Condition: {
        Null: {
          [`aws:ResourceTag/${ownerTag}`]: 'false',
          'aws:ResourceTag/nlb-janitor/suspect-since': 'false',
        },
      },
    })),
    // A target group only with an owner tag and the janitor's mark or deleted-with.
    ...[
      ['DeleteLoadBalancerControllerTargetGroups', 'elbv2.k8s.aws/cluster', 'nlb-janitor/suspect-since'],
      [
        'DeleteLoadBalancerControllerTargetGroupsDeletedWith',
        'elbv2.k8s.aws/cluster',
        'nlb-janitor/deleted-with',
      ],
      ['DeleteInTreeTargetGroups', 'kubernetes.io/service-name', 'nlb-janitor/suspect-since'],
      ['DeleteInTreeTargetGroupsDeletedWith', 'kubernetes.io/service-name', 'nlb-janitor/deleted-with'],
      ['DeleteEksAutoModeTargetGroups', 'eks:eks-cluster-name', 'nlb-janitor/suspect-since'],
      ['DeleteEksAutoModeTargetGroupsDeletedWith', 'eks:eks-cluster-name', 'nlb-janitor/deleted-with'],
    ].map(([Sid, ownerTag, janitorTag]) => ({
      Sid,
      Effect: 'Allow',
      Action: 'elasticloadbalancing:DeleteTargetGroup',
      Resource: tg,
      Condition: {
        Null: { [`aws:ResourceTag/${ownerTag}`]: 'false', [`aws:ResourceTag/${janitorTag}`]: 'false' },
      },
    })),
    ...[
      ['DeleteLoadBalancerControllerSecurityGroups', 'elbv2.k8s.aws/cluster'],
      ['DeleteEksAutoModeSecurityGroups', 'eks:eks-cluster-name'],
    ].map(([Sid, ownerTag]) => ({
      Sid,
      Effect: 'Allow',
      Action: 'ec2:DeleteSecurityGroup',
      Resource: sg,
      // A controller's group, and one the janitor marked: it never deletes an unmarked group.
      Condition: {
        Null: {
          [`aws:ResourceTag/${ownerTag}`]: 'false',
          'aws:ResourceTag/nlb-janitor/suspect-since': 'false',
        },
      },
    })),
    // Revokes only on the node groups of the configured clusters, one statement per cluster (OR).
    ...[
      ['RevokeNodeRulesOfCluster1', 'prod'],
      ['RevokeNodeRulesOfCluster2', 'staging'],
    ].map(([Sid, cluster]) => ({
      Sid,
      Effect: 'Allow',
      Action: ['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress'],
      Resource: sg,
      Condition: { Null: { [`aws:ResourceTag/kubernetes.io/cluster/${cluster}`]: 'false' } },
    })),
    // What was said: one item of its own table, read and replaced; nothing on the topic's tags.
    {
      Sid: 'RememberWhatWasSaid',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      Resource: { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::DynamoDB::Table'))[0], 'Arn'] },
    },
    {
      Sid: 'NeverDeleteIgnored',
      Effect: 'Deny',
      Action: [
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:DeleteTargetGroup',
        'ec2:DeleteSecurityGroup',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupEgress',
      ],
      Resource: [lb, tg, sg],
      Condition: {
        Null: { 'aws:ResourceTag/nlb-janitor/ignore': 'false' },
        StringNotEqualsIgnoreCase: { 'aws:ResourceTag/nlb-janitor/ignore': 'false' },
      },
    },
    {
      Sid: 'NeverMarkIgnored',
      Effect: 'Deny',
      Action: ['elasticloadbalancing:AddTags', 'ec2:CreateTags'],
      Resource: [lb, tg, sg, sgr],
      Condition: {
        Null: { 'aws:ResourceTag/nlb-janitor/ignore': 'false' },
        StringNotEqualsIgnoreCase: { 'aws:ResourceTag/nlb-janitor/ignore': 'false' },
      },
    },
  ];
  for (const statement of expected) {
    it(`${statement.Sid} is exactly as narrow as intended`, () => {
      assert.deepEqual(bySid(String(statement.Sid)), statement);
    });
  }

  const tagKeysOf = (sid: string) => {
    const condition = bySid(sid)?.Condition as Record<string, Record<string, unknown>> | undefined;
    return condition?.['ForAllValues:StringEquals']?.['aws:TagKeys'];
  };

  it('tags with exactly the keys the runtime writes, and never the ignore tag', () => {
    for (const sid of [
      'TagLoadBalancerControllerLoadBalancers',
      'TagInTreeLoadBalancers',
      'TagEksAutoModeLoadBalancers',
    ]) {
      const keys = tagKeysOf(sid);
      assert.ok(Array.isArray(keys) && !keys.includes(IGNORE_TAG), `${sid} may not touch ${IGNORE_TAG}`);
      assert.deepEqual(keys, [...JANITOR_MARK_TAGS]);
    }
    for (const sid of [
      'TagLoadBalancerControllerTargetGroups',
      'TagInTreeTargetGroups',
      'TagEksAutoModeTargetGroups',
    ]) {
      const keys = tagKeysOf(sid);
      assert.ok(Array.isArray(keys) && !keys.includes(IGNORE_TAG), `${sid} may not touch ${IGNORE_TAG}`);
      assert.deepEqual(keys, [...JANITOR_MARK_TAGS, DELETED_WITH_TAG]);
    }
  });

  it("tags security groups and their rules only with the janitor's marking keys, and nothing else in EC2", () => {
    // What the role may do: NeverMarkIgnored, a Deny, only takes away.
    const ec2Tagging = statements.filter(
      (statement) => statement.Effect === 'Allow' && JSON.stringify(statement.Action).includes('Tags"'),
    );
    const ec2Sids = ec2Tagging
      .filter((statement) => JSON.stringify(statement.Action).includes('ec2:'))
      .map((statement) => statement.Sid);
    assert.deepEqual(ec2Sids, [
      'TagLoadBalancerControllerSecurityGroups',
      'TagEksAutoModeSecurityGroups',
      'TagSecurityGroupRules',
    ]);
    for (const sid of ec2Sids) {
      const statement = bySid(String(sid));
      assert.equal(statement?.Effect, 'Allow');
      assert.deepEqual(statement?.Action, ['ec2:CreateTags', 'ec2:DeleteTags']);
      const keys = tagKeysOf(String(sid));
      assert.ok(Array.isArray(keys) && !keys.includes(IGNORE_TAG), `${sid} may not touch ${IGNORE_TAG}`);
      assert.ok(Array.isArray(keys) && !keys.includes(DELETED_WITH_TAG), `${sid} writes marks only`);
      assert.deepEqual(keys, [...JANITOR_MARK_TAGS]);
      // A request without tag keys would pass ForAllValues: Null false demands them.
      const condition = statement?.Condition as Record<string, Record<string, unknown>>;
      assert.equal(condition.Null?.['aws:TagKeys'], 'false');
    }
    assert.deepEqual(bySid('TagLoadBalancerControllerSecurityGroups')?.Resource, sg);
    assert.deepEqual(bySid('TagEksAutoModeSecurityGroups')?.Resource, sg);
    assert.deepEqual(bySid('TagSecurityGroupRules')?.Resource, sgr);
  });

  it("deletes only security groups that carry a controller's cluster tag and the janitor's mark", () => {
    const deletes = statements.filter((statement) =>
      JSON.stringify(statement.Action).includes('ec2:DeleteSecurityGroup'),
    );
    const allowed = deletes.filter((statement) => statement.Effect === 'Allow');
    assert.deepEqual(
      allowed.map((statement) => [statement.Action, statement.Resource, statement.Condition]),
      [
        [
          'ec2:DeleteSecurityGroup',
          sg,
          {
            Null: {
              'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false',
              'aws:ResourceTag/nlb-janitor/suspect-since': 'false',
            },
          },
        ],
        [
          'ec2:DeleteSecurityGroup',
          sg,
          {
            Null: {
              'aws:ResourceTag/eks:eks-cluster-name': 'false',
              'aws:ResourceTag/nlb-janitor/suspect-since': 'false',
            },
          },
        ],
      ],
    );
  });

  it('revokes rules only on security groups of the configured clusters', () => {
    const revokes = statements.filter(
      (statement) => statement.Effect === 'Allow' && JSON.stringify(statement.Action).includes('ec2:Revoke'),
    );
    assert.deepEqual(
      revokes.map((statement) => statement.Condition),
      [
        { Null: { 'aws:ResourceTag/kubernetes.io/cluster/prod': 'false' } },
        { Null: { 'aws:ResourceTag/kubernetes.io/cluster/staging': 'false' } },
      ],
    );
  });

  it('denies deleting a load balancer, target group or security group, or revoking a rule of a group, tagged ignore with any value but false', () => {
    assert.deepEqual(bySid('NeverDeleteIgnored'), {
      Sid: 'NeverDeleteIgnored',
      Effect: 'Deny',
      Action: [
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:DeleteTargetGroup',
        'ec2:DeleteSecurityGroup',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupEgress',
      ],
      Resource: [lb, tg, sg],
      Condition: {
        Null: { [`aws:ResourceTag/${IGNORE_TAG}`]: 'false' },
        StringNotEqualsIgnoreCase: { [`aws:ResourceTag/${IGNORE_TAG}`]: 'false' },
      },
    });
    // Every action the role may delete or revoke with is under it.
    const destructive = statements
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap((statement) => [statement.Action].flat() as string[])
      .filter((action) =>
        /:(Delete(LoadBalancer|TargetGroup|SecurityGroup)|RevokeSecurityGroup)/.test(action),
      );
    const denied = bySid('NeverDeleteIgnored')?.Action as string[];
    for (const action of destructive)
      assert.ok(denied.includes(action), `${action} is under NeverDeleteIgnored`);
  });

  it('publishes only to its own topic, with its key', () => {
    const publish = statements.find((s) => s.Action === 'sns:Publish');
    assert.deepEqual(publish?.Resource, { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] });
    const kms = statements.find((s) => JSON.stringify(s.Action).includes('kms:'));
    assert.deepEqual(kms?.Resource, {
      'Fn::GetAtt': [Object.keys(template.findResources('AWS::KMS::Key'))[0], 'Arn'],
    });
  });

  it('writes only to its own log group', () => {
    const logs = statements.find((s) => JSON.stringify(s.Action).includes('logs:'));
    assert.deepEqual(logs?.Action, ['logs:CreateLogStream', 'logs:PutLogEvents']);
    assert.match(JSON.stringify(logs?.Resource), /JanitorLogGroup/);
  });

  it('reads evidence of use, each read-only action in its own statement', () => {
    const sids = statements.map((statement) => statement.Sid);
    for (const sid of [
      'ReadEndpointServices',
      'ReadVpcLinks',
      'ReadAccelerators',
      'ReadTargetHealth',
      'ReadLoadBalancerMetrics',
    ]) {
      assert.ok(sids.includes(sid), `statement ${sid}`);
    }
  });

  it('has nothing else: no AWS managed policies, no other statements', () => {
    // The janitor's own statements, the five evidence reads, and the grants (logs, topic, key).
    assert.equal(statements.length, expected.length + 5 + 3);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      },
      ManagedPolicyArns: Match.absent(),
    });
    // Past IAM's inline size, CDK moves statements into managed policies of this role alone.
    for (const policy of Object.values(template.findResources('AWS::IAM::ManagedPolicy'))) {
      assert.equal(policy.Properties.Description, 'Part of the policies for Test/Janitor/Role');
      assert.equal(policy.Properties.Roles.length, 1);
      assert.match(policy.Properties.Roles[0].Ref, /^JanitorRole[0-9A-F]+$/);
      assert.equal(policy.Properties.ManagedPolicyName, undefined);
    }
  });
});

describe('NlbJanitor reports', () => {
  it('a daily digest schedule at 08:00 UTC that invokes the function with {"digest": true}, retried', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 8 * * ? *)',
      Target: {
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JanitorFunction'), 'Arn'] },
        Input: '{"digest":true}',
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
      },
    });
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
  });

  it('digestSchedule false: no digest schedule', () => {
    const { template: none, janitor } = synthJanitor({ digestSchedule: false });
    none.resourceCountIs('AWS::Scheduler::Schedule', 1);
    assert.equal(janitor.digestSchedule, undefined);
  });

  it('no chat topic unless asked', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CHAT_TOPIC_ARN: Match.absent() }) },
    });
  });

  it('createChatTopic: an encrypted chat topic the function may publish to, named in CHAT_TOPIC_ARN', () => {
    const { template: chat } = synthJanitor({ createChatTopic: true });
    chat.resourceCountIs('AWS::SNS::Topic', 2);
    const chatTopic = Object.keys(chat.findResources('AWS::SNS::Topic')).find((id) =>
      id.includes('ChatTopic'),
    );
    assert.ok(chatTopic);
    chat.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'nlb-janitor chat',
      KmsMasterKeyId: Match.anyValue(),
    });
    chat.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CHAT_TOPIC_ARN: { Ref: chatTopic } }) },
    });
    assert.ok(
      janitorRoleStatements(chat).some(
        (s) =>
          s.Action === 'sns:Publish' &&
          s.Effect === 'Allow' &&
          JSON.stringify(s.Resource) === JSON.stringify({ Ref: chatTopic }),
      ),
    );
  });

  it('chatTopicArn: that topic, in CHAT_TOPIC_ARN and the publish grant', () => {
    const chatArn = 'arn:aws:sns:eu-west-1:123456789012:team-chat';
    const { template: chat } = synthJanitor({ chatTopicArn: chatArn });
    chat.resourceCountIs('AWS::SNS::Topic', 1);
    chat.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CHAT_TOPIC_ARN: chatArn }) },
    });
    assert.ok(janitorRoleStatements(chat).some((s) => s.Action === 'sns:Publish' && s.Resource === chatArn));
  });
});

describe('NlbJanitor options', () => {
  it('passes the deletion limits to the function', () => {
    const { template: limited } = synthJanitor({ maxDeletions: 20, maxDeletionsPerCluster: 0 });
    limited.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ MAX_DELETIONS: '20', MAX_DELETIONS_PER_CLUSTER: '0' }),
      },
    });
  });

  it('passes switched-off evidence to the function and refuses kinds that cannot be switched off', () => {
    const { template: skipping } = synthJanitor({ skipEvidence: ['global-accelerator'] });
    skipping.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SKIP_EVIDENCE: 'global-accelerator' }) },
    });
    assert.throws(
      () => synthJanitor({ skipEvidence: ['traffic'] }),
      /^Error: skipEvidence: "traffic" cannot be switched off; only privatelink, vpc-link, global-accelerator can$/,
    );
  });

  it('passes self-managed clusters to ignore (dots allowed, as kops names them) to the function', () => {
    const { template: ignoring } = synthJanitor({ ignoreUnreadableClusters: ['kops-a', 'k8s.example.com'] });
    ignoring.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ IGNORE_UNREADABLE_CLUSTERS: 'kops-a,k8s.example.com' }),
      },
    });
  });

  it('a grace period of exactly 365 days is allowed', () => {
    const { template: yearly } = synthJanitor({ gracePeriod: '365d' });
    yearly.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ GRACE_PERIOD: '365d' }) },
    });
  });

  it('discoverClusters needs no cluster list: ListClusters, DescribeCluster on cluster/*, no access entries', () => {
    const { template: discovering } = synthJanitor({ clusters: [], discoverClusters: true });
    discovering.resourceCountIs('AWS::EKS::AccessEntry', 0);
    discovering.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'DescribeClusters',
            Effect: 'Allow',
            Action: 'eks:DescribeCluster',
            Resource: arn('eks', 'cluster/*'),
          },
          { Sid: 'ListClusters', Effect: 'Allow', Action: 'eks:ListClusters', Resource: '*' },
        ]),
      },
    });
    discovering.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ DISCOVER_CLUSTERS: 'true' }) },
    });
  });

  it('discoverClusters: revokes rules on any security group (no cluster to name), one statement, still under the Deny', () => {
    const { template: discovering } = synthJanitor({ clusters: [], discoverClusters: true });
    const statements = janitorRoleStatements(discovering);
    const revokes = statements.filter((statement) => JSON.stringify(statement.Action).includes('ec2:Revoke'));
    assert.deepEqual(
      revokes.map((statement) => [statement.Sid, statement.Effect]),
      [
        ['RevokeNodeRules', 'Allow'],
        ['NeverDeleteIgnored', 'Deny'],
      ],
    );
    assert.deepEqual(revokes[0], {
      Sid: 'RevokeNodeRules',
      Effect: 'Allow',
      Action: ['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress'],
      Resource: arn('ec2', 'security-group/*'),
    });
  });

  it('createAccessEntries false creates none', () => {
    const { template: noEntries } = synthJanitor({ createAccessEntries: false, clusters: ['prod'] });
    noEntries.resourceCountIs('AWS::EKS::AccessEntry', 0);
  });

  it('runs in a VPC with the given subnets and security groups', () => {
    const { template: inVpc } = synthJanitor({}, (stack) => {
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
      return {
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [new ec2.SecurityGroup(stack, 'Sg', { vpc })],
      };
    });
    inVpc.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: {
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Sg'), 'GroupId'] }],
        SubnetIds: Match.anyValue(),
      },
    });
  });
});

describe('NlbJanitor validation, before any resource is made', () => {
  const cases: [string, Partial<NlbJanitorProps>, RegExp][] = [
    ['no clusters', { clusters: [] }, /^clusters: at least one EKS cluster name is required/],
    [
      'a chat topic given and created',
      { chatTopicArn: 'arn:aws:sns:eu-west-1:123456789012:chat', createChatTopic: true },
      /^chatTopicArn and createChatTopic: give the topic, or let the construct create it, not both/,
    ],
    [
      'a chat topic that is not a topic ARN',
      { chatTopicArn: 'team-chat' },
      /^chatTopicArn: "team-chat" is not an SNS topic ARN/,
    ],
    [
      'a FIFO chat topic (SNS delivers email and chat only from standard topics)',
      { chatTopicArn: 'arn:aws:sns:eu-west-1:123456789012:chat.fifo' },
      /^chatTopicArn: "arn:aws:sns:eu-west-1:123456789012:chat.fifo" is a FIFO topic: SNS delivers email only from standard topics/,
    ],
    [
      'a FIFO report topic',
      {
        reportTopic: {
          topicArn: 'arn:aws:sns:eu-west-1:123456789012:central.fifo',
          keyArn: 'arn:aws:kms:eu-west-1:123456789012:key/12345678-1234-1234-1234-123456789012',
        },
      },
      /^reportTopic.topicArn: "arn:aws:sns:eu-west-1:123456789012:central.fifo" is a FIFO topic/,
    ],
    [
      'a cluster name with a dot',
      { clusters: ['my.cluster'] },
      /^clusters: "my.cluster" is not an EKS cluster name/,
    ],
    ['a cluster twice', { clusters: ['a', 'a'] }, /^clusters: \["a","a"\] names a cluster twice/],
    [
      'an unreadable cluster to ignore with a slash',
      { ignoreUnreadableClusters: ['a/b'] },
      /^ignoreUnreadableClusters: "a\/b" is not a cluster name/,
    ],
    ['a grace period in words', { gracePeriod: 'a week' }, /^gracePeriod: "a week" is not a duration/],
    ['a grace period under an hour', { gracePeriod: '59m' }, /^gracePeriod: "59m" is shorter than 1h/],
    ['a grace period over a year', { gracePeriod: '366d' }, /^gracePeriod: "366d" is longer than 365d$/],
    [
      'an absurd grace period',
      { gracePeriod: '100000000d' },
      /^gracePeriod: "100000000d" is longer than 365d$/,
    ],
    [
      'a grace period past any number',
      { gracePeriod: `${'9'.repeat(400)}d` },
      /^gracePeriod: "9+d" is longer/,
    ],
    ['negative deletions', { maxDeletions: -1 }, /^maxDeletions: -1 is not a whole number from 0 to 1000/],
    ['fractional deletions', { maxDeletions: 1.5 }, /^maxDeletions: 1.5/],
    [
      'negative deletions per cluster',
      { maxDeletionsPerCluster: -1 },
      /^maxDeletionsPerCluster: -1 is not a whole number from 0 to 1000/,
    ],
    ['deletions per cluster over 1000', { maxDeletionsPerCluster: 1001 }, /^maxDeletionsPerCluster: 1001/],
    ['fractional deletions per cluster', { maxDeletionsPerCluster: 0.5 }, /^maxDeletionsPerCluster: 0.5/],
    ['a ratio of 0', { maxOrphanRatio: 0 }, /^maxOrphanRatio: 0 is not above 0 and at most 1/],
    ['a ratio above 1', { maxOrphanRatio: 2 }, /^maxOrphanRatio: 2/],
    ['a bad email', { alertEmails: ['ops'] }, /^alertEmails: "ops" is not an email address/],
    [
      'too little memory',
      { memorySize: 128 },
      /^memorySize: 128 is not a whole number of MB from 256 to 10240/,
    ],
    [
      'a timeout over 15 minutes',
      { timeout: Duration.minutes(20) },
      /^timeout: 1200 s is not from 60 to 900 seconds/,
    ],
    [
      'email subscriptions on an existing topic',
      {
        reportTopic: {
          topicArn: 'arn:aws:sns:eu-west-1:123456789012:central',
          keyArn: 'arn:aws:kms:eu-west-1:123456789012:key/12345678-1234-1234-1234-123456789012',
        },
        alertEmails: ['ops@example.com'],
      },
      /^alertEmails: subscribe them to the existing reportTopic/,
    ],
    [
      'an existing topic that is not a topic ARN',
      { reportTopic: { topicArn: 'central', keyArn: 'arn:aws:kms:eu-west-1:123456789012:key/x' } },
      /^reportTopic.topicArn: "central" is not an SNS topic ARN/,
    ],
    [
      'subnets without a VPC',
      { vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } },
      /^vpcSubnets and securityGroups need vpc/,
    ],
  ];
  for (const [name, props, message] of cases) {
    it(`rejects ${name}`, () => {
      const stack = new Stack(new App(), 'Test');
      assert.throws(() => new NlbJanitor(stack, 'Janitor', { clusters: ['prod'], ...props }), { message });
      assert.deepEqual(stack.node.tryFindChild('Janitor')?.node.children, [], 'nothing was created');
    });
  }
});

describe("NlbJanitor memory: what was said, in the janitor's own table", () => {
  const tables = template.findResources('AWS::DynamoDB::Table');
  const [tableId] = Object.keys(tables);

  it('one on-demand table keyed by pk, with point-in-time recovery, named to the function', () => {
    assert.equal(Object.keys(tables).length, 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: MEMORY_KEY_ATTRIBUTE, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: MEMORY_KEY_ATTRIBUTE, AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MEMORY_TABLE: { Ref: tableId } }) },
    });
  });

  it("no statement of the role touches the topic's tags, and only RememberWhatWasSaid touches DynamoDB", () => {
    const statements = janitorRoleStatements(template);
    const actions = statements.flatMap((statement) => [statement.Action].flat().map(String));
    assert.deepEqual(
      actions.filter((action) => /^sns:(TagResource|UntagResource|ListTagsForResource)$/.test(action)),
      [],
    );
    const dynamo = statements.filter((statement) => JSON.stringify(statement.Action).includes('dynamodb:'));
    assert.deepEqual(
      dynamo.map((statement) => statement.Sid),
      ['RememberWhatWasSaid'],
    );
  });
});
