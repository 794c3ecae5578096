#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { NlbJanitorStack } from '../lib/nlb-janitor-stack';

const app = new App();
const clusters = String(app.node.tryGetContext('clusters') ?? '')
  .split(',')
  .map((name) => name.trim())
  .filter((name) => name !== '');

new NlbJanitorStack(app, 'NlbJanitor', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  janitor: { clusters },
});
