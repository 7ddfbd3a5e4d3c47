import { json, type TestServer } from '@ecs-ship/testing/servers';
import { inputCheck } from '@ecs-ship/testing/input-check';
import { SMOKE_DEFAULTS, closeServers, inputIds, server, smoke } from './helpers.js';

/**
 * Bad input is refused with an `::error::` that names the input and how to fix it, before any request is sent:
 * each case points a valid-looking check at a server that counts what reaches it.
 */

let target: TestServer;
beforeEach(async () => {
  target = await server((_, res) => json(res, 200, { ok: true }));
});
afterEach(closeServers);

const good = () => `- name: api\n  url: ${target.url}/health`;

const cases: [string, () => Record<string, string>, string, RegExp, Record<string, string>?][] = [
  ['bad YAML', () => ({ checks: `- name: api\n  url: [${target.url}` }), 'checks', /not valid YAML/],
  [
    'a bad URL',
    () => ({ checks: '- name: api\n  url: "http//missing-colon"' }),
    'checks',
    /check 1 \("api"\): "url" "http\/\/missing-colon" is not a valid URL/,
  ],
  [
    'an unknown key',
    () => ({ checks: `${good()}\n  expect: { stauts: 200 }` }),
    'checks',
    /check 1 \("api"\): unknown key "expect.stauts" \(did you mean "expect.status"\?\)/,
  ],
  [
    'an unknown top-level key',
    () => ({ checks: `${good()}\n  timeout: 5` }),
    'checks',
    /check 1 \("api"\): unknown key "timeout"/,
  ],
  [
    'a negative max-latency-ms',
    () => ({ checks: `${good()}\n  expect: { max-latency-ms: -1 }` }),
    'checks',
    /max-latency-ms -1 is not a whole number between 1 and 600000/,
  ],
  [
    'an unset header variable',
    () => ({ checks: `${good()}\n  headers: { Authorization: { env: MISSING_TOKEN } }` }),
    'checks',
    /reads environment variable MISSING_TOKEN, which is not set/,
  ],
  [
    'a second check that is bad',
    () => ({ checks: `${good()}\n- name: web\n  url: gopher://x/` }),
    'checks',
    /check 2 \("web"\): "url" "gopher:\/\/x\/" uses gopher: but only http: and https: are supported/,
  ],
  [
    'a negative warm-up',
    () => ({ checks: good(), 'wait-for-healthy-seconds': '-5' }),
    'wait-for-healthy-seconds',
    /"-5" is not a duration/,
  ],
  [
    'zero consecutive successes',
    () => ({ checks: good(), 'consecutive-successes': '0' }),
    'consecutive-successes',
    /0 is below the minimum 1/,
  ],
  ['negative samples', () => ({ checks: good(), samples: '-3' }), 'samples', /-3 is below the minimum 1/],
  [
    'too much concurrency',
    () => ({ checks: good(), concurrency: '1000' }),
    'concurrency',
    /1000 is above the maximum 100/,
  ],
  [
    'a timeout that is not a number',
    () => ({ checks: good(), 'request-timeout-seconds': 'soon' }),
    'request-timeout-seconds',
    /"soon" is not a duration/,
  ],
  [
    'an error rate over 1',
    () => ({ checks: good(), 'max-error-rate': '1.5' }),
    'max-error-rate',
    /1.5 is above the maximum 1/,
  ],
  [
    'an error rate over 100%',
    () => ({ checks: good(), 'max-error-rate': '150%' }),
    'max-error-rate',
    /150% is above 100%/,
  ],
  [
    'negative max-redirects',
    () => ({ checks: good(), 'max-redirects': '-1' }),
    'max-redirects',
    /-1 is below the minimum 0/,
  ],
  [
    'fail-on-error that is not a boolean',
    () => ({ checks: good(), 'fail-on-error': 'yes' }),
    'fail-on-error',
    /"yes" is not a boolean/,
  ],
  [
    'both checks and checks-file',
    () => ({ checks: good(), 'checks-file': 'checks.yml' }),
    'checks-file',
    /given together with "checks"/,
  ],
  [
    'a missing checks file',
    () => ({ 'checks-file': 'nope/checks.yml' }),
    'checks-file',
    /nope\/checks.yml does not exist/,
  ],
  ['no checks at all', () => ({}), 'checks', /no checks were given/],
  [
    'a bad base-url',
    () => ({ checks: '- /health', 'base-url': 'staging.example.com' }),
    'base-url',
    /"staging.example.com" is not a URL/,
  ],
  [
    'a bad version header',
    () => ({ checks: good(), 'version-header': 'X App Version' }),
    'version-header',
    /is not an HTTP header name/,
  ],
  [
    'a bad version JSON path',
    () => ({ checks: good(), 'version-json-path': 'build..sha' }),
    'version-json-path',
    /cannot be read at/,
  ],
  [
    'both version header and JSON path',
    () => ({ checks: good(), 'version-header': 'X-V', 'version-json-path': 'v' }),
    'version-json-path',
    /given together with "version-header"/,
  ],
  [
    'a version with spaces',
    () => ({ checks: good(), 'expect-version': 'v1 v2' }),
    'expect-version',
    /is not a version without spaces/,
  ],
];

