// Over 300 lines on purpose: every statement of the role, each with its condition and the
// reason IAM cannot narrow it further, reads best in one file that a reviewer walks top to bottom.
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
// The contract (contract/, no imports of its own): one source of truth for the keys the
// runtime writes and the keys IAM lets it write.
import {
  CONTROLLER_OWNER_TAGS,
  DELETED_WITH_TAG,
  EKS_AUTO_CLUSTER_TAG,
  IGNORE_TAG,
  IN_TREE_CLUSTER_TAG_PREFIX,
  IN_TREE_SERVICE_NAME_TAG,
  JANITOR_MARK_TAGS,
  LBC_CLUSTER_TAG,
  SUSPECT_SINCE_TAG,
} from '../contract/tag-keys';

const elbv2Arn = (resource: string) =>
  `arn:${Aws.PARTITION}:elasticloadbalancing:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
const ec2Arn = (resource: string) => `arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;

/** Each controller's owner tag, with the name its statements carry in their Sids. */
const OWNER_FAMILIES = [
  ['LoadBalancerController', CONTROLLER_OWNER_TAGS['aws-load-balancer-controller']],
  ['InTree', CONTROLLER_OWNER_TAGS['in-tree']],
  ['EksAutoMode', CONTROLLER_OWNER_TAGS['eks-auto-mode']],
] as const;

/**
 * Everything the function may do in AWS besides its log group and topic, each
 * statement as narrow as IAM allows:
 * - reads: ELBv2 describe calls, EC2's DescribeSecurityGroups,
 *   DescribeSecurityGroupRules and DescribeNetworkInterfaces, and the Resource
 *   Groups Tagging API's GetResources (no resource-level permissions exist for
 *   any of these), and DescribeCluster on the configured clusters only — or,
 *   when clusters are discovered, ListClusters and DescribeCluster on every
 *   cluster of the account and region;
 * - tags: only the janitor's own marking keys (JANITOR_MARK_TAGS), never the
 *   ignore tag: on network load balancers, target groups and security groups
 *   only when they carry an owner tag of a controller; on security group rules
 *   (which carry no owner tag) on any rule; and on target groups the
 *   deleted-with key besides;
 * - deletes: only network load balancers that carry a controller's owner tag and
 *   the janitor's mark; target groups that carry an owner tag and either the
 *   janitor's mark (a detached one, through its own lifecycle) or deleted-with (one
 *   of a load balancer the janitor is deleting); security groups that carry a
 *   controller's cluster tag and the janitor's mark;
 * - revokes: rules of security groups — the controllers' shared rules that
 *   reference a security group being deleted, and the in-tree provider's node
 *   rules — only on security groups tagged `kubernetes.io/cluster/<name>` of a
 *   configured cluster; when clusters are discovered, on any security group of
 *   the account and region (see `revokeRules` for why no narrower condition exists);
 * - never deletes a load balancer, target group or security group, nor revokes
 *   a rule of a security group, nor adds a tag to any of them or to a rule, that a
 *   person tagged to be ignored — the tag's key in any case, as IAM compares
 *   condition key names.
 * What IAM cannot lock is written at `revokeRules` and in the README's IAM section.
 */
