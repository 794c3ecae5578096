import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { howToGrantAccess } from '../../lambda/kubernetes/cluster-reader';
import { composeNotification } from '../../lambda/report/notification';
import type { SweepReport } from '../../lambda/report/sweep-report';
import { accountOf } from '../../lambda/sweep-handler';
import { sampleReport } from '../support/report-entries';

// Reports from a whole organization land on one topic: each names its account and region.

const REPORT: SweepReport = sampleReport({
  account: '210987654321',
  dryRun: true,
  clusters: [
    {
      name: 'locked',
      status: 'UNVERIFIED',
      services: undefined,
      loadBalancers: 0,
      kubernetesRequests: 1,
      error: 'listing Services, page 1: HTTP 401 Unauthorized: Unauthorized',
      heldBack: undefined,
    },
  ],
  loadBalancers: [],
  estimatedMonthlySavingsUsd: 0,
});

describe('the account in reports', () => {
  it('is read from the function ARN Lambda gives the handler', () => {
    assert.equal(accountOf('arn:aws:lambda:eu-west-1:210987654321:function:nlb-janitor'), '210987654321');
    assert.equal(accountOf('arn:aws-cn:lambda:cn-north-1:210987654321:function:x:live'), '210987654321');
    assert.equal(accountOf(undefined), undefined);
    assert.equal(accountOf('not-an-arn'), undefined);
  });

  it('the email subject and first line name the account and the region', () => {
    const notification = composeNotification(REPORT);
    assert.match(notification.subject, /^nlb-janitor 210987654321 eu-west-1: /);
    assert.match(notification.message, /^nlb-janitor swept 210987654321 eu-west-1 at /);
  });

  it('without an account (the CLI) only the region, as before', () => {
    const { account: _account, ...withoutAccount } = REPORT;
    assert.match(composeNotification(withoutAccount).subject, /^nlb-janitor eu-west-1: /);
  });
});

describe('how to grant a cluster access', () => {
  it('names the cluster, the role and the view policy in its partition', () => {
    const text = howToGrantAccess('prod', 'arn:aws-us-gov:iam::123456789012:role/nlb-janitor-us-gov-west-1');
    assert.match(
      text,
      /aws eks create-access-entry --cluster-name prod --principal-arn arn:aws-us-gov:iam::123456789012:role\/nlb-janitor-us-gov-west-1/,
    );
    assert.match(text, /--policy-arn arn:aws-us-gov:eks::aws:cluster-access-policy\/AmazonEKSViewPolicy/);
  });
});
