import { randomUUID } from 'node:crypto';

/** The metadata every stored object carries, as the API server serialises it. */
export interface ObjectMetadata {
  readonly name: string;
  /** Absent on cluster-scoped objects. */
  readonly namespace?: string;
  readonly uid: string;
  readonly resourceVersion: string;
  readonly creationTimestamp: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ObjectJson {
  readonly metadata: ObjectMetadata;
}

/** An object under its storage key, `<namespace>/<name>`, which orders lists as etcd does. */
export interface StoredObject<J extends ObjectJson = ObjectJson> {
  readonly key: string;
  readonly object: J;
}

/** The objects of one kind as of one resourceVersion, sorted by key. */
export interface ObjectsSnapshot<J extends ObjectJson = ObjectJson> {
  readonly resourceVersion: number;
  readonly objects: readonly StoredObject<J>[];
}

/** What the store assigns a created or replaced object. */
export interface AssignedFields {
  readonly uid: string;
  readonly resourceVersion: string;
  readonly creationTimestamp: string;
  /** How many objects of this kind were ever created, this one included: for unique IPs and ports. */
  readonly ordinal: number;
}

// etcd revisions of a real cluster are large numbers; the exact start does not matter.
const INITIAL_RESOURCE_VERSION = 1000;

/** etcd's revision: one counter for every kind of a cluster, bumped by each write. */
export class Revision {
  private value = INITIAL_RESOURCE_VERSION;

  get current(): number {
    return this.value;
  }

  next(): number {
    this.value += 1;
    return this.value;
  }
}

/** In-memory objects of one kind; resourceVersions come from the cluster's shared {@link Revision}. */
export class ObjectStore<J extends ObjectJson> {
  private readonly objects = new Map<string, J>();
  private created = 0;

  constructor(
    private readonly revision: Revision,
    /** For error messages: `Service`, `Ingress`. */
    private readonly noun: string,
    private readonly now: () => Date,
    /** Cluster-scoped objects have no namespace: stored under `/<name>`. */
    private readonly clusterScoped = false,
  ) {}

  /** Stores an object as it exists when the cluster starts, at the initial revision, without a write. */
  seed(object: J): void {
    this.objects.set(storageKey(object.metadata.namespace ?? '', object.metadata.name), object);
  }

  /** Creates or replaces an object; a replacement keeps its uid (unless given) and creationTimestamp. */
  put(
    identity: { readonly namespace: string; readonly name: string; readonly uid?: string },
    build: (assigned: AssignedFields) => J,
  ): void {
    for (const field of this.clusterScoped ? (['name'] as const) : (['namespace', 'name'] as const)) {
      const value = identity[field];
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value)) {
        throw new Error(`${this.noun} ${field} "${value}" is not a DNS label`);
      }
    }
    const key = storageKey(identity.namespace, identity.name);
    const existing = this.objects.get(key);
    if (existing === undefined) this.created += 1;
    this.objects.set(
      key,
      build({
        uid: identity.uid ?? existing?.metadata.uid ?? randomUUID(),
        resourceVersion: String(this.revision.next()),
        creationTimestamp: existing?.metadata.creationTimestamp ?? rfc3339Seconds(this.now()),
        ordinal: this.created,
      }),
    );
  }

  /** Deletes an object; throws when there is none, so a test's typo does not pass silently. */
  delete(namespace: string, name: string): void {
    if (!this.objects.delete(storageKey(namespace, name))) {
      throw new Error(`no ${this.noun} ${namespace}/${name} to delete`);
    }
    this.revision.next();
  }

  get(namespace: string, name: string): J | undefined {
    return this.objects.get(storageKey(namespace, name));
  }

  snapshot(): ObjectsSnapshot<J> {
    const objects = [...this.objects.entries()]
      .map(([key, object]) => ({ key, object }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { resourceVersion: this.revision.current, objects };
  }
}

function storageKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function rfc3339Seconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Metadata as the API server writes it: assigned fields, and labels and annotations only when not empty. */
export function objectMetadata(
  spec: {
    readonly namespace: string;
    readonly name: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  },
  assigned: AssignedFields,
): ObjectMetadata {
  return {
    name: spec.name,
    // The API server writes no namespace on a cluster-scoped object.
    ...(spec.namespace === '' ? {} : { namespace: spec.namespace }),
    uid: assigned.uid,
    resourceVersion: assigned.resourceVersion,
    creationTimestamp: assigned.creationTimestamp,
    // The API server omits empty maps.
    ...(spec.labels === undefined ? {} : { labels: { ...spec.labels } }),
    ...(spec.annotations === undefined ? {} : { annotations: { ...spec.annotations } }),
  };
}
