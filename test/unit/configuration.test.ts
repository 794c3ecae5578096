import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDuration } from '../../contract/duration';
import { parseCliArguments } from '../../lambda/cli/cli-options';
import { ConfigurationError } from '../../lambda/config/configuration-error';
import { readEnvironmentConfig } from '../../lambda/config/environment-config';
import { settingsForInvocation } from '../../lambda/config/invocation-payload';

describe('parseDuration', () => {
  const cases: [string, number | undefined][] = [
    ['7d', 7 * 86_400_000],
    ['36h', 36 * 3_600_000],
    ['1d12h', 36 * 3_600_000],
    ['90m', 90 * 60_000],
    [' 2h ', 2 * 3_600_000],
    ['', undefined],
    ['7', undefined],
    ['7 d', undefined],
    ['-1d', undefined],
    ['1.5d', undefined],
    ['12h1d', undefined],
    ['P7D', undefined],
    ['365d', 365 * 86_400_000],
    // Beyond Number.MAX_SAFE_INTEGER ms: Infinity, never a rounded number.
    ['104249991d', 104_249_991 * 86_400_000],
    ['104249992d', Number.POSITIVE_INFINITY],
    [`${'9'.repeat(400)}d`, Number.POSITIVE_INFINITY],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} → ${expected}`, () => assert.equal(parseDuration(text), expected));
  }
});

describe('readEnvironmentConfig', () => {
  it('defaults to the safe values', () => {
    const config = readEnvironmentConfig({});
    assert.deepEqual(config, {
      settings: {
        clusters: undefined,
        gracePeriod: '7d',
        gracePeriodMs: 7 * 86_400_000,
        maxDeletions: 10,
        maxDeletionsPerCluster: 3,
        dryRun: false,
        deleteWhenClusterMissing: false,
        maxOrphanRatio: 0.5,
        ignoreUnreadableClusters: undefined,
      },
      snsTopicArn: undefined,
      skipEvidence: [],
      roleArn: undefined,
      chatTopicArn: undefined,
      memoryTable: undefined,
      fleetBusArn: undefined,
      janitorVersion: 'unknown',
    });
  });

  it('takes the memory table and the fleet bus when set, and refuses malformed ones naming the variable', () => {
    const bus = 'arn:aws:events:us-east-1:111111111111:event-bus/nlb-janitor-fleet';
    const config = readEnvironmentConfig({ MEMORY_TABLE: 'Test-JanitorMemory1A2B', FLEET_BUS_ARN: bus });
    assert.equal(config.memoryTable, 'Test-JanitorMemory1A2B');
    assert.equal(config.fleetBusArn, bus);
    for (const [name, value] of [
      ['MEMORY_TABLE', 'a b'],
      ['FLEET_BUS_ARN', 'arn:aws:sns:us-east-1:111111111111:topic'],
    ] as const) {
      assert.throws(
        () => readEnvironmentConfig({ [name]: value }),
        (error) => error instanceof ConfigurationError && error.message.startsWith(`${name} `),
      );
    }
  });

  it('switches off only the evidence a policy may refuse, named exactly', () => {
    assert.deepEqual(
      readEnvironmentConfig({ SKIP_EVIDENCE: 'global-accelerator, vpc-link,global-accelerator' })
        .skipEvidence,
      ['global-accelerator', 'vpc-link'],
    );
    for (const kind of ['traffic', 'target-health', 'ga', 'Global-Accelerator']) {
      assert.throws(
        () => readEnvironmentConfig({ SKIP_EVIDENCE: kind }),
        (error) =>
          error instanceof ConfigurationError &&
          error.message ===
            `SKIP_EVIDENCE: "${kind}" cannot be switched off; only privatelink, vpc-link, global-accelerator can`,
      );
    }
  });

  it('reads every variable', () => {
    const config = readEnvironmentConfig({
      CLUSTERS: 'prod, staging_2,prod',
      GRACE_PERIOD: '36h',
      MAX_DELETIONS: '3',
      MAX_DELETIONS_PER_CLUSTER: '1',
      DRY_RUN: 'TRUE',
      DELETE_WHEN_CLUSTER_MISSING: 'true',
      MAX_ORPHAN_RATIO: '0.25',
      SNS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:nlb-janitor',
      DISCOVER_CLUSTERS: 'true',
      IGNORE_UNREADABLE_CLUSTERS: 'kops-a, k8s.example.com',
      ROLE_ARN: 'arn:aws:iam::123456789012:role/nlb-janitor-eu-west-1',
      CHAT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:nlb-janitor-chat',
    });
    assert.deepEqual(config.settings.ignoreUnreadableClusters, ['kops-a', 'k8s.example.com']);
    assert.equal(config.roleArn, 'arn:aws:iam::123456789012:role/nlb-janitor-eu-west-1');
    assert.deepEqual(config.settings.clusters, ['prod', 'staging_2']);
    assert.equal(config.settings.gracePeriodMs, 36 * 3_600_000);
    assert.equal(config.settings.maxDeletions, 3);
    assert.equal(config.settings.maxDeletionsPerCluster, 1);
    assert.equal(config.settings.dryRun, true);
    assert.equal(config.settings.deleteWhenClusterMissing, true);
    assert.equal(config.settings.maxOrphanRatio, 0.25);
    assert.equal(config.snsTopicArn, 'arn:aws:sns:eu-west-1:123456789012:nlb-janitor');
    assert.equal(config.chatTopicArn, 'arn:aws:sns:eu-west-1:123456789012:nlb-janitor-chat');
  });

  it('refuses a chat topic without the email topic', () => {
    assert.throws(
      () => readEnvironmentConfig({ CHAT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:chat' }),
      { name: 'ConfigurationError', message: /^CHAT_TOPIC_ARN needs SNS_TOPIC_ARN/ },
    );
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ GRACE_PERIOD: 'a week' }, /^GRACE_PERIOD "a week" is not a duration/],
    [{ GRACE_PERIOD: '30m' }, /^GRACE_PERIOD "30m" is too short/],
    [{ GRACE_PERIOD: '366d' }, /^GRACE_PERIOD "366d" is too long: the grace period is at most 365d$/],
    [{ GRACE_PERIOD: '365d1s' }, /^GRACE_PERIOD "365d1s" is too long/],
    [{ GRACE_PERIOD: '100000000d' }, /^GRACE_PERIOD "100000000d" is too long/],
    [{ GRACE_PERIOD: `${'9'.repeat(400)}h` }, /^GRACE_PERIOD "9{37}\.\.\." is too long/],
    [{ MAX_DELETIONS: '-1' }, /^MAX_DELETIONS "-1" is not a whole number/],
    [{ DISCOVER_CLUSTERS: 'yes' }, /^DISCOVER_CLUSTERS "yes" is not true or false/],
    [{ IGNORE_UNREADABLE_CLUSTERS: 'a/b' }, /^IGNORE_UNREADABLE_CLUSTERS: "a\/b" is not a cluster name/],
    [{ ROLE_ARN: 'nlb-janitor' }, /^ROLE_ARN "nlb-janitor" is not an IAM role ARN/],
    [{ MAX_DELETIONS: '1e3' }, /^MAX_DELETIONS/],
    [{ MAX_DELETIONS: '1001' }, /^MAX_DELETIONS/],
    [{ MAX_DELETIONS_PER_CLUSTER: 'three' }, /^MAX_DELETIONS_PER_CLUSTER "three" is not a whole number/],
    [{ MAX_DELETIONS_PER_CLUSTER: '1001' }, /^MAX_DELETIONS_PER_CLUSTER/],
    [{ DRY_RUN: 'yes' }, /^DRY_RUN "yes" is not true or false/],
    [{ DELETE_WHEN_CLUSTER_MISSING: '1' }, /^DELETE_WHEN_CLUSTER_MISSING/],
    [{ MAX_ORPHAN_RATIO: '0' }, /^MAX_ORPHAN_RATIO/],
    [{ MAX_ORPHAN_RATIO: '1.5' }, /^MAX_ORPHAN_RATIO/],
    [{ CLUSTERS: 'prod,my.cluster' }, /^CLUSTERS: "my.cluster" is not an EKS cluster name/],
    [{ CLUSTERS: '-prod' }, /^CLUSTERS/],
    [{ SNS_TOPIC_ARN: 'nlb-janitor' }, /^SNS_TOPIC_ARN "nlb-janitor" is not an SNS topic ARN/],
    // SNS delivers email only from standard topics, and a FIFO topic refuses a publish without MessageGroupId.
    [
      { SNS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:nlb-janitor.fifo' },
      /^SNS_TOPIC_ARN "arn:aws:sns:eu-west-1:123456789012:nlb-janitor.fifo" is a FIFO topic: SNS delivers email only from standard topics/,
    ],
    [
      {
        SNS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:nlb-janitor',
        CHAT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:chat.fifo',
      },
      /^CHAT_TOPIC_ARN "arn:aws:sns:eu-west-1:123456789012:chat.fifo" is a FIFO topic/,
    ],
  ];
  for (const [env, message] of bad) {
    it(`rejects ${JSON.stringify(env)} with one clear line`, () => {
      assert.throws(
        () => readEnvironmentConfig(env),
        (error: Error) =>
          error instanceof ConfigurationError && message.test(error.message) && !error.message.includes('\n'),
      );
    });
  }

  it('accepts a grace period of up to 365 days', () => {
    assert.equal(readEnvironmentConfig({ GRACE_PERIOD: '365d' }).settings.gracePeriodMs, 365 * 86_400_000);
    assert.equal(readEnvironmentConfig({ GRACE_PERIOD: '8760h' }).settings.gracePeriodMs, 365 * 86_400_000);
  });

  it('accepts topics of other partitions', () => {
    for (const arn of [
      'arn:aws-cn:sns:cn-north-1:123456789012:t',
      'arn:aws-us-gov:sns:us-gov-west-1:123456789012:t',
    ]) {
      assert.equal(readEnvironmentConfig({ SNS_TOPIC_ARN: arn }).snsTopicArn, arn);
    }
  });
});

describe('settingsForInvocation', () => {
  const configured = readEnvironmentConfig({ CLUSTERS: 'prod,staging' }).settings;
  const dryDeployment = readEnvironmentConfig({ DRY_RUN: 'true' }).settings;
  const scheduled = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };

  it('a scheduled event runs the configured sweep', () => {
    assert.deepEqual(settingsForInvocation(configured, scheduled), configured);
  });
  it('an empty payload runs the configured sweep', () => {
    assert.deepEqual(settingsForInvocation(configured, {}), configured);
  });
  it('a payload can ask for a dry run of one cluster', () => {
    const settings = settingsForInvocation(configured, { dryRun: true, clusters: ['staging'] });
    assert.equal(settings.dryRun, true);
    assert.deepEqual(settings.clusters, ['staging']);
  });
  it('the digest schedule\u2019s payload asks for the digest, and changes nothing else', () => {
    assert.deepEqual(settingsForInvocation(configured, { digest: true }), { ...configured, digest: true });
  });

  const bad: [string, SweepSettingsLike, unknown, RegExp][] = [
    ['digest as a string', configured, { digest: 'yes' }, /digest must be true or false/],
    ['unknown keys', configured, { dryrun: true }, /unknown keys dryrun/],
    ['dryRun as a string', configured, { dryRun: 'true' }, /dryRun must be true or false/],
    ['clusters as a string', configured, { clusters: 'prod' }, /clusters must be a non-empty array/],
    ['an empty cluster list', configured, { clusters: [] }, /clusters must be a non-empty array/],
    [
      'a cluster outside the configuration',
      configured,
      { clusters: ['dev'] },
      /dev not among the configured clusters/,
    ],
    ['an invalid cluster name', configured, { clusters: ['a b'] }, /is not an EKS cluster name/],
    ['an array payload', configured, [1], /must be a JSON object/],
    ['a string payload', configured, 'sweep', /must be a JSON object/],
    ['leaving a dry-run deployment\u2019s dry run', dryDeployment, { dryRun: false }, /runs in dry-run mode/],
  ];
  for (const [name, base, payload, message] of bad) {
    it(`rejects ${name}`, () => {
      assert.throws(
        () => settingsForInvocation(base, payload),
        (error: Error) => error instanceof ConfigurationError && message.test(error.message),
      );
    });
  }
});

type SweepSettingsLike = ReturnType<typeof readEnvironmentConfig>['settings'];

describe('parseCliArguments', () => {
  it('reads every option', () => {
    const options = parseCliArguments([
      'sweep',
      '--clusters',
      'a,b',
      '--grace-period',
      '36h',
      '--max-deletions',
      '2',
      '--max-deletions-per-cluster',
      '1',
      '--max-orphan-ratio',
      '0.8',
      '--dry-run',
      '--json',
      '--delete-when-cluster-missing',
      '--discover-clusters',
      '--ignore-unreadable-clusters',
      'kops-a,k8s.example.com',
      '--sns-topic-arn',
      'arn:aws:sns:eu-west-1:123456789012:t',
      '--chat-topic-arn',
      'arn:aws:sns:eu-west-1:123456789012:chat',
      '--digest',
    ]);
    assert.ok(typeof options === 'object', 'parsed as sweep options');
    assert.deepEqual(options.settings, {
      clusters: ['a', 'b'],
      gracePeriod: '36h',
      gracePeriodMs: 36 * 3_600_000,
      maxDeletions: 2,
      maxDeletionsPerCluster: 1,
      maxOrphanRatio: 0.8,
      deleteWhenClusterMissing: true,
      dryRun: true,
      ignoreUnreadableClusters: ['kops-a', 'k8s.example.com'],
      digest: true,
    });
    assert.equal(options.json, true);
    assert.equal(options.snsTopicArn, 'arn:aws:sns:eu-west-1:123456789012:t');
    assert.equal(options.chatTopicArn, 'arn:aws:sns:eu-west-1:123456789012:chat');
  });

  it('defaults to the safe values', () => {
    const options = parseCliArguments(['sweep']);
    assert.ok(typeof options === 'object', 'parsed as sweep options');
    assert.deepEqual(options.settings, {
      clusters: undefined,
      gracePeriod: '7d',
      gracePeriodMs: 7 * 86_400_000,
      maxDeletions: 10,
      maxDeletionsPerCluster: 3,
      maxOrphanRatio: 0.5,
      deleteWhenClusterMissing: false,
      dryRun: false,
      ignoreUnreadableClusters: undefined,
      digest: false,
    });
  });

  it('discovery cannot be switched off: --no-discover-clusters and DISCOVER_CLUSTERS=false are refused with one line', () => {
    assert.throws(() => parseCliArguments(['sweep', '--no-discover-clusters']), /no-discover-clusters/);
    assert.throws(
      () => readEnvironmentConfig({ DISCOVER_CLUSTERS: 'false' }),
      (error: Error) =>
        error instanceof ConfigurationError &&
        !error.message.includes('\n') &&
        /DISCOVER_CLUSTERS=false is refused: every EKS cluster .* is read for claims/.test(error.message),
    );
    // --discover-clusters (the old way to ask for it) still parses: it is what every sweep does.
    assert.ok(typeof parseCliArguments(['sweep', '--discover-clusters']) === 'object');
  });

  it('accepts a grace period of 365 days', () => {
    const options = parseCliArguments(['sweep', '--grace-period', '365d']);
    assert.ok(typeof options === 'object', 'parsed as sweep options');
    assert.equal(options.settings.gracePeriodMs, 365 * 86_400_000);
  });

  it('--help wins', () => assert.equal(parseCliArguments(['sweep', '--help']), 'help'));
  it('--version asks for the version', () => assert.equal(parseCliArguments(['--version']), 'version'));

  // node:util rejects these before the option's own parser runs; the message still says the range.
  const valueErrors: [string[], string][] = [
    [['sweep', '--max-deletions', '-1'], '--max-deletions "-1" is not a whole number from 0 to 1000'],
    [
      ['sweep', '--max-deletions-per-cluster', '-2'],
      '--max-deletions-per-cluster "-2" is not a whole number from 0 to 1000',
    ],
    [
      ['sweep', '--max-orphan-ratio', '-0.5'],
      '--max-orphan-ratio "-0.5" is not a number above 0 and at most 1 (e.g. 0.5)',
    ],
    [['sweep', '--max-deletions'], '--max-deletions needs a value: a whole number from 0 to 1000'],
    [
      ['sweep', '--max-orphan-ratio'],
      '--max-orphan-ratio needs a value: a number above 0 and at most 1, e.g. 0.5',
    ],
    [['sweep', '--grace-period'], '--grace-period needs a value: a duration from 1h to 365d, e.g. 7d or 36h'],
    [['sweep', '--clusters', '--dry-run'], '--clusters needs a value: comma-separated EKS cluster names'],
  ];
  for (const [argv, message] of valueErrors) {
    it(`says what the value must be: ${argv.join(' ')}`, () =>
      assert.throws(() => parseCliArguments(argv), { name: 'ConfigurationError', message }));
  }

  const bad: [string[], RegExp][] = [
    [[], /missing command/],
    [
      ['sweep', '--chat-topic-arn', 'arn:aws:sns:eu-west-1:123456789012:chat'],
      /--chat-topic-arn needs --sns-topic-arn/,
    ],
    [['clean'], /unknown command "clean"/],
    [['sweep', 'now'], /unexpected argument "now"/],
    [['sweep', '--bogus'], /^Unknown option '--bogus'$/],
    [['sweep', '--max-deletions'], /--max-deletions/],
    [['sweep', '--max-deletions', 'ten'], /--max-deletions "ten" is not a whole number/],
    [
      ['sweep', '--max-deletions-per-cluster', '1.5'],
      /^--max-deletions-per-cluster "1.5" is not a whole number/,
    ],
    [['sweep', '--grace-period', '0d'], /--grace-period "0d" is too short/],
    [
      ['sweep', '--grace-period', '366d'],
      /^--grace-period "366d" is too long: the grace period is at most 365d$/,
    ],
    [['sweep', '--grace-period', '100000000d'], /^--grace-period "100000000d" is too long/],
    [['sweep', '--grace-period', `${'1'.repeat(400)}d`], /^--grace-period "1{37}\.\.\." is too long/],
    [['sweep', '--clusters', ','], /--clusters needs at least one cluster name/],
    [['sweep', '--sns-topic-arn', 'x'], /--sns-topic-arn "x" is not an SNS topic ARN/],
    [['sweep', '--dry-run=yes'], /dry-run/],
  ];
  for (const [argv, message] of bad) {
    it(`rejects ${argv.join(' ') || '(nothing)'}`, () => {
      assert.throws(
        () => parseCliArguments(argv),
        (error: Error) =>
          error instanceof ConfigurationError && message.test(error.message) && !error.message.includes('\n'),
      );
    });
  }
});
