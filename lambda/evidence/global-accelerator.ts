import {
  GlobalAcceleratorClient,
  type GlobalAcceleratorClientConfig,
  paginateListAccelerators,
  paginateListEndpointGroups,
  paginateListListeners,
} from '@aws-sdk/client-global-accelerator';
import type { EvidenceSource } from './evidence';
import { listingSource } from './findings';

/** Global Accelerator's API is served from this region only, whatever region its endpoints are in. */
export const GLOBAL_ACCELERATOR_API_REGION = 'us-west-2';

/** A Global Accelerator client pinned to the API's region; the rest of `config` as given. */
export function createGlobalAcceleratorClient(
  config: Omit<GlobalAcceleratorClientConfig, 'region'> = {},
): GlobalAcceleratorClient {
  return new GlobalAcceleratorClient({ ...config, region: GLOBAL_ACCELERATOR_API_REGION });
}

/**
 * Global Accelerator endpoint groups that route to a load balancer. Deleting the
 * load balancer succeeds and the accelerator then sends its clients nowhere.
 *
 * Calls per collect, for all subjects at once: ListAccelerators (every page),
 * then ListListeners once per accelerator and ListEndpointGroups once per
 * listener (every page). An endpoint names a load balancer by its ARN.
 */
export function globalAcceleratorEvidence(
  globalAccelerator: GlobalAcceleratorClient,
  options: {
    /** Items a page on the three list calls (MaxResults, 1 to 100). @default 100 */
    readonly pageSize?: number;
  } = {},
): EvidenceSource {
  const pagination = { client: globalAccelerator, pageSize: options.pageSize ?? 100 };
  return listingSource('global-accelerator', async (record) => {
    for await (const acceleratorPage of paginateListAccelerators(pagination, {})) {
      for (const accelerator of acceleratorPage.Accelerators ?? []) {
        const acceleratorArn = accelerator.AcceleratorArn;
        if (acceleratorArn === undefined) continue;
        for await (const listenerPage of paginateListListeners(pagination, {
          AcceleratorArn: acceleratorArn,
        })) {
          for (const listener of listenerPage.Listeners ?? []) {
            if (listener.ListenerArn === undefined) continue;
            for await (const groupPage of paginateListEndpointGroups(pagination, {
              ListenerArn: listener.ListenerArn,
            })) {
              for (const group of groupPage.EndpointGroups ?? []) {
                for (const endpoint of group.EndpointDescriptions ?? []) {
                  if (endpoint.EndpointId === undefined) continue;
                  record(
                    endpoint.EndpointId,
                    `Global Accelerator ${accelerator.Name ?? 'unnamed'} (${acceleratorArn}) routes to it ` +
                      `from endpoint group ${group.EndpointGroupArn ?? '?'}: remove the endpoint from the ` +
                      'group first (deleting the load balancer would leave the accelerator sending clients nowhere)',
                  );
                }
              }
            }
          }
        }
      }
    }
  });
}
