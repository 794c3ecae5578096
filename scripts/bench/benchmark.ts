import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DISCOVERY_TAG_KEYS } from '../../contract/tag-keys';
import { DEFAULT_ELBV2_PACING, ELBV2_DESCRIBE_BUCKET } from '../../lambda/inventory/elbv2-pacing';
import type { SweepReport } from '../../lambda/report/sweep-report';
import { REGION, TEST_CREDENTIALS, type TestWorld } from '../../test/support/test-world';

const CLI = path.join(__dirname, '..', '..', 'bin', 'nlb-janitor.cjs');
const USAGE_REPORTER = path.join(__dirname, 'usage-reporter.cjs');
export const CLUSTERS = ['c0', 'c1', 'c2', 'c3', 'c4'];
const SERVICES_PER_NLB = 10;
/** What the LBC makes for one NLB: a target group per Service port, and one front-end security group. */
export const TARGET_GROUPS_PER_NLB = 3;
/** DescribeLoadBalancers' and DescribeTargetGroups' largest page. */
const ELBV2_PAGE = 400;
/** EC2's largest DescribeSecurityGroups, DescribeSecurityGroupRules and DescribeNetworkInterfaces page. */
const EC2_PAGE = 1000;
/** EC2 takes at most 200 values in one filter. */
const EC2_FILTER_VALUES = 200;
/** The janitor's CreateTags batch: EC2 takes 1,000 IDs, 200 keeps a failed batch's one-by-one retry short. */
const EC2_CREATE_TAGS_IDS = 200;
/** The description of the rule the LBC adds to a node security group for a TargetGroupBinding. */
const TARGET_GROUP_BINDING_RULE = 'elbv2.k8s.aws/targetGroupBinding=shared';
/** The simulated AWS Load Balancer Controller's DescribeLoadBalancers calls a second during each sweep. */
export const CONTROLLER_CALLS_PER_SECOND = 4;

export interface SweepMeasurement {
  readonly kind: 'dry run' | 'marking';
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly maxRssMb: number;
  readonly awsCalls: Readonly<Record<string, number>>;
  readonly awsMinimum: Readonly<Record<string, number>>;
  readonly kubernetesRequests: number;
  readonly kubernetesMinimum: number;
  /** The janitor's ELBv2 describe attempts (its paced client's count), retries included. */
  readonly elbv2DescribeCalls: number;
  /** Its minimum: ⌈N/400⌉ DescribeLoadBalancers + ⌈3N/400⌉ DescribeTargetGroups + ⌈K/20⌉ DescribeTags of the candidates. */
  readonly elbv2DescribeMinimum: number;
  readonly taggingApiCalls: number;
  /** Seconds the janitor's describe calls need at its own pace (5 a second after a burst of 5): the floor of its wall time against AWS. */
  readonly bucketBoundSeconds: number;
  /** Describe answers `Throttling` by the emulated bucket: to the janitor, to the simulated controller. */
  readonly throttled: { readonly janitor: number; readonly controller: number };
  readonly controllerCalls: number;
  readonly report: SweepReport;
}

export interface WorldSize {
  readonly loadBalancers: number;
  /** Target groups, three per load balancer, each attached through a listener. */
  readonly targetGroups: number;
  /** The LBC's front-end security groups, one per load balancer and attached to it. */
  readonly securityGroups: number;
  /** Ingress rules of the clusters' node security groups (one group per cluster, one rule per NLB), plus their default egress rules. */
  readonly nodeGroupRules: number;
  /** The Services the world puts, ten per load balancer. */
  readonly services: number;
  readonly orphans: number;
  /** What each cluster lists: its share of `services` and `default/kubernetes`, which every cluster has. */
  readonly servicesPerCluster: readonly number[];
}

/**
 * A world of `count` network load balancers owned by Services in 5 clusters, ten
 * Services per load balancer, every third load balancer's Service gone. Each NLB
 * has the footprint the AWS Load Balancer Controller makes: three target groups
 * attached through TCP listeners, tagged with the owner and
 * `service.k8s.aws/resource` = `<ns>/<svc>:<port>`, and one front-end security
 * group (`service.k8s.aws/resource` = `ManagedLBSecurityGroup`) that the NLB has.
 * Each cluster has one node security group (`kubernetes.io/cluster/<name>` =
 * `owned`) with one `elbv2.k8s.aws/targetGroupBinding=shared` ingress rule per NLB
 * of the cluster, from that NLB's front-end group to its node ports: what the LBC
 * adds when the backend security group is off. All straight in moto's backend.
 */
