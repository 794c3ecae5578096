import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { janitorPolicyStatements } from '../../lib/janitor-permissions';
import { MEMBER_PARAMETERS } from '../../lib/organization/nlb-janitor-member-stack';
import { addOrganizationStacks } from '../../lib/organization/organization-app';
import { type OrganizationProps, validateOrganizationProps } from '../../lib/organization/organization-props';
import { janitorRoleStatements } from './synth';

const ORGANIZATION: OrganizationProps = {
  organizationId: 'o-abcd123456',
  targetOrganizationalUnits: ['ou-abcd-11111111', 'ou-abcd-22222222'],
  targetRegions: ['us-east-1', 'eu-west-1'],
  alertEmails: ['platform@example.com'],
};
const ENV = { account: '111111111111', region: 'eu-west-1' };

function synthOrganization(organization: Partial<OrganizationProps> = {}) {
  const app = new App();
  const stacks = addOrganizationStacks(app, { organization: { ...ORGANIZATION, ...organization }, env: ENV });
  return {
    app,
    stacks,
    administrator: Template.fromStack(stacks.administrator),
    member: Template.fromStack(stacks.member),
  };
}

const { stacks, administrator, member } = synthOrganization();
const stackSet = () =>
  Object.values(administrator.findResources('AWS::CloudFormation::StackSet'))[0]?.Properties;
const parameter = (key: string) =>
  ((stackSet()?.Parameters ?? []) as { ParameterKey: string; ParameterValue: unknown }[]).find(
    (entry) => entry.ParameterKey === key,
  )?.ParameterValue;

describe('organization mode: the StackSet', () => {
  it('is service-managed, deploys automatically to accounts that join, removes stacks of accounts that leave', () => {
    administrator.hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: 'SELF',
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: ['ou-abcd-11111111', 'ou-abcd-22222222'] },
          Regions: ['us-east-1', 'eu-west-1'],
        },
      ],
      OperationPreferences: {
        FailureTolerancePercentage: 0,
        MaxConcurrentPercentage: 25,
        RegionConcurrencyType: 'SEQUENTIAL',
        RegionOrder: ['us-east-1', 'eu-west-1'],
      },
    });
  });

  it('takes the rollout settings and the delegated administrator from props', () => {
    const { administrator: delegated } = synthOrganization({
      callAs: 'DELEGATED_ADMIN',
      failureTolerancePercentage: 10,
      maxConcurrentPercentage: 50,
    });
    delegated.hasResourceProperties('AWS::CloudFormation::StackSet', {
      CallAs: 'DELEGATED_ADMIN',
      OperationPreferences: Match.objectLike({ FailureTolerancePercentage: 10, MaxConcurrentPercentage: 50 }),
    });
  });

  it('runs every member in dry run unless told otherwise', () => {
    assert.equal(parameter(MEMBER_PARAMETERS.dryRun), 'true');
    const { administrator: live } = synthOrganization({ dryRun: false });
    const liveParameters = Object.values(live.findResources('AWS::CloudFormation::StackSet'))[0]?.Properties
      .Parameters as { ParameterKey: string; ParameterValue: unknown }[];
    assert.equal(liveParameters.find((entry) => entry.ParameterKey === 'DryRun')?.ParameterValue, 'false');
  });

  it("carries the member template and points it at the central topic, its key and this account's code buckets", () => {
    const body = JSON.parse(String(stackSet()?.TemplateBody)) as unknown;
    assert.deepEqual(body, member.toJSON());
    const topic = Object.keys(administrator.findResources('AWS::SNS::Topic'))[0];
    const key = Object.keys(administrator.findResources('AWS::KMS::Key'))[0];
    assert.deepEqual(parameter(MEMBER_PARAMETERS.reportTopicArn), { Ref: topic });
    assert.deepEqual(parameter(MEMBER_PARAMETERS.reportTopicKeyArn), { 'Fn::GetAtt': [key, 'Arn'] });
    assert.deepEqual(parameter(MEMBER_PARAMETERS.codeBucketPrefix), {
      'Fn::Join': ['', ['nlb-janitor-code-', { Ref: 'AWS::AccountId' }]],
    });
    assert.match(String(parameter(MEMBER_PARAMETERS.codeKey)), /^nlb-janitor\/[0-9a-f]{64}\.zip$/);
    // Every parameter the member declares is set, and nothing else.
    assert.deepEqual(
      ((stackSet()?.Parameters ?? []) as { ParameterKey: string }[])
        .map((entry) => entry.ParameterKey)
        .sort(),
      Object.keys(member.toJSON().Parameters).sort(),
    );
  });

  it('is deployed after the code is in every target region', () => {
    assert.deepEqual(stacks.administrator.dependencies.map((stack) => stack.stackName).sort(), [
      'NlbJanitorCode-eu-west-1',
      'NlbJanitorCode-us-east-1',
    ]);
  });
});

