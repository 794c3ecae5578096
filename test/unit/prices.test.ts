import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { cents, monthlyCost, pricingFor } from '../../lambda/report/cost';
import { NLB_HOURLY_USD } from '../../lambda/report/nlb-prices';
import { extractNlbHourlyPrices, type OfferFile } from '../../lambda/report/offer-file';
import { updatePrices } from '../../scripts/update-prices';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'awselb-offer-file.json');
const offer = () => JSON.parse(readFileSync(FIXTURE, 'utf8')) as OfferFile;

describe('the AWSELB offer file', () => {
  it('yields the NLB-hour price of each region, not capacity units, Outposts or ALBs', () => {
    const prices = extractNlbHourlyPrices(offer());

    assert.equal(prices.publicationDate, '2026-10-01T00:00:00Z');
    assert.deepEqual(prices.byRegion, { 'af-south-1': 0.03, 'eu-west-2': 0.02646, 'us-east-1': 0.0225 });
  });

  it('refuses another offer file, or one without any NLB price', () => {
    assert.throws(
      () => extractNlbHourlyPrices({ ...offer(), offerCode: 'AmazonEC2' }),
      /not the AWSELB offer file/,
    );
    assert.throws(
      () => extractNlbHourlyPrices({ offerCode: 'AWSELB', products: {} }),
      /names no Network Load Balancer/,
    );
  });

  it('the script writes a price module the report can import', async () => {
    const target = path.join(mkdtempSync(path.join(tmpdir(), 'prices-')), 'nlb-prices.ts');

    await updatePrices(FIXTURE, target, '2026-11-25');

    const module = (await import(target)) as {
      NLB_HOURLY_USD: Record<string, number>;
      NLB_PRICES_AS_OF: string;
    };
    assert.deepEqual(module.NLB_HOURLY_USD, {
      'af-south-1': 0.03,
      'eu-west-2': 0.02646,
      'us-east-1': 0.0225,
    });
    assert.equal(module.NLB_PRICES_AS_OF, '2026-11-25');
  });

  it('the shipped table holds the known prices', () => {
    assert.equal(NLB_HOURLY_USD['us-east-1'], 0.0225);
    assert.equal(NLB_HOURLY_USD['eu-west-2'], 0.02646);
    assert.equal(NLB_HOURLY_USD['af-south-1'], 0.03);
  });
});

describe('monthly cost of an NLB', () => {
  it('internet-facing in two Availability Zones in us-east-1: 16.43 + 7.30 USD a month', () => {
    const cost = monthlyCost(pricingFor('us-east-1'), { scheme: 'internet-facing', availabilityZones: 2 });

    assert.deepEqual(cost, { loadBalancerUsd: 16.43, publicIpv4Usd: 7.3, totalUsd: 23.73 });
  });

  const regions: [string, number, number][] = [
    ['eu-west-2', 19.32, 19.32 + 10.95],
    ['af-south-1', 21.9, 21.9 + 10.95],
  ];
  for (const [region, hourCharge, total] of regions) {
    it(`in ${region} uses that region's price (three AZs)`, () => {
      const pricing = pricingFor(region);
      const cost = monthlyCost(pricing, { scheme: 'internet-facing', availabilityZones: 3 });

      assert.equal(pricing.priceRegion, region);
      assert.equal(pricing.note, undefined);
      assert.equal(cost.loadBalancerUsd, hourCharge);
      assert.equal(cost.publicIpv4Usd, 10.95);
      assert.equal(cost.totalUsd, cents(total));
    });
  }

  it('an internal NLB has no public addresses', () => {
    assert.deepEqual(monthlyCost(pricingFor('us-east-1'), { scheme: 'internal', availabilityZones: 3 }), {
      loadBalancerUsd: 16.43,
      publicIpv4Usd: 0,
      totalUsd: 16.43,
    });
  });

  it('a region the table does not know is priced as us-east-1, and says so', () => {
    const pricing = pricingFor('mx-central-1');

    assert.equal(pricing.priceRegion, 'us-east-1');
    assert.equal(pricing.nlbHourlyUsd, 0.0225);
    assert.match(pricing.note ?? '', /no NLB price for mx-central-1: estimates use us-east-1's/);
  });
});
