import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DeletionGate, gateDeletion } from '../../lambda/decisions/deletion-gate';
import type { EvidenceFinding, EvidenceKind } from '../../lambda/evidence/evidence';

const clear: EvidenceFinding = { kind: 'clear' };
const notChecked: EvidenceFinding = { kind: 'not-checked' };
const inUse = (...uses: string[]): EvidenceFinding => ({ kind: 'in-use', uses });
const unknown = (error: string): EvidenceFinding => ({ kind: 'unknown', error });

const cases: { name: string; findings: [EvidenceKind, EvidenceFinding][]; expected: DeletionGate }[] = [
  { name: 'no sources at all', findings: [], expected: { kind: 'proceed', notChecked: [] } },
  {
    name: 'every source clear',
    findings: [
      ['privatelink', clear],
      ['vpc-link', clear],
      ['global-accelerator', clear],
      ['target-health', clear],
      ['traffic', clear],
    ],
    expected: { kind: 'proceed', notChecked: [] },
  },
  {
    name: 'clear, with sources switched off listed',
    findings: [
      ['privatelink', clear],
      ['global-accelerator', notChecked],
      ['traffic', notChecked],
    ],
    expected: { kind: 'proceed', notChecked: ['global-accelerator', 'traffic'] },
  },
  {
    name: 'one source in use',
    findings: [
      ['privatelink', inUse('endpoint service vpce-svc-1')],
      ['traffic', clear],
    ],
    expected: { kind: 'in-use', uses: ['endpoint service vpce-svc-1'] },
  },
  {
    name: 'in use wins over unknown: a person must act either way',
    findings: [
      ['traffic', unknown('Throttling: Rate exceeded')],
      ['vpc-link', inUse('VPC link abc')],
    ],
    expected: { kind: 'in-use', uses: ['VPC link abc'] },
  },
  {
    name: 'uses of several sources are all listed',
    findings: [
      ['privatelink', inUse('a', 'b')],
      ['target-health', inUse('c')],
      ['vpc-link', clear],
    ],
    expected: { kind: 'in-use', uses: ['a', 'b', 'c'] },
  },
  {
    name: 'an in-use finding without a description is still a use',
    findings: [['global-accelerator', inUse()]],
    expected: { kind: 'in-use', uses: ['global-accelerator: in use'] },
  },
  {
    name: 'an unreadable source holds the deletion',
    findings: [
      ['privatelink', clear],
      ['vpc-link', unknown('AccessDeniedException: not authorized')],
    ],
    expected: { kind: 'unknown', errors: ['vpc-link: AccessDeniedException: not authorized'] },
  },
  {
    name: 'every unreadable source is named',
    findings: [
      ['privatelink', unknown('x')],
      ['traffic', unknown('y')],
      ['target-health', notChecked],
    ],
    expected: { kind: 'unknown', errors: ['privatelink: x', 'traffic: y'] },
  },
  {
    name: 'unknown wins over switched-off sources',
    findings: [
      ['traffic', notChecked],
      ['target-health', unknown('z')],
    ],
    expected: { kind: 'unknown', errors: ['target-health: z'] },
  },
];

describe('gateDeletion', () => {
  for (const { name, findings, expected } of cases) {
    it(name, () => {
      assert.deepEqual(gateDeletion(new Map(findings)), expected);
    });
  }
});