describe('organization mode: the code buckets', () => {
  for (const code of stacks.code) {
    const template = Template.fromStack(code);
    it(`${code.region}: a bucket the organization may read the bundle from, and only that`, () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: {
          'Fn::Join': ['', ['nlb-janitor-code-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
      const policy = Object.values(template.findResources('AWS::S3::BucketPolicy'))[0]?.Properties
        .PolicyDocument;
      const read = (policy.Statement as Record<string, unknown>[]).find(
        (statement) => statement.Sid === 'OrganizationReadsJanitorCode',
      );
      assert.deepEqual(read?.Principal, { AWS: '*' });
      assert.deepEqual(read?.Condition, { StringEquals: { 'aws:PrincipalOrgID': 'o-abcd123456' } });
      assert.deepEqual(read?.Action, ['s3:GetObject', 's3:GetObjectVersion']);
      assert.match(JSON.stringify(read?.Resource), /\/nlb-janitor\/\*"\]\]\}$/);
    });

    it(`${code.region}: copies the bundle unextracted to the key the StackSet names`, () => {
      const deployment = Object.values(template.findResources('Custom::CDKBucketDeployment'))[0]?.Properties;
      assert.equal(deployment?.Extract, false);
      assert.equal(deployment?.Prune, false);
      assert.equal(deployment?.DestinationBucketKeyPrefix, 'nlb-janitor');
      // BucketDeployment keeps the source's file name: the key members use is this zip's.
      const [sourceKey] = (deployment?.SourceObjectKeys ?? []) as string[];
      assert.equal(`nlb-janitor/${sourceKey}`, parameter(MEMBER_PARAMETERS.codeKey));
    });
  }
});

describe('organization mode: the central topic', () => {
  const orgOnly = {
    StringEquals: { 'aws:PrincipalOrgID': 'o-abcd123456' },
    ArnLike: {
      'aws:PrincipalArn': {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/nlb-janitor-*']],
      },
    },
  };

  it("lets the organization's janitor roles publish, nobody else, over TLS only", () => {
    const policy = Object.values(administrator.findResources('AWS::SNS::TopicPolicy'))[0]?.Properties
      .PolicyDocument;
    const statements = policy.Statement as Record<string, unknown>[];
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    assert.equal(allows.length, 1);
    assert.deepEqual(allows[0]?.Principal, { AWS: '*' });
    assert.equal(allows[0]?.Action, 'sns:Publish');
    assert.deepEqual(allows[0]?.Condition, orgOnly);
    assert.ok(
      statements.some(
        (statement) =>
          statement.Effect === 'Deny' &&
          JSON.stringify(statement.Condition) ===
            JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
      ),
    );
  });

  it('is encrypted with a rotated key whose policy lets the same janitors, and only them, use it', () => {
    administrator.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TopicKey'), 'Arn'] },
    });
    administrator.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const key = Object.values(administrator.findResources('AWS::KMS::Key'))[0]?.Properties.KeyPolicy;
    const outside = (key.Statement as Record<string, unknown>[]).filter(
      (statement) => JSON.stringify(statement.Principal) === JSON.stringify({ AWS: '*' }),
    );
    assert.equal(outside.length, 1);
    assert.deepEqual([...((outside[0]?.Action ?? []) as string[])].sort(), [
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    ]);
    assert.deepEqual(outside[0]?.Condition, orgOnly);
  });

  it('subscribes the given addresses', () => {
    administrator.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'platform@example.com',
    });
  });

  it('a fleet dashboard: marked, pending, deleted and unverified per account, a row per region', () => {
    const body = JSON.stringify(
      Object.values(administrator.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody,
    );
    for (const metric of [
      'LoadBalancersMarked',
      'LoadBalancersPending',
      'LoadBalancersDeleted',
      'UnverifiedClusters',
    ]) {
      for (const region of ORGANIZATION.targetRegions) {
        assert.ok(body.includes(`${region}: `), `a row for ${region}`);
      }
      assert.ok(body.includes(`(${metric}) FROM SCHEMA(`), `a query of ${metric}`);
    }
    assert.ok(body.includes('GROUP BY AWS.AccountId'));
  });
});

