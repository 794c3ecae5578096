/**
 * SNS's limits on one Publish, and the one byte budget every message of the
 * janitor is composed within. SNS counts the message and its attributes
 * (names, data types and values) together against 262,144 bytes, in UTF-8; an
 * email subject is at most 100 characters, ASCII, on one line
 * (docs.aws.amazon.com/sns/latest/api/API_Publish.html).
 */
export const SNS_MAX_PUBLISH_BYTES = 262_144;
export const SNS_MAX_SUBJECT_LENGTH = 100;
/** The email body's budget: well under SNS's limit, room left for the attributes and the subject. */
export const MAX_BODY_BYTES = 200 * 1024;

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** What SNS counts of one Publish: the message and its attributes' names, types and values. */
export function publishBytes(
  message: string,
  attributes: Readonly<Record<string, { DataType: string; StringValue?: string }>> = {},
): number {
  let bytes = utf8Bytes(message);
  for (const [name, value] of Object.entries(attributes)) {
    bytes += utf8Bytes(name) + utf8Bytes(value.DataType) + utf8Bytes(value.StringValue ?? '');
  }
  return bytes;
}

/** `text` cut to at most `maxBytes` UTF-8 bytes, on a character boundary, `tail` appended when cut. */
export function truncateUtf8(text: string, maxBytes: number, tail = ''): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  const room = Math.max(0, maxBytes - utf8Bytes(tail));
  let bytes = 0;
  let end = 0;
  for (const character of text) {
    const size = utf8Bytes(character);
    if (bytes + size > room) break;
    bytes += size;
    end += character.length;
  }
  return text.slice(0, end) + tail;
}

/** Bytes left to spend; a part is taken whole or not at all. */
export class ByteBudget {
  constructor(private left: number) {}

  get remaining(): number {
    return this.left;
  }

  /** Whether `bytes` fit; if they do, they are spent. */
  take(bytes: number): boolean {
    if (bytes > this.left) return false;
    this.left -= bytes;
    return true;
  }
}
