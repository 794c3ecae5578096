import { asRecord, nonEmptyString, objectIdentity, stringMap, stringsOf } from './object-fields';
import { type JsonGetter, type KindSpec, listAllObjects, type ObjectListOptions } from './object-list';
import type { ServiceSummary } from './service-summary';

export { IncompleteListError, type JsonGetter } from './object-list';

export type ServiceListOptions = ObjectListOptions;

export interface ServiceListResult {
  readonly services: ReadonlyMap<string, ServiceSummary>;
  /** The list's `metadata.resourceVersion`: the snapshot the read saw. */
  readonly resourceVersion: string;
}

/** Services (core v1), read strictly: see {@link listAllObjects}. */
export const SERVICES: KindSpec<ServiceSummary> = {
  path: '/api/v1/services',
  listKind: 'ServiceList',
  noun: 'Service',
  pluralNoun: 'Services',
  unusableItem: 'a Service without namespace, name or spec.type, or with labels that are not strings',
  parse: parseService,
};

/** Lists every Service of a cluster in pages, as one consistent snapshot. */
export async function listAllServices(
  api: JsonGetter,
  options: ServiceListOptions,
): Promise<ServiceListResult> {
  const list = await listAllObjects(api, SERVICES, options);
  return { services: list.items, resourceVersion: list.resourceVersion };
}

/** A Service's summary, or undefined when it lacks namespace, name or `spec.type`. */
export function parseService(item: unknown): ServiceSummary | undefined {
  const identity = objectIdentity(item);
  const record = asRecord(item);
  const metadata = asRecord(record?.metadata);
  const type = nonEmptyString(asRecord(record?.spec)?.type);
  // Labels say which Gateway implementation made a Service: unreadable ones could hide that.
  const labels = stringMap(metadata?.labels);
  if (identity === undefined || type === undefined || labels === undefined) return undefined;
  const ingress = asRecord(asRecord(record?.status)?.loadBalancer)?.ingress;
  return {
    ...identity,
    uid: typeof metadata?.uid === 'string' ? metadata.uid : '',
    type,
    ingressHostnames: stringsOf(ingress, 'hostname'),
    ingressIps: stringsOf(ingress, 'ip'),
    labels,
  };
}
