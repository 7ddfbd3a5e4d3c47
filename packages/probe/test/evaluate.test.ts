import {
  evaluateResponse,
  parseJsonPath,
  readJsonPath,
  validateChecks,
  versionsMatch,
  findVersionInBody,
} from '../src/index.js';
import type { Check, VersionSource } from '../src/index.js';

function check(spec: Record<string, unknown>): Check {
  const { checks, problems } = validateChecks([{ name: 'c', url: 'http://x/', ...spec }], { env: {} });
  expect(problems).toEqual([]);
  return checks[0]!;
}

const noVersion = { source: { kind: 'body' } as VersionSource };
const response = (over: Partial<Parameters<typeof evaluateResponse>[0]> = {}) => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: '{"status":"ok","build":{"sha":"abc1234"},"items":[{"id":7}]}',
  latencyMs: 20,
  ...over,
});

describe('evaluateResponse', () => {
  it('passes a response that meets every expectation', () => {
    const c = check({
      expect: {
        status: 200,
        json: { status: 'ok', 'items[0].id': 7 },
        headers: { 'Content-Type': 'application/json' },
      },
    });
    expect(evaluateResponse(response(), c, noVersion).failures).toEqual([]);
  });

  it('reports status, latency, body and header failures in plain words', () => {
    const c = check({
      expect: {
        'body-contains': 'healthy',
        'body-matches': '^<html',
        headers: { 'X-Ready': 'yes' },
        'max-latency-ms': 10,
      },
    });
    expect(evaluateResponse(response({ status: 503 }), c, noVersion).failures).toEqual([
      'status 503, expected 2xx (body: {"status":"ok","build":{"sha":"abc1234"},"items":[{"id":7}]})',
      'took 20 ms, over max-latency-ms 10',
      'body does not contain "healthy"',
      'body does not match /^<html/',
      'response header X-Ready is missing',
    ]);
  });

  it('reports a JSON path mismatch with both values, and a missing path', () => {
    const c = check({ expect: { json: { status: 'ready', 'build.tag': 'v1' } } });
    expect(evaluateResponse(response(), c, noVersion).failures).toEqual([
      'JSON status is "ok", expected "ready"',
      'JSON path build.tag not found in the body',
    ]);
  });

  it('says when a body is not JSON', () => {
    const c = check({ expect: { json: { status: 'ok' } } });
    expect(evaluateResponse(response({ body: '<html>down</html>' }), c, noVersion).failures[0]).toBe(
      'body is not JSON (it starts with "<html>down</html>"), so JSON path status cannot be checked',
    );
  });

  it('fails when an older version answers through the version header', () => {
    const rule = { expected: 'def5678aaaa', source: { kind: 'header', name: 'X-App-Version' } as VersionSource };
    const verdict = evaluateResponse(response({ headers: { 'x-app-version': 'abc1234' } }), check({}), rule);
    expect(verdict.versionSeen).toBe('abc1234');
    expect(verdict.failures).toEqual([
      'version "abc1234" (header X-App-Version) is not the expected "def5678aaaa": an older or other version is answering',
    ]);
  });

  it('accepts an abbreviated SHA in a JSON field and skips checks that opt out', () => {
    const rule = { expected: 'abc1234ffffeeee', source: { kind: 'json', path: 'build.sha' } as VersionSource };
    expect(evaluateResponse(response(), check({}), rule)).toEqual({ failures: [], versionSeen: 'abc1234' });
    const optOut = evaluateResponse(response({ body: '{}' }), check({ 'verify-version': false }), rule);
    expect(optOut.failures).toEqual([]);
  });

  it('looks for the version in the body when no header or path is named', () => {
    const rule = { expected: '0123456789abcdef0123456789abcdef01234567', source: { kind: 'body' } as VersionSource };
    expect(evaluateResponse(response({ body: 'build 0123456 ok' }), check({}), rule).failures).toEqual([]);
    expect(evaluateResponse(response({ body: 'build 9999999 ok' }), check({}), rule).failures).toEqual([
      'the body does not show the expected version "0123456789abcdef0123456789abcdef01234567"',
    ]);
  });
});

describe('status failures', () => {
  it('quote the start of an error body in plain text, and skip binary bodies', () => {
    const html =
      '<html><head><style>p{}</style></head><body><h1>502 Bad Gateway</h1>\n<p>no healthy upstream</p></body></html>';
    const page = response({ status: 502, headers: { 'content-type': 'text/html' }, body: html });
    expect(evaluateResponse(page, check({}), noVersion).failures).toEqual([
      'status 502, expected 2xx (body: 502 Bad Gateway no healthy upstream)',
    ]);
    const binary = response({ status: 500, headers: { 'content-type': 'image/png' }, body: 'PNG...' });
    expect(evaluateResponse(binary, check({}), noVersion).failures).toEqual(['status 500, expected 2xx']);
    const empty = response({ status: 404, body: '' });
    expect(evaluateResponse(empty, check({}), noVersion).failures).toEqual(['status 404, expected 2xx']);
  });
});

describe('versions and JSON paths', () => {
  it.each([
    ['abc1234', 'abc1234def', true],
    ['ABC1234', 'abc1234def', true],
    ['abc123', 'abc1234def', false],
    ['v1.2.3', 'v1.2.3', true],
    ['v1.2.3', 'v1.2.30', false],
    ['abc1235', 'abc1234def', false],
  ])('versionsMatch(%s, %s) is %s', (seen, expected, result) => {
    expect(versionsMatch(seen, expected)).toBe(result);
  });

  it('does not find a version inside a longer hex word', () => {
    expect(findVersionInBody('xabc1234def', 'abc1234def0')).toBeUndefined();
  });

  it('reads paths with indexes and quoted keys', () => {
    const steps = parseJsonPath('$.a["b.c"][1].d');
    expect(steps).toEqual({ steps: ['a', 'b.c', 1, 'd'] });
    expect(readJsonPath({ a: { 'b.c': [0, { d: 'x' }] } }, (steps as { steps: (string | number)[] }).steps)).toEqual({
      found: true,
      value: 'x',
    });
  });
});
