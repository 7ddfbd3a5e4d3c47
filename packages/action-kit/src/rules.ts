/**
 * Rules that values must follow, each written once by the package that owns the concept (ECS names in `ecs`, ECR
 * names in `ecr`, header names in `probe`, …). The same rule object checks an action's input (InputReader's `rule`
 * options) and a key of the release config (zod, through `@ecs-ship/action-kit/zod`), so the two cannot disagree.
 * Light on purpose: settings modules load this before anything heavy.
 */

/** A rule for a text value: what a valid value is, how to write one, and how to tell. */
export interface Rule {
  /** What a valid value is, as it ends the sentence `"x" is not …`: "a cluster name or ARN". */
  readonly what: string;
  /** How to write a valid value, one sentence: "Use up to 255 letters, digits, hyphens and underscores". */
  readonly fix: string;
  /** A regular expression every valid value matches; JSON schemas publish it. */
  readonly pattern?: RegExp;
  /** What else is wrong with a value that matches the pattern, or what no pattern can say; undefined when valid. */
  readonly refine?: (value: string) => string | undefined;
}

/** Inclusive bounds of a number; durations are in milliseconds. */
export interface Bounds {
  readonly min: number;
  readonly max: number;
}

/** Values longer than this are shortened in messages: a problem should fit on one line. */
const SHOWN = 100;

/** The problem with `value` under `rule` (`"x" is not a cluster name or ARN`), or undefined when it follows it. */
export function problemWith(rule: Rule, value: string): string | undefined {
  if (rule.pattern && !rule.pattern.test(value)) return `${quote(value)} is not ${rule.what}`;
  return rule.refine?.(value);
}

export function follows(rule: Rule, value: string): boolean {
  return problemWith(rule, value) === undefined;
}

/** A value in double quotes, shortened when long. */
export function quote(value: string): string {
  return JSON.stringify(value.length > SHOWN ? `${value.slice(0, SHOWN - 1)}…` : value);
}

/** Shell and ECS environment variable names. */
export const ENVIRONMENT_VARIABLE: Rule = {
  what: 'an environment variable name',
  fix: 'Use letters, digits and _, not starting with a digit',
  pattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
};

export const FULL_SHA: Rule = {
  what: 'a full commit SHA',
  fix: 'Give all 40 lowercase hexadecimal characters, not a short SHA or a branch',
  pattern: /^[0-9a-f]{40}$/,
};

export const AWS_REGION: Rule = {
  what: 'an AWS region',
  fix: 'Use an AWS region such as us-east-1',
  pattern: /^[a-z]{2}(?:-[a-z]+)+-\d$/,
};

/** An absolute http or https URL with a host. */
export const WEB_URL: Rule = {
  what: 'an http or https URL',
  fix: 'Give an absolute URL such as https://shop.example.com',
  refine: (value) => (isWebUrl(value) ? undefined : `${quote(value)} is not an http or https URL`),
};

export function isFullSha(value: string): boolean {
  return follows(FULL_SHA, value);
}

export function isArn(value: string, service?: string): boolean {
  const match = /^arn:aws[a-z-]*:([a-z0-9-]+):[a-z0-9-]*:\d{12}:.+$/.exec(value);
  return match !== null && (service === undefined || match[1] === service);
}

function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}