export function janitorPolicyStatements(
  clusters: readonly string[],
  options: { readonly discoverClusters?: boolean } = {},
): iam.PolicyStatement[] {
  const clusterArn = (name: string) =>
    `arn:${Aws.PARTITION}:eks:${Aws.REGION}:${Aws.ACCOUNT_ID}:cluster/${name}`;
  const networkLoadBalancers = elbv2Arn('loadbalancer/net/*/*');
  const targetGroups = elbv2Arn('targetgroup/*/*');
  const securityGroups = ec2Arn('security-group/*');
  const securityGroupRules = ec2Arn('security-group-rule/*');
  const elbv2Tagging = ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'];
  const ec2Tagging = ['ec2:CreateTags', 'ec2:DeleteTags'];
  const tagging = (
    sid: string,
    actions: readonly string[],
    ownerTag: string | undefined,
    resource: string,
    keys: readonly string[],
  ) =>
    new iam.PolicyStatement({
      sid,
      actions: [...actions],
      resources: [resource],
      conditions: {
        'ForAllValues:StringEquals': { 'aws:TagKeys': [...keys] },
        // ForAllValues holds for a request without tag keys too; Null false demands keys.
        Null: {
          'aws:TagKeys': 'false',
          ...(ownerTag === undefined ? {} : { [`aws:ResourceTag/${ownerTag}`]: 'false' }),
        },
      },
    });
  // Every key of one Null condition must be present (IAM ANDs them); alternatives are
  // separate statements (IAM ORs statements).
  const deletion = (sid: string, action: string, resource: string, requiredTags: readonly string[]) =>
    new iam.PolicyStatement({
      sid,
      actions: [action],
      resources: [resource],
      conditions: {
        Null: Object.fromEntries(requiredTags.map((key) => [`aws:ResourceTag/${key}`, 'false'])),
      },
    });
  const revokes = ['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress'];

  return [
    // The inventory: load balancers, their tags, listeners, attributes (deletion
    // protection) and target groups. ELBv2's describe calls support no resource-level
    // permissions, hence `*`; they only read.
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
    // The footprint's reads: security groups a controller made and their tags, the rules
    // of node groups, the rules that reference a group and the network interfaces that
    // use it (lambda/inventory/footprint-inventory.ts, footprint-uses.ts). EC2's describe
    // calls support no resource-level permissions, hence `*`; they only read.
    new iam.PolicyStatement({
      sid: 'ReadSecurityGroups',
      actions: [
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSecurityGroupRules',
        'ec2:DescribeNetworkInterfaces',
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
    // Each cluster's endpoint and CA, to read its Services through the EKS API. Every
    // sweep reads every cluster that could claim a load balancer — every EKS cluster of
    // the account and region, and those whose tags are in its VPCs (issue 20) — which
    // cannot be named ahead: every cluster of this account and region. A read only.
    new iam.PolicyStatement({
      sid: 'DescribeClusters',
      actions: ['eks:DescribeCluster'],
      resources: [clusterArn('*')],
    }),
    // ListClusters has no resource-level permissions.
    new iam.PolicyStatement({ sid: 'ListClusters', actions: ['eks:ListClusters'], resources: ['*'] }),
    // Clusters EKS does not know, from the kubernetes.io/cluster/<name> key on the subnets
    // and instances of the load balancers' VPCs (security groups: ReadSecurityGroups).
    // EC2's describe calls support no resource-level permissions, hence `*`; they only read.
    new iam.PolicyStatement({
      sid: 'ReadClusterTags',
      actions: ['ec2:DescribeSubnets', 'ec2:DescribeInstances'],
      resources: ['*'],
    }),
    // Marks and recoveries of network load balancers: the marking keys only, and only on
    // load balancers carrying an owner tag of one of the controllers, one statement per key
    // (the keys of one Null condition are ANDed).
    tagging(
      'TagLoadBalancerControllerLoadBalancers',
      elbv2Tagging,
      LBC_CLUSTER_TAG,
      networkLoadBalancers,
      JANITOR_MARK_TAGS,
    ),
    tagging(
      'TagInTreeLoadBalancers',
      elbv2Tagging,
      IN_TREE_SERVICE_NAME_TAG,
      networkLoadBalancers,
      JANITOR_MARK_TAGS,
    ),
    tagging(
      'TagEksAutoModeLoadBalancers',
      elbv2Tagging,
      EKS_AUTO_CLUSTER_TAG,
      networkLoadBalancers,
      JANITOR_MARK_TAGS,
    ),
    // A detached target group goes through a load balancer's lifecycle (the marking keys);
    // one is also tagged deleted-with right before its load balancer is deleted, so a later
    // sweep can finish a deletion this one could not.
    ...(
      [
        ['TagLoadBalancerControllerTargetGroups', LBC_CLUSTER_TAG],
        ['TagInTreeTargetGroups', IN_TREE_SERVICE_NAME_TAG],
        ['TagEksAutoModeTargetGroups', EKS_AUTO_CLUSTER_TAG],
      ] as const
    ).map(([sid, ownerTag]) =>
      tagging(sid, elbv2Tagging, ownerTag, targetGroups, [...JANITOR_MARK_TAGS, DELETED_WITH_TAG]),
    ),
    // A controller's security group goes through a load balancer's lifecycle: the marking
    // keys only, and only on groups carrying a controller's cluster tag — the groups the
    // janitor may delete (the in-tree provider makes none).
    tagging(
      'TagLoadBalancerControllerSecurityGroups',
      ec2Tagging,
      LBC_CLUSTER_TAG,
      securityGroups,
      JANITOR_MARK_TAGS,
    ),
    tagging(
      'TagEksAutoModeSecurityGroups',
      ec2Tagging,
      EKS_AUTO_CLUSTER_TAG,
      securityGroups,
      JANITOR_MARK_TAGS,
    ),
    // An in-tree node rule is marked on the rule itself. A rule carries no owner tag, and
    // its group's tags are not in a rule's authorization context: any rule of the account
    // and region, but the marking keys only.
    tagging('TagSecurityGroupRules', ec2Tagging, undefined, securityGroupRules, JANITOR_MARK_TAGS),
    // IAM itself refuses to delete a load balancer the janitor has not marked first, or
    // one no controller made: the mark alone is not enough, since anyone who may AddTags
    // could write it. One statement per controller's owner tag.
    ...OWNER_FAMILIES.map(([family, ownerTag]) =>
      deletion(
        `DeleteMarked${family}LoadBalancers`,
        'elasticloadbalancing:DeleteLoadBalancer',
        networkLoadBalancers,
        [ownerTag, SUSPECT_SINCE_TAG],
      ),
    ),
    // Target groups only with an owner tag and the janitor's own tag: its mark (a detached
    // target group, deleted on its own announced promise) or deleted-with (written right
    // before it deletes the target group's load balancer). An owner tag alone, which any
    // controller's live target group carries, is not enough.
    ...OWNER_FAMILIES.flatMap(([family, ownerTag]) => [
      deletion(`Delete${family}TargetGroups`, 'elasticloadbalancing:DeleteTargetGroup', targetGroups, [
        ownerTag,
        SUSPECT_SINCE_TAG,
      ]),
      deletion(
        `Delete${family}TargetGroupsDeletedWith`,
        'elasticloadbalancing:DeleteTargetGroup',
        targetGroups,
        [ownerTag, DELETED_WITH_TAG],
      ),
    ]),
    // Security groups only with a controller's cluster tag, one statement per key (the
    // keys of one Null condition are ANDed): the LBC's front-end and backend groups, EKS
    // Auto Mode's front-end groups. A person's group, or a node group, carries neither.
    // A security group is deleted only on its own promise: never unmarked.
    deletion('DeleteLoadBalancerControllerSecurityGroups', 'ec2:DeleteSecurityGroup', securityGroups, [
      LBC_CLUSTER_TAG,
      SUSPECT_SINCE_TAG,
    ]),
    deletion('DeleteEksAutoModeSecurityGroups', 'ec2:DeleteSecurityGroup', securityGroups, [
      EKS_AUTO_CLUSTER_TAG,
      SUSPECT_SINCE_TAG,
    ]),
    ...revokeRules(clusters, options.discoverClusters === true, revokes, securityGroups),
    // The second lock behind the runtime's own check of the ignore tag: even a
    // janitor with a bug, or one that read the tags before a person added the
    // ignore tag, cannot delete what carries it. Any value but `false` protects,
    // an empty one included. The conditions are ANDed: Null false says the tag is
    // present; StringNotEqualsIgnoreCase alone would also match a resource without
    // the tag (a negated operator is true when the key is missing) and deny every
    // deletion. A Deny wins over any Allow, this policy's or another's.
    // A revoke is authorized against the group that holds the rule, so the ignore tag
    // on a node group keeps its rules; on a group being deleted it stops the deletion
    // (DeleteSecurityGroup), but IAM cannot see it when a rule of another group that
    // references it is revoked: that is the runtime's check alone.
    // IAM compares condition key names case-insensitively, the tag key of
    // aws:ResourceTag/<key> included (IAM User Guide, "IAM JSON policy elements:
    // Condition"): `Nlb-Janitor/Ignore=true` is denied here like `nlb-janitor/ignore=true`.
    // The value compares as the operator says: IgnoreCase, as the runtime's isIgnored.
    new iam.PolicyStatement({
      sid: 'NeverDeleteIgnored',
      effect: iam.Effect.DENY,
      actions: [
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:DeleteTargetGroup',
        'ec2:DeleteSecurityGroup',
        ...revokes,
      ],
      resources: [networkLoadBalancers, targetGroups, securityGroups],
      conditions: {
        Null: { [`aws:ResourceTag/${IGNORE_TAG}`]: 'false' },
        StringNotEqualsIgnoreCase: { [`aws:ResourceTag/${IGNORE_TAG}`]: 'false' },
      },
    }),
    // Nor does it mark what a person asked to keep: no new promise on an ignored resource.
    // Removing tags stays allowed on purpose: the janitor must be able to take its own mark
    // off a resource someone ignored after it was marked, or the stale promise would come
    // back to life the day the ignore tag is removed.
    new iam.PolicyStatement({
      sid: 'NeverMarkIgnored',
      effect: iam.Effect.DENY,
      actions: ['elasticloadbalancing:AddTags', 'ec2:CreateTags'],
      resources: [networkLoadBalancers, targetGroups, securityGroups, securityGroupRules],
      conditions: {
        Null: { [`aws:ResourceTag/${IGNORE_TAG}`]: 'false' },
        StringNotEqualsIgnoreCase: { [`aws:ResourceTag/${IGNORE_TAG}`]: 'false' },
      },
    }),
  ];
}

/**
 * Revoking rules of security groups: the LBC's `elbv2.k8s.aws/targetGroupBinding=shared`
 * rules that reference a security group being deleted (they would keep it with
 * DependencyViolation), and the in-tree provider's `kubernetes.io/rule/nlb/…` node rules.
 * Both live on node security groups, which carry no controller's tag.
 *
 * What IAM can condition on: RevokeSecurityGroupIngress and RevokeSecurityGroupEgress
 * authorize against the security group (`security-group*`, the only resource type) with
 * the keys aws:ResourceTag/${TagKey}, ec2:ResourceTag/${TagKey}, ec2:SecurityGroupID and
 * ec2:Vpc, plus ec2:Region (Service Authorization Reference, "Actions, resources, and
 * condition keys for Amazon EC2"). No key names the rule — its ID, description,
 * tags or the group it references — so the rule cannot be narrowed, only its group. Group
 * IDs and VPCs are not known when the template is made. What is left is the group's
 * tags: node groups of the in-tree provider and EKS's cluster security group carry
 * `kubernetes.io/cluster/<name>`, and the LBC chooses the group so tagged when an
 * interface has several. So with configured clusters: one statement per cluster (IAM
 * ANDs the keys of one condition; separate statements OR them), on groups carrying that
 * cluster's key — exactly the groups the inventory reads node rules from. A shared rule
 * on an untagged group (an interface with a single, untagged group) is then refused:
 * the security group it references stays, and the report names the refused revoke.
 *
 * Discovered clusters cannot be named ahead, and a condition key cannot hold a wildcard
 * (`kubernetes.io/cluster/*`): any security group of the account and region, as the
 * LBC's own policy leaves RevokeSecurityGroupIngress unconditioned for the same reason.
 * The runtime revokes only rules it matched by description on a group it read, and
 * NeverDeleteIgnored keeps groups tagged to be ignored.
 */
function revokeRules(
  clusters: readonly string[],
  discoverClusters: boolean,
  actions: readonly string[],
  securityGroups: string,
): iam.PolicyStatement[] {
  if (discoverClusters) {
    return [
      new iam.PolicyStatement({
        sid: 'RevokeNodeRules',
        actions: [...actions],
        resources: [securityGroups],
      }),
    ];
  }
  return clusters.map(
    (cluster, index) =>
      new iam.PolicyStatement({
        // A Sid is letters and digits only; a cluster name may hold - and _.
        sid: `RevokeNodeRulesOfCluster${index + 1}`,
        actions: [...actions],
        resources: [securityGroups],
        conditions: { Null: { [`aws:ResourceTag/${IN_TREE_CLUSTER_TAG_PREFIX}${cluster}`]: 'false' } },
      }),
  );
}
