import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { after, afterEach, before, beforeEach, describe } from 'node:test';
import { APIGatewayClient, CreateVpcLinkCommand } from '@aws-sdk/client-api-gateway';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DeleteNetworkInterfaceCommand,
  EC2Client,
  type IpPermission,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateClusterCommand, DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
  ModifyLoadBalancerAttributesCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  CreateAcceleratorCommand,
  CreateListenerCommand as CreateAcceleratorListenerCommand,
  CreateEndpointGroupCommand,
  type GlobalAcceleratorClient,
} from '@aws-sdk/client-global-accelerator';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { SNSClient } from '@aws-sdk/client-sns';
import type { SkippableEvidenceKind } from '../../contract/evidence-kinds';
import { defaultEvidenceSources } from '../../lambda/evidence/default-sources';
import type { EvidenceSource } from '../../lambda/evidence/evidence';
import { createGlobalAcceleratorClient } from '../../lambda/evidence/global-accelerator';
import {
  DEFAULT_ELBV2_PACING,
  type Elbv2Usage,
  paceElbv2DescribeCalls,
} from '../../lambda/inventory/elbv2-pacing';
import type { SweepReport } from '../../lambda/report/sweep-report';
import { runSweep } from '../../lambda/sweep/run-sweep';
import type { SweepDependencies } from '../../lambda/sweep/sweep-dependencies';
import type { SweepSettings } from '../../lambda/sweep/sweep-settings';
import { MotoServer, motoAvailable } from './emulator/moto-server';
import type { FakeCredentials } from './fake-eks/eks-token-verifier';
import { FakeEksApiServer, type GatewayApiVersion } from './fake-eks/fake-eks-api-server';
import type { FakeIngressClassParamsSpec, FakeIngressClassSpec } from './fake-eks/fake-ingress-classes';
import type { FakeServiceSpec } from './fake-eks/fake-services';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
/** Long-term test keys; moto accepts any, the fake clusters only these (and any added per cluster). */
export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIAJANITORTEST00001',
  secretAccessKey: 'janitor-test-secret',
} as const;

const CLI = path.join(__dirname, '..', '..', 'bin', 'nlb-janitor.cjs');

export const DEFAULT_SETTINGS: SweepSettings = {
  dryRun: false,
  gracePeriod: '7d',
  gracePeriodMs: 7 * 86_400_000,
  maxDeletions: 10,
  maxDeletionsPerCluster: 10,
  deleteWhenClusterMissing: false,
  clusters: undefined,
  maxOrphanRatio: 1,
};

/** A VPC and two of its subnets, in different availability zones. */
export interface Network {
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
}

/** What EKS DescribeCluster says of a cluster's identity. */
export interface ClusterInfo {
  readonly vpcId: string;
  readonly createdAt: Date;
}

export interface AddClusterOptions {
  readonly credentials?: FakeCredentials;
  readonly now?: () => Date;
  readonly continueTokenTtlMs?: number;
  /** The VPC whose subnets CreateCluster gets. @default moto's default VPC */
  readonly network?: Network;
  /** DescribeCluster's `createdAt`. @default the moment moto created the cluster */
  readonly createdAt?: Date;
  /** Gateway API CRD versions installed; `[]` for none. @default ['v1', 'v1beta1'] */
  readonly gatewayApiVersions?: readonly GatewayApiVersion[];
}

export interface NlbSpec {
  readonly name: string;
  /** Owner cluster and `namespace/name`; omitted: no owner tags. */
  readonly cluster?: string;
  readonly service?: string;
  /** @default 'lbc' */
  readonly controller?: 'lbc' | 'in-tree';
  readonly tags?: Readonly<Record<string, string>>;
  /** Listeners, each forwarding to its own target group tagged with the same owner. @default 1 */
  readonly listeners?: number;
  readonly deletionProtection?: boolean;
  /** @default 'network' */
  readonly type?: 'network' | 'application';
  /** The VPC of its subnets and target groups. @default moto's default VPC */
  readonly network?: Network;
  /** DescribeLoadBalancers' `CreatedTime`. @default the moment moto created it */
  readonly createdAt?: Date;
  /** Its security groups (sg-…), as the Load Balancer Controller gives an NLB. @default none */
  readonly securityGroups?: readonly string[];
}

