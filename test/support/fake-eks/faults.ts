/** A field the `omitItemField` fault removes from every object in the answer. */
export type OmittableField =
  | 'metadata'
  | 'metadata.name'
  | 'metadata.namespace'
  | 'metadata.uid'
  | 'spec'
  | 'spec.gatewayClassName'
  | 'status';

/**
 * What goes wrong. Faults hit only requests with a valid token: authentication comes
 * first, as in kube-apiserver, and a bad token is a 401 anyway.
 */
export type FaultEffect =
  /** Answer with this status and its Status object: 403 in RBAC's words, 429 as API Priority and Fairness. */
  | {
      readonly type: 'status';
      readonly code: 401 | 403 | 404 | 429 | 500 | 503;
      /** Sent as `Retry-After`. @default 1 for 429, else no header */
      readonly retryAfterSeconds?: number;
    }
  /** Destroy the socket before answering. */
  | { readonly type: 'resetConnection' }
  /** Send the headers and half the body, then destroy the socket. */
  | { readonly type: 'truncateBody' }
  /** Answer normally after this long. */
  | { readonly type: 'delay'; readonly ms: number }
  /** Answer 200 with half the JSON body. */
  | { readonly type: 'malformedJson' }
  /** Answer 410 Expired as if the list's resourceVersion had been compacted. */
  | { readonly type: 'expireContinue' }
  /** Answer normally but without this field in each object (Service, Ingress, Gateway). */
  | { readonly type: 'omitItemField'; readonly field: OmittableField };

/**
 * Which requests a fault may hit:
 * - `'anyRequest'`: the next ones, whatever they are;
 * - `{ request: n }`: the request at index n of the request log (0-based);
 * - `{ listPage: n }`: page n of a list (1 is the request without `continue`, 2 the first
 *   continuation, …); a retried page is the same page;
 * - `{ path: p }`: requests for this URL path only (e.g. `/apis/gateway.networking.k8s.io/v1/gateways`,
 *   or `/apis` for discovery), and with `listPage` only that page of its list.
 */
export type FaultTarget =
  | 'anyRequest'
  | { readonly request: number }
  | { readonly listPage: number }
  | { readonly path: string; readonly listPage?: number };

export type Fault = FaultEffect & {
  /** @default 'anyRequest' */
  readonly target?: FaultTarget;
  /** How many matching requests it hits; `Infinity` for every one. @default 1 */
  readonly times?: number;
};

/** Where a request stands, for matching targets. */
export interface RequestPosition {
  readonly index: number;
  readonly path: string;
  /** Undefined for anything but a list, or a list resuming from a token the server never issued. */
  readonly listPage: number | undefined;
}

/** Queued faults; the first that matches a request hits it. */
export class FaultQueue {
  private queued: { readonly fault: Fault; remaining: number }[] = [];

  add(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!(times >= 1)) throw new Error(`Fault.times must be at least 1, got ${times}`);
    const target = fault.target ?? 'anyRequest';
    if (
      typeof target === 'object' &&
      'listPage' in target &&
      target.listPage !== undefined &&
      !(target.listPage >= 1)
    ) {
      throw new Error(`Fault.target.listPage counts from 1, got ${target.listPage}`);
    }
    this.queued.push({ fault, remaining: times });
  }

  clear(): void {
    this.queued = [];
  }

  /** The fault for this request, if any, counting it as used once. */
  take(position: RequestPosition): FaultEffect | undefined {
    const entry = this.queued.find(({ fault }) => matches(fault.target ?? 'anyRequest', position));
    if (entry === undefined) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.queued = this.queued.filter((other) => other !== entry);
    return entry.fault;
  }
}

function matches(target: FaultTarget, position: RequestPosition): boolean {
  if (target === 'anyRequest') return true;
  if ('request' in target) return target.request === position.index;
  if ('path' in target) {
    return (
      target.path === position.path &&
      (target.listPage === undefined || target.listPage === position.listPage)
    );
  }
  return target.listPage === position.listPage;
}
