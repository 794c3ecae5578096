import { randomUUID } from 'node:crypto';
import { buildGateway, type FakeGatewaySpec, type GatewayJson } from './fake-gateways';
import {
  buildIngressClass,
  buildIngressClassParams,
  type FakeIngressClassParamsSpec,
  type FakeIngressClassSpec,
  type IngressClassJson,
} from './fake-ingress-classes';
import { buildIngress, type FakeIngressSpec, type IngressJson } from './fake-ingresses';
import { buildService, type FakeServiceSpec, kubernetesService, type ServiceJson } from './fake-services';
import { type ObjectJson, ObjectStore, Revision, rfc3339Seconds } from './object-store';

/** The resources the fake serves, by their plural name. */
export type ResourceName = 'services' | 'ingresses' | 'gateways' | 'ingressclasses' | 'ingressclassparams';

/** How one resource appears in the API: its group (`''` for core) and kind. */
export interface ServedResource {
  readonly resource: ResourceName;
  readonly group: '' | 'networking.k8s.io' | 'gateway.networking.k8s.io' | 'elbv2.k8s.aws';
  readonly kind: 'Service' | 'Ingress' | 'Gateway' | 'IngressClass' | 'IngressClassParams';
  /** Cluster-scoped: listed only cluster-wide, stored without a namespace. */
  readonly clusterScoped?: true;
}

export const SERVED_RESOURCES: readonly ServedResource[] = [
  { resource: 'services', group: '', kind: 'Service' },
  { resource: 'ingresses', group: 'networking.k8s.io', kind: 'Ingress' },
  { resource: 'gateways', group: 'gateway.networking.k8s.io', kind: 'Gateway' },
  { resource: 'ingressclasses', group: 'networking.k8s.io', kind: 'IngressClass', clusterScoped: true },
  { resource: 'ingressclassparams', group: 'elbv2.k8s.aws', kind: 'IngressClassParams', clusterScoped: true },
];

/**
 * Every object of a fake cluster: one store per kind, one etcd revision for all,
 * so a write of any kind moves every list's resourceVersion, as in a real cluster.
 */
export class ClusterObjects {
  private readonly revision = new Revision();
  readonly services: ObjectStore<ServiceJson>;
  readonly ingresses: ObjectStore<IngressJson>;
  readonly gateways: ObjectStore<GatewayJson>;
  readonly ingressclasses: ObjectStore<IngressClassJson>;
  readonly ingressclassparams: ObjectStore<IngressClassJson>;

  /** Starts as a new cluster does: with the API server's own Service, `default/kubernetes`. */
  constructor(now: () => Date) {
    this.services = new ObjectStore(this.revision, 'Service', now);
    this.ingresses = new ObjectStore(this.revision, 'Ingress', now);
    this.gateways = new ObjectStore(this.revision, 'Gateway', now);
    this.ingressclasses = new ObjectStore(this.revision, 'IngressClass', now, true);
    this.ingressclassparams = new ObjectStore(this.revision, 'IngressClassParams', now, true);
    this.services.seed(kubernetesService(randomUUID(), String(this.revision.current), rfc3339Seconds(now())));
  }

  store(resource: ResourceName): ObjectStore<ObjectJson> {
    return this[resource];
  }

  putService(spec: FakeServiceSpec): void {
    this.services.put(spec, (assigned) => buildService(spec, assigned));
  }

  putIngress(spec: FakeIngressSpec): void {
    this.ingresses.put(spec, (assigned) => buildIngress(spec, assigned));
  }

  putGateway(spec: FakeGatewaySpec): void {
    this.gateways.put(spec, (assigned) => buildGateway(spec, assigned));
  }

  putIngressClass(spec: FakeIngressClassSpec): void {
    this.ingressclasses.put({ namespace: '', name: spec.name }, (assigned) =>
      buildIngressClass(spec, assigned),
    );
  }

  putIngressClassParams(spec: FakeIngressClassParamsSpec): void {
    this.ingressclassparams.put({ namespace: '', name: spec.name }, (assigned) =>
      buildIngressClassParams(spec, assigned),
    );
  }
}
