import { InputError, InputErrors, type SourceLocation } from './errors.js';
import { inUnit, parseDuration, typedDuration, unitWords, type DurationUnit } from './duration.js';
import { addMask, debug } from './commands.js';
import { problemWith, type Bounds as RuleBounds, type Rule } from './rules.js';

/** Where input values come from. The runner passes them as `INPUT_<ID>` environment variables. */
export type InputSource = (name: string) => string;

/**
 * The runner's naming rule: the id upper-cased, spaces turned into `_`, hyphens kept
 * (`task-definition` arrives as `INPUT_TASK-DEFINITION`).
 */
export function inputVariableName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export function environmentInputs(env: NodeJS.ProcessEnv = process.env): InputSource {
  return (name) => env[inputVariableName(name)] ?? '';
}

interface Common {
  /** The input must be set (after the action.yml default). */
  required?: boolean;
  /** How to fix a missing or bad value; replaces the reader's generic advice (not a rule's own fix). */
  hint?: string;
}

type Bounds = Partial<RuleBounds>;

/** A rule for the value: its problem and fix become the input's error. */
interface Ruled {
  rule?: Rule;
}

/**
 * A value that parsed, or the reason it did not (the reader turns it into an InputError). A rule's own fix is kept;
 * any other fix gives way to the caller's hint.
 */
type Parsed<T> = { value: T } | { problem: string; fix: string; byRule?: true };

/**
 * Reads and validates an action's inputs. Every reader records its problem instead of throwing, so that
 * `finish()` can report all of them together; a reader whose input is bad returns undefined.
 */
export class InputReader {
  readonly errors: InputError[] = [];
  /** The names read so far, in order; the contract tests compare them with action.yml. */
  readonly names: string[] = [];

  constructor(private readonly source: InputSource = environmentInputs()) {}

  /** The raw, trimmed text of an input; empty when unset. */
  raw(name: string): string {
    if (!this.names.includes(name)) {
      this.names.push(name);
      debug(`read input "${name}"`);
    }
    return this.source(name).trim();
  }

  /**
   * Records a problem with an input found by the caller (for checks across inputs); `location` when the problem is
   * at a place in a file of the repository that the input names.
   */
  fail(name: string, problem: string, fix: string, location?: SourceLocation): undefined {
    this.errors.push(new InputError(name, problem, fix, location));
    return undefined;
  }

  string(name: string, opts: Common & Ruled & { required: true }): string;
  string(name: string, opts?: Common & Ruled): string | undefined;
  string(name: string, opts: Common & Ruled = {}): string | undefined {
    return this.read(name, opts, (text) => checked(text, opts.rule));
  }

  /** A secret: masked in the log before anything else can print it. */
  secret(name: string, opts: Common & { required: true }): string;
  secret(name: string, opts?: Common): string | undefined;
  secret(name: string, opts: Common = {}): string | undefined {
    const text = this.source(name).trim();
    if (text) addMask(text);
    return this.read(name, opts, (value) => ({ value }));
  }

  /** Only `true` or `false`, in any case: `yes`, `1` and typos are refused rather than guessed. */
  boolean(name: string, opts: Common & { default: boolean }): boolean;
  boolean(name: string, opts?: Common): boolean | undefined;
  boolean(name: string, opts: Common & { default?: boolean } = {}): boolean | undefined {
    return this.read(
      name,
      opts,
      (text) => {
        const lower = text.toLowerCase();
        if (lower === 'true') return { value: true };
        if (lower === 'false') return { value: false };
        return { problem: `"${text}" is not a boolean`, fix: 'Use true or false' };
      },
      opts.default,
    );
  }

  integer(name: string, opts: Common & Bounds & { default: number }): number;
  integer(name: string, opts?: Common & Bounds): number | undefined;
  integer(name: string, opts: Common & Bounds & { default?: number } = {}): number | undefined {
    return this.read(
      name,
      opts,
      (text) => (/^[-+]?\d+$/.test(text) ? bounded(Number(text), opts) : notA('a whole number', text, opts)),
      opts.default,
    );
  }

  decimal(name: string, opts: Common & Bounds & { default: number }): number;
  decimal(name: string, opts?: Common & Bounds): number | undefined;
  decimal(name: string, opts: Common & Bounds & { default?: number } = {}): number | undefined {
    return this.read(
      name,
      opts,
      (text) => (/^[-+]?(\d+\.?\d*|\.\d+)$/.test(text) ? bounded(Number(text), opts) : notA('a number', text, opts)),
      opts.default,
    );
  }

  /**
   * A duration in milliseconds: `90s`, `5m`, `1h30m`, `250ms`, or a bare number in `unit`.
   * Bounds are in milliseconds too.
   */
  duration(name: string, opts: Common & Bounds & { unit?: 'ms' | 's' | 'm' | 'h'; default: number }): number;
  duration(name: string, opts?: Common & Bounds & { unit?: 'ms' | 's' | 'm' | 'h' }): number | undefined;
  duration(
    name: string,
    opts: Common & Bounds & { unit?: 'ms' | 's' | 'm' | 'h'; default?: number } = {},
  ): number | undefined {
    return this.read(
      name,
      opts,
      (text) => {
        const ms = parseDuration(text, opts.unit ?? 's');
        if (ms === undefined) {
          return {
            problem: `"${text}" is not a duration`,
            fix: `Use a number of ${unitName(opts.unit)} or a value such as 90s, 5m or 1h30m`,
          };
        }
        // Echoed in the words the user typed ("10000 minutes is above the maximum 1440 minutes").
        const unit = opts.unit ?? 's';
        const typed = typedDuration(text, ms, unit).text;
        return bounded(ms, opts, (n) => inUnit(n, unit), typed);
      },
      opts.default,
    );
  }

