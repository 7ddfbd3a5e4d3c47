const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration such as `90s`, `5m`, `1h30m`, `250ms` or `1.5m` into milliseconds.
 * A bare number is read in `defaultUnit`. Returns undefined when the text is not a duration.
 */
export function parseDuration(text: string, defaultUnit: 'ms' | 's' | 'm' | 'h' = 's'): number | undefined {
  const value = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * UNIT_MS[defaultUnit]!;
  const part = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(value); match; match = part.exec(value)) {
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    consumed = part.lastIndex;
  }
  return consumed === value.length && consumed > 0 ? total : undefined;
}
