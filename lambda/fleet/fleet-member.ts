import type { FleetSummary } from './fleet-summary';

/** What the center knows of one member janitor: its latest summary, and what it did since the last digest. */
export interface FleetMember {
  readonly summary: FleetSummary;
  /** When the summary arrived at the center (not what the member says of itself). */
  readonly receivedAt: string;
  readonly sinceDigest: SinceDigest;
}

/** Counts summed over every summary since the last digest went out. */
export interface SinceDigest {
  readonly sweeps: number;
  readonly marked: number;
  readonly deleted: number;
  readonly failed: number;
}

export const NOTHING_SINCE_DIGEST: SinceDigest = { sweeps: 0, marked: 0, deleted: 0, failed: 0 };

/** `<account>/<region>`: one member janitor. */
export function memberKey(member: { readonly account: string; readonly region: string }): string {
  return `${member.account}/${member.region}`;
}

/** Members from which no summary arrived for longer than `silentAfterMs`, longest silent first. */
export function silentMembers(
  members: readonly FleetMember[],
  now: Date,
  silentAfterMs: number,
): FleetMember[] {
  return members
    .filter((member) => now.getTime() - Date.parse(member.receivedAt) > silentAfterMs)
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
}
