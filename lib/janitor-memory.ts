import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { MEMORY_KEY_ATTRIBUTE } from '../contract/fleet';

/**
 * The janitor's memory of what it told people (lambda/memory/table-memory.ts): one
 * small item, in the janitor's own account and region, read and written by its role
 * with GetItem and PutItem only. On demand: one read and one write a sweep.
 */
export function janitorMemoryTable(scope: Construct, id: string, role: iam.IRole): dynamodb.Table {
  const table = new dynamodb.Table(scope, id, {
    partitionKey: { name: MEMORY_KEY_ATTRIBUTE, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    // The savings so far are the only record of past deletions that survives them.
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    // Forgetting is safe: the next sweep tells everything current again.
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // Written out rather than table.grant(...) for a Sid the tests and a reviewer can find.
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'RememberWhatWasSaid',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      resources: [table.tableArn],
    }),
  );
  return table;
}
