// npm run demo: the janitor against a local world — moto for AWS, fake EKS API
// servers for two clusters — with the mix a platform team has. Sweeps with the
// real CLI, and the emails they send: the first marks (news), the second has
// nothing new (no email), six days later the reminder the day before, the daily
// digest, then the deletions. Time passes by ageing the marks. Nothing here
// reaches a real account.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import {
  DeleteLoadBalancerCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { formatSuspectSince } from '../lambda/decisions/suspect-timestamp';
import { MotoServer, motoAvailable } from '../test/support/emulator/moto-server';
import { TestWorld } from '../test/support/test-world';

const ENVOY_LABELS = (gateway: string) => ({
  'gateway.envoyproxy.io/owning-gateway-name': gateway,
  'gateway.envoyproxy.io/owning-gateway-namespace': 'default',
});

const AUTO_MODE = (service: string) => ({
  'eks:eks-cluster-name': 'prod',
  'service.eks.amazonaws.com/stack': service,
  'service.eks.amazonaws.com/resource': 'LoadBalancer',
});
const FRONT_END = (service: string) => ({
  'elbv2.k8s.aws/cluster': 'prod',
  'service.k8s.aws/stack': service,
  'service.k8s.aws/resource': 'ManagedLBSecurityGroup',
});
const LBC_GATEWAY = (gateway: string) => ({
  'elbv2.k8s.aws/cluster': 'prod',
  'gateway.k8s.aws.nlb/stack': gateway,
});

