import { type EKSClient, paginateListClusters } from '@aws-sdk/client-eks';
import { errorText } from '../util/error-text';

/** ListClusters failed: the sweep cannot know every cluster of the account, so it changes nothing. */
export class ClusterDiscoveryError extends Error {
  override readonly name = 'ClusterDiscoveryError';
}

/**
 * Every EKS cluster of the client's account and region, every page of
 * ListClusters (at most 100 a page). All or nothing: a failed page throws,
 * because a cluster left out of the sweep is a cluster whose Services go unread.
 */
export async function discoverClusters(eks: EKSClient, pageSize = 100): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const page of paginateListClusters({ client: eks, pageSize }, {})) {
      names.push(...(page.clusters ?? []));
    }
  } catch (error) {
    throw new ClusterDiscoveryError(
      `eks:ListClusters failed, so the clusters of this account and region are unknown; nothing was changed: ${errorText(error)}`,
    );
  }
  return [...new Set(names)].sort();
}
