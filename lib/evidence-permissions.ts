import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { SkippableEvidenceKind } from '../contract/evidence-kinds';

/**
 * Read-only access for the evidence-of-use sources (lambda/evidence/), one
 * statement each. None of these list or describe calls supports resource-level
 * permissions except API Gateway's, which is narrowed to the VPC links path.
 */
export function evidencePolicyStatements(skip: readonly string[] = []): iam.PolicyStatement[] {
  const unless = (kind: SkippableEvidenceKind, statement: iam.PolicyStatement) =>
    skip.includes(kind) ? [] : [statement];
  return [
    // PrivateLink: an endpoint service in front of an NLB blocks its deletion (ResourceInUse).
    ...unless(
      'privatelink',
      new iam.PolicyStatement({
        sid: 'ReadEndpointServices',
        actions: ['ec2:DescribeVpcEndpointServiceConfigurations'],
        resources: ['*'],
      }),
    ),
    // API Gateway REST VPC links: deleting their target breaks private integrations. GetVpcLinks is GET /vpclinks.
    ...unless(
      'vpc-link',
      new iam.PolicyStatement({
        sid: 'ReadVpcLinks',
        actions: ['apigateway:GET'],
        resources: [`arn:${Aws.PARTITION}:apigateway:${Aws.REGION}::/vpclinks`],
      }),
    ),
    // Global Accelerator: an endpoint group routing to a deleted NLB blackholes its clients.
    ...unless(
      'global-accelerator',
      new iam.PolicyStatement({
        sid: 'ReadAccelerators',
        actions: [
          'globalaccelerator:ListAccelerators',
          'globalaccelerator:ListListeners',
          'globalaccelerator:ListEndpointGroups',
        ],
        resources: ['*'],
      }),
    ),
    // Target health: healthy targets mean something still answers behind the NLB.
    new iam.PolicyStatement({
      sid: 'ReadTargetHealth',
      actions: ['elasticloadbalancing:DescribeTargetHealth'],
      resources: ['*'],
    }),
    // Traffic: AWS/NetworkELB flow and byte counts over the grace period.
    new iam.PolicyStatement({
      sid: 'ReadLoadBalancerMetrics',
      actions: ['cloudwatch:GetMetricData'],
      resources: ['*'],
    }),
  ];
}
