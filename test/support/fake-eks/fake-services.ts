import { type AssignedFields, type ObjectJson, objectMetadata } from './object-store';

export type ServiceType = 'LoadBalancer' | 'ClusterIP' | 'NodePort' | 'ExternalName';

/** What a test says about a Service; the store fills in the rest as the API server would. */
export interface FakeServiceSpec {
  readonly namespace: string;
  readonly name: string;
  /** @default 'LoadBalancer' */
  readonly type?: ServiceType;
  /** `status.loadBalancer.ingress`. @default none: the load balancer is not provisioned (yet). */
  readonly loadBalancerIngress?: readonly { readonly hostname?: string; readonly ip?: string }[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly loadBalancerClass?: string;
  /** @default the current uid when replacing a Service, else a random UUID */
  readonly uid?: string;
}

/** A v1 Service as the API server serialises it. */
export interface ServiceJson extends ObjectJson {
  readonly spec: Readonly<Record<string, unknown>>;
  readonly status: { readonly loadBalancer: { readonly ingress?: readonly object[] } };
}

/** The Service kube-apiserver creates for itself in every cluster; it has no load balancer. */
export const KUBERNETES_SERVICE = { namespace: 'default', name: 'kubernetes' } as const;

// The fields the API server defaults for a simple one-port Service of each type.
export function buildService(spec: FakeServiceSpec, assigned: AssignedFields): ServiceJson {
  const type = spec.type ?? 'LoadBalancer';
  const metadata = objectMetadata(spec, assigned);
  const ingress = spec.loadBalancerIngress?.map((entry) => ({ ...entry }));
  const status = { loadBalancer: ingress === undefined ? {} : { ingress } };
  if (type === 'ExternalName') {
    const externalSpec = { type, externalName: `${spec.name}.example.com`, sessionAffinity: 'None' };
    return { metadata, spec: externalSpec, status };
  }
  const clusterIP = `10.100.${Math.floor(assigned.ordinal / 250)}.${(assigned.ordinal % 250) + 1}`;
  const exposesNodePort = type === 'NodePort' || type === 'LoadBalancer';
  return {
    metadata,
    spec: {
      ports: [
        {
          name: 'http',
          protocol: 'TCP',
          port: 80,
          targetPort: 8080,
          ...(exposesNodePort ? { nodePort: 30000 + assigned.ordinal } : {}),
        },
      ],
      selector: { app: spec.name },
      clusterIP,
      clusterIPs: [clusterIP],
      type,
      sessionAffinity: 'None',
      ...(exposesNodePort ? { externalTrafficPolicy: 'Cluster' } : {}),
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ...(type === 'LoadBalancer' ? { allocateLoadBalancerNodePorts: true } : {}),
      ...(spec.loadBalancerClass === undefined ? {} : { loadBalancerClass: spec.loadBalancerClass }),
      internalTrafficPolicy: 'Cluster',
    },
    status,
  };
}

// `default/kubernetes` as EKS serves it: ClusterIP, the first address of the service range
// (10.100.0.1, which no other Service here gets), port 443 to the API server, no selector.
export function kubernetesService(
  uid: string,
  resourceVersion: string,
  creationTimestamp: string,
): ServiceJson {
  return {
    metadata: {
      name: KUBERNETES_SERVICE.name,
      namespace: KUBERNETES_SERVICE.namespace,
      uid,
      resourceVersion,
      creationTimestamp,
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 443 }],
      clusterIP: '10.100.0.1',
      clusterIPs: ['10.100.0.1'],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: {} },
  };
}
