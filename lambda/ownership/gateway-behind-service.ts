import { createHash } from 'node:crypto';

/** The Gateway API implementation that made a Service, and for which Gateway. */
export interface GatewayBehindService {
  readonly implementation: 'envoy-gateway' | 'cilium' | 'gateway-api';
  /** `<namespace>/<gateway>`; undefined when the Gateway cannot be told (merged gateways, a name that does not verify). */
  readonly gateway: string | undefined;
  /** For Envoy Gateway's merged gateways: the GatewayClass the Service serves. */
  readonly gatewayClass?: string;
  /** Where it was read: the live Service's labels, or its name alone. */
  readonly source: 'labels' | 'name';
}

const ENVOY_GATEWAY_NAME = 'gateway.envoyproxy.io/owning-gateway-name';
const ENVOY_GATEWAY_NAMESPACE = 'gateway.envoyproxy.io/owning-gateway-namespace';
const ENVOY_GATEWAY_CLASS = 'gateway.envoyproxy.io/owning-gatewayclass';
const CILIUM_GATEWAY = 'io.cilium.gateway/owning-gateway';
const GATEWAY_API_NAME = 'gateway.networking.k8s.io/gateway-name';

/**
 * Which Gateway a live Service was made for, from its labels (Envoy Gateway,
 * Cilium, and the Gateway API label Istio, NGINX Gateway Fabric and newer Cilium set).
 */
export function gatewayFromLabels(
  namespace: string,
  labels: Readonly<Record<string, string>> | undefined,
): GatewayBehindService | undefined {
  if (labels === undefined) return undefined;
  const envoyName = labels[ENVOY_GATEWAY_NAME];
  if (envoyName !== undefined) {
    const envoyNamespace = labels[ENVOY_GATEWAY_NAMESPACE];
    return {
      implementation: 'envoy-gateway',
      gateway: envoyNamespace === undefined ? undefined : `${envoyNamespace}/${envoyName}`,
      source: 'labels',
    };
  }
  const envoyClass = labels[ENVOY_GATEWAY_CLASS];
  if (envoyClass !== undefined) {
    return {
      implementation: 'envoy-gateway',
      gateway: undefined,
      gatewayClass: envoyClass,
      source: 'labels',
    };
  }
  const cilium = labels[CILIUM_GATEWAY];
  if (cilium !== undefined)
    return { implementation: 'cilium', gateway: `${namespace}/${cilium}`, source: 'labels' };
  const gatewayApi = labels[GATEWAY_API_NAME];
  if (gatewayApi !== undefined) {
    return { implementation: 'gateway-api', gateway: `${namespace}/${gatewayApi}`, source: 'labels' };
  }
  return undefined;
}

/** Envoy Gateway cuts `<namespace>-<gateway>` to this many characters before the hash. */
const ENVOY_NAME_LIMIT = 48;
const ENVOY_SERVICE = /^envoy-(.+)-([0-9a-f]{8})$/;
const CILIUM_PREFIX = 'cilium-gateway-';
/** Service names are at most 63 characters; Cilium hashes longer ones. */
const SERVICE_NAME_LIMIT = 63;

/**
 * Which Gateway a Service that is gone was made for, from its name alone, never
 * guessed: Envoy Gateway's `envoy-<ns>-<gateway>-<hash8>` only when the hash (the
 * first 8 hex of sha256 of `<ns>/<gateway>`) verifies for one split of the name;
 * Cilium's `cilium-gateway-<gateway>` (in the Gateway's namespace) only when it
 * is short enough not to have been hashed. Anything else: undefined (unknown).
 */
export function gatewayFromServiceName(namespace: string, name: string): GatewayBehindService | undefined {
  const envoy = ENVOY_SERVICE.exec(name);
  if (envoy !== null) {
    const [, joined = '', hash] = envoy;
    // A joined name at the limit may have been cut: its full Gateway name cannot be known.
    if (joined.length < ENVOY_NAME_LIMIT) {
      for (let at = joined.indexOf('-'); at > 0; at = joined.indexOf('-', at + 1)) {
        const candidate = `${joined.slice(0, at)}/${joined.slice(at + 1)}`;
        if (sha256Prefix(candidate) === hash) {
          return { implementation: 'envoy-gateway', gateway: candidate, source: 'name' };
        }
      }
    }
    return { implementation: 'envoy-gateway', gateway: undefined, source: 'name' };
  }
  if (
    name.startsWith(CILIUM_PREFIX) &&
    name.length < SERVICE_NAME_LIMIT &&
    name.length > CILIUM_PREFIX.length
  ) {
    return {
      implementation: 'cilium',
      gateway: `${namespace}/${name.slice(CILIUM_PREFIX.length)}`,
      source: 'name',
    };
  }
  return undefined;
}

/** `the Envoy Gateway Gateway default/eg`, or `an Envoy Gateway Gateway (unknown)`: for reports. */
export function describeGateway(gateway: GatewayBehindService): string {
  const implementation = {
    'envoy-gateway': 'Envoy Gateway',
    cilium: 'Cilium',
    'gateway-api': 'a Gateway API implementation',
  }[gateway.implementation];
  if (gateway.gateway !== undefined) return `made by ${implementation} for Gateway ${gateway.gateway}`;
  if (gateway.gatewayClass !== undefined) {
    return `made by ${implementation} for the merged Gateways of GatewayClass ${gateway.gatewayClass}`;
  }
  return `made by ${implementation} for a Gateway unknown (its name does not verify)`;
}

function sha256Prefix(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
