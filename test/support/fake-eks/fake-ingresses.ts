import { type AssignedFields, type ObjectJson, objectMetadata } from './object-store';

/** What a test says about an Ingress; the store fills in the rest as the API server would. */
export interface FakeIngressSpec {
  readonly namespace: string;
  readonly name: string;
  /** Written as the annotation `alb.ingress.kubernetes.io/group.name`. @default no explicit IngressGroup */
  readonly groupName?: string;
  /** `spec.ingressClassName`. @default 'alb' */
  readonly ingressClassName?: string;
  /** `status.loadBalancer.ingress[].hostname`. @default none: not provisioned (yet) */
  readonly hostnames?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** @default the current uid when replacing, else a random UUID */
  readonly uid?: string;
}

/** A `networking.k8s.io/v1` Ingress as the API server serialises it. */
export interface IngressJson extends ObjectJson {
  readonly spec: Readonly<Record<string, unknown>>;
  readonly status: { readonly loadBalancer: { readonly ingress?: readonly object[] } };
}

const GROUP_NAME_ANNOTATION = 'alb.ingress.kubernetes.io/group.name';

// One rule sending every path to a Service of the Ingress's name, as a minimal manifest would.
export function buildIngress(spec: FakeIngressSpec, assigned: AssignedFields): IngressJson {
  const annotations =
    spec.groupName === undefined
      ? spec.annotations
      : { ...spec.annotations, [GROUP_NAME_ANNOTATION]: spec.groupName };
  const ingress = spec.hostnames?.map((hostname) => ({ hostname }));
  return {
    metadata: objectMetadata({ ...spec, annotations }, assigned),
    spec: {
      ingressClassName: spec.ingressClassName ?? 'alb',
      rules: [
        {
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: spec.name, port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
    status: { loadBalancer: ingress === undefined ? {} : { ingress } },
  };
}
