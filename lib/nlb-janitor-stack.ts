import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { VpcLookup } from './app-context';
import { NlbJanitor, type NlbJanitorProps } from './nlb-janitor';

export interface NlbJanitorStackProps extends StackProps {
  readonly janitor: NlbJanitorProps;
  /** For private cluster endpoints: the VPC, subnets and security groups to look up. */
  readonly vpcLookup?: VpcLookup;
}

/** One janitor per account and region; wires props into the construct and prints what operators need. */
export class NlbJanitorStack extends Stack {
  public readonly janitor: NlbJanitor;

  constructor(scope: Construct, id: string, props: NlbJanitorStackProps) {
    super(scope, id, props);
    const vpc = props.vpcLookup && ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: props.vpcLookup.vpcId });
    this.janitor = new NlbJanitor(this, 'Janitor', {
      ...props.janitor,
      vpc,
      vpcSubnets: props.vpcLookup?.subnetIds && {
        subnets: props.vpcLookup.subnetIds.map((id) => ec2.Subnet.fromSubnetId(this, `Subnet-${id}`, id)),
      },
      securityGroups: props.vpcLookup?.securityGroupIds?.map((id) =>
        ec2.SecurityGroup.fromSecurityGroupId(this, `SecurityGroup-${id}`, id),
      ),
    });
    new CfnOutput(this, 'FunctionName', {
      description: 'Invoke for an immediate sweep: aws lambda invoke --function-name <this> ...',
      value: this.janitor.function.functionName,
    });
    new CfnOutput(this, 'RoleArn', {
      description: 'The role to map into clusters on the aws-auth ConfigMap (see deploy/aws-auth/)',
      value: this.janitor.role.roleArn,
    });
    new CfnOutput(this, 'TopicArn', {
      description: 'Sweep reports and alarms',
      value: this.janitor.topic.topicArn,
    });
    new CfnOutput(this, 'DashboardName', { value: this.janitor.dashboard.dashboardName });
  }
}
