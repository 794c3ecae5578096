import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
// Plain string constants without imports: one source of truth for the keys the
// runtime writes and the keys IAM lets it write. Nothing else of lambda/ is imported.
import {
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
 * - reads: ELBv2 describe calls (no resource-level permissions exist for them)
 *   and DescribeCluster on the configured clusters only;
 * - tags: only the janitor's own marking keys (JANITOR_MARK_TAGS), never the
 *   ignore tag, only on network load balancers that carry an owner tag of one of
 *   the two controllers;
 * - deletes: only network load balancers the janitor has marked first, and only
 *   target groups that carry an owner tag;
 * - never deletes a load balancer or target group a person tagged to be ignored.
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
        'ForAllValues:StringEquals': { 'aws:TagKeys': [...JANITOR_MARK_TAGS] },
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
    tagging('TagInTreeLoadBalancers', IN_TREE_SERVICE_NAME_TAG),
    new iam.PolicyStatement({
      sid: 'DeleteMarkedNetworkLoadBalancers',
      actions: ['elasticloadbalancing:DeleteLoadBalancer'],
      resources: [networkLoadBalancers],
      conditions: { Null: { [`aws:ResourceTag/${SUSPECT_SINCE_TAG}`]: 'false' } },
    }),
    targetGroupDeletion('DeleteLoadBalancerControllerTargetGroups', LBC_CLUSTER_TAG),
    targetGroupDeletion('DeleteInTreeTargetGroups', IN_TREE_SERVICE_NAME_TAG),
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
