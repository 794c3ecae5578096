/** The value as a JSON object, or undefined for anything else (null and arrays included). */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The value when it is a string other than ''. */
export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `metadata.namespace` and `metadata.name`, both non-empty, or undefined. */
export function objectIdentity(item: unknown): { namespace: string; name: string } | undefined {
  const metadata = asRecord(asRecord(item)?.metadata);
  const namespace = nonEmptyString(metadata?.namespace);
  const name = nonEmptyString(metadata?.name);
  return namespace === undefined || name === undefined ? undefined : { namespace, name };
}

/**
 * A `map[string]string` field (labels, annotations): `{}` when absent, undefined
 * when present but not a map of strings, which no API server sends.
 */
export function stringMap(value: unknown): Readonly<Record<string, string>> | undefined {
  if (value === undefined || value === null) return {};
  const record = asRecord(value);
  if (record === undefined) return undefined;
  const entries = Object.entries(record);
  return entries.every(([, entry]) => typeof entry === 'string')
    ? (Object.fromEntries(entries) as Record<string, string>)
    : undefined;
}

/** The named string field of each object of an array; other entries are skipped. */
export function stringsOf(array: unknown, field: string): string[] {
  if (!Array.isArray(array)) return [];
  return array.flatMap((entry) => {
    const value = asRecord(entry)?.[field];
    return typeof value === 'string' ? [value] : [];
  });
}
