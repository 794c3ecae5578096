import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { SETTING_DEFAULTS } from '../../contract/settings';
import { CONTROLLER_OWNER_TAGS } from '../../contract/tag-keys';
import { TAG_FAMILIES } from '../../lambda/ownership/tag-families';

// The contract (contract/) is what lib/ and lambda/ share without importing each other;
// these tests hold it to what each side says on its own.

const ROOT = resolve(__dirname, '..', '..');

describe('the contract names the owner tag of every tag family', () => {
  // IAM's delete statements (lib/janitor-permissions.ts) demand one of these tags: a
  // family whose owner tag is missing here could never be deleted, or would be deleted
  // on a tag IAM does not check.
  for (const family of TAG_FAMILIES) {
    it(`${family.controller} ${family.ownerKind}: its owner tag is the controller's in the contract`, () => {
      const ownerTag = 'key' in family.cluster ? family.cluster.key : family.stackKey;
      assert.equal(CONTROLLER_OWNER_TAGS[family.controller], ownerTag);
    });
  }
  it('and no controller the families do not know', () => {
    assert.deepEqual(
      Object.keys(CONTROLLER_OWNER_TAGS).sort(),
      [...new Set(TAG_FAMILIES.map((family) => family.controller))].sort(),
    );
  });
});

describe('the contract holds one default each', () => {
  // The props' @default tags are documentation and cannot import: they are held to the contract here.
  const props = readFileSync(join(ROOT, 'lib', 'nlb-janitor-props.ts'), 'utf8');
  const documented = (prop: string) =>
    new RegExp(`@default ([^\\n]+)\\n\\s*\\*/\\n\\s*readonly ${prop}\\?`).exec(props)?.[1]?.trim();
  const cases: [string, string][] = [
    ['gracePeriod', `'${SETTING_DEFAULTS.gracePeriod}'`],
    ['maxDeletions', String(SETTING_DEFAULTS.maxDeletions)],
    ['maxDeletionsPerCluster', String(SETTING_DEFAULTS.maxDeletionsPerCluster)],
    ['maxOrphanRatio', String(SETTING_DEFAULTS.maxOrphanRatio)],
    ['dryRun', String(SETTING_DEFAULTS.dryRun)],
    ['deleteWhenClusterMissing', String(SETTING_DEFAULTS.deleteWhenClusterMissing)],
    // Not discoverClusters: the construct's prop means "clusters may be empty" (access entries, revoke
    // scope; default false), while the runtime reads every EKS cluster for claims unless told not to (true).
  ];
  for (const [prop, value] of cases) {
    it(`${prop}: the props document ${value}, the contract's default`, () => {
      assert.equal(documented(prop), value);
    });
  }
});
