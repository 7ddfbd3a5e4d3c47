import type * as z from 'zod';
import {
  CHECK_KEYS,
  EXPECT_KEYS,
  checkObject,
  describeType,
  fixFor,
  shorten,
  subject,
  type CheckInput,
} from './check-schema.js';
import { HEADER_NAME } from './rules.js';
import { DEFAULT_STATUS, parseStatus } from './status.js';
import type { Check, Expectations, HeaderExpectation, RequestHeader, StatusRange } from './types.js';

/**
 * Strict validation of the checks a user wrote (already parsed from YAML). The shape is check-schema.ts's zod
 * schema; what depends on the run (the base URL, values read from the environment) is resolved here. Every problem
 * names the check's position and name and the key at fault, so the user can fix every problem in one go. Nothing
 * here sends a request.
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

export { CHECK_KEYS, EXPECT_KEYS };
export { METHODS } from './rules.js';
/** Header names whose literal values are credentials, masked like values read from the environment. */
const SENSITIVE_HEADER = /authorization|cookie|token|secret|password|api[-_]?key|signature|credential|session/i;

type Fail = (problem: string, fix: string) => void;

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
  const spec = typeof entry === 'string' ? { url: entry } : entry;
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    problems.push({
      problem: `check ${index + 1} must be a mapping with at least "url", but it is ${describeType(entry)}`,
      fix: 'Write each check as "- name: ...\\n  url: ..."',
    });
    return undefined;
  }
  const givenName = (spec as { name?: unknown }).name;
  const where = label(index, typeof givenName === 'string' ? givenName.trim() : undefined);
  const fail: Fail = (problem, fix) => void problems.push({ problem: `${where}: ${problem}`, fix });
  const parsed = checkObject.safeParse(spec, { reportInput: true });
  if (!parsed.success) {
    // Unknown keys first, as they often explain the rest (a misspelt key is also a missing one).
    const issues = [...parsed.error.issues].sort((a, b) => Math.min(a.path.length, 1) - Math.min(b.path.length, 1));
    for (const issue of issues) describeIssue(issue, fail);
    return undefined;
  }
  const before = problems.length;
  const check = buildCheck(parsed.data, options, fail);
  return problems.length > before ? undefined : check;
}

/** A check that has the right shape, with its URL resolved and its values read: what the probe sends. */
function buildCheck(spec: CheckInput, options: CheckSpecOptions, fail: Fail): Check | undefined {
  const url = resolveUrl(spec.url, options.baseUrl, fail);
  const method = spec.method?.trim().toUpperCase() ?? 'GET';
  const secrets: string[] = [];
  const headers: RequestHeader[] = [];
  for (const [name, raw] of Object.entries(spec.headers ?? {})) {
    const resolved = resolveValue(raw, options.env, `header "${name}"`, fail);
    if (resolved === undefined) continue;
    if (/[\r\n\0]/.test(resolved.value)) {
      fail(`header "${name}" has a line break or NUL in its value`, 'Give a single-line value');
      continue;
    }
    const secret = resolved.fromEnv || SENSITIVE_HEADER.test(name);
    headers.push({ name, value: resolved.value, secret });
    if (resolved.raw !== undefined) secrets.push(resolved.raw);
    // "Bearer <token>": the token alone must be masked too, wherever it shows up without its scheme.
    const credential = /^[A-Za-z-]+\s+(\S{4,})$/.exec(resolved.value);
    if (credential && secret) secrets.push(credential[1]!);
  }
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
  if (spec.body !== undefined && (method === 'GET' || method === 'HEAD')) {
    fail(`a ${method} request carries no body`, 'Use method: POST (or PUT, PATCH) or remove "body"');
  } else if (typeof spec.body === 'string') {
    body = spec.body;
  } else if (isFromEnv(spec.body)) {
    const resolved = resolveValue(spec.body, options.env, '"body"', fail);
    if (resolved) secrets.push(resolved.value);
    body = resolved?.value;
  } else if (spec.body !== undefined) {
    if (!headers.some((h) => h.name.toLowerCase() === 'content-type')) {
      headers.push({ name: 'Content-Type', value: 'application/json', secret: false });
    }
    body = JSON.stringify(spec.body);
  }

  if (!url) return undefined;
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
    name: spec.name?.trim() ?? `${method} ${displayUrl}`,
    url,
    displayUrl,
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
    expect: expectations(spec.expect ?? undefined),
    verifyVersion: spec['verify-version'] ?? true,
    secrets: [...headers.filter((h) => h.secret).map((h) => h.value), ...secrets],
  };
}

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

