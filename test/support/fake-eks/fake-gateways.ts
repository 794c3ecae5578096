import { isIP } from 'node:net';
import { type AssignedFields, type ObjectJson, objectMetadata } from './object-store';

/** What a test says about a Gateway; the store fills in the rest as the API server would. */
export interface FakeGatewaySpec {
  readonly namespace: string;
  readonly name: string;
  /** `spec.gatewayClassName`. @default 'aws-nlb' */
  readonly gatewayClassName?: string;
  /** `status.addresses[].value`, typed `IPAddress` or `Hostname`. @default none: not programmed (yet) */
  readonly addresses?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** @default the current uid when replacing, else a random UUID */
  readonly uid?: string;
}

/** A `gateway.networking.k8s.io/v1` Gateway as the API server serialises it. */
export interface GatewayJson extends ObjectJson {
  readonly spec: Readonly<Record<string, unknown>>;
  readonly status: Readonly<Record<string, unknown>>;
}

// One TCP listener, as an L4 Gateway of the aws-load-balancer-controller has.
export function buildGateway(spec: FakeGatewaySpec, assigned: AssignedFields): GatewayJson {
  const addresses = spec.addresses?.map((value) => ({
    type: isIP(value) === 0 ? 'Hostname' : 'IPAddress',
    value,
  }));
  return {
    metadata: objectMetadata(spec, assigned),
    spec: {
      gatewayClassName: spec.gatewayClassName ?? 'aws-nlb',
      listeners: [
        { name: 'tcp', port: 80, protocol: 'TCP', allowedRoutes: { namespaces: { from: 'Same' } } },
      ],
    },
    status: addresses === undefined ? {} : { addresses },
  };
}