export interface SecurityGroupSpec {
  readonly name: string;
  /** @default moto's default VPC */
  readonly vpcId?: string;
  /** @default the name */
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface CreatedNlb {
  readonly arn: string;
  readonly dnsName: string;
  readonly targetGroupArns: readonly string[];
}

/**
 * The local world an integration test sweeps: moto for AWS, fake EKS API servers
 * for the clusters, wired as in AWS (DescribeCluster gives each fake's endpoint and CA).
 */
export class TestWorld {
  /** For the test's own set-up and checks: unpaced, one attempt. */
  readonly elbv2: ElasticLoadBalancingV2Client;
  /** The engine's ELBv2 client in `sweep()`: describe calls paced as in production, one attempt. */
  readonly janitorElbv2: ElasticLoadBalancingV2Client;
  readonly janitorElbv2Usage: () => Elbv2Usage;
  readonly tagging: ResourceGroupsTaggingAPIClient;
  readonly eks: EKSClient;
  readonly sns: SNSClient;
  readonly ec2: EC2Client;
  readonly apiGateway: APIGatewayClient;
  readonly cloudWatch: CloudWatchClient;
  /** Pinned to us-west-2, as the product's is; the launcher serves the fake only there. */
  readonly globalAccelerator: GlobalAcceleratorClient;
  private readonly clusters = new Map<string, FakeEksApiServer>();
  /** Every report `sweep()` delivered, as a person would have read it. */
  readonly delivered: SweepReport[] = [];

  constructor(readonly moto: MotoServer) {
    const config = {
      endpoint: moto.endpoint,
      region: REGION,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    };
    this.elbv2 = new ElasticLoadBalancingV2Client(config);
    this.janitorElbv2 = new ElasticLoadBalancingV2Client(config);
    this.janitorElbv2Usage = paceElbv2DescribeCalls(this.janitorElbv2, {
      ...DEFAULT_ELBV2_PACING,
      now: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    });
    this.tagging = new ResourceGroupsTaggingAPIClient(config);
    this.eks = new EKSClient(config);
    this.sns = new SNSClient(config);
    this.ec2 = new EC2Client(config);
    this.apiGateway = new APIGatewayClient(config);
    this.cloudWatch = new CloudWatchClient(config);
    const { region: _region, ...unpinned } = config;
    this.globalAccelerator = createGlobalAcceleratorClient(unpinned);
  }

