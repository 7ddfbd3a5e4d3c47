export type DurationUnit = 'ms' | 's' | 'm' | 'h';

const UNIT_MS: Record<DurationUnit, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const UNIT_WORDS: Record<DurationUnit, string> = { ms: 'milliseconds', s: 'seconds', m: 'minutes', h: 'hours' };

/**
 * Parses a duration such as `90s`, `5m`, `1h30m`, `250ms` or `1.5m` into milliseconds.
 * A bare number is read in `defaultUnit`. Returns undefined when the text is not a duration.
 */
export function parseDuration(text: string, defaultUnit: DurationUnit = 's'): number | undefined {
  const value = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * UNIT_MS[defaultUnit];
  const part = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(value); match; match = part.exec(value)) {
    total += Number(match[1]) * UNIT_MS[match[2] as DurationUnit];
    consumed = part.lastIndex;
  }
  return consumed === value.length && consumed > 0 ? total : undefined;
}

/** The unit's name in words: "minutes". */
export function unitWords(unit: DurationUnit): string {
  return UNIT_WORDS[unit];
}

/** `ms` written in `unit`, the way a person who reads that unit expects: "1440 minutes", "0.5 minutes", "1 second". */
export function inUnit(ms: number, unit: DurationUnit): string {
  const value = Math.round((ms / UNIT_MS[unit]) * 1000) / 1000;
  return `${value} ${value === 1 ? UNIT_WORDS[unit].replace(/s$/, '') : UNIT_WORDS[unit]}`;
}

/** A duration and the words the user typed it in. */
export interface TypedDuration {
  ms: number;
  /** "10000 minutes" for `10000` in a `-minutes` input, "90s" for `90s`. */
  text: string;
}

/** A duration typed as `text` (a bare number read in `unit`, or a value such as `90s`), to echo back as typed. */
export function typedDuration(text: string, ms: number, unit: DurationUnit): TypedDuration {
  const trimmed = text.trim();
  return { ms, text: /^\d+(\.\d+)?$/.test(trimmed) ? `${trimmed} ${UNIT_WORDS[unit]}` : trimmed };
}
