import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TAG_FAMILIES } from '../../lambda/ownership/tag-families';
import { type AuthorizationRequest, evaluate, resolveStatement } from '../support/iam-simulator';
import { ENV, janitorRoleStatements, synthJanitor } from './synth';

// The synthesized role, evaluated as IAM would (test/support/iam-simulator.ts; moto
// enforces no IAM, so the integration tests cannot show any of this). Each lock is
// the second one behind the runtime's own checks: these requests are what a janitor
// with a bug, or a person with AddTags, could send.

const roleOf = (props: Parameters<typeof synthJanitor>[0]) =>
  janitorRoleStatements(synthJanitor(props).template).map((statement) =>
    resolveStatement(statement, { partition: 'aws', region: ENV.region, account: ENV.account }),
  );
const configured = roleOf({});
const discovering = roleOf({ clusters: [], discoverClusters: true });

const arn = (service: string, resource: string) =>
  `arn:aws:${service}:${ENV.region}:${ENV.account}:${resource}`;
const LB = arn('elasticloadbalancing', 'loadbalancer/net/k8s-shop-web-0123456789/0123456789abcdef');
const TG = arn('elasticloadbalancing', 'targetgroup/k8s-shop-web-0123456789/0123456789abcdef');
const SG = arn('ec2', 'security-group/sg-0123456789abcdef0');
const RULE = arn('ec2', 'security-group-rule/sgr-0123456789abcdef0');

const SUSPECT = { 'nlb-janitor/suspect-since': '2026-12-01T08:00:00Z' };
const DELETED_WITH = { 'nlb-janitor/deleted-with': LB };
/** What each controller writes on a Service's load balancer and target groups. */
const OWNERS: Record<string, Record<string, string>> = {
  'the LBC': { 'elbv2.k8s.aws/cluster': 'prod', 'service.k8s.aws/stack': 'shop/web' },
  'the in-tree provider': { 'kubernetes.io/cluster/prod': 'owned', 'kubernetes.io/service-name': 'shop/web' },
  'EKS Auto Mode': { 'eks:eks-cluster-name': 'prod', 'service.eks.amazonaws.com/stack': 'shop/web' },
};

const decide = (request: AuthorizationRequest, role = configured) => evaluate(role, request).decision;
const deleteLoadBalancer = (tags: Record<string, string>) =>
  decide({ action: 'elasticloadbalancing:DeleteLoadBalancer', resource: LB, resourceTags: tags });
const deleteTargetGroup = (tags: Record<string, string>) =>
  decide({ action: 'elasticloadbalancing:DeleteTargetGroup', resource: TG, resourceTags: tags });

describe('the role, as IAM evaluates it: target groups', () => {
  for (const [controller, owner] of Object.entries(OWNERS)) {
    it(`refuses to delete ${controller}'s target group that carries none of the janitor's tags`, () => {
      assert.equal(deleteTargetGroup(owner), 'implicit-deny');
    });
    it(`deletes ${controller}'s target group the janitor marked`, () => {
      assert.equal(deleteTargetGroup({ ...owner, ...SUSPECT }), 'allowed');
    });
    it(`deletes ${controller}'s target group tagged deleted-with`, () => {
      assert.equal(deleteTargetGroup({ ...owner, ...DELETED_WITH }), 'allowed');
    });
  }
  it("refuses the janitor's tags on a target group no controller made", () => {
    assert.equal(deleteTargetGroup({ ...SUSPECT }), 'implicit-deny');
    assert.equal(deleteTargetGroup({ ...DELETED_WITH, team: 'payments' }), 'implicit-deny');
  });
  it('counts a janitor key in another case as present: IAM folds the key of aws:ResourceTag', () => {
    // So the lock is the key's presence, whatever its case; the runtime reads its own keys
    // exactly and never asks to delete on `Nlb-Janitor/Suspect-Since`.
    assert.equal(deleteTargetGroup({ ...OWNERS['the LBC'], 'Nlb-Janitor/Suspect-Since': 'x' }), 'allowed');
  });
});

