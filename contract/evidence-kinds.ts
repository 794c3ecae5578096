/**
 * Evidence kinds a deployment may switch off (`skipEvidence`, `SKIP_EVIDENCE`,
 * `--skip-evidence`), because reading them needs another service's permission that a
 * policy (an SCP denying Global Accelerator or us-west-2, say) may refuse. Target health
 * and traffic are ELBv2's and CloudWatch's own and cannot be switched off. The construct
 * validates the prop and grants the reads with this list; the function parses its
 * variable with it.
 */
export const SKIPPABLE_EVIDENCE = ['privatelink', 'vpc-link', 'global-accelerator'] as const;
export type SkippableEvidenceKind = (typeof SKIPPABLE_EVIDENCE)[number];
