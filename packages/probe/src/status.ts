import type { StatusRange } from './types.js';

/** Any 2xx answer: what a check expects unless it says otherwise. */
export const DEFAULT_STATUS: StatusRange[] = [{ from: 200, to: 299 }];

/**
 * Reads one status expectation: `200`, `"2xx"`, `"200-204"` or `"200"`. Returns the range or a problem.
 * Codes must lie between 100 and 599.
 */
export function parseStatus(value: unknown): StatusRange | { problem: string } {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined)
    return { problem: `status ${JSON.stringify(value)} is not a code, a class such as 2xx or a range such as 200-299` };
  let range: StatusRange | undefined;
  let match: RegExpExecArray | null;
  if ((match = /^([1-5])xx$/i.exec(text))) range = { from: Number(match[1]) * 100, to: Number(match[1]) * 100 + 99 };
  else if ((match = /^(\d{3})\s*-\s*(\d{3})$/.exec(text))) range = { from: Number(match[1]), to: Number(match[2]) };
  else if (/^\d{3}$/.test(text)) range = { from: Number(text), to: Number(text) };
  if (!range) return { problem: `status "${text}" is not a code, a class such as 2xx or a range such as 200-299` };
  if (range.from < 100 || range.to > 599 || range.from > range.to) {
    return { problem: `status "${text}" is outside 100-599 or its range is reversed` };
  }
  return range;
}

export function statusAccepted(status: number, ranges: StatusRange[]): boolean {
  return ranges.some((range) => status >= range.from && status <= range.to);
}

export function describeStatus(ranges: StatusRange[]): string {
  return ranges
    .map((r) =>
      r.from === r.to
        ? String(r.from)
        : r.from % 100 === 0 && r.to === r.from + 99
          ? `${r.from / 100}xx`
          : `${r.from}-${r.to}`,
    )
    .join(', ');
}
