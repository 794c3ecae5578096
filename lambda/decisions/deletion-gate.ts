import type { EvidenceFinding, EvidenceKind } from '../evidence/evidence';

/** Whether evidence of use lets a due load balancer be deleted. */
export type DeletionGate =
  /** Nothing uses it as far as every checked source can tell; `notChecked` lists the sources switched off. */
  | { readonly kind: 'proceed'; readonly notChecked: EvidenceKind[] }
  /** Something uses it: a person must act; each use says what and what to do. */
  | { readonly kind: 'in-use'; readonly uses: string[] }
  /** A source could not be read: hold until it can. */
  | { readonly kind: 'unknown'; readonly errors: string[] };

/**
 * Any use wins over an unreadable source (a use is a fact a person must act on,
 * whatever the other sources say); otherwise any unreadable source holds the
 * deletion; otherwise it may proceed. Sources switched off are listed so the
 * report can say what was not checked.
 */
export function gateDeletion(findings: ReadonlyMap<EvidenceKind, EvidenceFinding>): DeletionGate {
  const uses: string[] = [];
  const errors: string[] = [];
  const notChecked: EvidenceKind[] = [];
  for (const [kind, finding] of findings) {
    switch (finding.kind) {
      case 'in-use':
        // An in-use finding without a description is still a use.
        uses.push(...(finding.uses.length > 0 ? finding.uses : [`${kind}: in use`]));
        break;
      case 'unknown':
        errors.push(`${kind}: ${finding.error}`);
        break;
      case 'not-checked':
        notChecked.push(kind);
        break;
      case 'clear':
        break;
    }
  }
  if (uses.length > 0) return { kind: 'in-use', uses };
  if (errors.length > 0) return { kind: 'unknown', errors };
  return { kind: 'proceed', notChecked };
}
