import { randomUUID } from 'node:crypto';
import { buildGateway, type FakeGatewaySpec, type GatewayJson } from './fake-gateways';
import { buildIngress, type FakeIngressSpec, type IngressJson } from './fake-ingresses';
import { buildService, type FakeServiceSpec, kubernetesService, type ServiceJson } from './fake-services';
import { type ObjectJson, ObjectStore, Revision, rfc3339Seconds } from './object-store';

/** The resources the fake serves, by their plural name. */
export type ResourceName = 'services' | 'ingresses' | 'gateways';

/** How one resource appears in the API: its group (`''` for core) and kind. */
export interface ServedResource {
  readonly resource: ResourceName;
  readonly group: '' | 'networking.k8s.io' | 'gateway.networking.k8s.io';
  readonly kind: 'Service' | 'Ingress' | 'Gateway';
}

export const SERVED_RESOURCES: readonly ServedResource[] = [
  { resource: 'services', group: '', kind: 'Service' },
  { resource: 'ingresses', group: 'networking.k8s.io', kind: 'Ingress' },
  { resource: 'gateways', group: 'gateway.networking.k8s.io', kind: 'Gateway' },
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

  /** Starts as a new cluster does: with the API server's own Service, `default/kubernetes`. */
  constructor(now: () => Date) {
    this.services = new ObjectStore(this.revision, 'Service', now);
    this.ingresses = new ObjectStore(this.revision, 'Ingress', now);
    this.gateways = new ObjectStore(this.revision, 'Gateway', now);
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
}
