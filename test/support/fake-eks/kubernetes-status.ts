/** The `Status` object the API server answers errors with (meta/v1). */
export interface KubernetesStatus {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: { readonly continue?: string };
  readonly status: 'Failure';
  readonly message: string;
  readonly reason: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly code: number;
}

/** An error answer: the Status and any extra response headers. */
export class StatusError extends Error {
  override readonly name = 'StatusError';
  constructor(
    readonly status: KubernetesStatus,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`${status.code} ${status.reason}: ${status.message}`);
  }
}

/** What a request asked for, in the words of RBAC's Forbidden message. */
export interface RequestAttributes {
  readonly verb: string;
  /** Absent for a path that is no resource (RBAC's "non-resource URL"). */
  readonly resource?: {
    /** The plural resource name, `services`. */
    readonly resource: string;
    /** The API group, `''` for core. */
    readonly group: string;
    readonly name?: string;
    readonly namespace?: string;
  };
  readonly path: string;
}

/** `services`, or `ingresses.networking.k8s.io`: how kube-apiserver names a resource of a group. */
function qualified(resource: string, group: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}

// Field order as kube-apiserver writes it.
function failure(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
  metadata: KubernetesStatus['metadata'] = {},
): KubernetesStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata,
    status: 'Failure',
    message,
    reason,
    ...(details === undefined ? {} : { details }),
    code,
  };
}

export function unauthorized(): KubernetesStatus {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

/** RBAC's denial, worded as kube-apiserver words it for the request's scope. */
export function forbidden(user: string, request: RequestAttributes): KubernetesStatus {
  const { verb, resource } = request;
  if (resource === undefined) {
    return failure(403, 'Forbidden', `forbidden: User "${user}" cannot ${verb} path "${request.path}"`, {});
  }
  const resourceName = qualified(resource.resource, resource.group);
  const subject = resource.name === undefined ? resourceName : `${resourceName} "${resource.name}"`;
  const scope =
    resource.namespace === undefined ? 'at the cluster scope' : `in the namespace "${resource.namespace}"`;
  return failure(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource.resource}" in API group "${resource.group}" ${scope}`,
    {
      ...(resource.name === undefined ? {} : { name: resource.name }),
      ...(resource.group === '' ? {} : { group: resource.group }),
      kind: resource.resource,
    },
  );
}

/** A named object that does not exist: `services "web" not found`. */
export function objectNotFound(resource: string, group: string, name: string): KubernetesStatus {
  return failure(404, 'NotFound', `${qualified(resource, group)} "${name}" not found`, {
    name,
    ...(group === '' ? {} : { group }),
    kind: resource,
  });
}

export function resourceNotFound(): KubernetesStatus {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function methodNotAllowed(): KubernetesStatus {
  return failure(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
    {},
  );
}

export function badRequest(message: string): KubernetesStatus {
  return failure(400, 'BadRequest', message);
}

// storage/etcd3 when the list's revision was compacted: it offers a continuation at the
// latest revision, which would mix two points in time.
const INCONSISTENT_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. ' +
  'You can start a new list without the continue parameter, or use the continue token in this ' +
  'response to retrieve the remainder of the results. Continuing with the provided token results ' +
  'in an inconsistent list - objects that were created, modified, or deleted between the time ' +
  'the first chunk was returned and now may show up in the list.';

export function continueExpired(inconsistentContinue: string): KubernetesStatus {
  return failure(410, 'Expired', INCONSISTENT_CONTINUE, undefined, { continue: inconsistentContinue });
}

// The same, for a request that carried no continue token to resume from.
export function listExpired(): KubernetesStatus {
  return failure(410, 'Expired', 'The resourceVersion for the provided list is too old.');
}

/** API Priority and Fairness rejecting a request. */
export function tooManyRequests(retryAfterSeconds: number): KubernetesStatus {
  return failure(429, 'TooManyRequests', 'Too many requests, please try again later.', {
    retryAfterSeconds,
  });
}

export function internalError(cause: string): KubernetesStatus {
  return failure(500, 'InternalError', `Internal error occurred: ${cause}`, { causes: [{ message: cause }] });
}

export function serviceUnavailable(): KubernetesStatus {
  return failure(503, 'ServiceUnavailable', 'the server is currently unable to handle the request');
}