  /** Environment for a child process (the CLI) that should reach this world. */
  env(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL: this.moto.endpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      // The SDK warns on every start about Node 20's end of support; it is noise here.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  }

  cluster(name: string): FakeEksApiServer {
    const server = this.clusters.get(name);
    if (server === undefined) throw new Error(`no fake cluster ${name}`);
    return server;
  }

  /**
   * A new VPC with two subnets in different availability zones, beside moto's default
   * VPC (172.31.0.0/16); VPCs may share a CIDR, as in AWS.
   */
  async createNetwork(cidr = '10.0.0.0/16'): Promise<Network> {
    return this.moto.createNetwork(REGION, cidr);
  }

  /**
   * Creates the cluster in EKS (moto) and its API server (the fake), wired together.
   * The fake starts, as every cluster does, with the Service `default/kubernetes`.
   */
  async addCluster(name: string, options: AddClusterOptions = {}): Promise<FakeEksApiServer> {
    const network = options.network ?? (await this.moto.defaultNetwork(REGION));
    await this.eks.send(
      new CreateClusterCommand({
        name,
        roleArn: `arn:aws:iam::${ACCOUNT}:role/eks-cluster`,
        resourcesVpcConfig: { subnetIds: [...network.subnetIds] },
      }),
    );
    if (options.createdAt !== undefined) {
      await this.moto.setClusterCreatedAt({
        clusterName: name,
        region: REGION,
        createdAt: options.createdAt,
      });
    }
    const server = await FakeEksApiServer.start({
      clusterName: name,
      region: REGION,
      credentials: options.credentials ?? {
        [TEST_CREDENTIALS.accessKeyId]: { secretAccessKey: TEST_CREDENTIALS.secretAccessKey },
      },
      now: options.now,
      continueTokenTtlMs: options.continueTokenTtlMs,
      gatewayApiVersions: options.gatewayApiVersions,
    });
    this.clusters.set(name, server);
    await this.moto.setClusterEndpoint({
      clusterName: name,
      region: REGION,
      endpoint: server.endpoint,
      certificateAuthorityData: server.caBase64,
    });
    return server;
  }

  /** The cluster's VPC and creation time, as EKS DescribeCluster answers them. */
  async clusterInfo(name: string): Promise<ClusterInfo> {
    const { cluster } = await this.eks.send(new DescribeClusterCommand({ name }));
    const vpcId = cluster?.resourcesVpcConfig?.vpcId;
    const createdAt = cluster?.createdAt;
    if (vpcId === undefined || createdAt === undefined) {
      throw new Error(`DescribeCluster ${name} gave no vpcId or createdAt`);
    }
    return { vpcId, createdAt };
  }

  /** A fake API server with its own CA that EKS does not know: an impostor for TLS tests. */
  async addClusterServerOnly(name: string): Promise<FakeEksApiServer> {
    const server = await FakeEksApiServer.start({ clusterName: name, region: REGION, credentials: {} });
    this.clusters.set(name, server);
    return server;
  }

  /** A Service of type LoadBalancer whose status names `dnsName` (or nothing yet). */
  putService(cluster: string, key: string, spec: Partial<FakeServiceSpec> & { dnsName?: string } = {}): void {
    const [namespace, name] = key.split('/');
    if (namespace === undefined || name === undefined) throw new Error(`bad service key ${key}`);
    const { dnsName, ...rest } = spec;
    this.cluster(cluster).putService({
      namespace,
      name,
      loadBalancerIngress: dnsName === undefined ? undefined : [{ hostname: dnsName }],
      ...rest,
    });
  }

  /** An Ingress (class `alb` unless given) whose status names `hostname` (or nothing yet). */
  putIngress(
    cluster: string,
    key: string,
    spec: { groupName?: string; ingressClassName?: string; hostname?: string } = {},
  ): void {
    const { namespace, name } = splitKey(key);
    const { hostname, ...rest } = spec;
    this.cluster(cluster).putIngress({
      namespace,
      name,
      hostnames: hostname === undefined ? undefined : [hostname],
      ...rest,
    });
  }

  /** An IngressClass of the Load Balancer Controller (unless `controller` says otherwise), its params named by `paramsName`. */
  putIngressClass(cluster: string, name: string, spec: Omit<FakeIngressClassSpec, 'name'> = {}): void {
    this.cluster(cluster).putIngressClass({ name, ...spec });
  }

  /** An IngressClassParams whose `spec.group.name` is `groupName` (or none). */
  putIngressClassParams(
    cluster: string,
    name: string,
    spec: Omit<FakeIngressClassParamsSpec, 'name'> = {},
  ): void {
    this.cluster(cluster).putIngressClassParams({ name, ...spec });
  }

  /** A Gateway (class `aws-nlb` unless given) whose status names `address` (or nothing yet). */
  putGateway(cluster: string, key: string, spec: { gatewayClassName?: string; address?: string } = {}): void {
    const { namespace, name } = splitKey(key);
    const { address, ...rest } = spec;
    this.cluster(cluster).putGateway({
      namespace,
      name,
      addresses: address === undefined ? undefined : [address],
      ...rest,
    });
  }

  async createNlb(spec: NlbSpec): Promise<CreatedNlb> {
    const network = spec.network ?? (await this.moto.defaultNetwork(REGION));
    const ownerTags = spec.cluster !== undefined && spec.service !== undefined ? ownerTagsFor(spec) : {};
    const tags = { ...ownerTags, ...spec.tags };
    const created = await this.elbv2.send(
      new CreateLoadBalancerCommand({
        Name: spec.name,
        Type: spec.type ?? 'network',
        Scheme: 'internet-facing',
        Subnets: network.subnetIds.slice(0, 2),
        SecurityGroups: spec.securityGroups === undefined ? undefined : [...spec.securityGroups],
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    const loadBalancer = created.LoadBalancers?.[0];
    if (loadBalancer?.LoadBalancerArn === undefined || loadBalancer.DNSName === undefined) {
      throw new Error('moto created no load balancer');
    }
    const arn = loadBalancer.LoadBalancerArn;
    const targetGroupArns: string[] = [];
    for (let index = 0; index < (spec.listeners ?? 1); index++) {
      const port = 80 + index;
      const group = await this.elbv2.send(
        new CreateTargetGroupCommand({
          // Target group names are at most 32 characters, without a leading or trailing dash.
          Name: `tg-${randomBytes(6).toString('hex')}-${index}`,
          Protocol: 'TCP',
          Port: 30000 + index,
          VpcId: network.vpcId,
          TargetType: 'instance',
          Tags: Object.entries(targetGroupTagsFor(spec, ownerTags, 30000 + index)).map(([Key, Value]) => ({
            Key,
            Value,
          })),
        }),
      );
      const targetGroupArn = group.TargetGroups?.[0]?.TargetGroupArn;
      if (targetGroupArn === undefined) throw new Error('moto created no target group');
      targetGroupArns.push(targetGroupArn);
      await this.elbv2.send(
        new CreateListenerCommand({
          LoadBalancerArn: arn,
          Protocol: 'TCP',
          Port: port,
          DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
        }),
      );
    }
    if (spec.createdAt !== undefined) await this.setCreatedTime(arn, spec.createdAt);
    if (spec.deletionProtection) {
      await this.elbv2.send(
        new ModifyLoadBalancerAttributesCommand({
          LoadBalancerArn: arn,
          Attributes: [{ Key: 'deletion_protection.enabled', Value: 'true' }],
        }),
      );
    }
    return { arn, dnsName: loadBalancer.DNSName, targetGroupArns };
  }

  /** Sets the `CreatedTime` DescribeLoadBalancers answers for a load balancer. */
  async setCreatedTime(arn: string, createdAt: Date): Promise<void> {
    await this.moto.setLoadBalancerCreatedTime({ region: REGION, arn, createdAt });
  }

  async addTags(arn: string, tags: Readonly<Record<string, string>>): Promise<void> {
    await this.elbv2.send(
      new AddTagsCommand({
        ResourceArns: [arn],
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
  }

  async tagsOf(arn: string): Promise<Record<string, string>> {
    const output = await this.elbv2.send(new DescribeTagsCommand({ ResourceArns: [arn] }));
    const tags: Record<string, string> = {};
    for (const tag of output.TagDescriptions?.[0]?.Tags ?? []) if (tag.Key) tags[tag.Key] = tag.Value ?? '';
    return tags;
  }

  async loadBalancerArns(): Promise<string[]> {
    const output = await this.elbv2.send(new DescribeLoadBalancersCommand({}));
    return (output.LoadBalancers ?? []).map((lb) => lb.LoadBalancerArn ?? '');
  }

  /** A PrivateLink endpoint service in front of the given load balancers; its id (vpce-svc-…). */
  async createEndpointService(loadBalancerArns: readonly string[]): Promise<string> {
    const output = await this.ec2.send(
      new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [...loadBalancerArns] }),
    );
    const id = output.ServiceConfiguration?.ServiceId;
    if (id === undefined) throw new Error('moto created no endpoint service');
    return id;
  }

  /** A security group, tagged at creation; its id (sg-…). EC2 gives it one egress rule to 0.0.0.0/0. */
  async createSecurityGroup(spec: SecurityGroupSpec): Promise<string> {
    const vpcId = spec.vpcId ?? (await this.moto.defaultNetwork(REGION)).vpcId;
    const tags = Object.entries(spec.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
    const output = await this.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: spec.name,
        Description: spec.description ?? spec.name,
        VpcId: vpcId,
        TagSpecifications: tags.length > 0 ? [{ ResourceType: 'security-group', Tags: tags }] : undefined,
      }),
    );
    if (output.GroupId === undefined) throw new Error('moto created no security group');
    return output.GroupId;
  }

  /** An ingress rule on `targetGroupId` for TCP `port` from members of `sourceGroupId`; its id (sgr-…). */
  async allowFrom(
    targetGroupId: string,
    sourceGroupId: string,
    description: string,
    port: number,
  ): Promise<string> {
    return this.authorizeIngress(targetGroupId, {
      IpProtocol: 'tcp',
      FromPort: port,
      ToPort: port,
      UserIdGroupPairs: [{ GroupId: sourceGroupId, Description: description }],
    });
  }

  /** An ingress rule on `groupId` for TCP `port` from `cidr`; its id (sgr-…). */
  async allowCidr(groupId: string, cidr: string, port: number, description: string): Promise<string> {
    return this.authorizeIngress(groupId, {
      IpProtocol: 'tcp',
      FromPort: port,
      ToPort: port,
      IpRanges: [{ CidrIp: cidr, Description: description }],
    });
  }

  private async authorizeIngress(groupId: string, permission: IpPermission): Promise<string> {
    const output = await this.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] }),
    );
    const ruleId = output.SecurityGroupRules?.[0]?.SecurityGroupRuleId;
    if (ruleId === undefined) throw new Error('moto created no security group rule');
    return ruleId;
  }

