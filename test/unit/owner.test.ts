import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Controller,
  type OwnerKind,
  type Ownership,
  readOwnership,
  readTaggedOwner,
} from '../../lambda/ownership/owner';
import type { ResourceKind } from '../../lambda/ownership/tag-families';

const LBC = { 'elbv2.k8s.aws/cluster': 'prod', 'service.k8s.aws/stack': 'shop/web' };
const IN_TREE = { 'kubernetes.io/cluster/prod': 'owned', 'kubernetes.io/service-name': 'shop/web' };
const AUTO = {
  'eks:eks-cluster-name': 'prod',
  'service.eks.amazonaws.com/stack': 'shop/web',
  'service.eks.amazonaws.com/resource': 'LoadBalancer',
};
const GATEWAY = { 'elbv2.k8s.aws/cluster': 'prod', 'gateway.k8s.aws.nlb/stack': 'infra/public-gw' };
const INGRESS = {
  'elbv2.k8s.aws/cluster': 'prod',
  'ingress.k8s.aws/stack': 'shop/web',
  'ingress.k8s.aws/resource': 'FrontendNlb',
};

function owned(kind: OwnerKind, controller: Controller, namespace: string, name: string): Ownership {
  return { kind: 'owned-by', owner: { kind, controller, cluster: 'prod', namespace, name } };
}

