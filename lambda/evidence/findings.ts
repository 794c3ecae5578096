import { errorText } from '../util/error-text';
import type { EvidenceFinding, EvidenceFindings, EvidenceSource, EvidenceSubject } from './evidence';

/** The same `unknown` finding for every subject: the source could not be read. */
export function unknownForAll(subjects: readonly EvidenceSubject[], error: unknown): EvidenceFindings {
  const finding: EvidenceFinding = { kind: 'unknown', error: errorText(error) };
  return new Map(subjects.map((subject) => [subject.arn, finding]));
}

/**
 * Findings from a complete read: `in-use` with the uses found for a subject,
 * `clear` for a subject nothing names.
 */
export function findingsFromUses(
  subjects: readonly EvidenceSubject[],
  usesByArn: ReadonlyMap<string, readonly string[]>,
): EvidenceFindings {
  return new Map(
    subjects.map((subject): [string, EvidenceFinding] => {
      const uses = usesByArn.get(subject.arn) ?? [];
      return [subject.arn, uses.length > 0 ? { kind: 'in-use', uses } : { kind: 'clear' }];
    }),
  );
}

/** Records one use of a load balancer, by ARN; uses of load balancers not asked about are ignored. */
export type RecordUse = (arn: string, use: string) => void;

/**
 * A source that lists everything of its kind once per collect and records what
 * names each load balancer. The listing is all or nothing: any failure makes
 * every subject `unknown`, never `clear`.
 */
export function listingSource(
  kind: EvidenceSource['kind'],
  list: (record: RecordUse) => Promise<void>,
): EvidenceSource {
  return {
    kind,
    async collect(subjects) {
      if (subjects.length === 0) return new Map();
      const wanted = new Set(subjects.map((subject) => subject.arn));
      const usesByArn = new Map<string, string[]>();
      try {
        await list((arn, use) => {
          if (!wanted.has(arn)) return;
          const uses = usesByArn.get(arn) ?? [];
          if (!uses.includes(use)) uses.push(use);
          usesByArn.set(arn, uses);
        });
      } catch (error) {
        return unknownForAll(subjects, error);
      }
      return findingsFromUses(subjects, usesByArn);
    },
  };
}
