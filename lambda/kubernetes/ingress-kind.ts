import type { IngressSummary } from './ingress-summary';
import { asRecord, objectIdentity, stringMap, stringsOf } from './object-fields';
import type { KindSpec } from './object-list';

/** The annotation naming an Ingress's explicit IngressGroup (aws-load-balancer-controller). */
export const GROUP_NAME_ANNOTATION = 'alb.ingress.kubernetes.io/group.name';

/** Ingresses (`networking.k8s.io/v1`, served by every supported Kubernetes), read strictly. */
export const INGRESSES: KindSpec<IngressSummary> = {
  path: '/apis/networking.k8s.io/v1/ingresses',
  listKind: 'IngressList',
  noun: 'Ingress',
  pluralNoun: 'Ingresses',
  unusableItem:
    'an Ingress without namespace or name, or with annotations that are not strings or a spec.ingressClassName that is not a string',
  parse: parseIngress,
};

/**
 * An Ingress's summary, or undefined when it lacks namespace or name, or when the
 * fields that say which load balancer it has (its group annotation, its class) are
 * present but unreadable.
 */
export function parseIngress(item: unknown): IngressSummary | undefined {
  const identity = objectIdentity(item);
  const record = asRecord(item);
  const annotations = stringMap(asRecord(record?.metadata)?.annotations);
  const className = asRecord(record?.spec)?.ingressClassName;
  if (identity === undefined || annotations === undefined) return undefined;
  if (className !== undefined && className !== null && typeof className !== 'string') return undefined;
  return {
    ...identity,
    groupName: annotations[GROUP_NAME_ANNOTATION],
    ingressClassName: typeof className === 'string' ? className : undefined,
    ingressHostnames: stringsOf(asRecord(asRecord(record?.status)?.loadBalancer)?.ingress, 'hostname'),
  };
}