  /** One of a fixed set of values (compared case-insensitively, returned as listed). */
  enumeration<T extends string>(name: string, values: readonly T[], opts: Common & { default: T }): T;
  enumeration<T extends string>(name: string, values: readonly T[], opts?: Common): T | undefined;
  enumeration<T extends string>(
    name: string,
    values: readonly T[],
    opts: Common & { default?: T } = {},
  ): T | undefined {
    return this.read(
      name,
      opts,
      (text) => {
        const match = values.find((v) => v.toLowerCase() === text.toLowerCase());
        return match !== undefined
          ? { value: match }
          : { problem: `"${text}" is not one of ${values.join(', ')}`, fix: `Use one of ${values.join(', ')}` };
      },
      opts.default,
    );
  }

  /**
   * A list, one item per line or separated by commas; blank items and `#` comment lines are dropped. With a rule,
   * every item that breaks it is reported.
   */
  list(name: string, opts: Common & Ruled & { separator?: 'lines' | 'lines-or-commas' } = {}): string[] {
    const items =
      this.read(name, opts, (text) => ({ value: splitList(text, opts.separator ?? 'lines-or-commas') }), []) ?? [];
    for (const item of items) {
      const parsed = checked(item, opts.rule);
      if ('problem' in parsed) this.fail(name, parsed.problem, parsed.fix);
    }
    return items;
  }

  /**
   * `key=value` pairs, one per line (values may contain `=`). Keys must be unique.
   * `keyRule` says what a key may look like.
   */
  map(name: string, opts: Common & { keyRule?: Rule } = {}): Map<string, string> {
    const result = this.read(
      name,
      opts,
      (text): Parsed<Map<string, string>> => {
        const map = new Map<string, string>();
        for (const line of splitList(text, 'lines')) {
          const eq = line.indexOf('=');
          if (eq <= 0) return { problem: `line "${line}" is not key=value`, fix: 'Write one key=value pair per line' };
          const key = line.slice(0, eq).trim();
          const value = line.slice(eq + 1).trim();
          const badKey = checked(key, opts.keyRule);
          if ('problem' in badKey) return badKey;
          if (map.has(key)) return { problem: `"${key}" is given twice`, fix: 'Give each key once' };
          map.set(key, value);
        }
        return { value: map };
      },
      new Map<string, string>(),
    );
    return result ?? new Map();
  }

  /**
   * JSON checked by `validate`, which returns the typed value or a problem. Zod schemas fit through
   * `zodValidator` so that this module stays light for the cold start.
   */
  json<T>(name: string, validate: (value: unknown) => Parsed<T>, opts: Common = {}): T | undefined {
    return this.read(name, opts, (text) => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        return { problem: `it is not valid JSON (${(error as Error).message})`, fix: 'Pass a JSON value' };
      }
      return validate(value);
    });
  }

  /** Throws InputErrors with every problem found, if there is any. */
  finish(): void {
    if (this.errors.length > 0) throw new InputErrors(this.errors);
  }

  private read<T>(name: string, opts: Common, parse: (text: string) => Parsed<T>, fallback?: T): T | undefined {
    const text = this.raw(name);
    if (text === '') {
      if (opts.required) {
        this.fail(name, 'it is required but was not given', opts.hint ?? `Set "${name}" in the step's with: block`);
      }
      return fallback;
    }
    const parsed = parse(text);
    if ('value' in parsed) return parsed.value;
    this.fail(name, parsed.problem, parsed.byRule ? parsed.fix : (opts.hint ?? parsed.fix));
    return undefined;
  }
}

/** The text as the value, or the rule's problem and fix. */
function checked(text: string, rule: Rule | undefined): Parsed<string> {
  const problem = rule && problemWith(rule, text);
  return problem ? { problem, fix: rule.fix, byRule: true } : { value: text };
}

export function splitList(text: string, separator: 'lines' | 'lines-or-commas'): string[] {
  const lines = text.split(/\r?\n/).filter((line) => !line.trim().startsWith('#'));
  const items = separator === 'lines' ? lines : lines.flatMap((line) => line.split(','));
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

/** `n` within the bounds, or the problem; `shown` is how the value itself is echoed (as typed). */
function bounded(n: number, opts: Bounds, show: (n: number) => string = String, shown = show(n)): Parsed<number> {
  if (opts.min !== undefined && n < opts.min)
    return { problem: `${shown} is below the minimum ${show(opts.min)}`, fix: `Use at least ${show(opts.min)}` };
  if (opts.max !== undefined && n > opts.max)
    return { problem: `${shown} is above the maximum ${show(opts.max)}`, fix: `Use at most ${show(opts.max)}` };
  return { value: n };
}

function notA(what: string, text: string, opts: Bounds): Parsed<number> {
  const range =
    opts.min !== undefined && opts.max !== undefined
      ? ` between ${opts.min} and ${opts.max}`
      : opts.min !== undefined
        ? ` of at least ${opts.min}`
        : '';
  return { problem: `"${text}" is not ${what}`, fix: `Use ${what}${range}` };
}

function unitName(unit: DurationUnit | undefined): string {
  return unitWords(unit ?? 's');
}