describe('organization mode: the member template', () => {
  const statements = janitorRoleStatements(member);
  const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid);

  it('has every statement of the single-account janitor but those naming clusters, unchanged', () => {
    const single = Stack.of(stacks.member).resolve(
      janitorPolicyStatements(['prod']).map((s) => s.toStatementJson()),
    );
    // What names the configured clusters: their reads, and the revokes conditioned on their tag.
    const namesClusters = (sid: string) =>
      sid === 'DescribeClusters' || sid.startsWith('RevokeNodeRulesOfCluster');
    for (const statement of single as Record<string, unknown>[]) {
      if (namesClusters(String(statement.Sid))) continue;
      assert.deepEqual(bySid(String(statement.Sid)), statement, `${statement.Sid} as in a single account`);
    }
    assert.ok(
      (single as Record<string, unknown>[]).some(
        (statement) => statement.Sid === 'RevokeNodeRulesOfCluster1',
      ),
    );
    assert.equal(
      statements.filter((statement) => String(statement.Sid).startsWith('RevokeNodeRulesOfCluster')).length,
      0,
    );
  });

  it('revokes rules on any security group of its account and region: it cannot name the clusters it discovers', () => {
    assert.deepEqual(bySid('RevokeNodeRules'), {
      Sid: 'RevokeNodeRules',
      Effect: 'Allow',
      Action: ['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress'],
      Resource: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':ec2:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':security-group/*',
          ],
        ],
      },
    });
    // The Deny of what is tagged ignore covers them there too (NeverDeleteIgnored is compared above).
    assert.ok(JSON.stringify(bySid('NeverDeleteIgnored')?.Action).includes('ec2:RevokeSecurityGroupIngress'));
  });

  it('discovers clusters: ListClusters, and DescribeCluster on the clusters of its own account and region only', () => {
    assert.deepEqual(bySid('ListClusters'), {
      Sid: 'ListClusters',
      Effect: 'Allow',
      Action: 'eks:ListClusters',
      Resource: '*',
    });
    assert.deepEqual(bySid('DescribeClusters')?.Resource, {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':eks:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':cluster/*',
        ],
      ],
    });
    member.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ DISCOVER_CLUSTERS: 'true', CLUSTERS: '' }) },
    });
  });

  it('publishes only to the central topic, with its key, and creates no topic, key or access entry of its own', () => {
    assert.deepEqual(statements.find((statement) => statement.Action === 'sns:Publish')?.Resource, {
      Ref: MEMBER_PARAMETERS.reportTopicArn,
    });
    assert.deepEqual(
      statements.find((statement) => JSON.stringify(statement.Action).includes('kms:'))?.Resource,
      { Ref: MEMBER_PARAMETERS.reportTopicKeyArn },
    );
    member.resourceCountIs('AWS::SNS::Topic', 0);
    member.resourceCountIs('AWS::KMS::Key', 0);
    member.resourceCountIs('AWS::EKS::AccessEntry', 0);
    member.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ SNS_TOPIC_ARN: { Ref: MEMBER_PARAMETERS.reportTopicArn } }),
      },
    });
  });

  it('a role named nlb-janitor-<region>, for access entries written ahead of time', () => {
    member.hasResourceProperties('AWS::IAM::Role', {
      RoleName: { 'Fn::Join': ['', ['nlb-janitor-', { Ref: 'AWS::Region' }]] },
    });
  });

  it('honours the DryRun parameter, which defaults to true', () => {
    member.hasParameter(MEMBER_PARAMETERS.dryRun, {
      Type: 'String',
      Default: 'true',
      AllowedValues: ['true', 'false'],
    });
    member.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ DRY_RUN: { Ref: MEMBER_PARAMETERS.dryRun } }) },
    });
  });

  it('takes its code from the code bucket of its own region, needing no bootstrap', () => {
    member.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Code: {
        S3Bucket: {
          'Fn::Join': ['', [{ Ref: MEMBER_PARAMETERS.codeBucketPrefix }, '-', { Ref: 'AWS::Region' }]],
        },
        S3Key: { Ref: MEMBER_PARAMETERS.codeKey },
      },
    });
    assert.equal(member.toJSON().Parameters.BootstrapVersion, undefined);
    assert.equal(member.toJSON().Rules, undefined);
  });

  it('alarms without actions: CloudWatch notifies topics of its own region only', () => {
    member.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    for (const alarm of Object.values(member.findResources('AWS::CloudWatch::Alarm'))) {
      assert.equal(alarm.Properties.AlarmActions, undefined);
    }
  });
});

describe('organization mode: cdk-nag', () => {
  it('finds nothing unacknowledged in any of the stacks, the member included', () => {
    const checked = new App();
    addOrganizationStacks(checked, { organization: ORGANIZATION, env: ENV });
    Validations.of(checked).addPlugins(new AwsSolutionsChecks(checked));
    assert.doesNotThrow(() => checked.synth());
  });
});

describe('organization mode: validation', () => {
  const cases: [string, Partial<OrganizationProps>, RegExp][] = [
    [
      'a bad organization id',
      { organizationId: 'o-ABC' },
      /^organizationId: "o-ABC" is not an organization id/,
    ],
    ['no OUs', { targetOrganizationalUnits: [] }, /^targetOrganizationalUnits: at least one OU is required/],
    [
      'an account id as an OU',
      { targetOrganizationalUnits: ['123456789012'] },
      /^targetOrganizationalUnits: "123456789012" is not an OU id/,
    ],
    ['no regions', { targetRegions: [] }, /^targetRegions: at least one region is required/],
    [
      'a zone as a region',
      { targetRegions: ['us-east-1a'] },
      /^targetRegions: "us-east-1a" is not a region name/,
    ],
    ['a region twice', { targetRegions: ['us-east-1', 'us-east-1'] }, /^targetRegions: .* names one twice/],
    ['callAs in lower case', { callAs: 'self' as 'SELF' }, /^callAs: "self" is not SELF or DELEGATED_ADMIN/],
    ['a tolerance over 100', { failureTolerancePercentage: 101 }, /^failureTolerancePercentage: 101/],
    [
      'no concurrency',
      { maxConcurrentPercentage: 0 },
      /^maxConcurrentPercentage: 0 is not a whole number from 1 to 100/,
    ],
    ['a bad email', { alertEmails: ['ops'] }, /^alertEmails: "ops" is not an email address/],
  ];
  for (const [name, props, message] of cases) {
    it(`rejects ${name}, before any stack is made`, () => {
      assert.throws(() => validateOrganizationProps({ ...ORGANIZATION, ...props }), { message });
      const empty = new App();
      assert.throws(
        () => addOrganizationStacks(empty, { organization: { ...ORGANIZATION, ...props }, env: ENV }),
        {
          message,
        },
      );
      assert.deepEqual(empty.node.children, [], 'nothing was created');
    });
  }
});
