import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readJanitorContext, readOrganizationContext } from '../../lib/app-context';

const read = (context: Record<string, unknown>) => (key: string) => context[key];

describe('readJanitorContext', () => {
  it('reads -c strings into props', () => {
    const { janitor, vpcLookup } = readJanitorContext(
      read({
        clusters: 'prod, staging',
        schedule: 'rate(30 minutes)',
        gracePeriod: '36h',
        maxDeletions: '5',
        maxDeletionsPerCluster: '2',
        maxOrphanRatio: '0.25',
        dryRun: 'true',
        alertEmails: 'ops@example.com,sre@example.com',
        deleteWhenClusterMissing: 'false',
        createAccessEntries: 'false',
        vpcId: 'vpc-0123456789abcdef0',
        subnetIds: 'subnet-0123456789abcdef0,subnet-0123456789abcdef1',
        securityGroupIds: 'sg-0123456789abcdef0',
      }),
    );
    assert.deepEqual(janitor.clusters, ['prod', 'staging']);
    assert.equal(janitor.schedule?.expressionString, 'rate(30 minutes)');
    assert.equal(janitor.gracePeriod, '36h');
    assert.equal(janitor.maxDeletions, 5);
    assert.equal(janitor.maxDeletionsPerCluster, 2);
    assert.equal(janitor.maxOrphanRatio, 0.25);
    assert.equal(janitor.dryRun, true);
    assert.deepEqual(janitor.alertEmails, ['ops@example.com', 'sre@example.com']);
    assert.equal(janitor.deleteWhenClusterMissing, false);
    assert.equal(janitor.createAccessEntries, false);
    assert.deepEqual(vpcLookup, {
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
      securityGroupIds: ['sg-0123456789abcdef0'],
    });
  });

  it('reads cdk.json arrays, numbers and booleans too, and leaves the rest to defaults', () => {
    const { janitor, vpcLookup } = readJanitorContext(
      read({ clusters: ['prod'], maxDeletions: 3, dryRun: false }),
    );
    assert.deepEqual(janitor, {
      clusters: ['prod'],
      schedule: undefined,
      digestSchedule: undefined,
      chatTopicArn: undefined,
      createChatTopic: undefined,
      gracePeriod: undefined,
      maxDeletions: 3,
      maxDeletionsPerCluster: undefined,
      maxOrphanRatio: undefined,
      dryRun: false,
      alertEmails: undefined,
      deleteWhenClusterMissing: undefined,
      createAccessEntries: undefined,
      skipEvidence: undefined,
    });
    assert.equal(vpcLookup, undefined);
  });

  it('reads the digest schedule, "off" for none, and the chat topic', () => {
    const on = readJanitorContext(read({ clusters: 'prod', digestSchedule: 'cron(30 6 ? * MON-FRI *)' }));
    assert.equal(
      on.janitor.digestSchedule === false ? undefined : on.janitor.digestSchedule?.expressionString,
      'cron(30 6 ? * MON-FRI *)',
    );
    assert.equal(
      readJanitorContext(read({ clusters: 'prod', digestSchedule: 'off' })).janitor.digestSchedule,
      false,
    );
    const chat = readJanitorContext(read({ clusters: 'prod', createChatTopic: 'true' })).janitor;
    assert.equal(chat.createChatTopic, true);
  });

  const bad: [Record<string, unknown>, RegExp][] = [
    [
      { clusters: 'prod', digestSchedule: 'daily' },
      /^context digestSchedule "daily" must be an EventBridge Scheduler expression/,
    ],
    [{}, /^context clusters is required: the EKS clusters to sweep, e\.g\. -c clusters=prod,staging$/],
    [{ clusters: ' , ' }, /^context clusters is required/],
    [
      { clusters: 'prod', schedule: 'hourly' },
      /^context schedule "hourly" must be an EventBridge Scheduler expression/,
    ],
    [{ clusters: 'prod', maxDeletions: 'ten' }, /^context maxDeletions "ten" must be a whole number$/],
    [
      { clusters: 'prod', maxDeletionsPerCluster: '-1' },
      /^context maxDeletionsPerCluster "-1" must be a whole number$/,
    ],
    [{ clusters: 'prod', maxOrphanRatio: 'half' }, /^context maxOrphanRatio "half" must be a number$/],
    [{ clusters: 'prod', dryRun: 'yes' }, /^context dryRun "yes" must be true or false$/],
    [{ clusters: 'prod', createAccessEntries: 1 }, /^context createAccessEntries 1 must be true or false$/],
    [{ clusters: 'prod', alertEmails: [1] }, /^context alertEmails \[1\] must be a comma-separated list/],
    [{ clusters: 'prod', vpcId: 'my-vpc' }, /^context vpcId "my-vpc" is not a VPC id/],
    [
      { clusters: 'prod', subnetIds: 'subnet-0123456789abcdef0' },
      /^context subnetIds and securityGroupIds need vpcId/,
    ],
    [
      { clusters: 'prod', vpcId: 'vpc-0123456789abcdef0', subnetIds: 'subnet-1' },
      /^context subnetIds: "subnet-1" is not one of subnet ids/,
    ],
    [
      { clusters: 'prod', vpcId: 'vpc-0123456789abcdef0', securityGroupIds: 'default' },
      /^context securityGroupIds: "default" is not one of security group ids/,
    ],
    [{ clusters: 'prod', gracePeriod: 7 }, /^context gracePeriod 7 must be a string$/],
  ];
  for (const [context, message] of bad) {
    it(`rejects ${JSON.stringify(context)}`, () => {
      assert.throws(() => readJanitorContext(read(context)), { message });
    });
  }
});

