/**
 * The shape of a smoke check as users write it (YAML in the smoke-test action, `smoke.checks` in the release
 * config), as one zod schema: it checks every key and value that can be judged without the run's environment, and
 * `npm run schema` publishes it inside the release config's JSON schema. check-spec.ts turns a check that fits it into
 * what the probe sends (URLs resolved, values read from the environment, secrets noted).
 */
import * as z from 'zod';
import { ENVIRONMENT_VARIABLE, follows } from '@ecs-ship/action-kit';
import { HEADER_NAME, JSON_PATH, METHODS } from './rules.js';
import { parseStatus } from './status.js';

const MAX_LATENCY_LIMIT_MS = 600_000;

/** Words for a value of the wrong kind: "a list", "a mapping", `the number 3`. */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `the ${typeof value} ${JSON.stringify(shorten(String(value)))}`;
}

export function shorten(text: string, limit = 60): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/** A custom issue with its fix, for problems a plain type check cannot word. */
function fail(context: z.RefinementCtx, message: string, fix: string, path: PropertyKey[] = []): void {
  context.addIssue({ code: 'custom', message, params: { fix }, path });
}

const regex = z.string({ error: 'must be a regular expression' }).superRefine((source, context) => {
  try {
    new RegExp(source);
  } catch (error) {
    fail(
      context,
      `${JSON.stringify(source)} is not a valid regular expression (${(error as Error).message})`,
      'Correct the pattern',
    );
  }
});

/** `{ env: NAME, prefix? }`: a value read from the step's environment, which makes it a secret. */
const fromEnv = z
  .object({
    env: z.string().describe('The environment variable that holds the value'),
    prefix: z.string({ error: '"prefix" must be a string' }).optional().describe('Written before it, e.g. "Bearer "'),
  })
  .strict()
  .superRefine((value, context) => {
    if (!follows(ENVIRONMENT_VARIABLE, value.env)) {
      fail(
        context,
        `${JSON.stringify(value.env)} is not an environment variable name`,
        'Use a name such as API_TOKEN',
        ['env'],
      );
    }
  })
  .describe('A value read from the environment; such values are masked');

const literal = z.union([z.string(), z.number(), z.boolean()]);
const not = (what: string) => (issue: { input?: unknown }) => `must be ${what}, not ${describeType(issue.input)}`;

const headerName = z.string().regex(HEADER_NAME.pattern!, {
  error: (issue) => `header name ${JSON.stringify(issue.input)} is not a valid HTTP header name`,
});

const statusItem = z.union([z.number(), z.string()]).superRefine((value, context) => {
  const parsed = parseStatus(value);
  if ('problem' in parsed) {
    const problem = parsed.problem.replace(/^status /, '');
    fail(context, problem, 'Use codes such as 200, classes such as 2xx or ranges such as 200-204');
  }
});

const oneOrMore = <T extends z.ZodType>(item: T, what: string) =>
  z.union([item, z.array(item)], { error: not(`${what} or a list of them`) });

const latency = `a whole number between 1 and ${MAX_LATENCY_LIMIT_MS}`;
const latencyError = (issue: { input?: unknown }) => `${JSON.stringify(issue.input)} is not ${latency}`;

const expectations = z
  .object(
    {
      status: z
        .union([statusItem, z.array(statusItem).min(1, { error: 'is an empty list' })], {
          error: not('a status or a list of them'),
        })
        .describe('Codes (200), classes (2xx) or ranges (200-204); default: any 2xx'),
      'body-contains': oneOrMore(
        z.string().min(1, { error: 'must be a non-empty string or a list of them' }),
        'a non-empty string',
      ).describe('Text the body must hold'),
      'body-matches': oneOrMore(regex, 'a regular expression').describe('Regular expressions the body must match'),
      json: z
        .record(
          z.string().superRefine((path, context) => {
            const problem = JSON_PATH.refine!(path);
            if (problem) fail(context, problem, 'Write paths such as status, build.sha or items[0].id');
          }),
          z.unknown(),
          { error: not('a mapping of JSON path to expected value') },
        )
        .describe('JSON path → the value it must hold'),
      headers: z
        .record(
          headerName,
          z.union([z.string(), z.number(), z.object({ matches: regex }).strict()], {
            error: not('a string or { matches: <regex> }'),
          }),
          { error: not('a mapping of header name to value') },
        )
        .describe('Header name → its exact value, or { matches: <regex> }'),
      'max-latency-ms': z
        .number({ error: latencyError })
        .int({ error: latencyError })
        .min(1, { error: latencyError })
        .max(MAX_LATENCY_LIMIT_MS, { error: latencyError })
        .describe('The slowest answer that still passes, in milliseconds'),
      'max-p95-latency-ms': z
        .number({ error: latencyError })
        .int({ error: latencyError })
        .min(1, { error: latencyError })
        .max(MAX_LATENCY_LIMIT_MS, { error: latencyError })
        .describe(
          "The highest p95 latency of the check's measured answers (its samples, or its consecutive successes), in milliseconds",
        ),
    },
    { error: not('a mapping') },
  )
  .partial()
  .strict();

