const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/**
 * Parses `7d`, `36h`, `1d12h`, `90m` into milliseconds; undefined when it is not such a duration.
 * A duration beyond Number.MAX_SAFE_INTEGER ms (about 285,000 years) comes back as
 * Infinity rather than a rounded number, so a caller's upper bound refuses it.
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (match === null || text.trim() === '') return undefined;
  const [, days, hours, minutes, seconds] = match;
  const ms =
    Number(days ?? 0) * UNIT_MS.d +
    Number(hours ?? 0) * UNIT_MS.h +
    Number(minutes ?? 0) * UNIT_MS.m +
    Number(seconds ?? 0) * UNIT_MS.s;
  return Number.isSafeInteger(ms) ? ms : Number.POSITIVE_INFINITY;
}
