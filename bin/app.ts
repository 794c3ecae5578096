#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readJanitorContext } from '../lib/app-context';
import { NlbJanitorStack } from '../lib/nlb-janitor-stack';

const app = new App();
try {
  const { janitor, vpcLookup } = readJanitorContext((key) => app.node.tryGetContext(key));
  new NlbJanitorStack(app, 'NlbJanitor', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    description: 'nlb-janitor: finds, reports and deletes network load balancers left behind by Kubernetes',
    janitor,
    vpcLookup,
  });
} catch (error) {
  // A context mistake is a usage error: one line, no stack trace.
  console.error(`nlb-janitor: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
