/**
 * Evidence of use: facts read outside Kubernetes that say whether something still
 * uses a load balancer. Each source gathers facts for many load balancers at once
 * (listing endpoint services, VPC links or accelerators once per sweep, not per
 * load balancer); a pure decision (`gateDeletion`) turns the findings into
 * "go ahead", "in use" or "unknown".
 */

import type { SkippableEvidenceKind } from '../../contract/evidence-kinds';

/** The kinds of evidence, one per source: those a deployment may switch off, and two it cannot. */
export type EvidenceKind = SkippableEvidenceKind | 'target-health' | 'traffic';

/** What one source found for one load balancer. */
export type EvidenceFinding =
  /** The source was read completely and nothing there uses the load balancer. */
  | { readonly kind: 'clear' }
  /** Something uses it; each use says what and what a person must do. */
  | { readonly kind: 'in-use'; readonly uses: readonly string[] }
  /** The source could not be read completely (failed, throttled past retries, denied). */
  | { readonly kind: 'unknown'; readonly error: string }
  /** The source is switched off by configuration: not checked. */
  | { readonly kind: 'not-checked' };

/** What a source needs to know about a load balancer. */
export interface EvidenceSubject {
  readonly arn: string;
  readonly name: string;
  readonly dnsName: string;
  /** Target groups its listeners forward to (for target health). */
  readonly targetGroupArns: readonly string[];
}

/** Findings of one source, by load balancer ARN. */
export type EvidenceFindings = ReadonlyMap<string, EvidenceFinding>;

export interface EvidenceSource {
  readonly kind: EvidenceKind;
  /**
   * True when the source reads the subjects' target groups: it is read only for
   * deletion candidates, once their listeners are known. The others are read
   * once per sweep for every candidate, marks included.
   */
  readonly needsTargetGroups?: boolean;
  /**
   * Gathers the facts for every subject. Never throws: a failed read is an
   * `unknown` finding for the subjects it concerns.
   */
  collect(subjects: readonly EvidenceSubject[]): Promise<EvidenceFindings>;
}
