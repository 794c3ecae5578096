import { type APIGatewayClient, paginateGetVpcLinks } from '@aws-sdk/client-api-gateway';
import type { EvidenceSource } from './evidence';
import { listingSource } from './findings';

/**
 * API Gateway (REST) VPC links that target a load balancer. Deleting the load
 * balancer succeeds and breaks every private integration through the link.
 *
 * Calls per collect: GetVpcLinks, every page (500 links a page, `position`),
 * for all subjects at once. The VPC links of the janitor's region only: a VPC
 * link targets load balancers of its own region.
 */
export function vpcLinkEvidence(
  apiGateway: APIGatewayClient,
  options: {
    /** Links a page (GetVpcLinks `limit`, at most 500). @default 500 */
    readonly pageSize?: number;
  } = {},
): EvidenceSource {
  return listingSource('vpc-link', async (record) => {
    for await (const page of paginateGetVpcLinks(
      { client: apiGateway, pageSize: options.pageSize ?? 500 },
      {},
    )) {
      for (const link of page.items ?? []) {
        for (const arn of link.targetArns ?? []) {
          record(
            arn,
            `API Gateway VPC link ${link.id ?? '?'} (${link.name ?? 'unnamed'}) targets it: ` +
              'delete the VPC link and the private integrations that use it first',
          );
        }
      }
    }
  });
}
