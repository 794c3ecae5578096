import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

const LBC_CLUSTER_TAG = 'elbv2.k8s.aws/cluster';
const IN_TREE_SERVICE_TAG = 'kubernetes.io/service-name';
const SUSPECT_SINCE_TAG = 'nlb-janitor/suspect-since';

const elbv2Arn = (resource: string) =>
  `arn:${Aws.PARTITION}:elasticloadbalancing:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;

/**
 * Everything the function may do in AWS besides its log group and topic, each
 * statement as narrow as IAM allows:
 * - reads: ELBv2 describe calls (no resource-level permissions exist for them)
 *   and DescribeCluster on the configured clusters only;
 * - tags: only `nlb-janitor/*` keys, only on network load balancers that carry
 *   an owner tag of one of the two controllers;
 * - deletes: only network load balancers the janitor has marked first, and only
 *   target groups that carry an owner tag.
 */
export function janitorPolicyStatements(clusters: readonly string[]): iam.PolicyStatement[] {
  const networkLoadBalancers = elbv2Arn('loadbalancer/net/*/*');
  const targetGroups = elbv2Arn('targetgroup/*/*');
  const tagging = (sid: string, ownerTag: string) =>
    new iam.PolicyStatement({
      sid,
      actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      resources: [networkLoadBalancers],
      conditions: {
        'ForAllValues:StringLike': { 'aws:TagKeys': ['nlb-janitor/*'] },
        Null: { 'aws:TagKeys': 'false', [`aws:ResourceTag/${ownerTag}`]: 'false' },
      },
    });
  const targetGroupDeletion = (sid: string, ownerTag: string) =>
    new iam.PolicyStatement({
      sid,
      actions: ['elasticloadbalancing:DeleteTargetGroup'],
      resources: [targetGroups],
      conditions: { Null: { [`aws:ResourceTag/${ownerTag}`]: 'false' } },
    });

  return [
    new iam.PolicyStatement({
      sid: 'ReadLoadBalancers',
      actions: [
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeTags',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeLoadBalancerAttributes',
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'DescribeClusters',
      actions: ['eks:DescribeCluster'],
      resources: clusters.map(
        (name) => `arn:${Aws.PARTITION}:eks:${Aws.REGION}:${Aws.ACCOUNT_ID}:cluster/${name}`,
      ),
    }),
    tagging('TagLoadBalancerControllerLoadBalancers', LBC_CLUSTER_TAG),
    tagging('TagInTreeLoadBalancers', IN_TREE_SERVICE_TAG),
    new iam.PolicyStatement({
      sid: 'DeleteMarkedNetworkLoadBalancers',
      actions: ['elasticloadbalancing:DeleteLoadBalancer'],
      resources: [networkLoadBalancers],
      conditions: { Null: { [`aws:ResourceTag/${SUSPECT_SINCE_TAG}`]: 'false' } },
    }),
    targetGroupDeletion('DeleteLoadBalancerControllerTargetGroups', LBC_CLUSTER_TAG),
    targetGroupDeletion('DeleteInTreeTargetGroups', IN_TREE_SERVICE_TAG),
  ];
}
