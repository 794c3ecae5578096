#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readJanitorContext, readOrganizationContext } from '../lib/app-context';
import { NlbJanitorStack } from '../lib/nlb-janitor-stack';
import { addOrganizationStacks } from '../lib/organization/organization-app';

const app = new App();
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
try {
  const context = (key: string) => app.node.tryGetContext(key);
  const organization = readOrganizationContext(context);
  if (organization !== undefined) {
    // Deployed by the management account or a StackSets delegated administrator.
    addOrganizationStacks(app, { ...organization, env });
  } else {
    const { janitor, vpcLookup } = readJanitorContext(context);
    new NlbJanitorStack(app, 'NlbJanitor', {
      env,
      description: 'nlb-janitor: finds, reports and deletes network load balancers left behind by Kubernetes',
      janitor,
      vpcLookup,
    });
  }
} catch (error) {
  // A context mistake is a usage error: one line, no stack trace.
  console.error(`nlb-janitor: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
