import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeNotification } from '../../lambda/report/notification';
import { sampleEntry as entry, sampleReport as report } from '../support/report-entries';

describe('composeNotification', () => {
  it('puts errors first, then deletions before new marks, and says how to stop a deletion', () => {
    const { message } = composeNotification(report());
    const errorsAt = message.indexOf('ERRORS');
    const deletedAt = message.indexOf('DELETED (1)');
    const markedAt = message.indexOf('NEWLY MARKED AS ORPHANED: WILL BE DELETED AT THE TIME GIVEN (1)');
    assert.ok(errorsAt > 0 && errorsAt < deletedAt && deletedAt < markedAt, message);
    assert.match(message, /Cluster staging could not be read completely/);
    assert.match(message, /owner Service shop\/web/);
    assert.match(message, /estimated cost: 16\.43 USD a month/);
    assert.match(message, /nlb-janitor\/ignore=true/);
    assert.match(message, /nlb-janitor\/ignore with any value but false/);
  });

  it('gives every marked load balancer its deletion time', () => {
    const { message } = composeNotification(
      report({ loadBalancers: [entry('web', { deletesAt: '2026-12-01T18:00:00Z' })] }),
    );
    assert.match(message, /WILL BE DELETED AT: 2026-12-01T18:00:00Z/);
  });

  it('has a short ASCII subject with the counts', () => {
    const { subject } = composeNotification(report());
    assert.equal(subject, 'nlb-janitor eu-west-1: 1 deleted, 1 marked, 1 unverified clusters');
  });

  it('cuts a long subject to 100 ASCII characters', () => {
    const { subject } = composeNotification(report({ region: `région-${'x'.repeat(120)}` }));
    assert.equal(subject.length, 100);
    assert.match(subject, /^[\x20-\x7e]+$/);
  });

  it('gives the counts as message attributes for filter policies', () => {
    const { attributes } = composeNotification(report());
    assert.deepEqual(attributes.deleted, { DataType: 'Number', StringValue: '1' });
    assert.deepEqual(attributes.unverifiedClusters, { DataType: 'Number', StringValue: '1' });
    assert.deepEqual(attributes.dryRun, { DataType: 'String', StringValue: 'false' });
  });

  it('says plainly when it was a dry run', () => {
    const { subject, message } = composeNotification(report({ dryRun: true }));
    assert.match(subject, /\[dry run\]/);
    assert.match(message, /DRY RUN: nothing was changed/);
  });

  it('stays under the SNS size limit for a huge first sweep', () => {
    const many = Array.from({ length: 5000 }, (_, i) => entry(`nlb-${i}`));
    const { message } = composeNotification(report({ loadBalancers: many }));
    assert.ok(Buffer.byteLength(message) < 256 * 1024);
    assert.match(message, /more load balancers are not listed here/);
  });
});
