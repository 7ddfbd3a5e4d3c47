import type { IncomingHttpHeaders } from 'node:http';
import { jsonEqual, parseJsonPath, readJsonPath, showValue } from './json-path.js';
import { describeStatus, statusAccepted } from './status.js';
import { findVersionInBody, versionsMatch } from './version.js';
import type { Check, VersionSource } from './types.js';

/**
 * Judges one response against a check's expectations and the expected version. Pure: the same response always
 * gives the same verdict, so the rules are tested without a network.
 */

export interface ObservedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  latencyMs: number;
}

export interface VersionRule {
  expected?: string;
  source: VersionSource;
}

export interface Verdict {
  failures: string[];
  versionSeen?: string;
}

/**
 * `scrub` removes secrets from response text before it is quoted (and cut short) in a message: a service that
 * echoes a credential must not leak it, not even a prefix of it.
 */
export function evaluateResponse(
  response: ObservedResponse,
  check: Check,
  version: VersionRule,
  scrub: (text: string) => string = (text) => text,
): Verdict {
  const failures: string[] = [];
  const show = (value: unknown) => showValue(value, 80, scrub);
  const { expect } = check;
  if (!statusAccepted(response.status, expect.status)) {
    failures.push(`status ${response.status}, expected ${describeStatus(expect.status)}${bodyHint(response, scrub)}`);
  }
  if (expect.maxLatencyMs !== undefined && response.latencyMs > expect.maxLatencyMs) {
    failures.push(`took ${Math.round(response.latencyMs)} ms, over max-latency-ms ${expect.maxLatencyMs}`);
  }
  for (const text of expect.bodyContains) {
    if (!response.body.includes(text)) failures.push(`body does not contain ${JSON.stringify(text)}`);
  }
  for (const { pattern, source } of expect.bodyMatches) {
    if (!pattern.test(response.body)) failures.push(`body does not match /${source}/`);
  }
  const json = lazyJson(response.body, scrub);
  for (const { path, expected } of expect.json) {
    const parsed = json();
    if (!parsed.ok) {
      failures.push(`body is not JSON (${parsed.why}), so JSON path ${path} cannot be checked`);
      break;
    }
    const found = lookup(parsed.value, path);
    if (!found.found) failures.push(`JSON path ${path} not found in the body`);
    else if (!jsonEqual(found.value, expected)) {
      failures.push(`JSON ${path} is ${show(found.value)}, expected ${show(expected)}`);
    }
  }
  for (const { name, expectation } of expect.headers) {
    const actual = headerValue(response.headers, name);
    if (actual === undefined) failures.push(`response header ${name} is missing`);
    else if ('equals' in expectation && actual !== expectation.equals) {
      failures.push(`response header ${name} is ${show(actual)}, expected ${show(expectation.equals)}`);
    } else if ('matches' in expectation && !expectation.matches.test(actual)) {
      failures.push(`response header ${name} is ${show(actual)}, which does not match /${expectation.source}/`);
    }
  }
  const verdict: Verdict = { failures };
  if (version.expected === undefined || !check.verifyVersion) {
    // Nothing is required, but a header or JSON field that shows the version is still worth reporting.
    if (version.source.kind !== 'body') {
      const seen = versionOf(response, version.source, json, '');
      if (seen.value !== undefined) verdict.versionSeen = seen.value;
    }
  } else {
    const seen = versionOf(response, version.source, json, version.expected);
    if (seen.value !== undefined) verdict.versionSeen = seen.value;
    if (seen.problem) failures.push(seen.problem);
    else if (seen.value !== undefined && !versionsMatch(seen.value, version.expected)) {
      failures.push(
        `version ${show(seen.value)} (${seen.where}) is not the expected ${show(version.expected)}: ` +
          'an older or other version is answering',
      );
    }
  }
  return verdict;
}

function versionOf(
  response: ObservedResponse,
  source: VersionSource,
  json: () => ParsedJson,
  expected: string,
): { value?: string; where?: string; problem?: string } {
  switch (source.kind) {
    case 'header': {
      const value = headerValue(response.headers, source.name);
      return value === undefined
        ? { problem: `the response has no ${source.name} header to show its version (version-header)` }
        : { value, where: `header ${source.name}` };
    }
    case 'json': {
      const parsed = json();
      if (!parsed.ok)
        return { problem: `body is not JSON (${parsed.why}), so version-json-path ${source.path} cannot be read` };
      const found = lookup(parsed.value, source.path);
      if (!found.found) return { problem: `the body has no ${source.path} to show its version (version-json-path)` };
      if (found.value === null || typeof found.value === 'object') {
        return {
          problem: `JSON ${source.path} is ${showValue(found.value)}, not a version string (version-json-path)`,
        };
      }
      return { value: String(found.value), where: `JSON ${source.path}` };
    }
    case 'body': {
      const found = findVersionInBody(response.body, expected);
      return found === undefined
        ? { problem: `the body does not show the expected version ${showValue(expected)}` }
        : { value: found, where: 'body' };
    }
  }
}

/** The start of an error body, which often says why (`no healthy upstream`, `502 Bad Gateway`). */
function bodyHint(response: ObservedResponse, scrub: (text: string) => string): string {
  const type = headerValue(response.headers, 'content-type') ?? '';
  if (type !== '' && !/text|json|xml|html/i.test(type)) return '';
  const text = scrub(
    response.body
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
  if (text === '') return '';
  return ` (body: ${text.length > 80 ? `${text.slice(0, 79)}…` : text})`;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

type ParsedJson = { ok: true; value: unknown } | { ok: false; why: string };

function lazyJson(body: string, scrub: (text: string) => string): () => ParsedJson {
  let result: ParsedJson | undefined;
  return () => {
    if (!result) {
      try {
        result = { ok: true, value: JSON.parse(body) };
      } catch {
        const start = scrub(body.trim()).slice(0, 40);
        result = { ok: false, why: start === '' ? 'it is empty' : `it starts with ${JSON.stringify(start)}` };
      }
    }
    return result;
  };
}

function lookup(value: unknown, path: string) {
  const parsed = parseJsonPath(path);
  return 'problem' in parsed ? { found: false as const } : readJsonPath(value, parsed.steps);
}