async function seed(w: TestWorld): Promise<Topics> {
  await w.addCluster('prod');
  await w.addCluster('staging');

  // prod: an Envoy Gateway with its generated Service, alive.
  const eg = await w.createNlb({
    name: 'k8s-envoygat-envoydef-1a2b3c4d5e',
    cluster: 'prod',
    service: 'envoy-gateway-system/envoy-default-eg-5f4c1e2a',
  });
  w.putService('prod', 'envoy-gateway-system/envoy-default-eg-5f4c1e2a', {
    dnsName: eg.dnsName,
    labels: ENVOY_LABELS('eg'),
  });
  // prod: the leftovers of a deleted Gateway, whose finalizer Envoy Gateway overwrote;
  // the Service's name (its hash verified) still says which Gateway it was for.
  await w.createNlb({
    name: 'k8s-envoygat-envoydef-9f8e7d6c5b',
    cluster: 'prod',
    service: 'envoy-gateway-system/envoy-default-old-gw-6faad47a',
  });
  // prod: EKS Auto Mode made an NLB for a Service, alive; and one whose Service is gone.
  const auto = await w.createNlb({ name: 'k8s-autoshop-cart-7b8c9d0e1f', tags: AUTO_MODE('shop/cart') });
  w.putService('prod', 'shop/cart', { dnsName: auto.dnsName });
  await w.createNlb({ name: 'k8s-autoshop-search-2c3d4e5f6a', tags: AUTO_MODE('shop/search') });
  // prod: the AWS Load Balancer Controller made NLBs for Gateways (Gateway API, L4): one alive, one gone.
  const publicGateway = await w.createNlb({
    name: 'k8s-infra-public-4d5e6f7a8b',
    tags: LBC_GATEWAY('infra/public'),
  });
  w.putGateway('prod', 'infra/public', { address: publicGateway.dnsName });
  await w.createNlb({ name: 'k8s-infra-partners-8b9c0d1e2f', tags: LBC_GATEWAY('infra/partners') });
  // prod: the rest of the shop, alive (owned load balancers are only counted in the report).
  for (const service of ['shop/catalog', 'shop/images', 'shop/orders', 'shop/payments']) {
    const name = `k8s-shop-${service.slice(5, 13)}-${'0123456789'.slice(0, 10)}`;
    const live = await w.createNlb({ name, cluster: 'prod', service });
    w.putService('prod', service, { dnsName: live.dnsName });
  }
  // prod: a plain LoadBalancer Service and its NLB.
  const web = await w.createNlb({ name: 'k8s-shop-web-0c1d2e3f4a', cluster: 'prod', service: 'shop/web' });
  w.putService('prod', 'shop/web', { dnsName: web.dnsName });
  // prod: a Service re-created under another controller; its status names a new NLB.
  await w.createNlb({ name: 'k8s-shop-checkout-5a6b7c8d9e', cluster: 'prod', service: 'shop/checkout' });
  const replacement = await w.createNlb({
    name: 'k8s-shop-checkout-aa11bb22cc',
    cluster: 'prod',
    service: 'shop/checkout',
  });
  w.putService('prod', 'shop/checkout', { dnsName: replacement.dnsName });
  // prod: an in-tree NLB whose Service was switched to ClusterIP.
  await w.createNlb({
    name: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6',
    cluster: 'prod',
    service: 'legacy/reports',
    controller: 'in-tree',
  });
  w.putService('prod', 'legacy/reports', { type: 'ClusterIP' });
  // staging: an in-tree NLB that is alive.
  const api = await w.createNlb({
    name: 'a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5',
    cluster: 'staging',
    service: 'legacy/api',
    controller: 'in-tree',
  });
  w.putService('staging', 'legacy/api', { dnsName: api.dnsName });
  // A cluster deleted before its Services: EKS no longer knows it.
  await w.createNlb({
    name: 'k8s-payments-gateway-3c4d5e6f7a',
    cluster: 'old-prod',
    service: 'payments/gateway',
  });
  // The whole footprint. prod's node security group, where the controllers open node ports.
  const nodes = await w.createSecurityGroup({
    name: 'eks-prod-nodes',
    tags: { 'kubernetes.io/cluster/prod': 'owned' },
  });
  // prod: a Service deleted while the controller was down: its NLB with three target groups,
  // its front-end security group, and the node rule the controller added for it.
  const promoGroup = await w.createSecurityGroup({
    name: 'k8s-shop-promo-8a7b6c5d4e',
    tags: FRONT_END('shop/promo'),
  });
  await w.allowFrom(nodes, promoGroup, 'elbv2.k8s.aws/targetGroupBinding=shared', 31080);
  await w.createNlb({
    name: 'k8s-shop-promo-1f2e3d4c5b',
    cluster: 'prod',
    service: 'shop/promo',
    listeners: 3,
    securityGroups: [promoGroup],
  });
  // prod: the controller deleted an NLB but not the rest (aws-load-balancer-controller#4207):
  // a target group and a front-end security group with nothing left to use them.
  const oldApiGroup = await w.createSecurityGroup({
    name: 'k8s-shop-oldapi-3b4c5d6e7f',
    tags: FRONT_END('shop/old-api'),
  });
  await w.allowFrom(nodes, oldApiGroup, 'elbv2.k8s.aws/targetGroupBinding=shared', 31090);
  const oldApi = await w.createNlb({
    name: 'k8s-shop-oldapi-0a9b8c7d6e',
    cluster: 'prod',
    service: 'shop/old-api',
  });
  await w.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: oldApi.arn }));
  // prod: the in-tree rules that opened node ports for the reports NLB (switched to ClusterIP above).
  await w.allowCidr(
    nodes,
    '0.0.0.0/0',
    30440,
    'kubernetes.io/rule/nlb/client=a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6',
  );
  await w.allowCidr(
    nodes,
    '10.0.0.0/16',
    30441,
    'kubernetes.io/rule/nlb/health=a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6',
  );

  // An NLB nobody in Kubernetes owns, and one a person told the janitor to leave alone.
  await w.createNlb({ name: 'bastion-nlb', tags: { team: 'platform' } });
  await w.createNlb({
    name: 'k8s-shop-legacy-6e7f8a9b0c',
    cluster: 'prod',
    service: 'shop/legacy',
    tags: { 'nlb-janitor/ignore': 'true' },
  });

  const email = await w.sns.send(new CreateTopicCommand({ Name: 'nlb-janitor-demo' }));
  const chat = await w.sns.send(new CreateTopicCommand({ Name: 'nlb-janitor-demo-chat' }));
  return { email: email.TopicArn ?? '', chat: chat.TopicArn ?? '' };
}

interface Topics {
  readonly email: string;
  readonly chat: string;
}

async function sweep(
  w: TestWorld,
  title: string,
  topics: Topics,
  options: { extra?: string[]; showTable?: boolean; showChat?: boolean; example?: string } = {},
): Promise<void> {
  const args = ['--sns-topic-arn', topics.email, '--chat-topic-arn', topics.chat, ...(options.extra ?? [])];
  console.log(`\n=== ${title}\n$ npx nlb-janitor sweep ${args.join(' ')}\n`);
  const run = await w.cli(['sweep', ...args]);
  if (options.showTable !== false) process.stdout.write(run.stdout);
  if (run.stderr) process.stderr.write(run.stderr);
  console.log(`(exit status ${run.status})`);
  const published = (await w.moto.requests()).filter((request) => request.action === 'Publish');
  const email = published.find((request) => request.params.TopicArn === topics.email);
  const chat = published.find((request) => request.params.TopicArn === topics.chat);
  if (email === undefined) console.log('\n--- no email: nothing new since the last message');
  else console.log(`\n--- the email it sent: ${email.params.Subject}\n${email.params.Message}`);
  const chatText =
    chat === undefined ? undefined : JSON.stringify(JSON.parse(chat.params.Message ?? '{}'), null, 2);
  if (chatText !== undefined && options.showChat) {
    console.log(`\n--- the chat message it sent (Amazon Q Developer custom notification)\n${chatText}`);
  }
  // DEMO_EXAMPLES_DIR=docs/examples npm run demo: the README's example messages, as sent.
  const examples = process.env.DEMO_EXAMPLES_DIR;
  if (examples !== undefined && options.example !== undefined && email !== undefined) {
    mkdirSync(examples, { recursive: true });
    const mail = `Subject: ${email.params.Subject}\n\n${email.params.Message}\n`;
    writeFileSync(path.join(examples, `${options.example}-email.txt`), mail);
    if (chatText !== undefined)
      writeFileSync(path.join(examples, `${options.example}-chat.json`), `${chatText}\n`);
  }
  await w.moto.resetCalls();
}

