import type { EvidenceFinding, EvidenceKind, EvidenceSource, EvidenceSubject } from './evidence';
import { unknownForAll } from './findings';

/**
 * Every source's findings, by load balancer ARN then kind. Sources run at once;
 * each reads once for all subjects. A source that breaks its promise and throws
 * is `unknown` for every subject, like one that says so.
 */
export async function collectEvidence(
  sources: readonly EvidenceSource[],
  subjects: readonly EvidenceSubject[],
): Promise<Map<string, Map<EvidenceKind, EvidenceFinding>>> {
  const bySource = await Promise.all(
    sources.map(async (source) => {
      try {
        return await source.collect(subjects);
      } catch (error) {
        return unknownForAll(subjects, error);
      }
    }),
  );
  const evidence = new Map<string, Map<EvidenceKind, EvidenceFinding>>();
  for (const subject of subjects) {
    const findings = new Map<EvidenceKind, EvidenceFinding>();
    sources.forEach((source, index) => {
      findings.set(
        source.kind,
        bySource[index]?.get(subject.arn) ?? {
          kind: 'unknown',
          error: `the ${source.kind} source gave no finding for ${subject.arn}`,
        },
      );
    });
    evidence.set(subject.arn, findings);
  }
  return evidence;
}
