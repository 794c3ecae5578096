import { randomUUID } from 'node:crypto';

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
export interface ServiceJson {
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly uid: string;
    readonly resourceVersion: string;
    readonly creationTimestamp: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec: Readonly<Record<string, unknown>>;
  readonly status: { readonly loadBalancer: { readonly ingress?: readonly object[] } };
}

/** A Service under its storage key, `<namespace>/<name>`, which orders lists as etcd does. */
export interface StoredService {
  readonly key: string;
  readonly service: ServiceJson;
}

/** The Services as of one resourceVersion, sorted by key. */
export interface ServicesSnapshot {
  readonly resourceVersion: number;
  readonly services: readonly StoredService[];
}

// etcd revisions of a real cluster are large numbers; the exact start does not matter.
const INITIAL_RESOURCE_VERSION = 1000;

/** The Service kube-apiserver creates for itself in every cluster; it has no load balancer. */
export const KUBERNETES_SERVICE = { namespace: 'default', name: 'kubernetes' } as const;

/** In-memory Services with one resourceVersion counter for the whole store, like etcd's revision. */
export class ServicesStore {
  private readonly services = new Map<string, ServiceJson>();
  private revision = INITIAL_RESOURCE_VERSION;
  // Counts Services ever created, so cluster IPs and node ports stay unique.
  private created = 0;

  /** Starts as a new cluster does: with the API server's own Service, `default/kubernetes`. */
  constructor(private readonly now: () => Date) {
    this.services.set(
      storageKey(KUBERNETES_SERVICE.namespace, KUBERNETES_SERVICE.name),
      kubernetesService(randomUUID(), String(this.revision), rfc3339Seconds(now())),
    );
  }

  get resourceVersion(): number {
    return this.revision;
  }

  /** Creates or replaces a Service; a replacement keeps its uid (unless given) and creationTimestamp. */
  put(spec: FakeServiceSpec): void {
    for (const [field, value] of [
      ['namespace', spec.namespace],
      ['name', spec.name],
    ] as const) {
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value)) {
        throw new Error(`FakeServiceSpec.${field} "${value}" is not a DNS label`);
      }
    }
    const key = storageKey(spec.namespace, spec.name);
    const existing = this.services.get(key);
    this.revision += 1;
    this.created += existing === undefined ? 1 : 0;
    this.services.set(
      key,
      buildService(spec, {
        uid: spec.uid ?? existing?.metadata.uid ?? randomUUID(),
        resourceVersion: String(this.revision),
        creationTimestamp: existing?.metadata.creationTimestamp ?? rfc3339Seconds(this.now()),
        ordinal: this.created,
      }),
    );
  }

  /** Deletes a Service; throws when there is none, so a test's typo does not pass silently. */
  delete(namespace: string, name: string): void {
    if (!this.services.delete(storageKey(namespace, name))) {
      throw new Error(`no Service ${namespace}/${name} to delete`);
    }
    this.revision += 1;
  }

  get(namespace: string, name: string): ServiceJson | undefined {
    return this.services.get(storageKey(namespace, name));
  }

  snapshot(): ServicesSnapshot {
    const services = [...this.services.entries()]
      .map(([key, service]) => ({ key, service }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { resourceVersion: this.revision, services };
  }
}

function storageKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

interface Assigned {
  readonly uid: string;
  readonly resourceVersion: string;
  readonly creationTimestamp: string;
  readonly ordinal: number;
}

// The fields the API server defaults for a simple one-port Service of each type.
function buildService(spec: FakeServiceSpec, assigned: Assigned): ServiceJson {
  const type = spec.type ?? 'LoadBalancer';
  const metadata = {
    name: spec.name,
    namespace: spec.namespace,
    uid: assigned.uid,
    resourceVersion: assigned.resourceVersion,
    creationTimestamp: assigned.creationTimestamp,
    // The API server omits empty maps.
    ...(spec.labels === undefined ? {} : { labels: { ...spec.labels } }),
    ...(spec.annotations === undefined ? {} : { annotations: { ...spec.annotations } }),
  };
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
function kubernetesService(uid: string, resourceVersion: string, creationTimestamp: string): ServiceJson {
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

function rfc3339Seconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