export async function buildWorld(world: TestWorld, count: number): Promise<WorldSize> {
  for (const cluster of CLUSTERS) await world.addCluster(cluster);
  const nodeGroupIds = await world.moto.createSecurityGroups(
    REGION,
    CLUSTERS.map((cluster) => ({
      name: `eks-${cluster}-node`,
      description: `EKS node group of cluster ${cluster}`,
      tags: { [`kubernetes.io/cluster/${cluster}`]: 'owned' },
    })),
  );
  const nodeGroupOf = new Map(CLUSTERS.map((cluster, i) => [cluster, nodeGroupIds[i] ?? '']));
  const specs = Array.from({ length: count }, (_, i) => ({
    index: i,
    cluster: CLUSTERS[i % CLUSTERS.length] ?? 'c0',
    namespace: `team-${i % 50}`,
    name: `svc-${i}`,
    orphan: i % 3 === 0,
  }));
  for (let start = 0; start < specs.length; start += 500) {
    const batch = specs.slice(start, start + 500);
    const created = await world.moto.createLoadBalancers(
      REGION,
      batch.map((spec) => {
        const owner = {
          'elbv2.k8s.aws/cluster': spec.cluster,
          'service.k8s.aws/stack': `${spec.namespace}/${spec.name}`,
        };
        // Node ports: three in a row per NLB, within 30000-32767.
        const nodePort = 30000 + ((TARGET_GROUPS_PER_NLB * spec.index) % 2766);
        return {
          name: `k8s-${spec.namespace}-${spec.name}`.slice(0, 32).replace(/-$/, 'x'),
          tags: owner,
          securityGroup: {
            name: `k8s-${spec.namespace}-${spec.name}`,
            tags: { ...owner, 'service.k8s.aws/resource': 'ManagedLBSecurityGroup' },
          },
          targetGroups: Array.from({ length: TARGET_GROUPS_PER_NLB }, (_, k) => ({
            name: `k8s-${spec.namespace}-${spec.name}-${nodePort + k}`,
            port: nodePort + k,
            // The Service port the listener (80, 81, 82) forwards.
            tags: { ...owner, 'service.k8s.aws/resource': `${spec.namespace}/${spec.name}:${80 + k}` },
          })),
          nodeRules: [
            {
              groupId: nodeGroupOf.get(spec.cluster) ?? '',
              description: TARGET_GROUP_BINDING_RULE,
              fromPort: nodePort,
              toPort: nodePort + TARGET_GROUPS_PER_NLB - 1,
            },
          ],
        };
      }),
    );
    batch.forEach((spec, j) => {
      const cluster = world.cluster(spec.cluster);
      if (!spec.orphan) {
        cluster.putService({
          namespace: spec.namespace,
          name: spec.name,
          loadBalancerIngress: [{ hostname: created[j]?.dnsName ?? '' }],
        });
      }
      // The rest of the cluster: ClusterIP Services, so each load balancer comes with ten.
      const fillers = spec.orphan ? SERVICES_PER_NLB : SERVICES_PER_NLB - 1;
      for (let k = 0; k < fillers; k++) {
        cluster.putService({
          namespace: spec.namespace,
          name: `${spec.name}-internal-${k}`,
          type: 'ClusterIP',
        });
      }
    });
  }
  const servicesPerCluster = CLUSTERS.map(
    (name) => specs.filter((spec) => spec.cluster === name).length * SERVICES_PER_NLB + 1,
  );
  return {
    loadBalancers: count,
    targetGroups: TARGET_GROUPS_PER_NLB * count,
    securityGroups: count,
    // Every EC2 security group has one egress rule to 0.0.0.0/0 as well.
    nodeGroupRules: count + CLUSTERS.length,
    services: count * SERVICES_PER_NLB,
    orphans: specs.filter((spec) => spec.orphan).length,
    servicesPerCluster,
  };
}

