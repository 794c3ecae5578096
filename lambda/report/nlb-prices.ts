// Network Load Balancer hourly prices in USD by region, for the report's cost estimates.
// Regenerate from AWS's public bulk price list with `npm run update:prices`
// (scripts/update-prices.ts: the AWSELB offer file, format described in lambda/report/offer-file.ts).
// This copy was not downloaded (the development machine has no network): each value below
// was taken from the source named beside it; a region not listed is priced as us-east-1
// and the report says so.

/** When these prices were read, and from where. */
export const NLB_PRICES_AS_OF = '2026-11-25';
export const NLB_PRICES_SOURCE =
  'AWS price list (AWSELB), each value transcribed from the source named beside it; npm run update:prices writes every region';

/** USD per NLB-hour. */
export const NLB_HOURLY_USD: Readonly<Record<string, number>> = {
  // AWS price list AWSELB, "Africa (Cape Town)": AFS1-LoadBalancerUsage, LoadBalancing:Network.
  'af-south-1': 0.03,
  // AWS price list AWSELB ap-northeast-2: "$0.0225 per Network LoadBalancer-hour (or partial hour)".
  'ap-northeast-2': 0.0225,
  // AWS price list AWSELB, "Load Balancer-Network", EUW2-LoadBalancerUsage.
  'eu-west-2': 0.02646,
  // AWS price list AWSELB, "Load Balancer-Network", LoadBalancerUsage; aws.amazon.com/elasticloadbalancing/pricing.
  'us-east-1': 0.0225,
};
