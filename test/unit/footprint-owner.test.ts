import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FootprintItem } from '../../lambda/inventory/footprint-inventory';
import type { FootprintOwner } from '../../lambda/ownership/footprint-owner';
import { type FootprintOwnership, readFootprintOwner } from '../../lambda/ownership/footprint-owner';
import { inTreeLoadBalancerName } from '../../lambda/ownership/in-tree-name';
import type { Controller, OwnerKind, SkipReason } from '../../lambda/ownership/owner';

const TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/k8s-shop-web/0123456789abcdef';
const LBC_TG = {
  'elbv2.k8s.aws/cluster': 'prod',
  'service.k8s.aws/stack': 'shop/web',
  'service.k8s.aws/resource': 'shop/web:80',
};
const IN_TREE_TG = { 'kubernetes.io/cluster/prod': 'owned', 'kubernetes.io/service-name': 'shop/web' };
const AUTO_TG = {
  'eks:eks-cluster-name': 'prod',
  'service.eks.amazonaws.com/stack': 'shop/web',
  'service.eks.amazonaws.com/resource': 'shop/web:443',
};
const GATEWAY_TG = {
  'elbv2.k8s.aws/cluster': 'prod',
  'gateway.k8s.aws.nlb/stack': 'infra/public-gw',
  'gateway.k8s.aws.nlb/resource': 'infra/public-gw:tcp-route:443',
};
const INGRESS_TG = {
  'elbv2.k8s.aws/cluster': 'prod',
  'ingress.k8s.aws/stack': 'shop/web',
  'ingress.k8s.aws/resource': 'shop/web-web:80',
};
const LBC_SG = {
  'elbv2.k8s.aws/cluster': 'prod',
  'service.k8s.aws/stack': 'shop/web',
  'service.k8s.aws/resource': 'ManagedLBSecurityGroup',
};
const AUTO_SG = {
  'eks:eks-cluster-name': 'prod',
  'service.eks.amazonaws.com/stack': 'shop/web',
  'service.eks.amazonaws.com/resource': 'ManagedLBSecurityGroup',
};
const BACKEND_SG = { 'elbv2.k8s.aws/cluster': 'prod', 'elbv2.k8s.aws/resource': 'backend-sg' };
const NODE_GROUP = { 'kubernetes.io/cluster/prod': 'owned', Name: 'prod-nodes' };
const LB_NAME = 'a3f2a9c1e7b4d4e8fa1c29d8e7f6a5b4';
const HEALTH_RULE = `kubernetes.io/rule/nlb/health=${LB_NAME}`;
const IGNORE = { 'nlb-janitor/ignore': 'true' };

function targetGroup(tags: Record<string, string>): FootprintItem {
  return { kind: 'target-group', id: TG, name: 'k8s-shop-web', vpcId: 'vpc-1', tags };
}
function securityGroup(tags: Record<string, string>): FootprintItem {
  return { kind: 'security-group', id: 'sg-0123', name: 'k8s-shop-web', vpcId: 'vpc-1', tags };
}
function nodeRule(
  description: string,
  groupTags: Record<string, string> | undefined,
  tags: Record<string, string> = {},
): FootprintItem {
  return {
    kind: 'node-rule',
    id: 'sgr-0123',
    name: description,
    vpcId: 'vpc-1',
    tags,
    group: groupTags === undefined ? undefined : { id: 'sg-nodes', tags: groupTags },
  };
}

function object(
  kind: OwnerKind,
  controller: Controller,
  namespace: string | undefined,
  name: string,
): FootprintOwnership {
  const owner: FootprintOwner = {
    kind: 'object',
    owner: { kind, controller, cluster: 'prod', namespace, name },
  };
  return { kind: 'owned-by', owner };
}
const skip = (reason: SkipReason): FootprintOwnership => ({ kind: 'skipped', reason });

