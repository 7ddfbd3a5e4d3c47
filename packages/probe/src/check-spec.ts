import { parseJsonPath } from './json-path.js';
import { DEFAULT_STATUS, parseStatus } from './status.js';
import type { Check, Expectations, HeaderExpectation, RequestHeader, StatusRange } from './types.js';

/**
 * Strict validation of the checks a user wrote (already parsed from YAML). Unknown keys, wrong types, bad URLs and
 * out-of-range numbers are refused with the check's position and name and the key at fault, so the user can fix
 * every problem in one go. Nothing here sends a request.
 */

/** A problem with the checks, and how to fix it. */
export interface CheckProblem {
  problem: string;
  fix: string;
}

export interface CheckSpecOptions {
  /** Resolves relative check URLs (`/health`). */
  baseUrl?: URL;
  /** Where `{ env: NAME }` values are read from. */
  env: Record<string, string | undefined>;
  /** At most this many checks. */
  maxChecks?: number;
}

export const CHECK_KEYS = ['name', 'url', 'method', 'headers', 'body', 'expect', 'verify-version'] as const;
export const EXPECT_KEYS = ['status', 'body-contains', 'body-matches', 'json', 'headers', 'max-latency-ms'] as const;
export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const MAX_LATENCY_LIMIT_MS = 600_000;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Header names whose literal values are credentials, masked like values read from the environment. */
const SENSITIVE_HEADER = /authorization|cookie|token|secret|password|api[-_]?key|signature|credential|session/i;

export function validateChecks(
  value: unknown,
  options: CheckSpecOptions,
): { checks: Check[]; problems: CheckProblem[] } {
  const problems: CheckProblem[] = [];
  const checks: Check[] = [];
  if (!Array.isArray(value)) {
    problems.push({
      problem: `it must be a YAML list of checks, but it is ${describeType(value)}`,
      fix: 'Write one "- name: ... url: ..." entry per check',
    });
    return { checks, problems };
  }
  if (value.length === 0) {
    problems.push({ problem: 'the list of checks is empty', fix: 'Give at least one check' });
  }
  const maxChecks = options.maxChecks ?? 1000;
  if (value.length > maxChecks) {
    problems.push({
      problem: `${value.length} checks are more than the limit of ${maxChecks}`,
      fix: 'Split them over several steps',
    });
  }
  const names = new Map<string, number>();
  value.forEach((entry, index) => {
    const check = validateCheck(entry, index, options, problems);
    if (!check) return;
    const earlier = names.get(check.name);
    if (earlier !== undefined) {
      problems.push({
        problem: `${label(index, check.name)}: the name is already used by check ${earlier + 1}`,
        fix: 'Give each check its own name',
      });
      return;
    }
    names.set(check.name, index);
    checks.push(check);
  });
  return { checks: problems.length > 0 ? [] : checks, problems };
}

