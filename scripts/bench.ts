// npm run bench [-- 500 2000 5000]: large-account worlds in moto and five fake
// clusters, swept by the real CLI (a dry run, then a marking sweep); one table of
// time, CPU, memory and API calls next to the minimum for each size.
import { cpus } from 'node:os';
import { MotoServer, motoAvailable } from '../test/support/emulator/moto-server';
import { TestWorld } from '../test/support/test-world';
import {
  buildWorld,
  CONTROLLER_CALLS_PER_SECOND,
  measureSweep,
  type SweepMeasurement,
  totalCalls,
  type WorldSize,
} from './bench/benchmark';

async function main(): Promise<void> {
  if (!motoAvailable()) {
    console.error("The benchmark needs moto's server: pip install 'moto[server]'");
    process.exitCode = 1;
    return;
  }
  const sizes = process.argv.slice(2).map(Number);
  const world = new TestWorld(await MotoServer.start());
  const rows: [WorldSize, SweepMeasurement][] = [];
  try {
    for (const count of sizes.length > 0 ? sizes : [500, 2000, 5000]) {
      await world.reset();
      const seeding = Date.now();
      const size = await buildWorld(world, count);
      console.error(
        `world of ${count} NLBs (${size.targetGroups} target groups, ${size.securityGroups} front-end security groups, ${size.nodeGroupRules} node group rules) and ${size.services} Services built in ${((Date.now() - seeding) / 1000).toFixed(1)} s`,
      );
      for (const dryRun of [true, false]) rows.push([size, await measureSweep(world, size, dryRun)]);
    }
  } finally {
    await world.stop();
  }
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}\n`);
  console.log(
    `Each sweep runs against the emulated ELBv2 describe bucket (40, refilling 10 a second) while a simulated controller calls DescribeLoadBalancers ${CONTROLLER_CALLS_PER_SECOND} times a second.\n`,
  );
  console.log(
    '| NLBs | Services | sweep | wall s | bucket-bound s | CPU s | peak RSS MB | ELBv2 describe calls (minimum) | tagging API calls | throttled: janitor / controller | AWS calls (minimum) | by action | Kubernetes requests (minimum) |',
  );
  console.log('|---:|---:|---|---:|---:|---:|---:|---|---:|---|---|---|---|');
  for (const [size, m] of rows) {
    const byAction = Object.entries(m.awsCalls)
      .map(([action, count]) => `${action.split(':')[1]} ${count}/${m.awsMinimum[action] ?? 0}`)
      .join(', ');
    console.log(
      `| ${size.loadBalancers} | ${size.services} | ${m.kind} | ${m.wallSeconds.toFixed(1)} | ${m.bucketBoundSeconds.toFixed(1)} | ${m.cpuSeconds.toFixed(2)} | ${m.maxRssMb.toFixed(0)} | ${m.elbv2DescribeCalls} (${m.elbv2DescribeMinimum}) | ${m.taggingApiCalls} | ${m.throttled.janitor} / ${m.throttled.controller} of ${m.controllerCalls} | ${totalCalls(m.awsCalls)} (${totalCalls(m.awsMinimum)}) | ${byAction} | ${m.kubernetesRequests} (${m.kubernetesMinimum}) |`,
    );
  }
}

void main();