  /** Tags EC2 resources by id: security groups (sg-…), their rules (sgr-…), network interfaces. */
  async addEc2Tags(resourceIds: readonly string[], tags: Readonly<Record<string, string>>): Promise<void> {
    await this.ec2.send(
      new CreateTagsCommand({
        Resources: [...resourceIds],
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
  }

  /** A network interface in the subnet with these security groups, as a node or a load balancer holds them; its id. */
  async attachNetworkInterface(subnetId: string, groupIds: readonly string[]): Promise<string> {
    const output = await this.ec2.send(
      new CreateNetworkInterfaceCommand({ SubnetId: subnetId, Groups: [...groupIds] }),
    );
    const id = output.NetworkInterface?.NetworkInterfaceId;
    if (id === undefined) throw new Error('moto created no network interface');
    return id;
  }

  async deleteNetworkInterface(id: string): Promise<void> {
    await this.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: id }));
  }

  /** An API Gateway (REST) VPC link to the given load balancers; its id. */
  async createVpcLink(name: string, targetArns: readonly string[]): Promise<string> {
    const output = await this.apiGateway.send(
      new CreateVpcLinkCommand({ name, targetArns: [...targetArns] }),
    );
    if (output.id === undefined) throw new Error('moto created no VPC link');
    return output.id;
  }

