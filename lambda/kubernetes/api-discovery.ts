import { getWithRetries, type RetryOptions } from './api-retry';
import { IncompleteListError } from './incomplete-list-error';
import { asRecord, nonEmptyString } from './object-fields';
import type { JsonGetter } from './object-list';

/**
 * Whether the cluster serves an API group at a version, from `GET /apis`
 * (APIGroupList). Only an answer read in full says "not served"; any failure
 * throws IncompleteListError, so a missing group is never inferred from an error.
 */
export async function servesGroupVersion(
  api: JsonGetter,
  group: string,
  version: string,
  options: RetryOptions,
): Promise<boolean> {
  const body = await getWithRetries(api, '/apis', {}, 'discovering API groups', options);
  return groupVersionListed(body, group, version);
}

/**
 * Reads an APIGroupList strictly: a group entry without a name or versions makes
 * the whole answer unusable, as it could be the group asked about.
 */
export function groupVersionListed(body: unknown, group: string, version: string): boolean {
  const list = asRecord(body);
  if (list?.kind !== 'APIGroupList')
    throw new IncompleteListError('discovery (/apis) is not an APIGroupList');
  if (!Array.isArray(list.groups)) throw new IncompleteListError('discovery (/apis) has no groups array');
  let listed = false;
  list.groups.forEach((entry: unknown, index: number) => {
    const record = asRecord(entry);
    const name = nonEmptyString(record?.name);
    const versions = record?.versions;
    if (name === undefined || !Array.isArray(versions)) {
      throw new IncompleteListError(`discovery (/apis), group ${index}: no name or versions`);
    }
    const served = versions.map((served: unknown) => nonEmptyString(asRecord(served)?.version));
    if (served.includes(undefined)) {
      throw new IncompleteListError(`discovery (/apis), group ${name}: a version without a name`);
    }
    if (name === group && served.includes(version)) listed = true;
  });
  return listed;
}
