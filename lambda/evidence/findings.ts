import type { EvidenceFinding, EvidenceFindings, EvidenceSubject } from './evidence';

/** An error as a person reads it in a report: its name (the AWS error code) and message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** The same `unknown` finding for every subject: the source could not be read. */
export function unknownForAll(subjects: readonly EvidenceSubject[], error: unknown): EvidenceFindings {
  const finding: EvidenceFinding = { kind: 'unknown', error: describeError(error) };
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

/** Appends a use to a subject's list, creating it on first use. */
export function addUse(usesByArn: Map<string, string[]>, arn: string, use: string): void {
  const uses = usesByArn.get(arn);
  if (uses === undefined) usesByArn.set(arn, [use]);
  else if (!uses.includes(use)) uses.push(use);
}
