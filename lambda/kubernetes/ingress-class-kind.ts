import { asRecord, nonEmptyString, stringMap } from './object-fields';
import type { KindSpec } from './object-list';

/** The Load Balancer Controller's API group and the version of its IngressClassParams. */
export const ELBV2_API_GROUP = 'elbv2.k8s.aws';
export const INGRESS_CLASS_PARAMS_VERSION = 'v1beta1';

/** An IngressClass (`networking.k8s.io/v1`, cluster-scoped), as far as IngressGroups depend on it. */
export interface IngressClassSummary {
  /** Cluster-scoped: always `''`, so the list keys it `/<name>`. */
  readonly namespace: '';
  readonly name: string;
  /** `spec.controller`: `ingress.k8s.aws/alb` for the Load Balancer Controller. */
  readonly controller: string;
  /** `spec.parameters`, when set. */
  readonly parameters:
    | { readonly apiGroup?: string; readonly kind: string; readonly name: string }
    | undefined;
  /** Annotated `ingressclass.kubernetes.io/is-default-class: "true"`: the class of Ingresses that name none. */
  readonly isDefault: boolean;
}

/** An IngressClassParams (`elbv2.k8s.aws/v1beta1`, cluster-scoped): the IngressGroup its classes' Ingresses join. */
export interface IngressClassParamsSummary {
  readonly namespace: '';
  readonly name: string;
  /** `spec.group.name`, when set. */
  readonly groupName: string | undefined;
}

const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/** IngressClasses, read strictly like any kind: an unreadable one could be any Ingress's. */
export const INGRESS_CLASSES: KindSpec<IngressClassSummary> = {
  path: '/apis/networking.k8s.io/v1/ingressclasses',
  listKind: 'IngressClassList',
  noun: 'IngressClass',
  pluralNoun: 'IngressClasses',
  unusableItem:
    'an IngressClass without name or spec.controller, with annotations that are not strings, or with spec.parameters without kind or name',
  parse: parseIngressClass,
};

/** IngressClassParams, read strictly; only where discovery says the Load Balancer Controller's CRDs are served. */
export const INGRESS_CLASS_PARAMS: KindSpec<IngressClassParamsSummary> = {
  path: `/apis/${ELBV2_API_GROUP}/${INGRESS_CLASS_PARAMS_VERSION}/ingressclassparams`,
  listKind: 'IngressClassParamsList',
  noun: 'IngressClassParams',
  pluralNoun: 'IngressClassParams',
  unusableItem: 'an IngressClassParams without name, or with a spec.group whose name is not a string',
  parse: parseIngressClassParams,
};

export function parseIngressClass(item: unknown): IngressClassSummary | undefined {
  const record = asRecord(item);
  const metadata = asRecord(record?.metadata);
  const name = nonEmptyString(metadata?.name);
  const annotations = stringMap(metadata?.annotations);
  const spec = asRecord(record?.spec);
  const controller = nonEmptyString(spec?.controller);
  if (name === undefined || annotations === undefined || controller === undefined) return undefined;
  let parameters: IngressClassSummary['parameters'];
  if (spec?.parameters !== undefined && spec.parameters !== null) {
    const params = asRecord(spec.parameters);
    const kind = nonEmptyString(params?.kind);
    const paramsName = nonEmptyString(params?.name);
    const apiGroup = params?.apiGroup;
    if (kind === undefined || paramsName === undefined) return undefined;
    if (apiGroup !== undefined && apiGroup !== null && typeof apiGroup !== 'string') return undefined;
    parameters = { ...(typeof apiGroup === 'string' ? { apiGroup } : {}), kind, name: paramsName };
  }
  return {
    namespace: '',
    name,
    controller,
    parameters,
    isDefault: annotations[DEFAULT_CLASS_ANNOTATION] === 'true',
  };
}

export function parseIngressClassParams(item: unknown): IngressClassParamsSummary | undefined {
  const record = asRecord(item);
  const name = nonEmptyString(asRecord(record?.metadata)?.name);
  if (name === undefined) return undefined;
  const group = asRecord(record?.spec)?.group;
  if (group === undefined || group === null) return { namespace: '', name, groupName: undefined };
  const groupName = asRecord(group)?.name;
  if (typeof groupName !== 'string') return undefined;
  return { namespace: '', name, groupName: groupName === '' ? undefined : groupName };
}
