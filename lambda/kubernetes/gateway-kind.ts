import type { GatewaySummary } from './gateway-summary';
import { asRecord, nonEmptyString, objectIdentity, stringsOf } from './object-fields';
import type { KindSpec } from './object-list';

/** The Gateway API's group and the version the janitor reads. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
export const GATEWAY_API_VERSION = 'v1';

/** Gateways (`gateway.networking.k8s.io/v1`), read strictly; only where discovery says they are served. */
export const GATEWAYS: KindSpec<GatewaySummary> = {
  path: `/apis/${GATEWAY_API_GROUP}/${GATEWAY_API_VERSION}/gateways`,
  listKind: 'GatewayList',
  noun: 'Gateway',
  pluralNoun: 'Gateways',
  unusableItem: 'a Gateway without namespace, name or spec.gatewayClassName',
  parse: parseGateway,
};

/** A Gateway's summary, or undefined when it lacks namespace, name or `spec.gatewayClassName` (required by the CRD). */
export function parseGateway(item: unknown): GatewaySummary | undefined {
  const identity = objectIdentity(item);
  const record = asRecord(item);
  const gatewayClassName = nonEmptyString(asRecord(record?.spec)?.gatewayClassName);
  if (identity === undefined || gatewayClassName === undefined) return undefined;
  return {
    ...identity,
    gatewayClassName,
    addresses: stringsOf(asRecord(record?.status)?.addresses, 'value'),
  };
}
