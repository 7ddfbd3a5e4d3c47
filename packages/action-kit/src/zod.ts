import * as z from 'zod';
import type { ZodType } from 'zod';
import { inUnit, parseDuration, typedDuration } from './duration.js';
import { problemWith, type Bounds, type Rule } from './rules.js';

/** Adapts a zod schema to `InputReader.json` / `yaml`: the first issue becomes the input's problem. */
export function zodValidator<T>(
  schema: ZodType<T>,
  fix = 'Correct the value',
): (value: unknown) => { value: T } | { problem: string; fix: string } {
  return (value) => {
    const result = schema.safeParse(value);
    if (result.success) return { value: result.data };
    const issue = result.error.issues[0]!;
    const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return { problem: `${issue.message}${where}`, fix };
  };
}

/**
 * A problem and its fix as one message for a config key, worded like the config's other messages (the key, then
 * what to do): `region: use an AWS region such as us-east-1 ("Europe" is not an AWS region)`.
 */
export function keyMessage(problem: string, fix: string): string {
  return `${fix.charAt(0).toLowerCase()}${fix.slice(1).replace(/\.$/, '')} (${problem})`;
}

/**
 * A string that follows `rule`, with the rule's own words when it does not. The rule's pattern is kept as a regex
 * check and its words as the description, so that the published JSON schema shows both.
 */
export function ruled(rule: Rule): z.ZodString {
  const message = (value: unknown) => keyMessage(problemWith(rule, String(value)) ?? `not ${rule.what}`, rule.fix);
  const described = z.string().describe(`${rule.what.charAt(0).toUpperCase()}${rule.what.slice(1)}. ${rule.fix}.`);
  const text = rule.pattern ? described.regex(rule.pattern, { error: (issue) => message(issue.input) }) : described;
  const refine = rule.refine;
  if (!refine) return text;
  return text.superRefine((value, context) => {
    const problem = refine(value);
    if (problem) context.addIssue({ code: 'custom', message: keyMessage(problem, rule.fix) });
  });
}

/** A mapping whose keys follow `rule`; a bad key is named in the message (the issue's path ends with it). */
export function ruledKeys<V extends ZodType>(rule: Rule, value: V) {
  return z.record(ruled(rule), value, {
    error: (issue) => (issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined),
  });
}

/** A count within `bounds` (the same bounds as the action input that takes it). */
export function count(bounds: Bounds): z.ZodNumber {
  const range = `a whole number from ${bounds.min} to ${bounds.max}`;
  return z
    .number()
    .int({ error: `use ${range}` })
    .min(bounds.min, { error: `use ${range}` })
    .max(bounds.max, { error: `use ${range}` });
}

const UNITS = { seconds: 's', minutes: 'm' } as const;

/**
 * A duration written as a number of seconds or minutes, within `bounds` (milliseconds): the same bounds as the
 * action input that takes it, whose text may say `90s` or `5m`. Refused values are echoed in the key's unit, as
 * typed: "10000 minutes is above the maximum 1440 minutes".
 */
export function duration(unit: keyof typeof UNITS, bounds: Bounds): z.ZodNumber {
  const short = UNITS[unit];
  const ms = parseDuration('1', short)!;
  const typed = (input: unknown) => typedDuration(String(input), Number(input) * ms, short).text;
  return z
    .number({ error: (issue) => (issue.input === undefined ? undefined : `use a number of ${unit}`) })
    .min(bounds.min / ms, {
      error: (issue) => `${typed(issue.input)} is below the minimum ${inUnit(bounds.min, short)}`,
    })
    .max(bounds.max / ms, {
      error: (issue) => `${typed(issue.input)} is above the maximum ${inUnit(bounds.max, short)}`,
    });
}
