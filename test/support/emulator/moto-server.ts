import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

const LAUNCHER = path.join(__dirname, 'moto_launcher.py');
const STARTUP_TIMEOUT_MS = 20_000;

/** An AWS error, a short DescribeTags answer or a delay, for the next `count` matching calls (-1: all). */
export type AwsFault =
  | {
      readonly kind?: 'error';
      readonly service:
        | 'elasticloadbalancing'
        | 'eks'
        | 'sns'
        | 'sts'
        | 'ec2'
        | 'apigateway'
        | 'globalaccelerator'
        | 'monitoring'
        | 'tagging';
      readonly action: string;
      readonly count?: number;
      readonly status?: number;
      readonly code: string;
      readonly message?: string;
      /** Only calls whose decoded form parameters have these values. */
      readonly match?: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: 'drop_tag_descriptions';
      readonly service: 'elasticloadbalancing';
      readonly action: 'DescribeTags';
      readonly count?: number;
      /** How many of the asked ARNs moto does not answer for. */
      readonly drop: number;
    }
  | {
      /** The call is answered as usual, `ms` later: room for a race. */
      readonly kind: 'delay';
      readonly service: 'elasticloadbalancing' | 'tagging';
      readonly action: string;
      readonly count?: number;
      readonly ms: number;
    };

/** A load balancer for `createLoadBalancers`, with its footprint. */
export interface BulkLoadBalancer {
  readonly name: string;
  readonly type?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** A front-end security group made for it and attached to it (its SecurityGroups). */
  readonly securityGroup?: { readonly name: string; readonly tags: Readonly<Record<string, string>> };
  /** TCP instance target groups, each forwarded by a TCP listener of the load balancer. */
  readonly targetGroups?: readonly {
    readonly name: string;
    readonly port: number;
    readonly tags: Readonly<Record<string, string>>;
  }[];
  /** Ingress rules in existing groups (by id) whose source is the front-end security group. */
  readonly nodeRules?: readonly {
    readonly groupId: string;
    readonly description: string;
    readonly fromPort: number;
    readonly toPort: number;
  }[];
}

export interface RecordedRequest {
  readonly service: string;
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
}

