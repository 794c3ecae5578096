import {
  Aws,
  type CfnResource,
  DefaultStackSynthesizer,
  Stack,
  type StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { handlerAsset } from '../handler-asset';
import { HANDLER_KEY_PREFIX } from './handler-bundle';

/** `<prefix>-<region>`: the name members compute from the CodeBucketPrefix parameter and their region. */
export const codeBucketPrefix = (account: string) => `nlb-janitor-code-${account}`;

export interface OrganizationCodeStackProps extends StackProps {
  /** The organization whose accounts may read the code. */
  readonly organizationId: string;
}

/**
 * The handler bundle in one region, where member janitors of that region take
 * their code: Lambda reads a function's code only from a bucket in the function's
 * region, and the CDK asset bucket of the administrator account is not readable by
 * the organization. One of these stacks per target region, in the administrator account.
 */
export class OrganizationCodeStack extends Stack {
  public readonly bucket: s3.Bucket;
  /** The bundle's key in the bucket: `nlb-janitor/<asset hash>.zip`. */
  public readonly codeKey: string;
  public readonly deployment: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: OrganizationCodeStackProps) {
    super(scope, id, props);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: `${codeBucketPrefix(Aws.ACCOUNT_ID)}-${Aws.REGION}`,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });
    // CloudFormation in a member account creates the function with the StackSet
    // execution role's credentials; Lambda reads the code with them.
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OrganizationReadsJanitorCode',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [this.bucket.arnForObjects(`${HANDLER_KEY_PREFIX}/*`)],
        conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
      }),
    );

    // The same bundle a janitor's function runs (prebuilt in the package, bundled on demand in a clone).
    const handler = handlerAsset();
    const bundle = new s3assets.Asset(this, 'Bundle', { path: handler.path, ...handler.options });
    // BucketDeployment copies an unextracted zip as <prefix>/<basename of its key>, and
    // an asset's key is <asset hash>.zip: the key is known here, without a deploy-time value.
    this.codeKey = `${HANDLER_KEY_PREFIX}/${bundle.assetHash}.zip`;
    this.deployment = new s3deploy.BucketDeployment(this, 'Deployment', {
      sources: [s3deploy.Source.bucket(bundle.bucket, bundle.s3ObjectKey)],
      destinationBucket: this.bucket,
      destinationKeyPrefix: HANDLER_KEY_PREFIX,
      extract: false,
      // Members still on the previous version keep their code until the StackSet updates them.
      prune: false,
      retainOnDelete: true,
    });

    // cdk-nag findings, each acknowledged with its reason (CDK's Validations API, as the janitor does).
    const acknowledge = (id: string, reason: string) =>
      Validations.of(this).acknowledge({ id: `AwsSolutions::AwsSolutions-${id}`, reason });
    // CDK's own BucketDeployment function, which copies the bundle into the bucket at deploy time.
    const bucketArn = this.getLogicalId(this.bucket.node.defaultChild as CfnResource);
    const deployment = "CDK's BucketDeployment function, which copies the bundle at deploy time,";
    acknowledge(
      'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      `${deployment} writes its logs with the basic execution role.`,
    );
    for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']) {
      acknowledge(
        `IAM5[Action::${action}]`,
        `${deployment} is granted read and write by CDK's bucket grants.`,
      );
    }
    acknowledge(
      `IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${orPseudo(this.account, 'AccountId')}-${orPseudo(this.region, 'Region')}/*]`,
      `${deployment} reads the bundle from the CDK asset bucket.`,
    );
    acknowledge(`IAM5[Resource::<${bucketArn}.Arn>/*]`, `${deployment} writes objects of the code bucket.`);
    acknowledge('L1', `${deployment} runs on the runtime aws-cdk-lib chooses.`);
    acknowledge(
      'S1',
      'Holds only the handler bundle this stack publishes; CloudTrail data events are the audit trail where one is wanted.',
    );
  }
}

/** A value as cdk-nag prints it: unresolved pseudo parameters as `<AWS::Name>`. */
function orPseudo(value: string, pseudo: string): string {
  return Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value;
}