/** Rows refused once the action has loaded, by the parsing of the checks spec: run as the runner runs them. */
const REFUSED_BY_RUN = new Set([
  'bad YAML',
  'a bad URL',
  'an unknown key',
  'an unknown top-level key',
  'a negative max-latency-ms',
  'an unset header variable',
  'a second check that is bad',
]);

describe('smoke-test refuses bad input before sending any request', () => {
  it('names only rows that exist among those its run refuses', () => {
    expect([...REFUSED_BY_RUN].filter((label) => !cases.some(([name]) => name === label))).toEqual([]);
  });

  // Each row goes through the action's own input check in this process, the check its entry makes first; the rows
  // only a run refuses (the checks spec is parsed once the action has loaded), and the two tests after these, run
  // the action as the runner does.
  it.each(cases.filter(([label]) => !REFUSED_BY_RUN.has(label)))('%s (input check)', (_, inputs, input, message) => {
    const { errors, inputsRead } = inputCheck('smoke-test', { inputs: { ...SMOKE_DEFAULTS, ...inputs() } });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.find((e) => e.startsWith(`Input "${input}": `))).toMatch(message);
    for (const e of errors) expect(e).toMatch(/^Input "[a-z-]+": [^\n]+\. [^\n]+\.$/);
    // Every input is read even when some are bad.
    expect([...inputsRead].sort()).toEqual(inputIds().sort());
  });

  it.each(cases.filter(([label]) => REFUSED_BY_RUN.has(label)))('%s', async (_, inputs, input, message) => {
    const run = await smoke(inputs());
    expect(run.exitCode).toBe(1);
    expect(run.errors.length).toBeGreaterThan(0);
    const error = run.errors.find((e) => e.startsWith(`Input "${input}": `));
    expect(error).toMatch(message);
    // One line each, with the problem and a fix.
    for (const e of run.errors) expect(e).toMatch(/^Input "[a-z-]+": [^\n]+\. [^\n]+\.$/);
    expect(target.requests).toHaveLength(0);
    expect(run.outputs).toEqual({});
    // Every input is read even when some are bad.
    expect([...run.inputsRead].sort()).toEqual(inputIds().sort());
  });

  it('reports every bad input together', async () => {
    const run = await smoke({ checks: good(), samples: '0', concurrency: 'many', 'fail-on-error': 'maybe' });
    expect(run.errors.map((e) => /^Input "([a-z-]+)"/.exec(e)?.[1])).toEqual([
      'samples',
      'concurrency',
      'fail-on-error',
    ]);
    expect(target.requests).toHaveLength(0);
  });

  it('reports every bad check together', async () => {
    const run = await smoke({
      checks: `- name: a\n  url: nope\n- name: b\n  url: ${target.url}\n  method: FETCH\n- name: c\n  url: ${target.url}\n  expect: { status: 999 }`,
    });
    expect(run.errors).toHaveLength(3);
    expect(run.errors.map((e) => /check (\d)/.exec(e)?.[1])).toEqual(['1', '2', '3']);
    expect(target.requests).toHaveLength(0);
  });
});
