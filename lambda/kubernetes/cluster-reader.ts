import { DescribeClusterCommand, type EKSClient } from '@aws-sdk/client-eks';
import { gatewayFromLabels } from '../ownership/gateway-behind-service';
import { serviceKey } from '../ownership/owner';
import { errorText } from '../util/error-text';
import { servesGroupVersion } from './api-discovery';
import type { ClusterIdentity, ClusterRead, KindRead } from './cluster-read';
import type { AwsCredentials } from './eks-token';
import { EksTokenSource } from './eks-token-source';
import { GATEWAY_API_GROUP, GATEWAY_API_VERSION, GATEWAYS } from './gateway-kind';
import type { GatewaySummary } from './gateway-summary';
import {
  ELBV2_API_GROUP,
  INGRESS_CLASS_PARAMS,
  INGRESS_CLASS_PARAMS_VERSION,
  INGRESS_CLASSES,
  type IngressClassParamsSummary,
} from './ingress-class-kind';
import { withClassGroups } from './ingress-groups';
import { INGRESSES } from './ingress-kind';
import type { IngressSummary } from './ingress-summary';
import { KubernetesApiClient } from './kubernetes-api-client';
import { type JsonGetter, listAllObjects, type NamespacedObject } from './object-list';
import { IncompleteListError, listAllServices, type ServiceListOptions } from './service-list';

export interface ClusterReaderOptions extends ServiceListOptions {
  readonly region: string;
  readonly credentials: () => Promise<AwsCredentials>;
  readonly clock: () => Date;
  readonly requestTimeoutMs: number;
  /**
   * Kinds to read beside the Services, each complete or unverified on its own.
   * @default neither: Services only
   */
  readonly kinds?: { readonly ingresses?: boolean; readonly gateways?: boolean };
  /** The janitor's IAM role, named in how to grant it access when a cluster refuses it. */
  readonly roleArn?: string | undefined;
}

/** The API server's own Service, in every cluster's list. */
const KUBERNETES_SERVICE = serviceKey('default', 'kubernetes');

/** A cluster read and what it cost. */
export interface ClusterReadResult {
  readonly read: ClusterRead;
  /** Kubernetes API requests sent, retries included. */
  readonly kubernetesRequests: number;
  /** The list's resourceVersion when the read was complete. */
  readonly resourceVersion: string | undefined;
}

/**
 * Reads a cluster's Services the way a Lambda in AWS reaches them: EKS
 * DescribeCluster for the endpoint and CA, an EKS token, then a paged list.
 * Every failure becomes an `unverified` read; only EKS saying the cluster does
 * not exist becomes `cluster-not-found`. Ingresses and Gateways, when asked for,
 * are read after a complete Service list, and a failure to read them leaves only
 * that kind unverified.
 */
export async function readCluster(
  eks: EKSClient,
  clusterName: string,
  options: ClusterReaderOptions,
): Promise<ClusterReadResult> {
  let cluster: DescribedCluster;
  try {
    const described = await describeCluster(eks, clusterName);
    if (described === 'not-found')
      return { read: { kind: 'cluster-not-found' }, kubernetesRequests: 0, resourceVersion: undefined };
    cluster = described;
  } catch (error) {
    return unverified(`DescribeCluster: ${errorText(error)}`, 0);
  }

  const tokens = new EksTokenSource({
    clusterName,
    region: options.region,
    credentials: options.credentials,
    clock: options.clock,
  });
  const api = new KubernetesApiClient({
    endpoint: cluster.endpoint,
    caPem: cluster.caPem,
    token: () => tokens.token(),
    requestTimeoutMs: options.requestTimeoutMs,
  });
  let requests = 0;
  const countingApi = {
    getJson: (path: string, query: Readonly<Record<string, string>>) => {
      requests += 1;
      return api.getJson(path, query);
    },
  };
  try {
    const list = await listAllServices(countingApi, options);
    // Every real cluster has it; a "complete" list without it came from something else.
    if (!list.services.has(KUBERNETES_SERVICE)) {
      return unverified(
        `the Service list has no ${KUBERNETES_SERVICE}, which every real cluster has: not trusted as this cluster's`,
        requests,
        cluster.identity.vpcId,
      );
    }
    const ingresses =
      options.kinds?.ingresses === true ? await readIngresses(countingApi, options) : undefined;
    // Gateways when a load balancer's owner is one, or when a Gateway implementation made
    // one of the Services (the report then says whether its Gateway still exists).
    const gatewayMade = [...list.services.values()].some(
      (service) => gatewayFromLabels(service.namespace, service.labels)?.gateway !== undefined,
    );
    const gateways =
      options.kinds?.gateways === true || gatewayMade ? await readGateways(countingApi, options) : undefined;
    return {
      read: {
        kind: 'complete',
        services: list.services,
        ...(ingresses === undefined ? {} : { ingresses }),
        ...(gateways === undefined ? {} : { gateways }),
        identity: cluster.identity,
        readAt: options.clock(),
      },
      kubernetesRequests: requests,
      resourceVersion: list.resourceVersion,
    };
  } catch (error) {
    const refused =
      error instanceof IncompleteListError && (error.statusCode === 401 || error.statusCode === 403);
    return unverified(
      error instanceof IncompleteListError
        ? `${error.message}${refused ? `. ${howToGrantAccess(clusterName, options.roleArn)}` : ''}`
        : errorText(error),
      requests,
      cluster.identity.vpcId,
    );
  } finally {
    api.close();
  }
}