  /** An accelerator with one TCP listener and one endpoint group routing to the given endpoints; its ARN. */
  async createAccelerator(name: string, endpointIds: readonly string[]): Promise<string> {
    const accelerator = await this.globalAccelerator.send(
      new CreateAcceleratorCommand({ Name: name, IdempotencyToken: randomBytes(8).toString('hex') }),
    );
    const acceleratorArn = accelerator.Accelerator?.AcceleratorArn;
    if (acceleratorArn === undefined) throw new Error('the fake created no accelerator');
    const listener = await this.globalAccelerator.send(
      new CreateAcceleratorListenerCommand({
        AcceleratorArn: acceleratorArn,
        Protocol: 'TCP',
        PortRanges: [{ FromPort: 443, ToPort: 443 }],
        IdempotencyToken: randomBytes(8).toString('hex'),
      }),
    );
    const listenerArn = listener.Listener?.ListenerArn;
    if (listenerArn === undefined) throw new Error('the fake created no listener');
    await this.globalAccelerator.send(
      new CreateEndpointGroupCommand({
        ListenerArn: listenerArn,
        EndpointGroupRegion: REGION,
        EndpointConfigurations: endpointIds.map((EndpointId) => ({ EndpointId, Weight: 128 })),
        IdempotencyToken: randomBytes(8).toString('hex'),
      }),
    );
    return acceleratorArn;
  }

