import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { elide, formatTable, shortenArns, wrap } from '../../lambda/report/text-table';

describe('the CLI table fits its width', () => {
  it('keeps short rows as they are, aligned', () => {
    assert.deepEqual(formatTable(['A', 'BB'], [{ cells: ['xyz', '1'] }, { cells: ['x', '22'] }]), [
      'A    BB',
      'xyz  1',
      'x    22',
    ]);
  });

  it('elides the middle of the elidable column until every line fits', () => {
    const lines = formatTable(
      ['OUTCOME', 'OWNER', 'REASON'],
      [{ cells: ['marked', 'envoy-gateway-system/envoy-default-old-gw-6faad47a', 'SERVICE_NOT_FOUND'] }],
      { width: 50, elidable: [1] },
    );
    assert.ok(
      lines.every((line) => line.length <= 50),
      lines.join('\n'),
    );
    assert.equal(lines[1], 'marked   envoy-gatew…w-6faad47a  SERVICE_NOT_FOUND');
  });

  it('puts a note on wrapped lines under its row, within the width', () => {
    const note =
      'it goes after load balancer k8s-shop-promo-1f2e3d4c5b, which still stands: it is deleted once that is gone';
    const lines = formatTable(['A'], [{ cells: ['row'], note }], { width: 40 });
    assert.equal(lines[1], 'row');
    assert.ok(lines.slice(2).every((line) => line.startsWith('      ') && line.length <= 40));
    assert.equal(
      lines
        .slice(2)
        .map((line) => line.trim())
        .join(' '),
      note,
    );
  });

  const elisions: [string, number, string][] = [
    ['short', 10, 'short'],
    ['abcdefghijklmnopqrstuvwxyz', 10, 'abcde…wxyz'],
    ['abcdefghijklmnopqrstuvwxyz', 11, 'abcde…vwxyz'],
  ];
  for (const [text, max, expected] of elisions) {
    it(`elides ${text} to ${max}: ${expected}`, () => {
      assert.equal(elide(text, max), expected);
      assert.ok(elide(text, max).length <= max);
    });
  }

  it('wraps words, and cuts a word longer than the line', () => {
    assert.deepEqual(wrap('one two three', 7), ['one two', 'three']);
    assert.deepEqual(wrap('abcdefghij k', 4), ['abcd', 'efgh', 'ij k']);
  });

  it('names load balancers and target groups in a sentence instead of their ARNs', () => {
    assert.equal(
      shortenArns(
        'after arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/k8s-shop-web-1a2b3c/0123456789abcdef and arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:targetgroup/tg-1/89abcdef01234567',
      ),
      'after k8s-shop-web-1a2b3c and tg-1',
    );
  });
});
