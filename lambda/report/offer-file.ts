/**
 * Reads Network Load Balancer hourly prices out of AWS's public bulk price list
 * offer file for Elastic Load Balancing (offer code `AWSELB`):
 * https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSELB/current/index.json
 *
 * The offer file (format version v1.0) is one JSON document:
 * - `publicationDate`: when AWS published it (ISO-8601);
 * - `products`: by SKU, `{ sku, productFamily, attributes: { regionCode, usagetype, operation, locationType, ... } }`;
 *   a Network Load Balancer's hourly charge is the product with `productFamily` `Load Balancer-Network`,
 *   `operation` `LoadBalancing:Network`, `locationType` `AWS Region` and a `usagetype` of
 *   `<billing code>-LoadBalancerUsage` (us-east-1 has no billing code: `LoadBalancerUsage`);
 *   `TS-`, `Outposts-` and capacity-unit (`LCUUsage`) usage types are other charges;
 * - `terms.OnDemand[sku][offerTermCode].priceDimensions[rateCode]`: `{ unit: 'Hrs', pricePerUnit: { USD: '0.0225000000' } }`.
 *
 * Pure: the script that downloads the file (scripts/update-prices.ts) and the
 * tests (on a small fixture of the same shape) share it.
 */

export interface OfferFile {
  readonly offerCode?: string;
  readonly publicationDate?: string;
  readonly products?: Readonly<Record<string, OfferProduct>>;
  readonly terms?: { readonly OnDemand?: Readonly<Record<string, Readonly<Record<string, OfferTerm>>>> };
}

interface OfferProduct {
  readonly sku?: string;
  readonly productFamily?: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

interface OfferTerm {
  readonly priceDimensions?: Readonly<
    Record<string, { readonly unit?: string; readonly pricePerUnit?: Readonly<Record<string, string>> }>
  >;
}

export interface NlbHourlyPrices {
  readonly publicationDate: string;
  /** USD per NLB-hour, by region code. */
  readonly byRegion: Readonly<Record<string, number>>;
}

const NLB_HOUR_USAGE = /^(?:[A-Z0-9]+-)?LoadBalancerUsage$/;

/** The hourly charge of a Network Load Balancer in every AWS Region the offer file prices. */
export function extractNlbHourlyPrices(offer: OfferFile): NlbHourlyPrices {
  if (offer.offerCode !== 'AWSELB') {
    throw new Error(`not the AWSELB offer file (offerCode ${JSON.stringify(offer.offerCode)})`);
  }
  const byRegion: Record<string, number> = {};
  for (const [sku, product] of Object.entries(offer.products ?? {})) {
    const attributes = product.attributes ?? {};
    const region = attributes.regionCode;
    if (
      product.productFamily !== 'Load Balancer-Network' ||
      attributes.operation !== 'LoadBalancing:Network' ||
      attributes.locationType !== 'AWS Region' ||
      !NLB_HOUR_USAGE.test(attributes.usagetype ?? '') ||
      region === undefined
    ) {
      continue;
    }
    const prices = Object.values(offer.terms?.OnDemand?.[sku] ?? {}).flatMap((term) =>
      Object.values(term.priceDimensions ?? {}).flatMap((dimension) =>
        dimension.unit === 'Hrs' && dimension.pricePerUnit?.USD !== undefined
          ? [Number(dimension.pricePerUnit.USD)]
          : [],
      ),
    );
    const price = prices[0];
    if (prices.length !== 1 || price === undefined || !Number.isFinite(price) || price <= 0) {
      throw new Error(
        `SKU ${sku} (${region}) has ${prices.length} hourly USD prices, expected one positive price`,
      );
    }
    if (byRegion[region] !== undefined && byRegion[region] !== price) {
      throw new Error(`two different NLB hourly prices for ${region}: ${byRegion[region]} and ${price}`);
    }
    byRegion[region] = price;
  }
  if (Object.keys(byRegion).length === 0)
    throw new Error('the offer file names no Network Load Balancer hourly price');
  return {
    publicationDate: offer.publicationDate ?? 'unknown',
    byRegion: Object.fromEntries(Object.entries(byRegion).sort(([a], [b]) => a.localeCompare(b))),
  };
}
