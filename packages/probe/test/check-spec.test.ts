import { parseChecks, validateChecks } from '../src/index.js';

const env = { API_TOKEN: 'tok-123456', EMPTY: '' };

function problemsOf(yaml: string, extra: Partial<Parameters<typeof parseChecks>[1]> = {}): string[] {
  return parseChecks(yaml, { env, ...extra }).problems.map((p) => `${p.problem}. ${p.fix}`);
}

describe('check validation', () => {
  it('reads a full check with defaults', () => {
    const { checks, problems } = parseChecks(
      `
- name: api
  url: https://app.example.com/health
  method: post
  headers:
    Authorization: { env: API_TOKEN, prefix: "Bearer " }
    X-Trace: on
  body: { ping: true }
  expect:
    status: [200, 2xx, "300-302"]
    body-contains: ok
    body-matches: "^\\\\{"
    json: { status: ok, "build.sha": abc }
    headers: { Content-Type: { matches: "json" } }
    max-latency-ms: 500
- https://app.example.com/
`,
      { env },
    );
    expect(problems).toEqual([]);
    const [api, bare] = checks;
    expect(api!.method).toBe('POST');
    expect(api!.body).toBe('{"ping":true}');
    expect(api!.headers.map((h) => [h.name, h.secret])).toEqual([
      ['Authorization', true],
      ['X-Trace', false],
      ['Content-Type', false],
    ]);
    expect(api!.headers[0]!.value).toBe('Bearer tok-123456');
    expect(api!.secrets).toEqual(expect.arrayContaining(['Bearer tok-123456', 'tok-123456']));
    expect(api!.expect.status).toEqual([
      { from: 200, to: 200 },
      { from: 200, to: 299 },
      { from: 300, to: 302 },
    ]);
    expect(api!.expect.json.map((j) => j.path)).toEqual(['status', 'build.sha']);
    expect(api!.expect.maxLatencyMs).toBe(500);
    expect(bare!.name).toBe('GET https://app.example.com/');
    expect(bare!.expect.status).toEqual([{ from: 200, to: 299 }]);
  });

  it('refuses unknown keys naming the check and the key, with a suggestion', () => {
    const problems = problemsOf('- name: api\n  url: http://x/\n  stauts: 200\n  expect: { bodycontains: ok }');
    expect(problems).toEqual([
      expect.stringContaining('check 1 ("api"): unknown key "stauts"'),
      expect.stringContaining(
        'check 1 ("api"): unknown key "expect.bodycontains" (did you mean "expect.body-contains"?)',
      ),
    ]);
  });

  it('names the check by position when it has no name', () => {
    expect(problemsOf('- url: http://a/\n- url: "not a url"')).toEqual([
      expect.stringContaining('check 2: "url" "not a url" is not a valid URL'),
    ]);
  });

  it.each([
    ['bad YAML', '- name: [oops', 'not valid YAML'],
    ['not a list', 'name: api', 'must be a YAML list of checks'],
    ['empty list', '[]', 'the list of checks is empty'],
    ['missing url', '- name: a', '"url" is missing'],
    ['ftp url', '- url: ftp://x/', 'only http: and https: are supported'],
    ['relative url without base', '- url: /health', 'is not a valid URL'],
    ['bad method', '- url: http://x/\n  method: FETCH', '"method" "FETCH" is not supported'],
    ['body on GET', '- url: http://x/\n  body: hi', 'a GET request carries no body'],
    ['bad status', '- url: http://x/\n  expect: { status: 700 }', 'outside 100-599'],
    [
      'negative latency',
      '- url: http://x/\n  expect: { max-latency-ms: -5 }',
      'max-latency-ms -5 is not a whole number',
    ],
    ['bad regex', '- url: http://x/\n  expect: { body-matches: "(" }', 'is not a valid regular expression'],
    ['bad json path', '- url: http://x/\n  expect: { json: { "a..b": 1 } }', 'JSON path "a..b" cannot be read'],
    [
      'env not set',
      '- url: http://x/\n  headers: { X-Key: { env: NOPE } }',
      'reads environment variable NOPE, which is not set',
    ],
    ['env empty', '- url: http://x/\n  headers: { X-Key: { env: EMPTY } }', 'EMPTY, which is not set'],
    ['bad header name', '- url: http://x/\n  headers: { "X Key": v }', 'is not a valid HTTP header name'],
    ['duplicate names', '- { name: a, url: "http://x/" }\n- { name: a, url: "http://y/" }', 'already used by check 1'],
    ['duplicate keys', '- url: http://x/\n  url: http://y/', 'not valid YAML'],
    [
      'a header value that is a list',
      '- url: http://x/\n  headers: { X-A: [1] }',
      'header "X-A" must be a string or { env: NAME }, not a list',
    ],
    [
      'a variable name that cannot be one',
      '- url: http://x/\n  headers: { X-A: { env: 1A } }',
      'header "X-A": "1A" is not an environment variable name. Use a name such as API_TOKEN',
    ],
    [
      'an unknown key beside env',
      '- url: http://x/\n  headers: { X-A: { env: API_TOKEN, pre: x } }',
      'header "X-A" has unknown key "pre". Use only env and prefix',
    ],
    [
      'a body that is a number',
      '- url: http://x/\n  method: POST\n  body: 5',
      '"body" must be a string, a mapping or list (sent as JSON) or { env: NAME }, not the number',
    ],
    [
      'expect that is not a mapping',
      '- url: http://x/\n  expect: ok',
      '"expect" must be a mapping, not the string "ok"',
    ],
    ['an empty status list', '- url: http://x/\n  expect: { status: [] }', 'expect.status is an empty list'],
    [
      'a bad status in a list',
      '- url: http://x/\n  expect: { status: [200, 700] }',
      'expect.status "700" is outside 100-599',
    ],
    [
      'an empty body-contains',
      '- url: http://x/\n  expect: { body-contains: "" }',
      'expect.body-contains must be a non-empty string',
    ],
    [
      'a bad header regex',
      '- url: http://x/\n  expect: { headers: { X-A: { matches: "(" } } }',
      'expect.headers "X-A": "(" is not a valid regular expression',
    ],
    [
      'verify-version not boolean',
      '- url: http://x/\n  verify-version: maybe',
      '"verify-version" must be true or false',
    ],
  ])('refuses %s', (_, yaml, message) => {
    expect(problemsOf(yaml).join('\n')).toContain(message);
  });

  it('appends paths to a base URL, its own path included', () => {
    const { checks } = parseChecks('- /health\n- api/status?full=1\n- https://other.example.com/ping', {
      env,
      baseUrl: new URL('https://staging.example.com/app/'),
    });
    expect(checks.map((check) => check.url.href)).toEqual([
      'https://staging.example.com/app/health',
      'https://staging.example.com/app/api/status?full=1',
      'https://other.example.com/ping',
    ]);
  });

  it('turns URL credentials into a masked Basic header and shows the URL without them', () => {
    const { checks } = validateChecks([{ name: 'a', url: 'https://user:pa55word@x.example/' }], { env });
    expect(checks[0]!.displayUrl).toBe('https://x.example/');
    expect(checks[0]!.headers[0]).toEqual({
      name: 'Authorization',
      value: `Basic ${Buffer.from('user:pa55word').toString('base64')}`,
      secret: true,
    });
    expect(checks[0]!.secrets).toContain('pa55word');
  });

  it('treats literal values of credential headers as secrets', () => {
    const { checks } = validateChecks(
      [{ url: 'http://x/', headers: { 'X-Api-Key': 'literal-key', Accept: 'text/plain' } }],
      { env },
    );
    expect(checks[0]!.headers.map((h) => h.secret)).toEqual([true, false]);
    expect(checks[0]!.secrets).toEqual(['literal-key']);
  });

  it('masks credentials in the query and keeps them out of the URL shown', () => {
    const { checks } = validateChecks([{ url: 'https://x.example/h?api_key=k-123456&page=2' }], { env });
    expect(checks[0]!.url.href).toBe('https://x.example/h?api_key=k-123456&page=2');
    expect(checks[0]!.displayUrl).toBe('https://x.example/h?api_key=***&page=2');
    expect(checks[0]!.name).toBe('GET https://x.example/h?api_key=***&page=2');
    expect(checks[0]!.secrets).toEqual(['k-123456']);
  });
});
