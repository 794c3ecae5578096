import { NLB_HOURLY_USD, NLB_PRICES_AS_OF } from './nlb-prices';

/** An average month: 365 days × 24 hours / 12. */
export const HOURS_PER_MONTH = 730;
/** Every public IPv4 address, in use or idle, in every region (since 2024-02-01). */
export const PUBLIC_IPV4_HOURLY_USD = 0.005;
/** The region whose price stands in for a region the table does not know. */
export const FALLBACK_PRICE_REGION = 'us-east-1';

/** The prices a report's estimates use, and where they come from. */
export interface Pricing {
  /** The region swept. */
  readonly region: string;
  /** The region whose NLB price was used: the swept region, or us-east-1 when the table does not know it. */
  readonly priceRegion: string;
  readonly nlbHourlyUsd: number;
  readonly publicIpv4HourlyUsd: number;
  readonly hoursPerMonth: number;
  /** When the price table was read. */
  readonly asOf: string;
  /** Set when the swept region's price is unknown and us-east-1's was used. */
  readonly note: string | undefined;
}

/** One load balancer's fixed monthly charges; capacity units (NLCU) come on top and are not estimated. */
export interface MonthlyCost {
  /** The NLB-hour charge over a month. */
  readonly loadBalancerUsd: number;
  /** Its public IPv4 addresses: one per Availability Zone of an internet-facing NLB. */
  readonly publicIpv4Usd: number;
  /** The sum of the two. */
  readonly totalUsd: number;
}

export function pricingFor(
  region: string,
  prices: Readonly<Record<string, number>> = NLB_HOURLY_USD,
): Pricing {
  const known = prices[region];
  const fallback = prices[FALLBACK_PRICE_REGION];
  if (known === undefined && fallback === undefined)
    throw new Error(`no NLB price for ${FALLBACK_PRICE_REGION}`);
  return {
    region,
    priceRegion: known === undefined ? FALLBACK_PRICE_REGION : region,
    nlbHourlyUsd: known ?? (fallback as number),
    publicIpv4HourlyUsd: PUBLIC_IPV4_HOURLY_USD,
    hoursPerMonth: HOURS_PER_MONTH,
    asOf: NLB_PRICES_AS_OF,
    note:
      known === undefined
        ? `the price table has no NLB price for ${region}: estimates use ${FALLBACK_PRICE_REGION}'s`
        : undefined,
  };
}

/**
 * The monthly cost of one NLB: its hour charge, plus one public IPv4 address per
 * Availability Zone when it is internet-facing. Each part is rounded to the cent
 * as a bill shows it, and the total is their sum.
 */
export function monthlyCost(
  pricing: Pricing,
  loadBalancer: { readonly scheme: string; readonly availabilityZones?: number | undefined },
): MonthlyCost {
  const publicAddresses =
    loadBalancer.scheme === 'internet-facing' ? (loadBalancer.availabilityZones ?? 0) : 0;
  const loadBalancerUsd = cents(pricing.nlbHourlyUsd * pricing.hoursPerMonth);
  const publicIpv4Usd = cents(publicAddresses * pricing.publicIpv4HourlyUsd * pricing.hoursPerMonth);
  return { loadBalancerUsd, publicIpv4Usd, totalUsd: cents(loadBalancerUsd + publicIpv4Usd) };
}

/** Rounded to the cent, without binary floating-point surprises (16.425 → 16.43). */
export function cents(value: number): number {
  return Math.round(Number((value * 100).toFixed(6))) / 100;
}
