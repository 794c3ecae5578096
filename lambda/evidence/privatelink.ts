import { type EC2Client, paginateDescribeVpcEndpointServiceConfigurations } from '@aws-sdk/client-ec2';
import type { EvidenceSource } from './evidence';
import { listingSource } from './findings';

/**
 * PrivateLink endpoint services in front of a load balancer. ELBv2 refuses to
 * delete a load balancer an endpoint service uses (ResourceInUse), so the
 * endpoint service has to go first, and its consumers must be told.
 *
 * Calls per collect: DescribeVpcEndpointServiceConfigurations, every page (100
 * services a page), for all subjects at once.
 */
export function privateLinkEvidence(
  ec2: EC2Client,
  options: {
    /** Services a page (MaxResults, 5 to 1000). @default 100 */
    readonly pageSize?: number;
  } = {},
): EvidenceSource {
  return listingSource('privatelink', async (record) => {
    for await (const page of paginateDescribeVpcEndpointServiceConfigurations(
      { client: ec2, pageSize: options.pageSize ?? 100 },
      {},
    )) {
      for (const service of page.ServiceConfigurations ?? []) {
        for (const arn of service.NetworkLoadBalancerArns ?? []) {
          record(
            arn,
            `PrivateLink endpoint service ${service.ServiceId ?? 'vpce-svc-?'} uses it: delete the endpoint service first ` +
              '(ELBv2 refuses the deletion while it exists)',
          );
        }
      }
    }
  });
}