function validateCheck(
  entry: unknown,
  index: number,
  options: CheckSpecOptions,
  problems: CheckProblem[],
): Check | undefined {
  // A bare URL is shorthand for a check with only that URL.
  const spec: Record<string, unknown> | undefined = typeof entry === 'string' ? { url: entry } : asRecord(entry);
  if (!spec) {
    problems.push({
      problem: `check ${index + 1} must be a mapping with at least "url", but it is ${describeType(entry)}`,
      fix: 'Write each check as "- name: ...\\n  url: ..."',
    });
    return undefined;
  }
  const givenName = typeof spec.name === 'string' ? spec.name.trim() : undefined;
  const where = label(index, givenName);
  const before = problems.length;
  const fail = (problem: string, fix: string) => void problems.push({ problem: `${where}: ${problem}`, fix });

  rejectUnknownKeys(spec, CHECK_KEYS, '', fail);

  if (spec.name !== undefined && (typeof spec.name !== 'string' || givenName === '' || /[\r\n]/.test(spec.name))) {
    fail('"name" must be a non-empty single-line string', 'Give the check a short name such as "api health"');
  }

  const url = validateUrl(spec.url, options.baseUrl, fail);

  let method = 'GET';
  if (spec.method !== undefined) {
    const upper = typeof spec.method === 'string' ? spec.method.trim().toUpperCase() : '';
    if ((METHODS as readonly string[]).includes(upper)) method = upper;
    else fail(`"method" ${JSON.stringify(spec.method)} is not supported`, `Use one of ${METHODS.join(', ')}`);
  }

  const secrets: string[] = [];
  const headers = validateHeaders(spec.headers, options.env, secrets, fail);
  if (url && (url.username || url.password)) {
    // Credentials in the URL become a Basic Authorization header, so the URL itself can be shown.
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.push({
      name: 'Authorization',
      value: `Basic ${Buffer.from(credentials).toString('base64')}`,
      secret: true,
    });
    if (url.password) secrets.push(decodeURIComponent(url.password));
    url.username = '';
    url.password = '';
  }

  let body: string | undefined;
  if (spec.body !== undefined) {
    if (method === 'GET' || method === 'HEAD') {
      fail(`a ${method} request carries no body`, 'Use method: POST (or PUT, PATCH) or remove "body"');
    } else {
      body = validateBody(spec.body, options.env, headers, secrets, fail);
    }
  }

  const expect = validateExpectations(spec.expect, fail);

  let verifyVersion = true;
  if (spec['verify-version'] !== undefined) {
    if (typeof spec['verify-version'] === 'boolean') verifyVersion = spec['verify-version'];
    else fail('"verify-version" must be true or false', 'Write verify-version: false to skip the version check here');
  }

  if (problems.length > before || !url || !expect) return undefined;
  // A credential in the query (api_key=..., X-Amz-Signature=...) is masked and not shown in the report.
  const shown = new URL(url);
  for (const [key, value] of url.searchParams) {
    if (value.length > 0 && SENSITIVE_HEADER.test(key)) {
      secrets.push(value);
      shown.searchParams.set(key, '***');
    }
  }
  const displayUrl = shown.toString();
  return {
    name: givenName ?? `${method} ${displayUrl}`,
    url,
    displayUrl,
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
    expect,
    verifyVersion,
    secrets: [...headers.filter((h) => h.secret).map((h) => h.value), ...secrets],
  };
}

type Fail = (problem: string, fix: string) => void;

/**
 * A path is appended to the base URL's own path (`https://host/shop` + `/health` = `https://host/shop/health`), as
 * people expect from a base URL; an absolute URL stands on its own.
 */
export function resolveAgainst(baseUrl: URL, text: string): URL {
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) return new URL(text);
  const base = new URL(baseUrl.href);
  base.search = '';
  base.hash = '';
  const [path = '', query] = text.split(/\?(.*)/s, 2);
  const joined = new URL(`${base.href.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
  if (query !== undefined) joined.search = query;
  return joined;
}

function validateUrl(value: unknown, baseUrl: URL | undefined, fail: Fail): URL | undefined {
  if (value === undefined || value === null || value === '') {
    fail('"url" is missing', 'Give the URL to request, such as https://app.example.com/health');
    return undefined;
  }
  if (typeof value !== 'string') {
    fail(
      `"url" must be a string, not ${describeType(value)}`,
      'Give the URL to request, such as https://app.example.com/health',
    );
    return undefined;
  }
  const text = value.trim();
  let url: URL;
  try {
    url = baseUrl ? resolveAgainst(baseUrl, text) : new URL(text);
  } catch {
    fail(
      `"url" ${JSON.stringify(shorten(text))} is not a valid URL`,
      baseUrl
        ? 'Give an absolute URL or a path such as /health'
        : 'Give an absolute URL such as https://app.example.com/health, or set base-url for paths',
    );
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail(
      `"url" ${JSON.stringify(shorten(text))} uses ${url.protocol} but only http: and https: are supported`,
      'Use an http:// or https:// URL',
    );
    return undefined;
  }
  if (!url.hostname) {
    fail(`"url" ${JSON.stringify(shorten(text))} has no host`, 'Give a URL such as https://app.example.com/health');
    return undefined;
  }
  return url;
}

function validateHeaders(value: unknown, env: CheckSpecOptions['env'], secrets: string[], fail: Fail): RequestHeader[] {
  const headers: RequestHeader[] = [];
  if (value === undefined) return headers;
  const map = asRecord(value);
  if (!map) {
    fail(
      `"headers" must be a mapping of header name to value, not ${describeType(value)}`,
      'Write headers: { X-Name: value }',
    );
    return headers;
  }
  for (const [name, raw] of Object.entries(map)) {
    if (!HEADER_NAME.test(name)) {
      fail(`header name ${JSON.stringify(name)} is not a valid HTTP header name`, 'Use letters, digits and hyphens');
      continue;
    }
    const resolved = resolveValue(raw, env, `header "${name}"`, fail);
    if (resolved === undefined) continue;
    if (/[\r\n\0]/.test(resolved.value)) {
      fail(`header "${name}" has a line break or NUL in its value`, 'Give a single-line value');
      continue;
    }
    headers.push({ name, value: resolved.value, secret: resolved.fromEnv || SENSITIVE_HEADER.test(name) });
    if (resolved.raw !== undefined) secrets.push(resolved.raw);
    // "Bearer <token>": the token alone must be masked too, wherever it shows up without its scheme.
    const credential = /^[A-Za-z-]+\s+(\S{4,})$/.exec(resolved.value);
    if (credential && (resolved.fromEnv || SENSITIVE_HEADER.test(name))) secrets.push(credential[1]!);
  }
  return headers;
}

/**
 * A value written literally (string, number, boolean) or read from the environment with `{ env: NAME }`,
 * optionally with a `prefix` such as "Bearer ". Values from the environment are secrets.
 */
function resolveValue(
  raw: unknown,
  env: CheckSpecOptions['env'],
  what: string,
  fail: Fail,
): { value: string; fromEnv: boolean; raw?: string } | undefined {
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean')
    return { value: String(raw), fromEnv: false };
  const ref = asRecord(raw);
  if (!ref || typeof ref.env !== 'string') {
    fail(
      `${what} must be a string or { env: NAME }, not ${describeType(raw)}`,
      "Write the value, or { env: NAME } to read it from the step's env",
    );
    return undefined;
  }
  const unknown = Object.keys(ref).filter((key) => key !== 'env' && key !== 'prefix');
  if (unknown.length > 0) {
    fail(`${what} has unknown key "${unknown[0]}"`, 'Use only env and prefix');
    return undefined;
  }
  if (!ENV_NAME.test(ref.env)) {
    fail(`${what}: ${JSON.stringify(ref.env)} is not an environment variable name`, 'Use a name such as API_TOKEN');
    return undefined;
  }
  if (ref.prefix !== undefined && typeof ref.prefix !== 'string') {
    fail(`${what}: "prefix" must be a string`, 'Write prefix: "Bearer "');
    return undefined;
  }
  const value = env[ref.env];
  if (value === undefined || value === '') {
    fail(`${what} reads environment variable ${ref.env}, which is not set`, `Set ${ref.env} in the step's env: block`);
    return undefined;
  }
  return { value: `${ref.prefix ?? ''}${value}`, fromEnv: true, raw: value };
}

