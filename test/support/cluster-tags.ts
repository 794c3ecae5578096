import { CreateSubnetCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { REGION, type TestWorld } from './test-world';

// How a cluster EKS does not know shows in AWS: the `kubernetes.io/cluster/<name>`
// key that kops, Cluster API, eksctl and the in-tree provider write on the
// cluster's subnets, security groups and instances. moto makes none of these
// for an EKS cluster (real EKS tags its cluster security group and its nodes),
// so a test that wants them writes them.

let nextSubnet = 0;

export type SightingKind = 'security-group' | 'subnet' | 'instance';

/** Resources of a self-managed cluster in a VPC, each tagged `kubernetes.io/cluster/<name>` = `value`; their ids. */
export async function tagClusterResources(
  w: TestWorld,
  name: string,
  options: { vpcId?: string; kinds?: readonly SightingKind[]; value?: string } = {},
): Promise<Record<SightingKind, string | undefined>> {
  const network = await w.moto.defaultNetwork(REGION);
  const vpcId = options.vpcId ?? network.vpcId;
  const kinds = options.kinds ?? ['security-group', 'subnet', 'instance'];
  const tags = [{ Key: `kubernetes.io/cluster/${name}`, Value: options.value ?? 'owned' }];
  const ids: Record<SightingKind, string | undefined> = {
    'security-group': undefined,
    subnet: undefined,
    instance: undefined,
  };
  if (kinds.includes('security-group')) {
    ids['security-group'] = await w.createSecurityGroup({
      name: `${name}-nodes-${Math.random().toString(36).slice(2, 8)}`,
      vpcId,
      tags: Object.fromEntries(tags.map((tag) => [tag.Key, tag.Value])),
    });
  }
  // A subnet of its own (the VPC's first ones are the load balancers'), in a free /24 of the VPC.
  nextSubnet = (nextSubnet + 1) % 50;
  const cidr = `${vpcId === network.vpcId ? '172.31' : '10.0'}.${200 + nextSubnet}.0/24`;
  let subnetId: string | undefined;
  if (kinds.includes('subnet') || kinds.includes('instance')) {
    const subnet = await w.ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: cidr,
        TagSpecifications: kinds.includes('subnet') ? [{ ResourceType: 'subnet', Tags: tags }] : undefined,
      }),
    );
    subnetId = subnet.Subnet?.SubnetId;
    if (kinds.includes('subnet')) ids.subnet = subnetId;
  }
  if (kinds.includes('instance')) {
    const run = await w.ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-12c6146b',
        MinCount: 1,
        MaxCount: 1,
        SubnetId: subnetId,
        TagSpecifications: [{ ResourceType: 'instance', Tags: tags }],
      }),
    );
    ids.instance = run.Instances?.[0]?.InstanceId;
  }
  return ids;
}
