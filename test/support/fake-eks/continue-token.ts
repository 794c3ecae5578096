import { posix } from 'node:path';
import { badRequest, StatusError } from './kubernetes-status';

/** Where a paged list resumes: the snapshot's resourceVersion and the first key not yet served. */
export interface ContinuePosition {
  /** -1 asks for the latest state: the inconsistent continuation a 410 offers. */
  readonly resourceVersion: number;
  /** Relative to the list's key prefix, as k8s.io/apiserver storage encodes it. */
  readonly startKey: string;
}

// k8s.io/apiserver/pkg/storage continue.go: base64url (no padding) of {"v","rv","start"}.
const TOKEN_VERSION = 'meta.k8s.io/v1';

export function encodeContinue(position: ContinuePosition): string {
  const json = JSON.stringify({ v: TOKEN_VERSION, rv: position.resourceVersion, start: position.startKey });
  return Buffer.from(json, 'utf8').toString('base64url');
}

/** Decodes a continue parameter; an unreadable one is a 400 BadRequest, as the API server answers. */
export function decodeContinue(token: string): ContinuePosition {
  const invalid = (why: string) => new StatusError(badRequest(`continue key is not valid: ${why}`));
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw invalid('illegal base64 data');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid('not JSON');
  }
  const { v, rv, start } = (parsed ?? {}) as { v?: unknown; rv?: unknown; start?: unknown };
  if (v !== TOKEN_VERSION) throw invalid(`server does not recognize this encoded version "${String(v)}"`);
  if (typeof rv !== 'number' || !Number.isInteger(rv) || rv === 0) {
    throw invalid('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof start !== 'string' || start === '') {
    throw invalid('encoded start key empty (version meta.k8s.io/v1)');
  }
  // The API server refuses keys that would climb out of the list's prefix.
  if (posix.normalize(`/${start}`) !== `/${start}`) throw invalid(start);
  return { resourceVersion: rv, startKey: start };
}