function validateBody(
  value: unknown,
  env: CheckSpecOptions['env'],
  headers: RequestHeader[],
  secrets: string[],
  fail: Fail,
): string | undefined {
  const ref = asRecord(value);
  if (typeof value === 'string') return value;
  if (ref && typeof ref.env === 'string' && Object.keys(ref).every((key) => key === 'env' || key === 'prefix')) {
    const resolved = resolveValue(value, env, '"body"', fail);
    if (resolved) secrets.push(resolved.value);
    return resolved?.value;
  }
  if (ref || Array.isArray(value)) {
    if (!headers.some((h) => h.name.toLowerCase() === 'content-type')) {
      headers.push({ name: 'Content-Type', value: 'application/json', secret: false });
    }
    return JSON.stringify(value);
  }
  fail(
    `"body" must be a string, a mapping or list (sent as JSON) or { env: NAME }, not ${describeType(value)}`,
    'Correct "body"',
  );
  return undefined;
}

function validateExpectations(value: unknown, fail: Fail): Expectations | undefined {
  const expect: Expectations = { status: DEFAULT_STATUS, bodyContains: [], bodyMatches: [], json: [], headers: [] };
  if (value === undefined || value === null) return expect;
  const spec = asRecord(value);
  if (!spec) {
    fail(`"expect" must be a mapping, not ${describeType(value)}`, `Use keys among ${EXPECT_KEYS.join(', ')}`);
    return undefined;
  }
  let ok = rejectUnknownKeys(spec, EXPECT_KEYS, 'expect.', fail);
  const bad = (problem: string, fix: string) => {
    ok = false;
    fail(problem, fix);
  };

  if (spec.status !== undefined) {
    const ranges: StatusRange[] = [];
    for (const item of Array.isArray(spec.status) ? spec.status : [spec.status]) {
      const parsed = parseStatus(item);
      if ('problem' in parsed)
        bad(`expect.${parsed.problem}`, 'Use codes such as 200, classes such as 2xx or ranges such as 200-204');
      else ranges.push(parsed);
    }
    if (Array.isArray(spec.status) && spec.status.length === 0)
      bad('expect.status is an empty list', 'Give at least one status');
    expect.status = ranges;
  }

  for (const [key, target] of [
    ['body-contains', expect.bodyContains],
    ['body-matches', undefined],
  ] as const) {
    const raw = spec[key];
    if (raw === undefined) continue;
    const items = Array.isArray(raw) ? raw : [raw];
    for (const item of items) {
      if (typeof item !== 'string' || item === '') {
        bad(`expect.${key} must be a non-empty string or a list of them`, `Correct expect.${key}`);
      } else if (target) {
        target.push(item);
      } else {
        try {
          expect.bodyMatches.push({ pattern: new RegExp(item), source: item });
        } catch (error) {
          bad(
            `expect.body-matches ${JSON.stringify(item)} is not a valid regular expression (${(error as Error).message})`,
            'Correct the pattern',
          );
        }
      }
    }
  }

  if (spec.json !== undefined) {
    const map = asRecord(spec.json);
    if (!map)
      bad(
        `expect.json must be a mapping of JSON path to expected value, not ${describeType(spec.json)}`,
        'Write json: { status: ok, build.sha: abc }',
      );
    for (const [path, expected] of Object.entries(map ?? {})) {
      const parsed = parseJsonPath(path);
      if ('problem' in parsed)
        bad(`expect.json: ${parsed.problem}`, 'Write paths such as status, build.sha or items[0].id');
      else expect.json.push({ path, expected });
    }
  }

  if (spec.headers !== undefined) {
    const map = asRecord(spec.headers);
    if (!map)
      bad(
        `expect.headers must be a mapping of header name to value, not ${describeType(spec.headers)}`,
        'Write headers: { Content-Type: application/json }',
      );
    for (const [name, raw] of Object.entries(map ?? {})) {
      const expectation = headerExpectation(raw);
      if (!HEADER_NAME.test(name))
        bad(`expect.headers: ${JSON.stringify(name)} is not a valid header name`, 'Use letters, digits and hyphens');
      else if (typeof expectation === 'string')
        bad(`expect.headers "${name}": ${expectation}`, 'Write the exact value, or { matches: <regex> }');
      else expect.headers.push({ name, expectation });
    }
  }

  const latency = spec['max-latency-ms'];
  if (latency !== undefined) {
    if (typeof latency !== 'number' || !Number.isInteger(latency) || latency < 1 || latency > MAX_LATENCY_LIMIT_MS) {
      bad(
        `expect.max-latency-ms ${JSON.stringify(latency)} is not a whole number between 1 and ${MAX_LATENCY_LIMIT_MS}`,
        'Give the limit in milliseconds, such as 500',
      );
    } else {
      expect.maxLatencyMs = latency;
    }
  }
  return ok ? expect : undefined;
}

