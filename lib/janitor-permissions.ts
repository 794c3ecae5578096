import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
// Plain string constants without imports: one source of truth for the keys the
// runtime writes and the keys IAM lets it write. Nothing else of lambda/ is imported.
import {
  DELETED_WITH_TAG,
  EKS_AUTO_CLUSTER_TAG,
  IGNORE_TAG,
  IN_TREE_SERVICE_NAME_TAG,
  JANITOR_MARK_TAGS,
  LBC_CLUSTER_TAG,
  SAID_TOPIC_TAG_PREFIX,
  SUSPECT_SINCE_TAG,
} from '../lambda/ownership/tag-keys';

const elbv2Arn = (resource: string) =>
  `arn:${Aws.PARTITION}:elasticloadbalancing:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;

/**
 * Everything the function may do in AWS besides its log group and topic, each
 * statement as narrow as IAM allows:
 * - reads: ELBv2 describe calls and the Resource Groups Tagging API's
 *   GetResources (no resource-level permissions exist for either) and
 *   DescribeCluster on the configured clusters only — or, when clusters are
 *   discovered, ListClusters and DescribeCluster on every cluster of the account and region;
 * - tags: only the janitor's own marking keys (JANITOR_MARK_TAGS), never the
 *   ignore tag, only on network load balancers that carry an owner tag of one of
 *   the two controllers;
 * - deletes: only network load balancers the janitor has marked first, and only
 *   target groups that carry an owner tag;
 * - never deletes a load balancer or target group a person tagged to be ignored.
 */
export function janitorPolicyStatements(
  clusters: readonly string[],
  options: { readonly discoverClusters?: boolean } = {},
): iam.PolicyStatement[] {
  const clusterArn = (name: string) =>
    `arn:${Aws.PARTITION}:eks:${Aws.REGION}:${Aws.ACCOUNT_ID}:cluster/${name}`;
  const networkLoadBalancers = elbv2Arn('loadbalancer/net/*/*');
  const targetGroups = elbv2Arn('targetgroup/*/*');
  const tagging = (sid: string, ownerTag: string, resource: string, keys: readonly string[]) =>
    new iam.PolicyStatement({
      sid,
      actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      resources: [resource],
      conditions: {
        'ForAllValues:StringEquals': { 'aws:TagKeys': [...keys] },
        // ForAllValues holds for a request without tag keys too; Null false demands keys.
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
        'elasticloadbalancing:DescribeTargetGroups',
      ],
      resources: ['*'],
    }),
    // The inventory's tags, read outside ELBv2's describe bucket that the account's
    // controllers share. GetResources supports no resource-level permissions, hence `*`;
    // it only reads tags. Where an SCP denies it, the janitor falls back to DescribeTags.
    new iam.PolicyStatement({
      sid: 'ReadTagsThroughTaggingApi',
      actions: ['tag:GetResources'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'DescribeClusters',
      actions: ['eks:DescribeCluster'],
      // Discovered clusters cannot be named ahead: every cluster of this account and region.
      resources: options.discoverClusters ? [clusterArn('*')] : clusters.map(clusterArn),
    }),
    // ListClusters has no resource-level permissions.
    ...(options.discoverClusters
      ? [new iam.PolicyStatement({ sid: 'ListClusters', actions: ['eks:ListClusters'], resources: ['*'] })]
      : []),
    tagging(
      'TagLoadBalancerControllerLoadBalancers',
      LBC_CLUSTER_TAG,
      networkLoadBalancers,
      JANITOR_MARK_TAGS,
    ),
    tagging('TagInTreeLoadBalancers', IN_TREE_SERVICE_NAME_TAG, networkLoadBalancers, JANITOR_MARK_TAGS),
    tagging('TagEksAutoModeLoadBalancers', EKS_AUTO_CLUSTER_TAG, networkLoadBalancers, JANITOR_MARK_TAGS),
    // A target group is tagged deleted-with right before its load balancer is deleted, so a
    // later sweep can finish a deletion this one could not.
    tagging('TagLoadBalancerControllerTargetGroups', LBC_CLUSTER_TAG, targetGroups, [DELETED_WITH_TAG]),
    tagging('TagInTreeTargetGroups', IN_TREE_SERVICE_NAME_TAG, targetGroups, [DELETED_WITH_TAG]),
    tagging('TagEksAutoModeTargetGroups', EKS_AUTO_CLUSTER_TAG, targetGroups, [DELETED_WITH_TAG]),
    new iam.PolicyStatement({
      sid: 'DeleteMarkedNetworkLoadBalancers',
      actions: ['elasticloadbalancing:DeleteLoadBalancer'],
      resources: [networkLoadBalancers],
      conditions: { Null: { [`aws:ResourceTag/${SUSPECT_SINCE_TAG}`]: 'false' } },
    }),
    targetGroupDeletion('DeleteLoadBalancerControllerTargetGroups', LBC_CLUSTER_TAG),
    targetGroupDeletion('DeleteInTreeTargetGroups', IN_TREE_SERVICE_NAME_TAG),
    targetGroupDeletion('DeleteEksAutoModeTargetGroups', EKS_AUTO_CLUSTER_TAG),
    // The second lock behind the runtime's own check of the ignore tag: even a
    // janitor with a bug, or one that read the tags before a person added the
    // ignore tag, cannot delete what carries it. Any value but `false` protects,
    // an empty one included. The conditions are ANDed: Null false says the tag is
    // present; StringNotEqualsIgnoreCase alone would also match a resource without
    // the tag (a negated operator is true when the key is missing) and deny every
    // deletion. A Deny wins over any Allow, this policy's or another's.
    new iam.PolicyStatement({
      sid: 'NeverDeleteIgnored',
      effect: iam.Effect.DENY,
      actions: ['elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:DeleteTargetGroup'],
      resources: [networkLoadBalancers, targetGroups],
      conditions: {
        Null: { [`aws:ResourceTag/${IGNORE_TAG}`]: 'false' },
        StringNotEqualsIgnoreCase: { [`aws:ResourceTag/${IGNORE_TAG}`]: 'false' },
      },
    }),
  ];
}

/**
 * The janitor remembers what it told people as tags on its own report topic
 * (lambda/report/said-memory.ts), so a cold start or a redeploy does not repeat
 * news: it may read that topic's tags, and write or remove only its own
 * `nlb-janitor/said/` keys, never a person's tags on the topic.
 */
export function saidMemoryPolicyStatements(topicArn: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ReadWhatWasSaid',
      actions: ['sns:ListTagsForResource'],
      resources: [topicArn],
    }),
    new iam.PolicyStatement({
      sid: 'RecordWhatWasSaid',
      actions: ['sns:TagResource', 'sns:UntagResource'],
      resources: [topicArn],
      conditions: {
        'ForAllValues:StringLike': { 'aws:TagKeys': [`${SAID_TOPIC_TAG_PREFIX}*`] },
        Null: { 'aws:TagKeys': 'false' },
      },
    }),
  ];
}
