import assert from 'node:assert/strict';
import { it } from 'node:test';
import { daysAgo, suspectTags } from '../support/marks';
import { entry } from '../support/report-entries';
import { describeWithWorld, type TestWorld } from '../support/test-world';

// Finding 8 of the seams issue: an Ingress whose class's IngressClassParams sets
// `spec.group.name` is in that IngressGroup without the group.name annotation (the Load
// Balancer Controller's pkg/ingress/group_loader.go loadGroupID gives the params'
// group precedence). The janitor read only the annotation, so the group looked empty.

const PARAMS_PATH = '/apis/elbv2.k8s.aws/v1beta1/ingressclassparams';

/** The front-end NLB the LBC makes for the explicit IngressGroup `group` of prod. */
const frontEnd = (group: string) => ({
  'elbv2.k8s.aws/cluster': 'prod',
  'ingress.k8s.aws/stack': group,
  'ingress.k8s.aws/resource': 'FrontendNlb',
});

/** prod, with the class `alb-public` whose IngressClassParams put its Ingresses in IngressGroup `public`. */
async function prodWithParamsGroup(w: TestWorld): Promise<void> {
  await w.addCluster('prod');
  w.putIngressClassParams('prod', 'public-params', { groupName: 'public' });
  w.putIngressClass('prod', 'alb-public', { paramsName: 'public-params' });
}

/** Every decision the engine logged, by ARN: its verdict. */
function verdictLog(): { logger: { debug: Log; info: Log }; verdicts: Map<string, unknown> } {
  const verdicts = new Map<string, unknown>();
  const log: Log = (message, attributes) => {
    if (message === 'load balancer decision') verdicts.set(String(attributes.arn), attributes.verdict);
  };
  return { logger: { debug: log, info: log }, verdicts };
}
type Log = (message: string, attributes: Record<string, unknown>) => void;

describeWithWorld('IngressGroups as the Load Balancer Controller forms them', (world) => {
  it("an Ingress in the group only through its class's IngressClassParams keeps the group's NLB, as the group's own", async () => {
    const w = world();
    await prodWithParamsGroup(w);
    const nlb = await w.createNlb({ name: 'front-with-status', tags: frontEnd('public') });
    // The LBC writes the front-end NLB's DNS name into every member's status.
    w.putIngress('prod', 'shop/web', { ingressClassName: 'alb-public', hostname: nlb.dnsName });
    const { logger, verdicts } = verdictLog();

    const report = await w.sweep({ clusters: ['prod'] }, { logger });

    // Before: spared as FOREIGN, "Ingress shop/web names it, though its tags name IngressGroup public".
    assert.equal(verdicts.get(nlb.arn), 'OWNED');
    assert.equal(
      report.loadBalancers.find((lb) => lb.arn === nlb.arn),
      undefined,
      'an owned NLB has nothing to report',
    );
    assert.equal(report.counts.owned, 1);
    assert.deepEqual(Object.keys(await w.tagsOf(nlb.arn)).sort(), Object.keys(frontEnd('public')).sort());
  });

  it('without the status claim, the due NLB of that group is not deleted: its marks are removed', async () => {
    const w = world();
    await prodWithParamsGroup(w);
    const nlb = await w.createNlb({
      name: 'front-no-status',
      tags: { ...frontEnd('public'), ...suspectTags(daysAgo(8), 'INGRESS_GROUP_EMPTY') },
    });
    w.putIngress('prod', 'shop/web', { ingressClassName: 'alb-public' });

    const report = await w.sweep({ clusters: ['prod'] });

    assert.equal(entry(report, 'front-no-status').outcome, 'recovered');
    assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
    assert.equal((await w.tagsOf(nlb.arn))['nlb-janitor/suspect-since'], undefined);
  });

  it("control: the due NLB of a group no Ingress is in is still deleted, beside the params' group", async () => {
    const w = world();
    await prodWithParamsGroup(w);
    const empty = await w.createNlb({
      name: 'front-of-old',
      tags: { ...frontEnd('old'), ...suspectTags(daysAgo(8), 'INGRESS_GROUP_EMPTY') },
    });
    const kept = await w.createNlb({
      name: 'front-of-public',
      tags: { ...frontEnd('public'), ...suspectTags(daysAgo(8), 'INGRESS_GROUP_EMPTY') },
    });
    // No Ingress is in `old`, by its class's params or by annotation.
    w.putIngress('prod', 'shop/web', { ingressClassName: 'alb-public' });
    w.putIngress('prod', 'shop/api', { ingressClassName: 'alb-public', groupName: 'public' });

    const report = await w.sweep({ clusters: ['prod'] });

    assert.equal(entry(report, 'front-of-old').outcome, 'deleted');
    assert.equal(entry(report, 'front-of-public').outcome, 'recovered');
    const arns = await w.loadBalancerArns();
    assert.ok(!arns.includes(empty.arn));
    assert.ok(arns.includes(kept.arn));
  });

  it('a forbidden IngressClassParams list holds the Ingress-owned NLBs, and only those', async () => {
    const w = world();
    await prodWithParamsGroup(w);
    const front = await w.createNlb({
      name: 'front-no-status',
      tags: { ...frontEnd('old'), ...suspectTags(daysAgo(8), 'INGRESS_GROUP_EMPTY') },
    });
    const service = await w.createNlb({
      name: 'service-gone',
      cluster: 'prod',
      service: 'shop/gone',
      tags: suspectTags(daysAgo(8)),
    });
    w.putIngress('prod', 'shop/web', { ingressClassName: 'alb-public' });
    w.cluster('prod').injectFault({
      type: 'status',
      code: 403,
      target: { path: PARAMS_PATH },
      times: Number.POSITIVE_INFINITY,
    });

    const report = await w.sweep({ clusters: ['prod'] });

    assert.equal(entry(report, 'front-no-status').outcome, 'held');
    assert.match(
      entry(report, 'front-no-status').detail ?? '',
      /the Ingresses of cluster prod could not be read: listing IngressClassParams, page 1: HTTP 403/,
    );
    assert.equal(entry(report, 'service-gone').outcome, 'deleted');
    const arns = await w.loadBalancerArns();
    assert.ok(arns.includes(front.arn));
    assert.ok(!arns.includes(service.arn));
  });
});
