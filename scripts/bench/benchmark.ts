import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DEFAULT_ELBV2_PACING, ELBV2_DESCRIBE_BUCKET } from '../../lambda/inventory/elbv2-pacing';
import { DISCOVERY_TAG_KEYS } from '../../lambda/ownership/tag-keys';
import type { SweepReport } from '../../lambda/report/sweep-report';
import { REGION, TEST_CREDENTIALS, type TestWorld } from '../../test/support/test-world';

const CLI = path.join(__dirname, '..', '..', 'bin', 'nlb-janitor.cjs');
const USAGE_REPORTER = path.join(__dirname, 'usage-reporter.cjs');
export const CLUSTERS = ['c0', 'c1', 'c2', 'c3', 'c4'];
const SERVICES_PER_NLB = 10;
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
  /** Its minimum: ⌈N/400⌉ DescribeLoadBalancers + ⌈K/20⌉ DescribeTags of the candidates. */
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
  /** The Services the world puts, ten per load balancer. */
  readonly services: number;
  readonly orphans: number;
  /** What each cluster lists: its share of `services` and `default/kubernetes`, which every cluster has. */
  readonly servicesPerCluster: readonly number[];
}

/**
 * A world of `count` network load balancers owned by Services in 5 clusters, ten
 * Services per load balancer, every third load balancer's Service gone.
 */
export async function buildWorld(world: TestWorld, count: number): Promise<WorldSize> {
  for (const cluster of CLUSTERS) await world.addCluster(cluster);
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
      batch.map((spec) => ({
        name: `k8s-${spec.namespace}-${spec.name}`.slice(0, 32).replace(/-$/, 'x'),
        tags: {
          'elbv2.k8s.aws/cluster': spec.cluster,
          'service.k8s.aws/stack': `${spec.namespace}/${spec.name}`,
        },
      })),
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
  if (run.status !== 0) throw new Error(`the CLI exited ${run.status}: ${run.stderr}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { cpuSeconds: number; maxRssMb: number };
  rmSync(dir, { recursive: true, force: true });

  const report = JSON.parse(run.stdout) as SweepReport;
  const marks = dryRun ? 0 : size.orphans;
  const awsMinimum: Record<string, number> = {
    'elasticloadbalancing:DescribeLoadBalancers': Math.ceil(size.loadBalancers / 400),
    // The bench's load balancers have no target groups: one page finds no leftover.
    'elasticloadbalancing:DescribeTargetGroups': 1,
    // One query per discovery key, 100 a page: all N carry elbv2.k8s.aws/cluster; none carries
    // kubernetes.io/service-name or (before this sweep marks them) nlb-janitor/suspect-since, and an
    // empty answer is still one call.
    'tagging:GetResources': Math.ceil(size.loadBalancers / 100) + (DISCOVERY_TAG_KEYS.length - 1),
    'eks:DescribeCluster': CLUSTERS.length,
    // The footprint's security groups: the LBC's and EKS Auto Mode's front-end groups, the backend
    // groups, and the clusters' node groups (whose rules are read only if there are any).
    'ec2:DescribeSecurityGroups': 4,
  };
  // The candidates' tags read afresh right before marking them; a dry run tags nothing and reads nothing again.
  if (marks > 0) awsMinimum['elasticloadbalancing:DescribeTags'] = Math.ceil(marks / 20);
  // Marks, then announced-at on the same load balancers once the report was delivered.
  if (marks > 0) awsMinimum['elasticloadbalancing:AddTags'] = 2 * Math.ceil(marks / 20);
  // Evidence of use for the candidates (a dry run reads it too): one listing per kind, three metric queries each.
  if (size.orphans > 0) {
    awsMinimum['ec2:DescribeVpcEndpointServiceConfigurations'] = 1;
    awsMinimum['apigateway:GetVpcLinks'] = 1;
    awsMinimum['globalaccelerator:ListAccelerators'] = 1;
    awsMinimum['monitoring:GetMetricData'] = Math.ceil((3 * size.orphans) / 500);
  }
  const awsCalls = await world.moto.calls();
  // The simulated controller's calls are its own, not the janitor's.
  const described = (awsCalls['elasticloadbalancing:DescribeLoadBalancers'] ?? 0) - controllerUsage.calls;
  awsCalls['elasticloadbalancing:DescribeLoadBalancers'] = described;
  // DescribeLoadBalancers, one DescribeTargetGroups page, and the candidates' fresh DescribeTags.
  const elbv2DescribeMinimum =
    Math.ceil(size.loadBalancers / 400) + 1 + (marks > 0 ? Math.ceil(marks / 20) : 0);
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

export function totalCalls(calls: Readonly<Record<string, number>>): number {
  return Object.values(calls).reduce((sum, count) => sum + count, 0);
}
