// The `nlb-janitor/suspect-since` value: ISO-8601 UTC to the second, e.g. 2026-11-24T18:00:00Z.
const SUSPECT_SINCE_FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export function formatSuspectSince(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Parses a suspect-since value written by the janitor. Anything else — another
 * format, an impossible date such as February 30th — is undefined.
 */
export function parseSuspectSince(value: string): Date | undefined {
  if (!SUSPECT_SINCE_FORMAT.test(value)) return undefined;
  const date = new Date(value);
  // Date accepts 2026-02-30 by rolling over to March; a round trip catches it.
  if (Number.isNaN(date.getTime()) || formatSuspectSince(date) !== value) return undefined;
  return date;
}