const cases: { name: string; item: FootprintItem; expected: FootprintOwnership }[] = [
  // Target groups.
  {
    name: 'LBC target group, resource <ns>/<svc>:<port>: its Service',
    item: targetGroup(LBC_TG),
    expected: object('Service', 'aws-load-balancer-controller', 'shop', 'web'),
  },
  {
    name: 'LBC target group without its resource tag: malformed',
    item: targetGroup({ 'elbv2.k8s.aws/cluster': 'prod', 'service.k8s.aws/stack': 'shop/web' }),
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'LBC target group whose resource names another stack: malformed',
    item: targetGroup({ ...LBC_TG, 'service.k8s.aws/resource': 'shop/api:80' }),
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'LBC target group whose resource names a longer name with the same prefix: malformed',
    item: targetGroup({ ...LBC_TG, 'service.k8s.aws/resource': 'shop/web-2:80' }),
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'LBC target group whose resource has no port: malformed',
    item: targetGroup({ ...LBC_TG, 'service.k8s.aws/resource': 'shop/web:' }),
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: "LBC target group with a load balancer's resource tag: malformed",
    item: targetGroup({ ...LBC_TG, 'service.k8s.aws/resource': 'LoadBalancer' }),
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'LBC target group without its cluster tag: malformed',
    item: targetGroup({ 'service.k8s.aws/stack': 'shop/web', 'service.k8s.aws/resource': 'shop/web:80' }),
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'in-tree target group (cluster owned + service-name): its Service',
    item: targetGroup(IN_TREE_TG),
    expected: object('Service', 'in-tree', 'shop', 'web'),
  },
  {
    name: 'in-tree target group owned by two clusters: malformed',
    item: targetGroup({ ...IN_TREE_TG, 'kubernetes.io/cluster/staging': 'owned' }),
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'in-tree target group without a service name: malformed',
    item: targetGroup({ 'kubernetes.io/cluster/prod': 'owned' }),
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'EKS Auto Mode target group: its Service',
    item: targetGroup(AUTO_TG),
    expected: object('Service', 'eks-auto-mode', 'shop', 'web'),
  },
  {
    name: 'EKS Auto Mode target group without its resource tag (not required): its Service',
    item: targetGroup({ 'eks:eks-cluster-name': 'prod', 'service.eks.amazonaws.com/stack': 'shop/web' }),
    expected: object('Service', 'eks-auto-mode', 'shop', 'web'),
  },
  {
    name: 'EKS Auto Mode target group whose resource names another stack: malformed',
    item: targetGroup({ ...AUTO_TG, 'service.eks.amazonaws.com/resource': 'shop/api:443' }),
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'Gateway target group, resource <gwNs>/<gw>:<route>:<port>: its Gateway',
    item: targetGroup(GATEWAY_TG),
    expected: object('Gateway', 'aws-load-balancer-controller', 'infra', 'public-gw'),
  },
  {
    name: 'Ingress-family target group (an ALB’s): not judged',
    item: targetGroup(INGRESS_TG),
    expected: skip('UNJUDGED_OWNER'),
  },
  {
    name: 'IngressGroup-family target group: not judged',
    item: targetGroup({ ...INGRESS_TG, 'ingress.k8s.aws/stack': 'shop-public' }),
    expected: skip('UNJUDGED_OWNER'),
  },
  { name: 'target group with no tags: no owner', item: targetGroup({}), expected: skip('NO_OWNER_TAGS') },
  {
    name: 'target group with an ignore tag: ignored',
    item: targetGroup({ ...LBC_TG, ...IGNORE }),
    expected: skip('IGNORE_TAG'),
  },
  {
    name: 'target group with ignore=false: judged',
    item: targetGroup({ ...LBC_TG, 'nlb-janitor/ignore': 'false' }),
    expected: object('Service', 'aws-load-balancer-controller', 'shop', 'web'),
  },
  // Security groups.
  {
    name: 'LBC security group, resource ManagedLBSecurityGroup: its Service',
    item: securityGroup(LBC_SG),
    expected: object('Service', 'aws-load-balancer-controller', 'shop', 'web'),
  },
  {
    name: 'LBC security group with resource LoadBalancer: malformed',
    item: securityGroup({ ...LBC_SG, 'service.k8s.aws/resource': 'LoadBalancer' }),
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'LBC security group without its resource tag: malformed',
    item: securityGroup({ 'elbv2.k8s.aws/cluster': 'prod', 'service.k8s.aws/stack': 'shop/web' }),
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: "LBC security group with a target group's resource tag: malformed",
    item: securityGroup({ ...LBC_SG, 'service.k8s.aws/resource': 'shop/web:80' }),
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'EKS Auto Mode security group: its Service',
    item: securityGroup(AUTO_SG),
    expected: object('Service', 'eks-auto-mode', 'shop', 'web'),
  },
  {
    name: 'EKS Auto Mode security group without its resource tag (required here): malformed',
    item: securityGroup({ 'eks:eks-cluster-name': 'prod', 'service.eks.amazonaws.com/stack': 'shop/web' }),
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'EKS Auto Mode security group with resource LoadBalancer: malformed',
    item: securityGroup({ ...AUTO_SG, 'service.eks.amazonaws.com/resource': 'LoadBalancer' }),
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'security group with in-tree tags: not judged (the in-tree provider makes none for an NLB)',
    item: securityGroup(IN_TREE_TG),
    expected: skip('UNJUDGED_OWNER'),
  },
  {
    name: 'LBC backend security group: its cluster',
    item: securityGroup(BACKEND_SG),
    expected: { kind: 'owned-by', owner: { kind: 'cluster', cluster: 'prod' } },
  },
  {
    name: 'LBC backend security group without its cluster tag: malformed',
    item: securityGroup({ 'elbv2.k8s.aws/resource': 'backend-sg' }),
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'LBC backend security group naming no EKS cluster: malformed',
    item: securityGroup({ ...BACKEND_SG, 'elbv2.k8s.aws/cluster': 'a.b' }),
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'LBC backend security group with an ignore tag: ignored',
    item: securityGroup({ ...BACKEND_SG, ...IGNORE }),
    expected: skip('IGNORE_TAG'),
  },
  {
    name: 'LBC security group with an ignore tag: ignored',
    item: securityGroup({ ...LBC_SG, 'nlb-janitor/ignore': '' }),
    expected: skip('IGNORE_TAG'),
  },
  {
    name: 'EKS Auto Mode security group with an ignore tag: ignored',
    item: securityGroup({ ...AUTO_SG, 'nlb-janitor/ignore': 'keep' }),
    expected: skip('IGNORE_TAG'),
  },
  // In-tree node rules.
  {
    name: 'node rule naming a load balancer, its group tagged with one cluster: that load balancer',
    item: nodeRule(HEALTH_RULE, NODE_GROUP),
    expected: { kind: 'owned-by', owner: { kind: 'load-balancer-name', cluster: 'prod', name: LB_NAME } },
  },
  {
    name: 'client node rule, its group shared by one cluster: that load balancer',
    item: nodeRule(`kubernetes.io/rule/nlb/client=${LB_NAME}`, { 'kubernetes.io/cluster/prod': 'shared' }),
    expected: { kind: 'owned-by', owner: { kind: 'load-balancer-name', cluster: 'prod', name: LB_NAME } },
  },
  {
    name: 'mtu node rule: that load balancer',
    item: nodeRule(`kubernetes.io/rule/nlb/mtu=${LB_NAME}`, NODE_GROUP),
    expected: { kind: 'owned-by', owner: { kind: 'load-balancer-name', cluster: 'prod', name: LB_NAME } },
  },
  {
    name: 'node rule, its group tagged with two clusters: ambiguous',
    item: nodeRule(HEALTH_RULE, { ...NODE_GROUP, 'kubernetes.io/cluster/staging': 'shared' }),
    expected: skip('AMBIGUOUS_OWNER_TAGS'),
  },
  {
    name: 'node rule, its group tagged with no cluster: malformed',
    item: nodeRule(HEALTH_RULE, { Name: 'prod-nodes' }),
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'node rule without its group: malformed',
    item: nodeRule(HEALTH_RULE, undefined),
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'node rule, its group naming no EKS cluster: malformed',
    item: nodeRule(HEALTH_RULE, { 'kubernetes.io/cluster/a.b': 'owned' }),
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'a rule whose description names no in-tree load balancer: no owner',
    item: nodeRule('allow from bastion', NODE_GROUP),
    expected: skip('NO_OWNER_TAGS'),
  },
  {
    name: 'a rule of another in-tree kind (elb, not nlb): no owner',
    item: nodeRule(`kubernetes.io/rule/elb/health=${LB_NAME}`, NODE_GROUP),
    expected: skip('NO_OWNER_TAGS'),
  },
  {
    name: 'node rule with an ignore tag on the rule: ignored',
    item: nodeRule(HEALTH_RULE, NODE_GROUP, IGNORE),
    expected: skip('IGNORE_TAG'),
  },
  {
    name: 'node rule with an ignore tag on its group: ignored',
    item: nodeRule(HEALTH_RULE, { ...NODE_GROUP, ...IGNORE }),
    expected: skip('IGNORE_TAG'),
  },
  {
    name: 'node rule with an ignore tag on its group shared by two clusters: ignored first',
    item: nodeRule(HEALTH_RULE, { ...NODE_GROUP, 'kubernetes.io/cluster/staging': 'owned', ...IGNORE }),
    expected: skip('IGNORE_TAG'),
  },
];

