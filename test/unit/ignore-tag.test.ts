import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FootprintItem } from '../../lambda/inventory/footprint-inventory';
import { readFootprintOwner } from '../../lambda/ownership/footprint-owner';
import { isIgnored, readOwnership } from '../../lambda/ownership/owner';

// Finding 9 of the seams issue: IAM matches the key of aws:ResourceTag/nlb-janitor/ignore
// case-insensitively, AWS keeps keys as typed; the code matched the key exactly, so
// `Nlb-Janitor/Ignore=true` protected nothing the code decided on.

const LBC = { 'elbv2.k8s.aws/cluster': 'prod', 'service.k8s.aws/stack': 'shop/web' };
const NODE_RULE = 'kubernetes.io/rule/nlb/client=a1b2c3d4e5f60718293a4b5c6d7e8f90';
const NODES = { 'kubernetes.io/cluster/prod': 'owned' };

/** Every kind the janitor changes, with the ignore tags where a person would put them. */
const KINDS: { kind: string; ignoredBy: (ignore: Record<string, string>) => boolean }[] = [
  {
    kind: 'load balancer',
    ignoredBy: (ignore) => {
      const ownership = readOwnership('network', { ...LBC, ...ignore });
      return ownership.kind === 'skipped' && ownership.reason === 'IGNORE_TAG';
    },
  },
  {
    kind: 'target group',
    ignoredBy: (ignore) =>
      skipped({
        kind: 'target-group',
        id: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/k8s-shop-web/0123456789abcdef',
        name: 'k8s-shop-web',
        vpcId: 'vpc-1',
        tags: { ...LBC, 'service.k8s.aws/resource': 'shop/web:80', ...ignore },
      }),
  },
  {
    kind: 'front-end security group',
    ignoredBy: (ignore) =>
      skipped(group({ ...LBC, 'service.k8s.aws/resource': 'ManagedLBSecurityGroup', ...ignore })),
  },
  {
    kind: 'backend security group',
    ignoredBy: (ignore) =>
      skipped(group({ 'elbv2.k8s.aws/cluster': 'prod', 'elbv2.k8s.aws/resource': 'backend-sg', ...ignore })),
  },
  { kind: 'node rule (on the rule)', ignoredBy: (ignore) => skipped(rule(ignore, NODES)) },
  {
    kind: 'node rule (on its node group)',
    ignoredBy: (ignore) => skipped(rule({}, { ...NODES, ...ignore })),
  },
];

const SPELLINGS: { tags: Record<string, string>; ignored: boolean }[] = [
  { tags: {}, ignored: false },
  { tags: { 'nlb-janitor/ignore': 'true' }, ignored: true },
  { tags: { 'Nlb-Janitor/Ignore': 'true' }, ignored: true },
  { tags: { 'NLB-JANITOR/IGNORE': '' }, ignored: true },
  { tags: { 'nlb-janitor/Ignore': 'yes' }, ignored: true },
  { tags: { 'Nlb-Janitor/Ignore': 'FALSE' }, ignored: false },
  // AWS keeps both keys; IAM's answer to two spellings is not documented, so the one that protects wins.
  { tags: { 'nlb-janitor/ignore': 'false', 'Nlb-Janitor/Ignore': 'true' }, ignored: true },
  { tags: { 'nlb-janitor/ignored': 'true' }, ignored: false },
  { tags: { 'other/nlb-janitor/ignore': 'true' }, ignored: false },
];

describe('the ignore tag, its key in any case, on every kind', () => {
  for (const { tags, ignored } of SPELLINGS) {
    it(`${JSON.stringify(tags)}: ${ignored ? 'ignored' : 'not ignored'}`, () => {
      assert.equal(isIgnored(tags), ignored);
      for (const { kind, ignoredBy } of KINDS) assert.equal(ignoredBy(tags), ignored, kind);
    });
  }
});

function skipped(item: FootprintItem): boolean {
  const ownership = readFootprintOwner(item);
  return ownership.kind === 'skipped' && ownership.reason === 'IGNORE_TAG';
}

function group(tags: Record<string, string>): FootprintItem {
  return { kind: 'security-group', id: 'sg-0123', name: 'k8s-shop-web', vpcId: 'vpc-1', tags };
}

function rule(tags: Record<string, string>, groupTags: Record<string, string>): FootprintItem {
  return {
    kind: 'node-rule',
    id: 'sgr-1',
    name: NODE_RULE,
    vpcId: 'vpc-1',
    tags,
    group: { id: 'sg-1', tags: groupTags },
  };
}
