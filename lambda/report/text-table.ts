/** The widest line the CLI's table prints: a terminal split in two, or a wide one with a sidebar. */
export const TABLE_WIDTH = 160;

/** One row: its cells, and a note printed on its own wrapped line(s) beneath it. */
export interface TableRow {
  readonly cells: readonly string[];
  readonly note?: string | undefined;
}

/** Where a note's lines start: under the row, set off from the next one. */
const NOTE_INDENT = '      ';
/** A column is never elided to fewer characters than this. */
const MIN_ELIDED = 16;

/**
 * Rows as aligned columns no wider than `width`. When the columns alone are
 * wider, the cells of the `elidable` columns (tried in order) lose their middle
 * to `…` until the row fits: the full values are in the JSON report and the email.
 */
export function formatTable(
  header: readonly string[],
  rows: readonly TableRow[],
  { width = TABLE_WIDTH, elidable = [] }: { width?: number; elidable?: readonly number[] } = {},
): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row.cells[column] ?? '').length)),
  );
  const total = () => widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1);
  for (const column of elidable) {
    const overflow = total() - width;
    if (overflow <= 0) break;
    widths[column] = Math.max(MIN_ELIDED, (widths[column] ?? 0) - overflow);
  }
  const format = (cells: readonly string[]) =>
    cells
      .map((cell, column) => elide(cell, widths[column] ?? cell.length).padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    format(header),
    ...rows.flatMap((row) => [
      format(row.cells),
      ...(row.note ? wrap(row.note, width - NOTE_INDENT.length).map((line) => NOTE_INDENT + line) : []),
    ]),
  ];
}

/** `envoy-gateway-system/envoy-default-eg-5f4c1e2a` in 24: `envoy-gatew…fault-eg-5f4c1e2a`. */
export function elide(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = Math.floor((max - 1) / 2);
  return `${text.slice(0, max - 1 - tail)}…${text.slice(text.length - tail)}`;
}

/** Words into lines of at most `width`; a word longer than that is cut. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    let rest = word;
    while (rest.length > width) {
      if (line !== '') lines.push(line);
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
      line = '';
    }
    if (line === '') line = rest;
    else if (line.length + 1 + rest.length <= width) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * ELBv2 ARNs in a sentence as the names they end in: `loadbalancer/net/<name>/<id>`
 * and `targetgroup/<name>/<id>` are unique by name in an account and region.
 */
export function shortenArns(text: string): string {
  return text.replace(
    /arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:(?:loadbalancer\/(?:net|app|gwy)|targetgroup)\/([A-Za-z0-9-]+)\/[0-9a-f]+/g,
    '$1',
  );
}