/**
 * The demo's stand-in for time passing: every promise (mark, date, announcement,
 * reminder) moves `hours` back, on load balancers, target groups, security groups and rules.
 */
async function ageMarks(w: TestWorld, hours: number): Promise<void> {
  const keys = [
    'nlb-janitor/suspect-since',
    'nlb-janitor/deletes-at',
    'nlb-janitor/announced-at',
    'nlb-janitor/reminded-at',
  ];
  const moved = (tags: Record<string, string>) => {
    const changed: Record<string, string> = {};
    for (const key of keys) {
      const value = tags[key];
      if (value !== undefined)
        changed[key] = formatSuspectSince(new Date(Date.parse(value) - hours * 3_600_000));
    }
    return changed;
  };
  const groups = await w.elbv2.send(new DescribeTargetGroupsCommand({}));
  const elbv2Arns = [
    ...(await w.loadBalancerArns()),
    ...(groups.TargetGroups ?? []).map((group) => group.TargetGroupArn ?? ''),
  ];
  for (const arn of elbv2Arns) {
    const changed = moved(await w.tagsOf(arn));
    if (Object.keys(changed).length > 0) await w.addTags(arn, changed);
  }
  const securityGroups = await w.ec2.send(new DescribeSecurityGroupsCommand({}));
  const rules = await w.ec2.send(new DescribeSecurityGroupRulesCommand({}));
  const ec2Resources = [
    ...(securityGroups.SecurityGroups ?? []).map((group) => ({ id: group.GroupId ?? '', tags: group.Tags })),
    ...(rules.SecurityGroupRules ?? []).map((rule) => ({
      id: rule.SecurityGroupRuleId ?? '',
      tags: rule.Tags,
    })),
  ];
  for (const { id, tags } of ec2Resources) {
    const changed = moved(Object.fromEntries((tags ?? []).map(({ Key, Value }) => [Key ?? '', Value ?? ''])));
    if (Object.keys(changed).length > 0) await w.addEc2Tags([id], changed);
  }
}

async function main(): Promise<void> {
  if (!motoAvailable()) {
    console.error("The demo needs moto's server: pip install 'moto[server]'");
    process.exitCode = 1;
    return;
  }
  const world = new TestWorld(await MotoServer.start());
  try {
    const topics = await seed(world);
    await sweep(world, 'Sweep 1: find and mark (news: an email, and a chat message)', topics, {
      showChat: true,
      example: 'change',
    });
    await sweep(world, 'Sweep 2, an hour later: the same load balancers wait for their date', topics, {
      showTable: false,
    });
    console.log('\n=== Six days and an hour pass (the demo moves every promise back)');
    await ageMarks(world, 6 * 24 + 1);
    await sweep(world, 'Sweep 3: the day before, one reminder', topics, {
      showTable: false,
      example: 'reminder',
    });
    await sweep(world, 'Sweep 4: the daily digest (the schedule invokes {"digest": true})', topics, {
      extra: ['--digest'],
      showTable: false,
      example: 'digest',
    });
    console.log('\n=== A day passes');
    await ageMarks(world, 24);
    // The default of 3 deletions per cluster and sweep would spread this over three sweeps.
    await sweep(
      world,
      'Sweep 5: delete what is still orphaned after the grace period (at most 10 per cluster, for the demo)',
      topics,
      { example: 'deletion', extra: ['--max-deletions-per-cluster', '10'] },
    );
    console.log('\n=== A few minutes pass: the deleted NLBs let go of their security groups and node rules');
    await sweep(world, 'Sweep 6: finish the footprint the deleted load balancers were still using', topics, {
      example: 'footprint',
      extra: ['--max-deletions-per-cluster', '10'],
    });
  } finally {
    await world.stop();
  }
}

void main();
