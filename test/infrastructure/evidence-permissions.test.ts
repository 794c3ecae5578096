import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { evidencePolicyStatements } from '../../lib/evidence-permissions';

describe('evidencePolicyStatements', () => {
  const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  for (const statement of evidencePolicyStatements()) role.addToPolicy(statement);
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  const document = Object.values(policies)[0]?.Properties.PolicyDocument as {
    Statement: { Sid: string; Action: string | string[]; Effect: string; Resource: unknown }[];
  };

  it('grants only reads, one statement per source', () => {
    assert.deepEqual(
      document.Statement.map((statement) => [statement.Sid, statement.Effect, statement.Action]),
      [
        ['ReadEndpointServices', 'Allow', 'ec2:DescribeVpcEndpointServiceConfigurations'],
        ['ReadVpcLinks', 'Allow', 'apigateway:GET'],
        [
          'ReadAccelerators',
          'Allow',
          [
            'globalaccelerator:ListAccelerators',
            'globalaccelerator:ListListeners',
            'globalaccelerator:ListEndpointGroups',
          ],
        ],
        ['ReadTargetHealth', 'Allow', 'elasticloadbalancing:DescribeTargetHealth'],
        ['ReadLoadBalancerMetrics', 'Allow', 'cloudwatch:GetMetricData'],
      ],
    );
  });

  it('reads API Gateway only at the VPC links path of its own region', () => {
    const vpcLinks = document.Statement.find((statement) => statement.Sid === 'ReadVpcLinks');
    assert.deepEqual(vpcLinks?.Resource, {
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, '::/vpclinks'],
      ],
    });
  });

  it('grants nothing for a kind switched off', () => {
    const skipped = new Stack(new App(), 'Skipped', {
      env: { account: '123456789012', region: 'eu-west-1' },
    });
    const skippedRole = new iam.Role(skipped, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    for (const statement of evidencePolicyStatements(['global-accelerator', 'vpc-link'])) {
      skippedRole.addToPolicy(statement);
    }
    const skippedPolicies = Template.fromStack(skipped).findResources('AWS::IAM::Policy');
    const statements = (Object.values(skippedPolicies)[0]?.Properties.PolicyDocument.Statement ?? []) as {
      Sid: string;
    }[];
    const sids = statements.map((statement) => statement.Sid);
    assert.deepEqual(sids, ['ReadEndpointServices', 'ReadTargetHealth', 'ReadLoadBalancerMetrics']);
  });
});
