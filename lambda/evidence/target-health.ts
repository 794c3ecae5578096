import {
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  type TargetHealthStateEnum,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { isNotFound } from '../inventory/describe-tags';
import { mapWithConcurrency } from '../util/concurrency';
import { errorText } from '../util/error-text';
import type { EvidenceFinding, EvidenceSource, EvidenceSubject } from './evidence';

/**
 * Target states that mean something still answers behind the load balancer:
 * - `healthy`: it passes health checks, so it accepts connections;
 * - `initial`: it was registered moments ago and its checks have not finished:
 *   someone (a controller, a deployment) is wiring it up right now, which a
 *   janitor must not race.
 * Not use: `unhealthy` and `unhealthy.draining` (nothing answers), `draining`
 * (being deregistered), `unused` (no listener, or an instance that is stopped),
 * `unavailable` (health checks disabled, which TCP target groups do not allow).
 */
export const IN_USE_TARGET_STATES: ReadonlySet<TargetHealthStateEnum> = new Set<TargetHealthStateEnum>([
  'healthy',
  'initial',
]);

/**
 * Targets behind a load balancer. Calls per collect: DescribeTargetHealth once
 * per target group of the subjects (a group two subjects share is asked once),
 * `concurrency` at a time. A target group deleted since it was listed has no
 * targets; any other failure is `unknown` for the subjects behind that group.
 */
export function targetHealthEvidence(
  elbv2: ElasticLoadBalancingV2Client,
  options: {
    /** DescribeTargetHealth calls in flight. @default 4 */
    readonly concurrency?: number;
  } = {},
): EvidenceSource {
  return {
    kind: 'target-health',
    needsTargetGroups: true,
    async collect(subjects: readonly EvidenceSubject[]) {
      const groups = [...new Set(subjects.flatMap((subject) => subject.targetGroupArns))];
      const results = new Map<string, { use?: string; error?: string }>();
      await mapWithConcurrency(groups, options.concurrency ?? 4, async (targetGroupArn) => {
        results.set(targetGroupArn, await readTargetGroup(elbv2, targetGroupArn));
      });
      return new Map(
        subjects.map((subject): [string, EvidenceFinding] => {
          const read = subject.targetGroupArns.map((arn) => results.get(arn) ?? {});
          const uses = read.flatMap((result) => (result.use === undefined ? [] : [result.use]));
          if (uses.length > 0) return [subject.arn, { kind: 'in-use', uses }];
          const errors = read.flatMap((result) => (result.error === undefined ? [] : [result.error]));
          if (errors.length > 0) return [subject.arn, { kind: 'unknown', error: errors.join('; ') }];
          return [subject.arn, { kind: 'clear' }];
        }),
      );
    },
  };
}

async function readTargetGroup(
  elbv2: ElasticLoadBalancingV2Client,
  targetGroupArn: string,
): Promise<{ use?: string; error?: string }> {
  try {
    const output = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
    const counts = new Map<string, number>();
    for (const description of output.TargetHealthDescriptions ?? []) {
      const state = description.TargetHealth?.State;
      if (state !== undefined && IN_USE_TARGET_STATES.has(state))
        counts.set(state, (counts.get(state) ?? 0) + 1);
    }
    if (counts.size === 0) return {};
    const summary = [...counts].map(([state, count]) => `${count} ${state}`).join(' and ');
    const plural = [...counts.values()].reduce((a, b) => a + b, 0) === 1 ? 'target' : 'targets';
    return {
      use: `target group ${targetGroupName(targetGroupArn)} has ${summary} ${plural}: something still answers behind it`,
    };
  } catch (error) {
    if (isNotFound(error)) return {};
    return { error: `target group ${targetGroupName(targetGroupArn)}: ${errorText(error)}` };
  }
}

/** `…:targetgroup/<name>/<id>` → `<name>`; the ARN itself if it has another shape. */
function targetGroupName(arn: string): string {
  return /:targetgroup\/([^/]+)\/[^/]+$/.exec(arn)?.[1] ?? arn;
}
