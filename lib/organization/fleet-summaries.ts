import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { NlbJanitor } from '../nlb-janitor';

/** The package's version, named in each summary beside the code's key. */
export function janitorPackageVersion(): string {
  const file = path.join(__dirname, '..', '..', 'package.json');
  return String((JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown');
}

/**
 * A member's janitor sends a summary of each sweep to the fleet bus: its role may
 * put events on that bus and no other (the bus's policy admits the organization's
 * janitor roles), and the function is told the bus and which code it runs.
 */
export function summariesToFleet(janitor: NlbJanitor, fleetBusArn: string, codeKey: string): void {
  janitor.role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'SendSweepSummary',
      actions: ['events:PutEvents'],
      resources: [fleetBusArn],
    }),
  );
  janitor.function.addEnvironment('FLEET_BUS_ARN', fleetBusArn);
  janitor.function.addEnvironment('JANITOR_VERSION', `${janitorPackageVersion()}+${codeKey}`);
}

/**
 * The interval between a member's sweeps, from its schedule: `rate(...)` exactly;
 * a cron expression is taken as hourly, its most frequent sensible reading.
 */
export function sweepIntervalOf(schedule: scheduler.ScheduleExpression | undefined): Duration {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(schedule?.expressionString ?? '');
  if (match === null) return Duration.hours(1);
  const amount = Number(match[1]);
  const unit = match[2] ?? 'hours';
  if (unit.startsWith('minute')) return Duration.minutes(amount);
  if (unit.startsWith('hour')) return Duration.hours(amount);
  return Duration.days(amount);
}