/**
 * Ingresses, with the IngressGroups their classes' IngressClassParams put them in:
 * the IngressClasses and, where the Load Balancer Controller's CRDs are served,
 * its IngressClassParams, each read in full. Any of the three unread leaves the
 * Ingresses unverified, as membership of a group would be a guess.
 */
function readIngresses(api: JsonGetter, options: ServiceListOptions): Promise<KindRead<IngressSummary>> {
  return readKind(async () => {
    const ingresses = await listAllObjects(api, INGRESSES, options);
    const classes = await listAllObjects(api, INGRESS_CLASSES, options);
    const served = await servesGroupVersion(api, ELBV2_API_GROUP, INGRESS_CLASS_PARAMS_VERSION, options);
    const params = served
      ? (await listAllObjects(api, INGRESS_CLASS_PARAMS, options)).items
      : new Map<string, IngressClassParamsSummary>();
    return { items: withClassGroups(ingresses.items, classes.items, params) };
  });
}

/**
 * Gateways are CRDs: a cluster without them answers 404 to their list, which is no
 * proof of anything. Only a discovery read in full that does not list
 * `gateway.networking.k8s.io/v1` makes the read complete and empty.
 */
function readGateways(api: JsonGetter, options: ServiceListOptions): Promise<KindRead<GatewaySummary>> {
  return readKind(async () => {
    const served = await servesGroupVersion(api, GATEWAY_API_GROUP, GATEWAY_API_VERSION, options);
    return served ? listAllObjects(api, GATEWAYS, options) : { items: new Map<string, GatewaySummary>() };
  });
}

async function readKind<T extends NamespacedObject>(
  list: () => Promise<{ readonly items: ReadonlyMap<string, T> }>,
): Promise<KindRead<T>> {
  try {
    return { kind: 'complete', items: (await list()).items };
  } catch (error) {
    return {
      kind: 'unverified',
      error: error instanceof IncompleteListError ? error.message : errorText(error),
    };
  }
}

/**
 * What to do when a cluster refuses the janitor (401: no access entry or aws-auth
 * mapping; 403: mapped without read access to Services): the commands that grant it.
 */
export function howToGrantAccess(clusterName: string, roleArn: string | undefined): string {
  const principal = roleArn ?? "<the janitor's role ARN>";
  const partition = roleArn?.split(':')[1] ?? 'aws';
  return (
    `To let the janitor read it, give its role an access entry with AmazonEKSViewPolicy: ` +
    `aws eks create-access-entry --cluster-name ${clusterName} --principal-arn ${principal} && ` +
    `aws eks associate-access-policy --cluster-name ${clusterName} --principal-arn ${principal} ` +
    `--policy-arn arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSViewPolicy --access-scope type=cluster ` +
    `(clusters on the aws-auth ConfigMap: see deploy/aws-auth/)`
  );
}

interface DescribedCluster {
  readonly endpoint: string;
  readonly caPem: string;
  readonly identity: ClusterIdentity;
}

async function describeCluster(eks: EKSClient, clusterName: string): Promise<DescribedCluster | 'not-found'> {
  try {
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: clusterName }));
    const endpoint = cluster?.endpoint;
    const caData = cluster?.certificateAuthority?.data;
    if (!endpoint || !caData) {
      throw new Error(
        `cluster ${clusterName} has no endpoint or certificate authority yet (status ${cluster?.status})`,
      );
    }
    // The VPC and creation time tell whether a load balancer is this cluster's; without them nothing is.
    const vpcId = cluster?.resourcesVpcConfig?.vpcId;
    const createdAt = cluster?.createdAt;
    if (!vpcId || !(createdAt instanceof Date) || Number.isNaN(createdAt.getTime())) {
      throw new Error(`EKS did not give cluster ${clusterName}'s VPC and creation time`);
    }
    return {
      endpoint,
      caPem: Buffer.from(caData, 'base64').toString('utf8'),
      identity: { vpcId, createdAt },
    };
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return 'not-found';
    throw error;
  }
}

function unverified(error: string, kubernetesRequests: number, vpcId?: string): ClusterReadResult {
  return { read: { kind: 'unverified', error, vpcId }, kubernetesRequests, resourceVersion: undefined };
}