/** Runs the real CLI once against the world and measures it. */
export async function measureSweep(
  world: TestWorld,
  size: WorldSize,
  dryRun: boolean,
): Promise<SweepMeasurement> {
  await world.moto.resetCalls();
  // AWS's bucket for ELBv2 describe calls, shared with a controller calling 4 times a second.
  await world.moto.setElbv2DescribeBucket({
    capacity: ELBV2_DESCRIBE_BUCKET.capacity,
    refillPerSecond: ELBV2_DESCRIBE_BUCKET.refillPerSecond,
  });
  const controller = startController(world);
  const before = CLUSTERS.map((name) => world.cluster(name).requests.length);
  const dir = mkdtempSync(path.join(tmpdir(), 'nlb-janitor-bench-'));
  const usageFile = path.join(dir, 'usage.json');
  const started = process.hrtime.bigint();
  const run = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--require', USAGE_REPORTER, CLI, 'sweep', '--json', ...(dryRun ? ['--dry-run'] : [])],
      {
        env: { PATH: process.env.PATH ?? '', ...world.env(), BENCH_USAGE_FILE: usageFile },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', reject);
    child.once('exit', (status) =>
      resolve({
        status: status ?? -1,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      }),
    );
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const controllerUsage = await controller.stop();
  await world.moto.clearElbv2DescribeBucket();
  if (run.status !== 0) {
    // Exit 1 is an unhealthy sweep (errors, failures, an unverified cluster): its report says why.
    throw new Error(`the CLI exited ${run.status}: ${run.stderr}${unhealthyParts(run.stdout)}`);
  }
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { cpuSeconds: number; maxRssMb: number };
  rmSync(dir, { recursive: true, force: true });

  const report = JSON.parse(run.stdout) as SweepReport;
  const awsMinimum = minimumCalls(size, dryRun);
  const awsCalls = await world.moto.calls();
  // The simulated controller's calls are its own, not the janitor's.
  const described = (awsCalls['elasticloadbalancing:DescribeLoadBalancers'] ?? 0) - controllerUsage.calls;
  awsCalls['elasticloadbalancing:DescribeLoadBalancers'] = described;
  const marks = dryRun ? 0 : size.orphans;
  // DescribeLoadBalancers, DescribeTargetGroups (every target group is attached: no DescribeTags for
  // leftovers), and the candidates' fresh DescribeTags.
  const elbv2DescribeMinimum =
    Math.ceil(size.loadBalancers / ELBV2_PAGE) +
    Math.ceil(size.targetGroups / ELBV2_PAGE) +
    (marks > 0 ? Math.ceil(marks / 20) : 0);
  const elbv2DescribeCalls = report.api.elbv2DescribeCalls ?? Number.NaN;
  return {
    kind: dryRun ? 'dry run' : 'marking',
    wallSeconds,
    cpuSeconds: usage.cpuSeconds,
    maxRssMb: usage.maxRssMb,
    awsCalls,
    awsMinimum,
    kubernetesRequests: CLUSTERS.reduce(
      (sum, name, i) => sum + world.cluster(name).requests.length - (before[i] ?? 0),
      0,
    ),
    kubernetesMinimum: size.servicesPerCluster.reduce((sum, services) => sum + Math.ceil(services / 500), 0),
    elbv2DescribeCalls,
    elbv2DescribeMinimum,
    taggingApiCalls: report.api.taggingApiCalls,
    bucketBoundSeconds:
      Math.max(0, elbv2DescribeCalls - DEFAULT_ELBV2_PACING.burst) / DEFAULT_ELBV2_PACING.callsPerSecond,
    throttled: { janitor: report.api.elbv2Throttled ?? Number.NaN, controller: controllerUsage.throttled },
    controllerCalls: controllerUsage.calls,
    report,
  };
}

/**
 * The fewest AWS calls a sweep of the benchmark's world can make, by action. K = the
 * orphans (every third NLB): a marking sweep marks K load balancers and their K
 * front-end security groups; a dry run judges the same candidates and reads the
 * same evidence, but tags nothing and reads nothing again.
 */
export function minimumCalls(size: WorldSize, dryRun: boolean): Record<string, number> {
  const candidates = size.orphans;
  const marks = dryRun ? 0 : candidates;
  // Batches of 200 candidate security groups: EC2's limit of values in one filter.
  const groupBatches = Math.ceil(candidates / EC2_FILTER_VALUES);
  const minimum: Record<string, number> = {
    'elasticloadbalancing:DescribeLoadBalancers': Math.ceil(size.loadBalancers / ELBV2_PAGE),
    // Leftover target groups: every target group in pages of 400; all are attached, so no
    // DescribeTags follows.
    'elasticloadbalancing:DescribeTargetGroups': Math.max(1, Math.ceil(size.targetGroups / ELBV2_PAGE)),
    // One query per discovery key, 100 a page: all N carry elbv2.k8s.aws/cluster; none carries
    // kubernetes.io/service-name or (before this sweep marks them) nlb-janitor/suspect-since, and an
    // empty answer is still one call. Plus the CLI's own check of the credentials before the sweep
    // (lambda/cli/aws-access.ts): one page of one resource.
    'tagging:GetResources': Math.ceil(size.loadBalancers / 100) + (DISCOVERY_TAG_KEYS.length - 1) + 1,
    'eks:DescribeCluster': CLUSTERS.length,
    // Issue 20: every EKS cluster of the account and region is read for claims (the same C clusters
    // here), one page of ListClusters; and the clusters EKS may not know, from their
    // kubernetes.io/cluster/* keys in the load balancers' one VPC: one page each of subnets and
    // instances (none tagged), and one of security groups below (the C node groups).
    'eks:ListClusters': 1,
    'ec2:DescribeSubnets': 1,
    'ec2:DescribeInstances': 1,
    // The footprint's security groups, 1000 a page: the LBC's front-end groups (all N), EKS Auto
    // Mode's front-end groups and the LBC's backend groups (none: one empty page each), and the
    // clusters' node groups by tag-key (C ≤ 200 keys in one filter, C groups: one page).
    // Then, for the K candidates, in batches of 200: the groups holding rules that reference them,
    // by ip-permission.group-id and by egress.ip-permission.group-id (the C node groups: one page
    // each). A marking sweep reads the candidates' tags again right before tagging them, by
    // group-id in batches of 200.
    'ec2:DescribeSecurityGroups':
      Math.max(1, Math.ceil(size.securityGroups / EC2_PAGE)) +
      2 +
      1 +
      // The clusters' tags by the tag-key wildcard in the judged VPC: the C node groups, one page.
      1 +
      (candidates > 0 ? 2 * groupBatches : 0) +
      (marks > 0 ? Math.ceil(marks / EC2_FILTER_VALUES) : 0),
    // The node groups' rules, 1000 a page (N ingress rules and C egress rules), for in-tree node rules.
    'ec2:DescribeSecurityGroupRules':
      Math.max(1, Math.ceil(size.nodeGroupRules / EC2_PAGE)) +
      // The rules of the groups that reference candidates (the C node groups: all their rules),
      // read once for all candidates.
      (candidates > 0 ? Math.max(1, Math.ceil(size.nodeGroupRules / EC2_PAGE)) : 0),
  };
  if (candidates > 0) {
    // The network interfaces that hold a candidate security group, by group-id in batches of 200
    // (none: one page each).
    minimum['ec2:DescribeNetworkInterfaces'] = groupBatches;
    // Evidence of use for the candidates (a dry run reads it too): one listing per kind, three metric queries each.
    minimum['ec2:DescribeVpcEndpointServiceConfigurations'] = 1;
    minimum['apigateway:GetVpcLinks'] = 1;
    minimum['globalaccelerator:ListAccelerators'] = 1;
    minimum['monitoring:GetMetricData'] = Math.ceil((3 * candidates) / 500);
  }
  if (marks > 0) {
    // The candidate load balancers' tags read afresh right before marking them, 20 a call.
    minimum['elasticloadbalancing:DescribeTags'] = Math.ceil(marks / 20);
    // Marks, then announced-at on the same load balancers once the report was delivered, 20 a call.
    minimum['elasticloadbalancing:AddTags'] = 2 * Math.ceil(marks / 20);
    // The same for their security groups: marks, then announced-at, up to 1000 IDs a call.
    minimum['ec2:CreateTags'] = 2 * Math.ceil(marks / EC2_CREATE_TAGS_IDS);
  }
  return minimum;
}

/**
 * An AWS Load Balancer Controller as the bucket sees it: DescribeLoadBalancers 4
 * times a second, one attempt each, counting the answers `Throttling`.
 */
function startController(world: TestWorld): { stop: () => Promise<{ calls: number; throttled: number }> } {
  const client = new ElasticLoadBalancingV2Client({
    endpoint: world.moto.endpoint,
    region: REGION,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
  let calls = 0;
  let throttled = 0;
  const inFlight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    calls += 1;
    const call = client
      .send(new DescribeLoadBalancersCommand({ PageSize: 1 }))
      .then(
        () => undefined,
        (error: Error) => {
          if (error.name === 'Throttling') throttled += 1;
          else throw error;
        },
      )
      .finally(() => inFlight.delete(call));
    inFlight.add(call);
  }, 1000 / CONTROLLER_CALLS_PER_SECOND);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(inFlight);
      client.destroy();
      return { calls, throttled };
    },
  };
}

/** What makes a sweep report unhealthy, from the CLI's JSON output, for an error message. */
function unhealthyParts(stdout: string): string {
  try {
    const report = JSON.parse(stdout) as SweepReport;
    return ` errors: ${JSON.stringify(report.errors)}; counts: ${JSON.stringify(report.counts)}; warnings: ${JSON.stringify(report.announcement.warnings ?? [])}`;
  } catch {
    return ` stdout: ${stdout.slice(0, 2000)}`;
  }
}

export function totalCalls(calls: Readonly<Record<string, number>>): number {
  return Object.values(calls).reduce((sum, count) => sum + count, 0);
}