function headerExpectation(raw: unknown): HeaderExpectation | string {
  if (typeof raw === 'string' || typeof raw === 'number') return { equals: String(raw) };
  const spec = asRecord(raw);
  if (spec && Object.keys(spec).length === 1 && typeof spec.matches === 'string') {
    try {
      return { matches: new RegExp(spec.matches), source: spec.matches };
    } catch (error) {
      return `${JSON.stringify(spec.matches)} is not a valid regular expression (${(error as Error).message})`;
    }
  }
  return `must be a string or { matches: <regex> }, not ${describeType(raw)}`;
}

function rejectUnknownKeys(
  spec: Record<string, unknown>,
  allowed: readonly string[],
  prefix: string,
  fail: Fail,
): boolean {
  let ok = true;
  for (const key of Object.keys(spec)) {
    if (allowed.includes(key)) continue;
    ok = false;
    const hint = allowed.find((candidate) => near(candidate, key));
    fail(
      `unknown key "${prefix}${key}"${hint ? ` (did you mean "${prefix}${hint}"?)` : ''}`,
      `Use only ${allowed.map((k) => prefix + k).join(', ')}${prefix === '' ? ' (expectations go under expect:)' : ''}`,
    );
  }
  return ok;
}

/** Close enough to be a typo: at most two edits apart (a swap of neighbours counts as one), ignoring case. */
function near(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (Math.abs(x.length - y.length) > 2) return false;
  // Optimal string alignment distance.
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[x.length]![y.length]! <= Math.min(2, Math.floor(Math.min(x.length, y.length) / 3));
}

function label(index: number, name: string | undefined): string {
  return name ? `check ${index + 1} ("${shorten(name)}")` : `check ${index + 1}`;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `the ${typeof value} ${JSON.stringify(shorten(String(value)))}`;
}

function shorten(text: string, limit = 60): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