describe('the role, as IAM evaluates it: load balancers', () => {
  for (const [controller, owner] of Object.entries(OWNERS)) {
    it(`refuses to delete ${controller}'s load balancer the janitor has not marked`, () => {
      assert.equal(deleteLoadBalancer(owner), 'implicit-deny');
    });
    it(`deletes ${controller}'s load balancer the janitor marked`, () => {
      assert.equal(deleteLoadBalancer({ ...owner, ...SUSPECT }), 'allowed');
    });
  }
  it('refuses to delete a marked load balancer without any controller’s owner tag (anyone with AddTags can mark)', () => {
    assert.equal(deleteLoadBalancer({ ...SUSPECT }), 'implicit-deny');
    assert.equal(deleteLoadBalancer({ ...SUSPECT, 'service.k8s.aws/stack': 'shop/web' }), 'implicit-deny');
    assert.equal(deleteLoadBalancer({ ...SUSPECT, 'kubernetes.io/cluster/prod': 'owned' }), 'implicit-deny');
  });
  it('refuses an application load balancer, marked and owned', () => {
    const alb = LB.replace('/net/', '/app/');
    assert.equal(
      decide({
        action: 'elasticloadbalancing:DeleteLoadBalancer',
        resource: alb,
        resourceTags: { ...OWNERS['the LBC'], ...SUSPECT },
      }),
      'implicit-deny',
    );
  });
  it('every tag family the runtime judges can be deleted once marked: IAM knows each owner tag', () => {
    for (const family of TAG_FAMILIES) {
      const cluster =
        'key' in family.cluster
          ? { [family.cluster.key]: 'prod' }
          : { [`${family.cluster.ownedKeyPrefix}prod`]: 'owned' };
      const tags = { ...cluster, [family.stackKey]: 'shop/web', ...SUSPECT };
      assert.equal(deleteLoadBalancer(tags), 'allowed', `${family.controller} ${family.ownerKind}`);
    }
  });
});

describe('the role, as IAM evaluates it: security groups and rules', () => {
  const deleteGroup = (tags: Record<string, string>) =>
    decide({ action: 'ec2:DeleteSecurityGroup', resource: SG, resourceTags: tags });
  it("deletes a controller's security group only once marked", () => {
    assert.equal(deleteGroup({ 'elbv2.k8s.aws/cluster': 'prod' }), 'implicit-deny');
    assert.equal(deleteGroup({ 'elbv2.k8s.aws/cluster': 'prod', ...SUSPECT }), 'allowed');
    assert.equal(deleteGroup({ 'eks:eks-cluster-name': 'prod', ...SUSPECT }), 'allowed');
    // The in-tree provider makes no security group: a node group is never the janitor's.
    assert.equal(deleteGroup({ 'kubernetes.io/cluster/prod': 'owned', ...SUSPECT }), 'implicit-deny');
  });
  it('revokes rules on the configured clusters’ groups only; when discovering, on any group', () => {
    const revoke = (tags: Record<string, string>, role = configured) =>
      decide({ action: 'ec2:RevokeSecurityGroupIngress', resource: SG, resourceTags: tags }, role);
    assert.equal(revoke({ 'kubernetes.io/cluster/prod': 'owned' }), 'allowed');
    assert.equal(revoke({ 'kubernetes.io/cluster/dev': 'owned' }), 'implicit-deny');
    assert.equal(revoke({}), 'implicit-deny');
    // No condition key names a rule or the group it references: discovery cannot be narrowed.
    assert.equal(revoke({}, discovering), 'allowed');
  });
});