describe('readOrganizationContext', () => {
  const ORGANIZATION = {
    organizationId: 'o-abcd123456',
    targetOrganizationalUnits: 'ou-abcd-11111111, ou-abcd-22222222',
    targetRegions: 'us-east-1,eu-west-1',
  };

  it('is undefined without organization context: the single-account app', () => {
    assert.equal(readOrganizationContext(read({ clusters: 'prod' })), undefined);
  });

  it('reads -c strings into props, dry run by default', () => {
    const context = readOrganizationContext(
      read({
        ...ORGANIZATION,
        callAs: 'DELEGATED_ADMIN',
        failureTolerancePercentage: '10',
        maxConcurrentPercentage: '50',
        alertEmails: 'platform@example.com',
        gracePeriod: '14d',
        maxDeletionsPerCluster: '1',
      }),
    );
    assert.deepEqual(context?.organization, {
      organizationId: 'o-abcd123456',
      targetOrganizationalUnits: ['ou-abcd-11111111', 'ou-abcd-22222222'],
      targetRegions: ['us-east-1', 'eu-west-1'],
      callAs: 'DELEGATED_ADMIN',
      dryRun: undefined,
      failureTolerancePercentage: 10,
      maxConcurrentPercentage: 50,
      alertEmails: ['platform@example.com'],
    });
    assert.equal(context?.janitor.gracePeriod, '14d');
    assert.equal(context?.janitor.maxDeletionsPerCluster, 1);
  });

  const bad: [Record<string, unknown>, string][] = [
    [
      { targetRegions: 'us-east-1', organizationId: 'o-abcd123456' },
      'context targetOrganizationalUnits is required in organization mode, e.g. -c targetOrganizationalUnits=ou-abcd-11111111,ou-abcd-22222222',
    ],
    [
      { ...ORGANIZATION, targetRegions: undefined },
      'context targetRegions is required in organization mode, e.g. -c targetRegions=us-east-1,eu-west-1',
    ],
    [
      { ...ORGANIZATION, organizationId: undefined },
      'context organizationId is required in organization mode, e.g. -c organizationId=o-abcd123456 (aws organizations describe-organization)',
    ],
    [
      { ...ORGANIZATION, organizationId: 'o-ABCD' },
      'context organizationId "o-ABCD" is not an organization id (o-abcd123456)',
    ],
    [
      { ...ORGANIZATION, targetOrganizationalUnits: 'ou-abcd-11111111,123456789012' },
      'context targetOrganizationalUnits: "123456789012" is not one of OU ids (ou-abcd-11111111) or root ids (r-abcd)',
    ],
    [
      { ...ORGANIZATION, targetRegions: 'us-east-1,Frankfurt' },
      'context targetRegions: "Frankfurt" is not one of region names (us-east-1)',
    ],
    [{ ...ORGANIZATION, callAs: 'ADMIN' }, 'context callAs "ADMIN" must be SELF or DELEGATED_ADMIN'],
    [
      { ...ORGANIZATION, clusters: 'prod' },
      'context clusters is not used in organization mode: member janitors discover the clusters of their account and region',
    ],
    [
      { ...ORGANIZATION, vpcId: 'vpc-0123456789abcdef0' },
      'context vpcId is not used in organization mode: each account has its own VPCs',
    ],
    [{ ...ORGANIZATION, dryRun: 'maybe' }, 'context dryRun "maybe" must be true or false'],
  ];
  for (const [context, message] of bad) {
    it(`refuses with one line: ${message.slice(0, 70)}`, () => {
      assert.throws(
        () => readOrganizationContext(read(context)),
        (error: Error) => {
          assert.equal(error.message, message);
          assert.ok(!error.message.includes('\n'));
          return true;
        },
      );
    });
  }
});