describe('readFootprintOwner', () => {
  for (const { name, item, expected } of cases) {
    it(name, () => {
      assert.deepEqual(readFootprintOwner(item), expected);
    });
  }
});

describe('inTreeLoadBalancerName', () => {
  const cases: { name: string; uid: string; expected: string }[] = [
    {
      name: "a Service UID: 'a', the UID without dashes, cut to 32",
      uid: '3f2a9c1e-7b4d-4e8f-a1c2-9d8e7f6a5b4c',
      expected: LB_NAME,
    },
    { name: 'a short UID is not padded', uid: 'ab-cd', expected: 'aabcd' },
    {
      name: 'exactly 31 characters without dashes: 32 with the a',
      uid: '1'.repeat(31),
      expected: `a${'1'.repeat(31)}`,
    },
    { name: 'longer: cut to 32', uid: '1'.repeat(40), expected: `a${'1'.repeat(31)}` },
    { name: 'every dash goes, not only the first', uid: '-a-b-c-', expected: 'aabc' },
    { name: 'an empty UID', uid: '', expected: 'a' },
  ];
  for (const { name, uid, expected } of cases) {
    it(name, () => {
      assert.equal(inTreeLoadBalancerName(uid), expected);
    });
  }
  it('its result is what a node rule names and readFootprintOwner reads back', () => {
    const name = inTreeLoadBalancerName('3f2a9c1e-7b4d-4e8f-a1c2-9d8e7f6a5b4c');
    assert.equal(name.length, 32);
    assert.deepEqual(readFootprintOwner(nodeRule(`kubernetes.io/rule/nlb/health=${name}`, NODE_GROUP)), {
      kind: 'owned-by',
      owner: { kind: 'load-balancer-name', cluster: 'prod', name },
    });
  });
});
