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
  /** For a value the pattern refuses: which part of the rule it breaks ("it contains a space"). */
  readonly explain?: (value: string) => string | undefined;
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
  if (rule.pattern && !rule.pattern.test(value)) {
    const broken = rule.explain?.(value);
    return `${quote(value)} is not ${rule.what}${broken ? `: ${broken}` : ''}`;
  }
  return rule.refine?.(value);
}

/** The parts of a naming rule, each checked on its own so that a refusal can say which one a name breaks. */
export interface NameParts {
  /** One allowed character, and the allowed characters in words: "letters, digits, hyphens and underscores". */
  allowed: RegExp;
  allowedWords: string;
  min?: number;
  max: number;
  /** What the first character must be, and in words: "a letter". */
  first?: { test: RegExp; words: string };
  /** Separators that may not come twice in a row, nor start or end the name. */
  separators?: string;
}

/** Which part of `parts` the name breaks, in words; undefined when it breaks none. */
export function brokenNamePart(value: string, parts: NameParts): string | undefined {
  if (value.length < (parts.min ?? 1)) {
    return value.length === 0 ? 'it is empty' : `it has ${characters(value.length)}, fewer than ${parts.min}`;
  }
  if (value.length > parts.max) return `it has ${characters(value.length)}, more than ${parts.max}`;
  const bad = [...value].find((character) => !parts.allowed.test(character));
  if (bad !== undefined) return `it contains ${characterName(bad)}, and only ${parts.allowedWords} are allowed`;
  if (parts.first && !parts.first.test.test(value[0]!)) {
    return `it starts with ${characterName(value[0]!)}, not ${parts.first.words}`;
  }
  for (const separator of parts.separators ?? '') {
    if (value.startsWith(separator) || value.endsWith(separator)) {
      return `it ${value.startsWith(separator) ? 'starts' : 'ends'} with ${characterName(separator)}`;
    }
    if (value.includes(separator + separator)) return `it has two ${characterName(separator, true)} in a row`;
  }
  return undefined;
}

const CHARACTER_NAMES: Record<string, [string, string]> = {
  ' ': ['a space', 'spaces'],
  '\t': ['a tab', 'tabs'],
  '-': ['a hyphen', 'hyphens'],
  _: ['an underscore', 'underscores'],
  '.': ['a dot', 'dots'],
  '/': ['a slash', 'slashes'],
};

function characters(count: number): string {
  return `${count} character${count === 1 ? '' : 's'}`;
}

function characterName(character: string, plural = false): string {
  const named = CHARACTER_NAMES[character];
  if (named) return named[plural ? 1 : 0];
  return JSON.stringify(character);
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