  /** Runs `count` instances and registers them in the target group; stopped ones moto reports `unused`. */
  async registerInstances(
    targetGroupArn: string,
    count: number,
    options: { stopped?: boolean } = {},
  ): Promise<string[]> {
    const run = await this.ec2.send(
      new RunInstancesCommand({ ImageId: 'ami-12c6146b', MinCount: count, MaxCount: count }),
    );
    const ids = (run.Instances ?? []).flatMap((instance) =>
      instance.InstanceId ? [instance.InstanceId] : [],
    );
    // ELBv2 registers running instances only; stopping one afterwards makes it `unused`.
    await this.elbv2.send(
      new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: ids.map((Id) => ({ Id })) }),
    );
    if (options.stopped) await this.ec2.send(new StopInstancesCommand({ InstanceIds: ids }));
    return ids;
  }

  /** Datapoints of an AWS/NetworkELB metric for the load balancer `dimension` (`net/<name>/<id>`). */
  async putLoadBalancerMetric(
    dimension: string,
    metricName: 'NewFlowCount' | 'ActiveFlowCount' | 'ProcessedBytes',
    datapoints: readonly { readonly value: number; readonly at: Date }[],
  ): Promise<void> {
    await this.cloudWatch.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/NetworkELB',
        MetricData: datapoints.map(({ value, at }) => ({
          MetricName: metricName,
          Dimensions: [{ Name: 'LoadBalancer', Value: dimension }],
          Value: value,
          Timestamp: at,
        })),
      }),
    );
  }

  /** The product's evidence-of-use sources, reading this world; `clock` moves the traffic window. */
  evidenceSources(
    gracePeriodMs: number,
    options: { clock?: () => Date; skip?: readonly SkippableEvidenceKind[] } = {},
  ): EvidenceSource[] {
    return defaultEvidenceSources(
      {
        elbv2: this.janitorElbv2,
        ec2: this.ec2,
        apiGateway: this.apiGateway,
        cloudWatch: this.cloudWatch,
        globalAccelerator: this.globalAccelerator,
      },
      { gracePeriodMs, clock: options.clock ?? (() => new Date()), skip: options.skip },
    );
  }

  /** The engine in this process, with real SDK clients pointed at moto. */
  async sweep(
    settings: Partial<SweepSettings> = {},
    deps: Partial<SweepDependencies> = {},
  ): Promise<SweepReport> {
    return runSweep(
      { ...DEFAULT_SETTINGS, ...settings },
      {
        elbv2: this.janitorElbv2,
        elbv2Usage: this.janitorElbv2Usage,
        tagging: this.tagging,
        ec2: this.ec2,
        eks: this.eks,
        region: REGION,
        credentials: async () => TEST_CREDENTIALS,
        clock: () => new Date(),
        sleep: async () => {},
        logger: { debug: () => {}, info: () => {} },
        tuning: { baseBackoffMs: 1, kubernetesRequestTimeoutMs: 2_000, targetGroupRetryDelaysMs: [1, 1] },
        // Evidence of use is read from the emulator as in AWS.
        evidence: this.evidenceSources(settings.gracePeriodMs ?? DEFAULT_SETTINGS.gracePeriodMs),
        // A person reads every report, unless a test says otherwise.
        announce: async (report) => {
          this.delivered.push(report);
        },
        ...deps,
      },
    );
  }

  /** The real CLI in a child process, as a user runs it. */
  cli(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliRun> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.env(), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.once('error', reject);
      child.once('exit', (status) => resolve({ status: status ?? -1, stdout, stderr }));
    });
  }

  /** Between tests: an empty AWS and no clusters. */
  async reset(): Promise<void> {
    await Promise.all([...this.clusters.values()].map((server) => server.stop()));
    this.clusters.clear();
    this.delivered.length = 0;
    await this.moto.reset();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.clusters.values()].map((server) => server.stop()));
    this.clusters.clear();
    this.elbv2.destroy();
    this.janitorElbv2.destroy();
    this.tagging.destroy();
    this.eks.destroy();
    this.sns.destroy();
    this.ec2.destroy();
    this.apiGateway.destroy();
    this.cloudWatch.destroy();
    this.globalAccelerator.destroy();
    await this.moto.stop();
  }
}

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

function ownerTagsFor(spec: NlbSpec): Record<string, string> {
  if (spec.controller === 'in-tree') {
    return {
      [`kubernetes.io/cluster/${spec.cluster}`]: 'owned',
      'kubernetes.io/service-name': spec.service ?? '',
    };
  }
  return { 'elbv2.k8s.aws/cluster': spec.cluster ?? '', 'service.k8s.aws/stack': spec.service ?? '' };
}

/** A target group's tags: its load balancer's owner, and (LBC) `service.k8s.aws/resource` = `<ns>/<svc>:<port>`, as the LBC writes them. */
function targetGroupTagsFor(
  spec: NlbSpec,
  ownerTags: Record<string, string>,
  port: number,
): Record<string, string> {
  if (spec.controller === 'in-tree' || spec.service === undefined || Object.keys(ownerTags).length === 0) {
    return ownerTags;
  }
  return { ...ownerTags, 'service.k8s.aws/resource': `${spec.service}:${port}` };
}

/**
 * An integration suite with one world per file, reset before each test. Without
 * moto the suite is skipped with one line; under CI=true that is a failure.
 */
export function describeWithWorld(name: string, body: (world: () => TestWorld) => void): void {
  if (!motoAvailable()) {
    if (process.env.CI === 'true') {
      throw new Error(
        "moto is not installed, and CI=true requires the integration tests: pip install 'moto[server]'",
      );
    }
    describe(name, {
      skip: "moto is not installed: integration tests skipped (pip install 'moto[server]')",
    }, () => {});
    return;
  }
  describe(name, () => {
    let world: TestWorld | undefined;
    before(async () => {
      world = new TestWorld(await MotoServer.start());
    });
    beforeEach(async () => {
      await world?.reset();
    });
    afterEach(async () => {
      await world?.moto.clearFaults();
    });
    after(async () => {
      await world?.stop();
    });
    body(() => {
      if (world === undefined) throw new Error('the test world did not start');
      return world;
    });
  });
}

function splitKey(key: string): { namespace: string; name: string } {
  const [namespace, name, ...rest] = key.split('/');
  if (namespace === undefined || name === undefined || rest.length > 0) throw new Error(`bad key ${key}`);
  return { namespace, name };
}
