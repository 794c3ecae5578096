import {
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { FootprintEntry, SweepReport } from '../../lambda/report/sweep-report';
import type { SweepSettings } from '../../lambda/sweep/sweep-settings';
import { atFirstTimeCheck, daysAgo, suspectTags } from './marks';
import { REGION, TEST_CREDENTIALS, type TestWorld } from './test-world';

// What the footprint's integration tests share: the LBC's tags and rule
// description, due marks, and reads of security groups and rules.

/** The description the LBC gives a node rule for a TargetGroupBinding. */
export const SHARED_RULE = 'elbv2.k8s.aws/targetGroupBinding=shared';

/** What the janitor promised a week and a day ago, and announced then: due now. */
export const DUE = (reason = 'SERVICE_NOT_FOUND') => suspectTags(daysAgo(8), reason);

/** The LBC's front-end security group for a Service's NLB (v2.6+). */
export function frontEndTags(cluster: string, service: string): Record<string, string> {
  return {
    'elbv2.k8s.aws/cluster': cluster,
    'service.k8s.aws/stack': service,
    'service.k8s.aws/resource': 'ManagedLBSecurityGroup',
  };
}

export function footprintOf(report: SweepReport, id: string): FootprintEntry | undefined {
  return report.footprint.find((item) => item.id === id);
}

/** The footprint entries, for an assertion's message. */
export function show(report: SweepReport): string {
  return JSON.stringify(
    report.footprint.map((item) => [item.kind, item.id, item.outcome, item.detail]),
    null,
    1,
  );
}

/** A security group as EC2 describes it now, or undefined when it is gone. */
async function describeGroup(w: TestWorld, id: string) {
  const output = await w.ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: [id] }] }),
  );
  return output.SecurityGroups?.[0];
}

/** A security group rule as EC2 describes it now, or undefined when it is gone. */
async function describeRule(w: TestWorld, id: string) {
  const output = await w.ec2.send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'security-group-rule-id', Values: [id] }] }),
  );
  return output.SecurityGroupRules?.[0];
}

/** A security group's tags; none when it is gone. */
export async function securityGroupTags(w: TestWorld, id: string): Promise<Record<string, string>> {
  return tagsOf((await describeGroup(w, id))?.Tags);
}

export async function securityGroupExists(w: TestWorld, id: string): Promise<boolean> {
  return (await describeGroup(w, id)) !== undefined;
}

/** A security group rule's tags; none when it is gone. */
export async function ruleTags(w: TestWorld, id: string): Promise<Record<string, string>> {
  return tagsOf((await describeRule(w, id))?.Tags);
}

export async function ruleExists(w: TestWorld, id: string): Promise<boolean> {
  return (await describeRule(w, id)) !== undefined;
}

/**
 * A sweep whose world changes between its reads and its first mutation: `change`
 * runs before the sweep's next EC2 or ELBv2 call once the engine first asks for
 * the time left (right before the tag and deletion phases), and that call waits for it.
 */
export async function sweepChangingTheWorld(
  w: TestWorld,
  change: () => Promise<unknown>,
  settings: Partial<SweepSettings> = {},
): Promise<SweepReport> {
  const config = { endpoint: w.moto.endpoint, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  const ec2 = new EC2Client(config);
  const elbv2 = new ElasticLoadBalancingV2Client(config);
  let armed = false;
  const fire = async () => {
    if (!armed) return;
    armed = false;
    await change();
  };
  ec2.middlewareStack.add(
    (next) => async (args) => {
      await fire();
      return next(args);
    },
    { step: 'initialize', name: 'changeTheWorld' },
  );
  elbv2.middlewareStack.add(
    (next) => async (args) => {
      await fire();
      return next(args);
    },
    { step: 'initialize', name: 'changeTheWorld' },
  );
  try {
    return await w.sweep(settings, {
      ec2,
      elbv2,
      elbv2Usage: undefined,
      remainingTimeMs: atFirstTimeCheck(() => {
        armed = true;
      }),
    });
  } finally {
    ec2.destroy();
    elbv2.destroy();
  }
}

function tagsOf(tags: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const { Key, Value } of tags ?? []) if (Key !== undefined) result[Key] = Value ?? '';
  return result;
}