const cases: { name: string; type?: string; tags: Record<string, string>; expected: Ownership }[] = [
  {
    name: 'AWS Load Balancer Controller tags name a Service',
    tags: LBC,
    expected: {
      kind: 'owned-by',
      owner: {
        kind: 'Service',
        controller: 'aws-load-balancer-controller',
        cluster: 'prod',
        namespace: 'shop',
        name: 'web',
      },
    },
  },
  {
    name: 'in-tree tags name a Service',
    tags: IN_TREE,
    expected: {
      kind: 'owned-by',
      owner: { kind: 'Service', controller: 'in-tree', cluster: 'prod', namespace: 'shop', name: 'web' },
    },
  },
  {
    name: 'both schemes agreeing name the Service once',
    tags: { ...LBC, ...IN_TREE },
    expected: {
      kind: 'owned-by',
      owner: {
        kind: 'Service',
        controller: 'aws-load-balancer-controller',
        cluster: 'prod',
        namespace: 'shop',
        name: 'web',
      },
    },
  },
  {
    name: 'cluster names with underscores and digits, as EKS allows',
    tags: { 'elbv2.k8s.aws/cluster': '0prod_eu-1', 'service.k8s.aws/stack': 'a/b' },
    expected: {
      kind: 'owned-by',
      owner: {
        kind: 'Service',
        controller: 'aws-load-balancer-controller',
        cluster: '0prod_eu-1',
        namespace: 'a',
        name: 'b',
      },
    },
  },
  {
    name: 'an application load balancer',
    type: 'application',
    tags: LBC,
    expected: skip('NOT_NETWORK_LOAD_BALANCER'),
  },
  {
    name: 'a gateway load balancer',
    type: 'gateway',
    tags: LBC,
    expected: skip('NOT_NETWORK_LOAD_BALANCER'),
  },
  { name: 'no tags at all', tags: {}, expected: skip('NO_OWNER_TAGS') },
  { name: 'unrelated tags', tags: { team: 'payments', Name: 'x' }, expected: skip('NO_OWNER_TAGS') },
  {
    name: 'in-tree cluster tag "shared" only',
    tags: { 'kubernetes.io/cluster/prod': 'shared' },
    expected: skip('NO_OWNER_TAGS'),
  },
  { name: 'ignore tag', tags: { ...LBC, 'nlb-janitor/ignore': 'true' }, expected: skip('IGNORE_TAG') },
  {
    name: 'ignore tag in capitals',
    tags: { ...LBC, 'nlb-janitor/ignore': 'TRUE' },
    expected: skip('IGNORE_TAG'),
  },
  {
    name: 'ignore tag false does not ignore',
    tags: { ...LBC, 'nlb-janitor/ignore': 'false' },
    expected: {
      kind: 'owned-by',
      owner: {
        kind: 'Service',
        controller: 'aws-load-balancer-controller',
        cluster: 'prod',
        namespace: 'shop',
        name: 'web',
      },
    },
  },
  {
    name: 'ignore tag FALSE does not ignore',
    tags: { ...LBC, 'nlb-janitor/ignore': 'FALSE' },
    expected: {
      kind: 'owned-by',
      owner: {
        kind: 'Service',
        controller: 'aws-load-balancer-controller',
        cluster: 'prod',
        namespace: 'shop',
        name: 'web',
      },
    },
  },
  // The ignore tag fails safe: any value but false protects.
  ...['true', 'yes', '1', 'on', 'keep', '', ' ', 'no', 'fals', 'False please', ' false'].map((value) => ({
    name: `ignore tag ${JSON.stringify(value)} ignores`,
    tags: { ...LBC, 'nlb-janitor/ignore': value },
    expected: skip('IGNORE_TAG'),
  })),
  // EKS Auto Mode
  {
    name: 'EKS Auto Mode tags name a Service',
    tags: AUTO,
    expected: owned('Service', 'eks-auto-mode', 'shop', 'web'),
  },
  {
    name: 'EKS Auto Mode without its resource tag still names the Service',
    tags: { 'eks:eks-cluster-name': 'prod', 'service.eks.amazonaws.com/stack': 'shop/web' },
    expected: owned('Service', 'eks-auto-mode', 'shop', 'web'),
  },
  {
    name: 'EKS Auto Mode resource tag of another resource (a security group) on a load balancer',
    tags: { ...AUTO, 'service.eks.amazonaws.com/resource': 'ManagedLBSecurityGroup' },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'EKS Auto Mode stack without its cluster tag',
    tags: { 'service.eks.amazonaws.com/stack': 'shop/web' },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'EKS Auto Mode cluster tag alone',
    tags: { 'eks:eks-cluster-name': 'prod' },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'EKS Auto Mode and the LBC naming the same Service agree',
    tags: { ...AUTO, ...LBC },
    expected: owned('Service', 'aws-load-balancer-controller', 'shop', 'web'),
  },
  {
    name: 'EKS Auto Mode and the LBC naming different Services',
    tags: { ...AUTO, ...LBC, 'service.eks.amazonaws.com/stack': 'shop/api' },
    expected: skip('AMBIGUOUS_OWNER_TAGS'),
  },
  // LBC Gateway API (L4)
  {
    name: 'LBC Gateway tags name a Gateway',
    tags: GATEWAY,
    expected: owned('Gateway', 'aws-load-balancer-controller', 'infra', 'public-gw'),
  },
  {
    name: 'a Gateway name may have dots (a DNS subdomain)',
    tags: { ...GATEWAY, 'gateway.k8s.aws.nlb/stack': 'infra/gw.example' },
    expected: owned('Gateway', 'aws-load-balancer-controller', 'infra', 'gw.example'),
  },
  {
    name: 'a Gateway stack without a namespace',
    tags: { ...GATEWAY, 'gateway.k8s.aws.nlb/stack': 'public-gw' },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'a Gateway stack next to a Service stack',
    tags: { ...LBC, 'gateway.k8s.aws.nlb/stack': 'shop/gw' },
    expected: skip('AMBIGUOUS_OWNER_TAGS'),
  },
  {
    name: "the LBC's Gateway ALB stack: not judged",
    tags: { 'elbv2.k8s.aws/cluster': 'prod', 'gateway.k8s.aws.alb/stack': 'shop/gw' },
    expected: skip('UNJUDGED_OWNER'),
  },
  // LBC Ingress front-end NLB
  {
    name: 'an Ingress front-end NLB names its Ingress',
    tags: INGRESS,
    expected: owned('Ingress', 'aws-load-balancer-controller', 'shop', 'web'),
  },
  {
    name: 'an IngressGroup front-end NLB names its group',
    tags: { ...INGRESS, 'ingress.k8s.aws/stack': 'shop-public' },
    expected: {
      kind: 'owned-by',
      owner: {
        kind: 'IngressGroup',
        controller: 'aws-load-balancer-controller',
        cluster: 'prod',
        namespace: undefined,
        name: 'shop-public',
      },
    },
  },
  {
    name: 'an Ingress stack without the FrontendNlb resource tag',
    tags: { 'elbv2.k8s.aws/cluster': 'prod', 'ingress.k8s.aws/stack': 'shop/web' },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: "an Ingress stack with the ALB's resource tag",
    tags: { ...INGRESS, 'ingress.k8s.aws/resource': 'LoadBalancer' },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'an IngressGroup name in upper case',
    tags: { ...INGRESS, 'ingress.k8s.aws/stack': 'Shop' },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'stack without a slash',
    tags: { ...LBC, 'service.k8s.aws/stack': 'web' },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'stack with two slashes',
    tags: { ...LBC, 'service.k8s.aws/stack': 'a/b/c' },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'empty stack',
    tags: { ...LBC, 'service.k8s.aws/stack': '' },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'stack "/"',
    tags: { ...LBC, 'service.k8s.aws/stack': '/' },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'upper-case name',
    tags: { ...LBC, 'service.k8s.aws/stack': 'shop/Web' },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'unicode name',
    tags: { ...LBC, 'service.k8s.aws/stack': 'shop/wéb' },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'name of 64 characters',
    tags: { ...LBC, 'service.k8s.aws/stack': `shop/${'a'.repeat(64)}` },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'empty cluster',
    tags: { ...LBC, 'elbv2.k8s.aws/cluster': '' },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'cluster with a dot',
    tags: { ...LBC, 'elbv2.k8s.aws/cluster': 'a.b' },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'cluster of 256 characters',
    tags: { ...LBC, 'elbv2.k8s.aws/cluster': 'c'.repeat(256) },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'cluster tag without stack',
    tags: { 'elbv2.k8s.aws/cluster': 'prod' },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'stack without cluster tag',
    tags: { 'service.k8s.aws/stack': 'a/b' },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'in-tree owned by two clusters',
    tags: { ...IN_TREE, 'kubernetes.io/cluster/staging': 'owned' },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'in-tree owned without service name',
    tags: { 'kubernetes.io/cluster/prod': 'owned' },
    expected: skip('MALFORMED_OWNER_TAGS'),
  },
  {
    name: 'schemes naming different Services',
    tags: { ...LBC, ...IN_TREE, 'kubernetes.io/service-name': 'shop/api' },
    expected: skip('AMBIGUOUS_OWNER_TAGS'),
  },
  {
    name: 'schemes naming different clusters',
    tags: { ...LBC, 'kubernetes.io/cluster/staging': 'owned', 'kubernetes.io/service-name': 'shop/web' },
    expected: skip('AMBIGUOUS_OWNER_TAGS'),
  },
];