/** moto's server in a child process, with the launcher's test routes. */
export class MotoServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: string,
  ) {}

  /** Starts the launcher on a free loopback port. */
  static async start(): Promise<MotoServer> {
    const child = spawn('python3', [LAUNCHER, '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`moto did not start in ${STARTUP_TIMEOUT_MS} ms: ${stderr.join('')}`)),
        STARTUP_TIMEOUT_MS,
      );
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      lines.on('line', (line) => {
        const match = /^READY (\d+)$/.exec(line);
        if (match === null) return;
        clearTimeout(timer);
        resolve(Number(match[1]));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`moto exited with ${code} before it was ready: ${stderr.join('')}`));
      });
    });
    return new MotoServer(child, `http://127.0.0.1:${port}`);
  }

  /** moto's own reset, which the launcher extends to its counters and faults. */
  async reset(): Promise<void> {
    await this.call('POST', '/moto-api/reset');
  }

  async calls(): Promise<Record<string, number>> {
    return (await this.call('GET', '/_test/calls')) as Record<string, number>;
  }

  async requests(): Promise<RecordedRequest[]> {
    return (await this.call('GET', '/_test/requests')) as RecordedRequest[];
  }

  async resetCalls(): Promise<void> {
    await this.call('POST', '/_test/calls/reset');
  }

  /** Points an emulated EKS cluster at a fake API server; moto invents both otherwise. */
  async setClusterEndpoint(input: {
    clusterName: string;
    region: string;
    endpoint: string;
    certificateAuthorityData: string;
  }): Promise<void> {
    await this.call('POST', `/_test/eks/clusters/${encodeURIComponent(input.clusterName)}`, {
      region: input.region,
      endpoint: input.endpoint,
      certificateAuthorityData: input.certificateAuthorityData,
    });
  }

  /** Sets the `createdAt` DescribeCluster answers for an emulated cluster (moto: when it was created). */
  async setClusterCreatedAt(input: { clusterName: string; region: string; createdAt: Date }): Promise<void> {
    await this.call('POST', `/_test/eks/clusters/${encodeURIComponent(input.clusterName)}`, {
      region: input.region,
      createdAt: input.createdAt.toISOString(),
    });
  }

  /** Sets the `CreatedTime` DescribeLoadBalancers answers for a load balancer (moto keeps milliseconds). */
  async setLoadBalancerCreatedTime(input: { region: string; arn: string; createdAt: Date }): Promise<void> {
    await this.call('POST', '/_test/elbv2/created-time', {
      region: input.region,
      arn: input.arn,
      createdAt: input.createdAt.toISOString(),
    });
  }

  /** Creates a VPC with two subnets in different availability zones, beside moto's default VPC. */
  async createNetwork(region: string, cidr: string): Promise<{ vpcId: string; subnetIds: string[] }> {
    return (await this.call('POST', '/_test/ec2/network', { region, cidr })) as {
      vpcId: string;
      subnetIds: string[];
    };
  }

  /** moto's default VPC and its subnets: what CreateLoadBalancer and CreateTargetGroup need. */
  async defaultNetwork(region: string): Promise<{ vpcId: string; subnetIds: string[] }> {
    return (await this.call('GET', `/_test/ec2/default-network?region=${region}`)) as {
      vpcId: string;
      subnetIds: string[];
    };
  }

  /**
   * Creates load balancers straight in moto's backend, in its default VPC: thousands in a second, for
   * benchmarks. Each may come with its footprint: a front-end security group it has, target groups
   * each forwarded by a TCP listener (ports 80, 81, ...), and ingress rules in other (node) groups
   * from its front-end group.
   */
  async createLoadBalancers(
    region: string,
    loadBalancers: readonly BulkLoadBalancer[],
  ): Promise<{ arn: string; dnsName: string; securityGroupId: string | null; targetGroupArns: string[] }[]> {
    return (await this.call('POST', '/_test/elbv2/load-balancers', { region, loadBalancers })) as {
      arn: string;
      dnsName: string;
      securityGroupId: string | null;
      targetGroupArns: string[];
    }[];
  }

  /** Creates security groups straight in moto's backend, in its default VPC; their ids. */
  async createSecurityGroups(
    region: string,
    securityGroups: readonly { name: string; description?: string; tags: Readonly<Record<string, string>> }[],
  ): Promise<string[]> {
    const created = (await this.call('POST', '/_test/ec2/security-groups', { region, securityGroups })) as {
      groupId: string;
    }[];
    return created.map((group) => group.groupId);
  }

  /**
   * Emulates ELBv2's describe bucket from now on: `capacity` describe calls,
   * refilled at `refillPerSecond`, answered `Throttling` (HTTP 400) past it.
   */
  async setElbv2DescribeBucket(bucket: { capacity: number; refillPerSecond: number }): Promise<void> {
    await this.call('POST', '/_test/elbv2/bucket', bucket);
  }

  /** No emulated bucket any more: describe calls are never throttled (the default). */
  async clearElbv2DescribeBucket(): Promise<void> {
    await this.call('DELETE', '/_test/elbv2/bucket');
  }

  /** Describe calls the emulated bucket served and refused since it was set. */
  async elbv2DescribeBucket(): Promise<{ served: number; throttled: number }> {
    return (await this.call('GET', '/_test/elbv2/bucket')) as { served: number; throttled: number };
  }

  async injectFault(fault: AwsFault): Promise<void> {
    await this.call('POST', '/_test/faults', { kind: 'error', count: 1, ...fault });
  }

  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/_test/faults');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.endpoint}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`moto ${method} ${path}: ${response.status} ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }
}

/** Whether python3 can import moto's server; checked once per process. */
let available: boolean | undefined;
export function motoAvailable(): boolean {
  available ??=
    spawnSync('python3', ['-c', 'import moto.moto_server.werkzeug_app, flask, werkzeug'], { stdio: 'ignore' })
      .status === 0;
  return available;
}
