import { type AssignedFields, type ObjectJson, objectMetadata } from './object-store';

/** What a test says about an IngressClass (cluster-scoped). */
export interface FakeIngressClassSpec {
  readonly name: string;
  /** `spec.controller`. @default 'ingress.k8s.aws/alb' (the Load Balancer Controller) */
  readonly controller?: string;
  /** `spec.parameters` naming an `elbv2.k8s.aws` IngressClassParams of this name. @default none */
  readonly paramsName?: string;
  /** Annotated as the cluster's default IngressClass. @default false */
  readonly isDefault?: boolean;
}

/** What a test says about an IngressClassParams (`elbv2.k8s.aws/v1beta1`, cluster-scoped). */
export interface FakeIngressClassParamsSpec {
  readonly name: string;
  /** `spec.group.name`: the IngressGroup of every Ingress of its classes. @default none */
  readonly groupName?: string;
}

export interface IngressClassJson extends ObjectJson {
  readonly spec: Readonly<Record<string, unknown>>;
}

export function buildIngressClass(spec: FakeIngressClassSpec, assigned: AssignedFields): IngressClassJson {
  const annotations = spec.isDefault ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : undefined;
  return {
    metadata: objectMetadata({ namespace: '', name: spec.name, annotations }, assigned),
    spec: {
      controller: spec.controller ?? 'ingress.k8s.aws/alb',
      ...(spec.paramsName === undefined
        ? {}
        : { parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: spec.paramsName } }),
    },
  };
}

export function buildIngressClassParams(
  spec: FakeIngressClassParamsSpec,
  assigned: AssignedFields,
): IngressClassJson {
  return {
    metadata: objectMetadata({ namespace: '', name: spec.name }, assigned),
    spec: spec.groupName === undefined ? {} : { group: { name: spec.groupName } },
  };
}