describe('readOwnership', () => {
  for (const { name, type, tags, expected } of cases) {
    it(name, () => {
      assert.deepEqual(readOwnership(type ?? 'network', tags), expected);
    });
  }
});

describe('readTaggedOwner: a load balancer, by default and by name, reads as readOwnership does', () => {
  for (const { name, type, tags } of cases) {
    if (type !== undefined) continue;
    it(name, () => {
      const expected = readOwnership('network', tags);
      assert.deepEqual(readTaggedOwner(tags), expected);
      assert.deepEqual(readTaggedOwner(tags, 'load-balancer'), expected);
    });
  }
});

describe('readTaggedOwner: each kind of resource by its own resource tag', () => {
  const LBC_CLUSTER = { 'elbv2.k8s.aws/cluster': 'prod' };
  const service = (controller: Controller) => owned('Service', controller, 'shop', 'web');
  const rows: { name: string; kind: ResourceKind; tags: Record<string, string>; expected: Ownership }[] = [
    // LBC, Service.
    {
      name: 'LBC load balancer with resource LoadBalancer (not checked on a load balancer)',
      kind: 'load-balancer',
      tags: { ...LBC, 'service.k8s.aws/resource': 'LoadBalancer' },
      expected: service('aws-load-balancer-controller'),
    },
    {
      name: 'LBC target group, resource <ns>/<svc>:<port>',
      kind: 'target-group',
      tags: { ...LBC, 'service.k8s.aws/resource': 'shop/web:8080' },
      expected: service('aws-load-balancer-controller'),
    },
    {
      name: 'LBC target group without a resource tag (required)',
      kind: 'target-group',
      tags: LBC,
      expected: skip('MALFORMED_OWNER_TAGS'),
    },
    {
      name: 'LBC target group, resource of another stack',
      kind: 'target-group',
      tags: { ...LBC, 'service.k8s.aws/resource': 'shop/api:80' },
      expected: skip('MALFORMED_OWNER_TAGS'),
    },
    {
      name: 'LBC target group, resource the stack alone',
      kind: 'target-group',
      tags: { ...LBC, 'service.k8s.aws/resource': 'shop/web' },
      expected: skip('MALFORMED_OWNER_TAGS'),
    },
    {
      name: 'LBC security group, resource ManagedLBSecurityGroup',
      kind: 'security-group',
      tags: { ...LBC, 'service.k8s.aws/resource': 'ManagedLBSecurityGroup' },
      expected: service('aws-load-balancer-controller'),
    },
    {
      name: 'LBC security group, resource LoadBalancer',
      kind: 'security-group',
      tags: { ...LBC, 'service.k8s.aws/resource': 'LoadBalancer' },
      expected: skip('MALFORMED_OWNER_TAGS'),
    },
    {
      name: 'LBC security group without a resource tag (required)',
      kind: 'security-group',
      tags: LBC,
      expected: skip('MALFORMED_OWNER_TAGS'),
    },
    // In-tree.
    { name: 'in-tree target group', kind: 'target-group', tags: IN_TREE, expected: service('in-tree') },
    {
      name: 'in-tree tags on a security group: not judged',
      kind: 'security-group',
      tags: IN_TREE,
      expected: skip('UNJUDGED_OWNER'),
    },
    {
      name: 'in-tree cluster tag alone on a target group',
      kind: 'target-group',
      tags: { 'kubernetes.io/cluster/prod': 'owned' },
      expected: skip('MALFORMED_OWNER_TAGS'),
    },
    // EKS Auto Mode.
    {
      name: 'EKS Auto Mode target group, resource <ns>/<svc>:<port>',
      kind: 'target-group',
      tags: { ...AUTO, 'service.eks.amazonaws.com/resource': 'shop/web:80' },
      expected: service('eks-auto-mode'),
    },
    {
      name: 'EKS Auto Mode target group with resource LoadBalancer',
      kind: 'target-group',
      tags: AUTO,
      expected: skip('MALFORMED_OWNER_TAGS'),
    },
    {
      name: 'EKS Auto Mode security group, resource ManagedLBSecurityGroup',
      kind: 'security-group',
      tags: { ...AUTO, 'service.eks.amazonaws.com/resource': 'ManagedLBSecurityGroup' },
      expected: service('eks-auto-mode'),
    },
    {
      name: 'EKS Auto Mode security group with resource LoadBalancer',
      kind: 'security-group',
      tags: AUTO,
      expected: skip('MALFORMED_OWNER_TAGS'),
    },
    // Gateway (L4).
    {
      name: 'Gateway target group, resource <gwNs>/<gw>:<route>:<port>',
      kind: 'target-group',
      tags: { ...GATEWAY, 'gateway.k8s.aws.nlb/resource': 'infra/public-gw:shop/tcp:443' },
      expected: owned('Gateway', 'aws-load-balancer-controller', 'infra', 'public-gw'),
    },
    {
      name: 'Gateway target group without a resource tag',
      kind: 'target-group',
      tags: GATEWAY,
      expected: skip('MALFORMED_OWNER_TAGS'),
    },
    {
      name: 'Gateway tags on a security group: not judged',
      kind: 'security-group',
      tags: GATEWAY,
      expected: skip('UNJUDGED_OWNER'),
    },
    // Ingress: its target groups and security groups are its ALB's.
    {
      name: 'Ingress target group: not judged',
      kind: 'target-group',
      tags: {
        ...LBC_CLUSTER,
        'ingress.k8s.aws/stack': 'shop/web',
        'ingress.k8s.aws/resource': 'shop/web-web:80',
      },
      expected: skip('UNJUDGED_OWNER'),
    },
    {
      name: 'Ingress security group: not judged',
      kind: 'security-group',
      tags: {
        ...LBC_CLUSTER,
        'ingress.k8s.aws/stack': 'shop-public',
        'ingress.k8s.aws/resource': 'ManagedLBSecurityGroup',
      },
      expected: skip('UNJUDGED_OWNER'),
    },
    // Whatever the kind.
    ...(['load-balancer', 'target-group', 'security-group'] as const).flatMap((kind) => [
      {
        name: `${kind}: ignore tag`,
        kind,
        tags: { ...LBC, 'service.k8s.aws/resource': 'shop/web:80', 'nlb-janitor/ignore': 'yes' },
        expected: skip('IGNORE_TAG'),
      },
      { name: `${kind}: no tags`, kind, tags: {}, expected: skip('NO_OWNER_TAGS') },
      { name: `${kind}: cluster tag alone`, kind, tags: LBC_CLUSTER, expected: skip('MALFORMED_OWNER_TAGS') },
      {
        name: `${kind}: the Gateway ALB stack`,
        kind,
        tags: { ...LBC_CLUSTER, 'gateway.k8s.aws.alb/stack': 'shop/gw' },
        expected: skip('UNJUDGED_OWNER'),
      },
    ]),
  ];
  for (const { name, kind, tags, expected } of rows) {
    it(name, () => {
      assert.deepEqual(readTaggedOwner(tags, kind), expected);
    });
  }
});

function skip(reason: Extract<Ownership, { kind: 'skipped' }>['reason']): Ownership {
  return { kind: 'skipped', reason };
}