describe('the role, as IAM evaluates it: the ignore tag in any case', () => {
  const ignored = { 'Nlb-Janitor/Ignore': 'true' };
  const deletes: [string, AuthorizationRequest][] = [
    [
      'a marked load balancer',
      {
        action: 'elasticloadbalancing:DeleteLoadBalancer',
        resource: LB,
        resourceTags: { ...OWNERS['the LBC'], ...SUSPECT, ...ignored },
      },
    ],
    [
      'a marked target group',
      {
        action: 'elasticloadbalancing:DeleteTargetGroup',
        resource: TG,
        resourceTags: { ...OWNERS['the in-tree provider'], ...SUSPECT, ...ignored },
      },
    ],
    [
      'a target group deleted with its load balancer',
      {
        action: 'elasticloadbalancing:DeleteTargetGroup',
        resource: TG,
        resourceTags: { ...OWNERS['EKS Auto Mode'], ...DELETED_WITH, ...ignored },
      },
    ],
    [
      'a marked security group',
      {
        action: 'ec2:DeleteSecurityGroup',
        resource: SG,
        resourceTags: { 'elbv2.k8s.aws/cluster': 'prod', ...SUSPECT, ...ignored },
      },
    ],
    [
      "a node group's ingress rule",
      {
        action: 'ec2:RevokeSecurityGroupIngress',
        resource: SG,
        resourceTags: { 'kubernetes.io/cluster/prod': 'owned', ...ignored },
      },
    ],
    [
      "a node group's egress rule",
      {
        action: 'ec2:RevokeSecurityGroupEgress',
        resource: SG,
        resourceTags: { 'kubernetes.io/cluster/prod': 'owned', ...ignored },
      },
    ],
  ];
  for (const [what, request] of deletes) {
    it(`refuses ${what} tagged Nlb-Janitor/Ignore=true, configured or discovering`, () => {
      // The control: without the ignore tag the same request is allowed.
      const tags = Object.fromEntries(
        Object.entries(request.resourceTags ?? {}).filter(([key]) => key !== 'Nlb-Janitor/Ignore'),
      );
      assert.equal(decide({ ...request, resourceTags: tags }), 'allowed');
      for (const role of [configured, discovering]) {
        assert.deepEqual(evaluate(role, request), { decision: 'explicit-deny', by: ['NeverDeleteIgnored'] });
      }
    });
  }
  it('any value but false protects, in any case; false does not', () => {
    const request = (value: string) => ({
      action: 'elasticloadbalancing:DeleteLoadBalancer',
      resource: LB,
      resourceTags: { ...OWNERS['the LBC'], ...SUSPECT, 'NLB-JANITOR/IGNORE': value },
    });
    for (const value of ['true', 'yes', '', 'keep', 'TRUE'])
      assert.equal(decide(request(value)), 'explicit-deny', value);
    for (const value of ['false', 'FALSE', 'False']) assert.equal(decide(request(value)), 'allowed', value);
  });
  it('refuses to mark what is ignored, and still lets the janitor take its own mark off', () => {
    const markKeys = {
      'nlb-janitor/suspect-since': '2026-12-01T08:00:00Z',
      'nlb-janitor/deletes-at': '2026-12-08T08:00:00Z',
    };
    const onLoadBalancer = { ...OWNERS['the LBC'], ...ignored };
    assert.deepEqual(
      evaluate(configured, {
        action: 'elasticloadbalancing:AddTags',
        resource: LB,
        resourceTags: onLoadBalancer,
        requestTags: markKeys,
      }),
      { decision: 'explicit-deny', by: ['NeverMarkIgnored'] },
    );
    assert.equal(
      decide({ action: 'ec2:CreateTags', resource: RULE, resourceTags: ignored, requestTags: markKeys }),
      'explicit-deny',
    );
    assert.equal(
      decide({
        action: 'elasticloadbalancing:RemoveTags',
        resource: LB,
        resourceTags: { ...onLoadBalancer, ...SUSPECT },
        tagKeys: Object.keys(markKeys),
      }),
      'allowed',
    );
    // The control: the same mark on a load balancer nobody ignored.
    assert.equal(
      decide({
        action: 'elasticloadbalancing:AddTags',
        resource: LB,
        resourceTags: OWNERS['the LBC'],
        requestTags: markKeys,
      }),
      'allowed',
    );
  });
  it('never writes the ignore tag itself, nor any key but its own', () => {
    const foreign: Record<string, string>[] = [{ 'nlb-janitor/ignore': 'false' }, { team: 'payments' }];
    for (const requestTags of foreign) {
      assert.equal(
        decide({
          action: 'elasticloadbalancing:AddTags',
          resource: LB,
          resourceTags: OWNERS['the LBC'],
          requestTags,
        }),
        'implicit-deny',
      );
    }
  });
});