/** A mapping sent as JSON; one shaped like { env: NAME } is a value from the environment, checked as such. */
const jsonObject = z
  .record(z.string(), z.unknown())
  .refine((value) => typeof value.env !== 'string' || Object.keys(value).some((k) => k !== 'env' && k !== 'prefix'));

export const checkObject = z
  .object({
    name: z
      .string({ error: 'must be a non-empty single-line string' })
      .regex(/^[^\r\n]*\S[^\r\n]*$/, { error: 'must be a non-empty single-line string' })
      .optional()
      .describe('Shown in reports; default: the method and URL'),
    url: z
      .string({ error: (issue) => (issue.input === undefined ? 'is missing' : not('a string')(issue)) })
      .describe('An http(s) URL, or a path appended to base-url'),
    method: z
      .string({ error: (issue) => `${JSON.stringify(issue.input)} is not supported` })
      .refine((text) => (METHODS as readonly string[]).includes(text.trim().toUpperCase()), {
        error: (issue) => `${JSON.stringify(issue.input)} is not supported`,
      })
      .optional()
      .describe(`One of ${METHODS.join(', ')} (any case); default GET`),
    headers: z
      .record(headerName, z.union([literal, fromEnv], { error: not('a string or { env: NAME }') }), {
        error: not('a mapping of header name to value'),
      })
      .optional()
      .describe('Header name → a value, or { env: NAME } to read it from the environment'),
    body: z
      .union([z.string(), fromEnv, z.array(z.unknown()), jsonObject], {
        error: not('a string, a mapping or list (sent as JSON) or { env: NAME }'),
      })
      .optional()
      .describe('Text, { env: NAME }, or a mapping or list sent as JSON'),
    expect: expectations.nullable().optional().describe('What the answer must show'),
    'verify-version': z
      .boolean({ error: 'must be true or false' })
      .optional()
      .describe('Whether this check must show the expected version; default true'),
  })
  .strict();

export type CheckInput = z.infer<typeof checkObject>;

/** The published shape of the checks: a list of checks, each a mapping or just its URL. */
export const checksSchema = z
  .array(z.union([z.string().describe('Only the URL (or path) to check'), checkObject]))
  .min(1)
  .describe('HTTP checks: each sends one request and judges the answer');

export const CHECK_KEYS = Object.keys(checkObject.shape);
export const EXPECT_KEYS = Object.keys(expectations.shape);

/** How to fix a value the schema refused, by the key it sits under. */
const FIXES: Record<string, string> = {
  name: 'Give the check a short name such as "api health"',
  url: 'Give the URL to request, such as https://app.example.com/health',
  method: `Use one of ${METHODS.join(', ')}`,
  headers: 'Write headers: { X-Name: value }',
  'headers.*': "Write the value, or { env: NAME } to read it from the step's env",
  body: 'Write text, { env: NAME }, or a mapping or list to send as JSON',
  expect: `Use keys among ${EXPECT_KEYS.join(', ')}`,
  'expect.status': 'Give at least one status, such as 200 or 2xx',
  'expect.body-contains': 'Give a non-empty string or a list of them',
  'expect.json': 'Write json: { status: ok, build.sha: abc }',
  'expect.headers': 'Write the exact value, or { matches: <regex> }',
  'expect.max-latency-ms': 'Give the limit in milliseconds, such as 500',
  'expect.max-p95-latency-ms': 'Give the limit in milliseconds, such as 800',
  'verify-version': 'Write verify-version: false to skip the version check here',
};

/**
 * The key a problem is about, as messages name it: `"url"`, `header "X-Key"`, `expect.status`,
 * `expect.headers "X-Key":`.
 */
export function subject(path: readonly PropertyKey[]): string {
  const [first, second, third] = path.map(String);
  if (first === 'headers' && second !== undefined) return `header "${second}"`;
  if (first === 'expect' && second === 'headers' && third !== undefined) return `expect.headers "${third}":`;
  if (first === 'expect' && second !== undefined) return `expect.${second}`;
  return `"${first}"`;
}

export function fixFor(path: readonly PropertyKey[]): string {
  const [first, second] = path.map(String);
  const key = first === 'headers' && second !== undefined ? 'headers.*' : `${first}.${second}`;
  return FIXES[key] ?? FIXES[first ?? ''] ?? 'Correct the check';
}
