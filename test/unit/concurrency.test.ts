import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunk, mapWithConcurrency } from '../../lambda/util/concurrency';

describe('mapWithConcurrency', () => {
  it('never has more than the limit in flight, and keeps the order', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapWithConcurrency(
      Array.from({ length: 40 }, (_, i) => i),
      5,
      async (item) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, (item * 7) % 5));
        inFlight -= 1;
        return item * 2;
      },
    );
    assert.equal(most, 5);
    assert.deepEqual(
      results,
      Array.from({ length: 40 }, (_, i) => i * 2),
    );
  });

  it('handles fewer items than the limit, and none', async () => {
    assert.deepEqual(await mapWithConcurrency([1, 2], 5, async (x) => x), [1, 2]);
    assert.deepEqual(await mapWithConcurrency([], 5, async (x) => x), []);
  });
});

describe('chunk', () => {
  it('splits into batches of at most the size', () => {
    assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(chunk([], 20), []);
  });
});