function resolveUrl(value: string, baseUrl: URL | undefined, fail: Fail): URL | undefined {
  const text = value.trim();
  const fix = 'Give the URL to request, such as https://app.example.com/health';
  if (text === '') return void fail('"url" is missing', fix);
  let url: URL;
  try {
    url = baseUrl ? resolveAgainst(baseUrl, text) : new URL(text);
  } catch {
    return void fail(
      `"url" ${JSON.stringify(shorten(text))} is not a valid URL`,
      baseUrl
        ? 'Give an absolute URL or a path such as /health'
        : 'Give an absolute URL such as https://app.example.com/health, or set base-url for paths',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return void fail(
      `"url" ${JSON.stringify(shorten(text))} uses ${url.protocol} but only http: and https: are supported`,
      'Use an http:// or https:// URL',
    );
  }
  if (!url.hostname) return void fail(`"url" ${JSON.stringify(shorten(text))} has no host`, fix);
  return url;
}

type FromEnv = { env: string; prefix?: string };

function isFromEnv(value: unknown): value is FromEnv {
  return typeof value === 'object' && value !== null && typeof (value as FromEnv).env === 'string';
}

/** A literal value, or one read from the environment with `{ env: NAME }` (a secret). */
function resolveValue(
  raw: string | number | boolean | FromEnv,
  env: CheckSpecOptions['env'],
  what: string,
  fail: Fail,
): { value: string; fromEnv: boolean; raw?: string } | undefined {
  if (!isFromEnv(raw)) return { value: String(raw), fromEnv: false };
  const value = env[raw.env];
  if (value === undefined || value === '') {
    return void fail(
      `${what} reads environment variable ${raw.env}, which is not set`,
      `Set ${raw.env} in the step's env: block`,
    );
  }
  return { value: `${raw.prefix ?? ''}${value}`, fromEnv: true, raw: value };
}

function expectations(spec: NonNullable<CheckInput['expect']> | undefined): Expectations {
  const list = <T>(value: T | T[] | undefined): T[] =>
    value === undefined ? [] : Array.isArray(value) ? value : [value];
  const header = (raw: string | number | { matches: string }): HeaderExpectation =>
    typeof raw === 'object' ? { matches: new RegExp(raw.matches), source: raw.matches } : { equals: String(raw) };
  return {
    // The schema already parsed each status, so these are ranges.
    status: spec?.status === undefined ? DEFAULT_STATUS : list(spec.status).map((s) => parseStatus(s) as StatusRange),
    bodyContains: list(spec?.['body-contains']),
    bodyMatches: list(spec?.['body-matches']).map((source) => ({ pattern: new RegExp(source), source })),
    json: Object.entries(spec?.json ?? {}).map(([path, expected]) => ({ path, expected })),
    headers: Object.entries(spec?.headers ?? {}).map(([name, raw]) => ({ name, expectation: header(raw) })),
    ...(spec?.['max-latency-ms'] !== undefined ? { maxLatencyMs: spec['max-latency-ms'] } : {}),
    ...(spec?.['max-p95-latency-ms'] !== undefined ? { maxP95LatencyMs: spec['max-p95-latency-ms'] } : {}),
  };
}

/**
 * A schema issue in the words the user needs: the key at fault and the fix. An issue about a value that may take
 * several shapes is told by the shape the value has (a `{ env: NAME }` mapping, say), when it has one.
 */
function describeIssue(issue: z.core.$ZodIssue, fail: Fail, at: PropertyKey[] = []): void {
  const path = [...at, ...issue.path];
  if (issue.code === 'invalid_union') {
    const meant = issue.errors.find((errors) => !wrongShape(errors));
    if (meant) return meant.forEach((inner) => describeIssue(inner, fail, path));
  }
  const fix = (issue as { params?: { fix?: string } }).params?.fix ?? fixFor(path);
  if (issue.code === 'unrecognized_keys') return unknownKeys(issue.keys, path, fail);
  if (issue.code === 'invalid_key') {
    // A key of a mapping (a header name, a JSON path): its own issue says what is wrong.
    const inner = issue.issues[0]!;
    const map = path.slice(0, -1);
    const innerFix = (inner as { params?: { fix?: string } }).params?.fix ?? HEADER_NAME.fix;
    return fail(map.length > 1 ? `${subject(map)}: ${inner.message}` : inner.message, innerFix);
  }
  const last = path.at(-1);
  if (last === 'env' || last === 'prefix') {
    // Inside { env: NAME, prefix }: name the header (or body) it stands for.
    const holder = subject(path.slice(0, -1)).replace(/:$/, '');
    if (issue.code === 'invalid_type' && last === 'env') {
      return fail(`${holder} must be a string or { env: NAME }, not a mapping`, fix);
    }
    return fail(`${holder}: ${issue.message}`, last === 'prefix' ? 'Write prefix: "Bearer "' : fix);
  }
  fail(`${subject(path)} ${issue.message}`, fix);
}

/** Every branch failed on the value's type itself: the value has none of the shapes. */
function wrongShape(errors: z.core.$ZodIssue[]): boolean {
  return errors.some(
    (e) =>
      e.path.length === 0 && (e.code === 'invalid_type' || (e.code === 'invalid_union' && e.errors.every(wrongShape))),
  );
}

/** Keys no check has, with the likely one when it is a typo. */
function unknownKeys(keys: string[], path: PropertyKey[], fail: Fail): void {
  const level = path.length === 0 ? '' : path.length === 1 && path[0] === 'expect' ? 'expect.' : undefined;
  for (const key of keys) {
    if (level === undefined) {
      const only = path[0] === 'expect' ? 'Use only matches' : 'Use only env and prefix';
      fail(`${subject(path).replace(/:$/, '')} has unknown key "${key}"`, only);
      continue;
    }
    const allowed = level ? EXPECT_KEYS : CHECK_KEYS;
    const hint = allowed.find((candidate) => near(candidate, key));
    fail(
      `unknown key "${level}${key}"${hint ? ` (did you mean "${level}${hint}"?)` : ''}`,
      `Use only ${allowed.map((k) => level + k).join(', ')}${level === '' ? ' (expectations go under expect:)' : ''}`,
    );
  }
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
