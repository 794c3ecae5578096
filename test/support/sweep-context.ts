import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ClusterReadResult } from '../../lambda/kubernetes/cluster-reader';
import { ClusterReads } from '../../lambda/sweep/cluster-reads';
import { DeletionBudget } from '../../lambda/sweep/deletion-budget';
import type { SweepContext } from '../../lambda/sweep/sweep-context';
import type { SweepDependencies } from '../../lambda/sweep/sweep-dependencies';
import { DEFAULT_TUNING, type SweepSettings } from '../../lambda/sweep/sweep-settings';

// A sweep context for unit tests of the lifecycle: no emulator, clients that are
// never called (a fake kind does its own I/O), a clock and a log the test reads.

export const SETTINGS: SweepSettings = {
  dryRun: false,
  gracePeriod: '7d',
  gracePeriodMs: 7 * 86_400_000,
  maxDeletions: 10,
  maxDeletionsPerCluster: 10,
  deleteWhenClusterMissing: false,
  clusters: undefined,
  maxOrphanRatio: 0.5,
};

export interface TestContext extends SweepContext {
  /** Every line the lifecycle logged, in order. */
  readonly logged: { message: string; fields: Record<string, unknown> }[];
}

export function testContext(
  options: {
    readonly settings?: Partial<SweepSettings>;
    readonly now?: Date;
    /** The sweep's clock; default: always `now`. */
    readonly clock?: () => Date;
    /** How a cluster is read (again); default: never, a test that needs it says so. */
    readonly readCluster?: (name: string) => Promise<ClusterReadResult>;
    readonly outOfTime?: () => boolean;
  } = {},
): TestContext {
  const now = options.now ?? new Date('2026-11-24T18:00:00Z');
  const settings = { ...SETTINGS, ...options.settings };
  const logged: { message: string; fields: Record<string, unknown> }[] = [];
  const region = 'eu-west-1';
  const deps: SweepDependencies = {
    elbv2: new ElasticLoadBalancingV2Client({ region }),
    ec2: new EC2Client({ region }),
    eks: new EKSClient({ region }),
    region,
    credentials: async () => ({ accessKeyId: 'test', secretAccessKey: 'test' }),
    clock: options.clock ?? (() => now),
    sleep: async () => {},
    logger: {
      debug: () => {},
      info: (message, fields) => {
        logged.push({ message, fields });
      },
    },
  };
  return {
    settings,
    tuning: DEFAULT_TUNING,
    deps,
    plannedAt: now,
    reads: new ClusterReads(
      options.readCluster ??
        (async (name) => {
          throw new Error(`the test did not expect cluster ${name} to be read`);
        }),
      deps.clock,
    ),
    results: new Map(),
    budget: new DeletionBudget(settings),
    errors: [],
    outOfTime: options.outOfTime ?? (() => false),
    logged,
  };
}
