export const id = 635;
export const ids = [635];
export const modules = {

/***/ 1635:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./packages/action-kit/src/index.ts + 8 modules
var src = __webpack_require__(1125);
// EXTERNAL MODULE: ./packages/probe/src/json-path.ts
var json_path = __webpack_require__(6048);
;// CONCATENATED MODULE: ./packages/probe/src/status.ts
/** Any 2xx answer: what a check expects unless it says otherwise. */
const DEFAULT_STATUS = [{ from: 200, to: 299 }];
/**
 * Reads one status expectation: `200`, `"2xx"`, `"200-204"` or `"200"`. Returns the range or a problem.
 * Codes must lie between 100 and 599.
 */
function parseStatus(value) {
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
    if (text === undefined)
        return { problem: `status ${JSON.stringify(value)} is not a code, a class such as 2xx or a range such as 200-299` };
    let range;
    let match;
    if ((match = /^([1-5])xx$/i.exec(text)))
        range = { from: Number(match[1]) * 100, to: Number(match[1]) * 100 + 99 };
    else if ((match = /^(\d{3})\s*-\s*(\d{3})$/.exec(text)))
        range = { from: Number(match[1]), to: Number(match[2]) };
    else if (/^\d{3}$/.test(text))
        range = { from: Number(text), to: Number(text) };
    if (!range)
        return { problem: `status "${text}" is not a code, a class such as 2xx or a range such as 200-299` };
    if (range.from < 100 || range.to > 599 || range.from > range.to) {
        return { problem: `status "${text}" is outside 100-599 or its range is reversed` };
    }
    return range;
}
function statusAccepted(status, ranges) {
    return ranges.some((range) => status >= range.from && status <= range.to);
}
function describeStatus(ranges) {
    return ranges
        .map((r) => r.from === r.to
        ? String(r.from)
        : r.from % 100 === 0 && r.to === r.from + 99
            ? `${r.from / 100}xx`
            : `${r.from}-${r.to}`)
        .join(', ');
}

;// CONCATENATED MODULE: ./packages/probe/src/check-spec.ts


const CHECK_KEYS = ['name', 'url', 'method', 'headers', 'body', 'expect', 'verify-version'];
const EXPECT_KEYS = ['status', 'body-contains', 'body-matches', 'json', 'headers', 'max-latency-ms'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const MAX_LATENCY_LIMIT_MS = 600_000;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Header names whose literal values are credentials, masked like values read from the environment. */
const SENSITIVE_HEADER = /authorization|cookie|token|secret|password|api[-_]?key|signature|credential|session/i;
function validateChecks(value, options) {
    const problems = [];
    const checks = [];
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
    const names = new Map();
    value.forEach((entry, index) => {
        const check = validateCheck(entry, index, options, problems);
        if (!check)
            return;
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
function validateCheck(entry, index, options, problems) {
    // A bare URL is shorthand for a check with only that URL.
    const spec = typeof entry === 'string' ? { url: entry } : asRecord(entry);
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
    const fail = (problem, fix) => void problems.push({ problem: `${where}: ${problem}`, fix });
    rejectUnknownKeys(spec, CHECK_KEYS, '', fail);
    if (spec.name !== undefined && (typeof spec.name !== 'string' || givenName === '' || /[\r\n]/.test(spec.name))) {
        fail('"name" must be a non-empty single-line string', 'Give the check a short name such as "api health"');
    }
    const url = validateUrl(spec.url, options.baseUrl, fail);
    let method = 'GET';
    if (spec.method !== undefined) {
        const upper = typeof spec.method === 'string' ? spec.method.trim().toUpperCase() : '';
        if (METHODS.includes(upper))
            method = upper;
        else
            fail(`"method" ${JSON.stringify(spec.method)} is not supported`, `Use one of ${METHODS.join(', ')}`);
    }
    const secrets = [];
    const headers = validateHeaders(spec.headers, options.env, secrets, fail);
    if (url && (url.username || url.password)) {
        // Credentials in the URL become a Basic Authorization header, so the URL itself can be shown.
        const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
        headers.push({
            name: 'Authorization',
            value: `Basic ${Buffer.from(credentials).toString('base64')}`,
            secret: true,
        });
        if (url.password)
            secrets.push(decodeURIComponent(url.password));
        url.username = '';
        url.password = '';
    }
    let body;
    if (spec.body !== undefined) {
        if (method === 'GET' || method === 'HEAD') {
            fail(`a ${method} request carries no body`, 'Use method: POST (or PUT, PATCH) or remove "body"');
        }
        else {
            body = validateBody(spec.body, options.env, headers, secrets, fail);
        }
    }
    const expect = validateExpectations(spec.expect, fail);
    let verifyVersion = true;
    if (spec['verify-version'] !== undefined) {
        if (typeof spec['verify-version'] === 'boolean')
            verifyVersion = spec['verify-version'];
        else
            fail('"verify-version" must be true or false', 'Write verify-version: false to skip the version check here');
    }
    if (problems.length > before || !url || !expect)
        return undefined;
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
/**
 * A path is appended to the base URL's own path (`https://host/shop` + `/health` = `https://host/shop/health`), as
 * people expect from a base URL; an absolute URL stands on its own.
 */
function resolveAgainst(baseUrl, text) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(text))
        return new URL(text);
    const base = new URL(baseUrl.href);
    base.search = '';
    base.hash = '';
    const [path = '', query] = text.split(/\?(.*)/s, 2);
    const joined = new URL(`${base.href.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
    if (query !== undefined)
        joined.search = query;
    return joined;
}
function validateUrl(value, baseUrl, fail) {
    if (value === undefined || value === null || value === '') {
        fail('"url" is missing', 'Give the URL to request, such as https://app.example.com/health');
        return undefined;
    }
    if (typeof value !== 'string') {
        fail(`"url" must be a string, not ${describeType(value)}`, 'Give the URL to request, such as https://app.example.com/health');
        return undefined;
    }
    const text = value.trim();
    let url;
    try {
        url = baseUrl ? resolveAgainst(baseUrl, text) : new URL(text);
    }
    catch {
        fail(`"url" ${JSON.stringify(shorten(text))} is not a valid URL`, baseUrl
            ? 'Give an absolute URL or a path such as /health'
            : 'Give an absolute URL such as https://app.example.com/health, or set base-url for paths');
        return undefined;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        fail(`"url" ${JSON.stringify(shorten(text))} uses ${url.protocol} but only http: and https: are supported`, 'Use an http:// or https:// URL');
        return undefined;
    }
    if (!url.hostname) {
        fail(`"url" ${JSON.stringify(shorten(text))} has no host`, 'Give a URL such as https://app.example.com/health');
        return undefined;
    }
    return url;
}
function validateHeaders(value, env, secrets, fail) {
    const headers = [];
    if (value === undefined)
        return headers;
    const map = asRecord(value);
    if (!map) {
        fail(`"headers" must be a mapping of header name to value, not ${describeType(value)}`, 'Write headers: { X-Name: value }');
        return headers;
    }
    for (const [name, raw] of Object.entries(map)) {
        if (!HEADER_NAME.test(name)) {
            fail(`header name ${JSON.stringify(name)} is not a valid HTTP header name`, 'Use letters, digits and hyphens');
            continue;
        }
        const resolved = resolveValue(raw, env, `header "${name}"`, fail);
        if (resolved === undefined)
            continue;
        if (/[\r\n\0]/.test(resolved.value)) {
            fail(`header "${name}" has a line break or NUL in its value`, 'Give a single-line value');
            continue;
        }
        headers.push({ name, value: resolved.value, secret: resolved.fromEnv || SENSITIVE_HEADER.test(name) });
        if (resolved.raw !== undefined)
            secrets.push(resolved.raw);
        // "Bearer <token>": the token alone must be masked too, wherever it shows up without its scheme.
        const credential = /^[A-Za-z-]+\s+(\S{4,})$/.exec(resolved.value);
        if (credential && (resolved.fromEnv || SENSITIVE_HEADER.test(name)))
            secrets.push(credential[1]);
    }
    return headers;
}
/**
 * A value written literally (string, number, boolean) or read from the environment with `{ env: NAME }`,
 * optionally with a `prefix` such as "Bearer ". Values from the environment are secrets.
 */
function resolveValue(raw, env, what, fail) {
    if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean')
        return { value: String(raw), fromEnv: false };
    const ref = asRecord(raw);
    if (!ref || typeof ref.env !== 'string') {
        fail(`${what} must be a string or { env: NAME }, not ${describeType(raw)}`, "Write the value, or { env: NAME } to read it from the step's env");
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
function validateBody(value, env, headers, secrets, fail) {
    const ref = asRecord(value);
    if (typeof value === 'string')
        return value;
    if (ref && typeof ref.env === 'string' && Object.keys(ref).every((key) => key === 'env' || key === 'prefix')) {
        const resolved = resolveValue(value, env, '"body"', fail);
        if (resolved)
            secrets.push(resolved.value);
        return resolved?.value;
    }
    if (ref || Array.isArray(value)) {
        if (!headers.some((h) => h.name.toLowerCase() === 'content-type')) {
            headers.push({ name: 'Content-Type', value: 'application/json', secret: false });
        }
        return JSON.stringify(value);
    }
    fail(`"body" must be a string, a mapping or list (sent as JSON) or { env: NAME }, not ${describeType(value)}`, 'Correct "body"');
    return undefined;
}
function validateExpectations(value, fail) {
    const expect = { status: DEFAULT_STATUS, bodyContains: [], bodyMatches: [], json: [], headers: [] };
    if (value === undefined || value === null)
        return expect;
    const spec = asRecord(value);
    if (!spec) {
        fail(`"expect" must be a mapping, not ${describeType(value)}`, `Use keys among ${EXPECT_KEYS.join(', ')}`);
        return undefined;
    }
    let ok = rejectUnknownKeys(spec, EXPECT_KEYS, 'expect.', fail);
    const bad = (problem, fix) => {
        ok = false;
        fail(problem, fix);
    };
    if (spec.status !== undefined) {
        const ranges = [];
        for (const item of Array.isArray(spec.status) ? spec.status : [spec.status]) {
            const parsed = parseStatus(item);
            if ('problem' in parsed)
                bad(`expect.${parsed.problem}`, 'Use codes such as 200, classes such as 2xx or ranges such as 200-204');
            else
                ranges.push(parsed);
        }
        if (Array.isArray(spec.status) && spec.status.length === 0)
            bad('expect.status is an empty list', 'Give at least one status');
        expect.status = ranges;
    }
    for (const [key, target] of [
        ['body-contains', expect.bodyContains],
        ['body-matches', undefined],
    ]) {
        const raw = spec[key];
        if (raw === undefined)
            continue;
        const items = Array.isArray(raw) ? raw : [raw];
        for (const item of items) {
            if (typeof item !== 'string' || item === '') {
                bad(`expect.${key} must be a non-empty string or a list of them`, `Correct expect.${key}`);
            }
            else if (target) {
                target.push(item);
            }
            else {
                try {
                    expect.bodyMatches.push({ pattern: new RegExp(item), source: item });
                }
                catch (error) {
                    bad(`expect.body-matches ${JSON.stringify(item)} is not a valid regular expression (${error.message})`, 'Correct the pattern');
                }
            }
        }
    }
    if (spec.json !== undefined) {
        const map = asRecord(spec.json);
        if (!map)
            bad(`expect.json must be a mapping of JSON path to expected value, not ${describeType(spec.json)}`, 'Write json: { status: ok, build.sha: abc }');
        for (const [path, expected] of Object.entries(map ?? {})) {
            const parsed = (0,json_path/* parseJsonPath */.Hf)(path);
            if ('problem' in parsed)
                bad(`expect.json: ${parsed.problem}`, 'Write paths such as status, build.sha or items[0].id');
            else
                expect.json.push({ path, expected });
        }
    }
    if (spec.headers !== undefined) {
        const map = asRecord(spec.headers);
        if (!map)
            bad(`expect.headers must be a mapping of header name to value, not ${describeType(spec.headers)}`, 'Write headers: { Content-Type: application/json }');
        for (const [name, raw] of Object.entries(map ?? {})) {
            const expectation = headerExpectation(raw);
            if (!HEADER_NAME.test(name))
                bad(`expect.headers: ${JSON.stringify(name)} is not a valid header name`, 'Use letters, digits and hyphens');
            else if (typeof expectation === 'string')
                bad(`expect.headers "${name}": ${expectation}`, 'Write the exact value, or { matches: <regex> }');
            else
                expect.headers.push({ name, expectation });
        }
    }
    const latency = spec['max-latency-ms'];
    if (latency !== undefined) {
        if (typeof latency !== 'number' || !Number.isInteger(latency) || latency < 1 || latency > MAX_LATENCY_LIMIT_MS) {
            bad(`expect.max-latency-ms ${JSON.stringify(latency)} is not a whole number between 1 and ${MAX_LATENCY_LIMIT_MS}`, 'Give the limit in milliseconds, such as 500');
        }
        else {
            expect.maxLatencyMs = latency;
        }
    }
    return ok ? expect : undefined;
}
function headerExpectation(raw) {
    if (typeof raw === 'string' || typeof raw === 'number')
        return { equals: String(raw) };
    const spec = asRecord(raw);
    if (spec && Object.keys(spec).length === 1 && typeof spec.matches === 'string') {
        try {
            return { matches: new RegExp(spec.matches), source: spec.matches };
        }
        catch (error) {
            return `${JSON.stringify(spec.matches)} is not a valid regular expression (${error.message})`;
        }
    }
    return `must be a string or { matches: <regex> }, not ${describeType(raw)}`;
}
function rejectUnknownKeys(spec, allowed, prefix, fail) {
    let ok = true;
    for (const key of Object.keys(spec)) {
        if (allowed.includes(key))
            continue;
        ok = false;
        const hint = allowed.find((candidate) => near(candidate, key));
        fail(`unknown key "${prefix}${key}"${hint ? ` (did you mean "${prefix}${hint}"?)` : ''}`, `Use only ${allowed.map((k) => prefix + k).join(', ')}${prefix === '' ? ' (expectations go under expect:)' : ''}`);
    }
    return ok;
}
/** Close enough to be a typo: at most two edits apart (a swap of neighbours counts as one), ignoring case. */
function near(a, b) {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    if (Math.abs(x.length - y.length) > 2)
        return false;
    // Optimal string alignment distance.
    const d = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= x.length; i++) {
        for (let j = 1; j <= y.length; j++) {
            const cost = x[i - 1] === y[j - 1] ? 0 : 1;
            let best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
                best = Math.min(best, d[i - 2][j - 2] + 1);
            d[i][j] = best;
        }
    }
    return d[x.length][y.length] <= Math.min(2, Math.floor(Math.min(x.length, y.length) / 3));
}
function label(index, name) {
    return name ? `check ${index + 1} ("${shorten(name)}")` : `check ${index + 1}`;
}
function asRecord(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value)
        ? value
        : undefined;
}
function describeType(value) {
    if (value === null || value === undefined)
        return 'empty';
    if (Array.isArray(value))
        return 'a list';
    if (typeof value === 'object')
        return 'a mapping';
    return `the ${typeof value} ${JSON.stringify(shorten(String(value)))}`;
}
function shorten(text, limit = 60) {
    return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./packages/probe/src/parse-checks.ts


/** Reads checks written as YAML (inline or from a file) and validates them strictly. */
function parseChecks(text, options) {
    let value;
    try {
        // Duplicate keys are an error: a check that says `url:` twice is a mistake, not a choice.
        value = (0,dist/* parse */.qg)(text, { uniqueKeys: true, prettyErrors: true });
    }
    catch (error) {
        const message = error instanceof dist/* YAMLParseError */.XT ? error.message.split('\n')[0] : String(error);
        return {
            checks: [],
            problems: [
                {
                    problem: `it is not valid YAML (${message})`,
                    fix: 'Correct the YAML: a list of "- name: ... url: ..." entries',
                },
            ],
        };
    }
    return validateChecks(value, options);
}

;// CONCATENATED MODULE: ./packages/probe/src/version.ts
/**
 * Version verification: after a deploy, an old task may still answer with a healthy 200. A check passes only when
 * the response shows the expected version, so the old one cannot pass.
 */
const HEX = /^[0-9a-f]+$/i;
/** Git abbreviates commits to at least 7 hex digits; shorter prefixes would match by chance. */
const MIN_SHA_PREFIX = 7;
/**
 * Whether a version seen in a response is the expected one. Exact match, or for commit ids (hex) a match of
 * the shorter against the start of the longer when it has at least 7 digits, since apps often report `abc1234`
 * while the pipeline knows the full SHA.
 */
function versionsMatch(seen, expected) {
    const a = seen.trim();
    const b = expected.trim();
    if (a === b)
        return true;
    if (!HEX.test(a) || !HEX.test(b))
        return false;
    const [short, long] = a.length <= b.length ? [a, b] : [b, a];
    return short.length >= MIN_SHA_PREFIX && long.toLowerCase().startsWith(short.toLowerCase());
}
/**
 * Looks for the expected version in a body: the exact text, or, for a commit id, any hex word of at least
 * 7 digits that matches it as above. Returns the text found, if any.
 */
function findVersionInBody(body, expected) {
    const wanted = expected.trim();
    if (wanted !== '' && body.includes(wanted))
        return wanted;
    if (!HEX.test(wanted) || wanted.length < MIN_SHA_PREFIX)
        return undefined;
    for (const match of body.matchAll(/\b[0-9a-f]{7,64}\b/gi)) {
        if (versionsMatch(match[0], wanted))
            return match[0];
    }
    return undefined;
}

;// CONCATENATED MODULE: ./packages/probe/src/evaluate.ts



/**
 * `scrub` removes secrets from response text before it is quoted (and cut short) in a message: a service that
 * echoes a credential must not leak it, not even a prefix of it.
 */
function evaluateResponse(response, check, version, scrub = (text) => text) {
    const failures = [];
    const show = (value) => (0,json_path/* showValue */.vp)(value, 80, scrub);
    const { expect } = check;
    if (!statusAccepted(response.status, expect.status)) {
        failures.push(`status ${response.status}, expected ${describeStatus(expect.status)}${bodyHint(response, scrub)}`);
    }
    if (expect.maxLatencyMs !== undefined && response.latencyMs > expect.maxLatencyMs) {
        failures.push(`took ${Math.round(response.latencyMs)} ms, over max-latency-ms ${expect.maxLatencyMs}`);
    }
    for (const text of expect.bodyContains) {
        if (!response.body.includes(text))
            failures.push(`body does not contain ${JSON.stringify(text)}`);
    }
    for (const { pattern, source } of expect.bodyMatches) {
        if (!pattern.test(response.body))
            failures.push(`body does not match /${source}/`);
    }
    const json = lazyJson(response.body, scrub);
    for (const { path, expected } of expect.json) {
        const parsed = json();
        if (!parsed.ok) {
            failures.push(`body is not JSON (${parsed.why}), so JSON path ${path} cannot be checked`);
            break;
        }
        const found = lookup(parsed.value, path);
        if (!found.found)
            failures.push(`JSON path ${path} not found in the body`);
        else if (!(0,json_path/* jsonEqual */.Zm)(found.value, expected)) {
            failures.push(`JSON ${path} is ${show(found.value)}, expected ${show(expected)}`);
        }
    }
    for (const { name, expectation } of expect.headers) {
        const actual = headerValue(response.headers, name);
        if (actual === undefined)
            failures.push(`response header ${name} is missing`);
        else if ('equals' in expectation && actual !== expectation.equals) {
            failures.push(`response header ${name} is ${show(actual)}, expected ${show(expectation.equals)}`);
        }
        else if ('matches' in expectation && !expectation.matches.test(actual)) {
            failures.push(`response header ${name} is ${show(actual)}, which does not match /${expectation.source}/`);
        }
    }
    const verdict = { failures };
    if (version.expected === undefined || !check.verifyVersion) {
        // Nothing is required, but a header or JSON field that shows the version is still worth reporting.
        if (version.source.kind !== 'body') {
            const seen = versionOf(response, version.source, json, '');
            if (seen.value !== undefined)
                verdict.versionSeen = seen.value;
        }
    }
    else {
        const seen = versionOf(response, version.source, json, version.expected);
        if (seen.value !== undefined)
            verdict.versionSeen = seen.value;
        if (seen.problem)
            failures.push(seen.problem);
        else if (seen.value !== undefined && !versionsMatch(seen.value, version.expected)) {
            failures.push(`version ${show(seen.value)} (${seen.where}) is not the expected ${show(version.expected)}: ` +
                'an older or other version is answering');
        }
    }
    return verdict;
}
function versionOf(response, source, json, expected) {
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
            if (!found.found)
                return { problem: `the body has no ${source.path} to show its version (version-json-path)` };
            if (found.value === null || typeof found.value === 'object') {
                return {
                    problem: `JSON ${source.path} is ${(0,json_path/* showValue */.vp)(found.value)}, not a version string (version-json-path)`,
                };
            }
            return { value: String(found.value), where: `JSON ${source.path}` };
        }
        case 'body': {
            const found = findVersionInBody(response.body, expected);
            return found === undefined
                ? { problem: `the body does not show the expected version ${(0,json_path/* showValue */.vp)(expected)}` }
                : { value: found, where: 'body' };
        }
    }
}
/** The start of an error body, which often says why (`no healthy upstream`, `502 Bad Gateway`). */
function bodyHint(response, scrub) {
    const type = headerValue(response.headers, 'content-type') ?? '';
    if (type !== '' && !/text|json|xml|html/i.test(type))
        return '';
    const text = scrub(response.body
        .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim());
    if (text === '')
        return '';
    return ` (body: ${text.length > 80 ? `${text.slice(0, 79)}…` : text})`;
}
function headerValue(headers, name) {
    const value = headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
}
function lazyJson(body, scrub) {
    let result;
    return () => {
        if (!result) {
            try {
                result = { ok: true, value: JSON.parse(body) };
            }
            catch {
                const start = scrub(body.trim()).slice(0, 40);
                result = { ok: false, why: start === '' ? 'it is empty' : `it starts with ${JSON.stringify(start)}` };
            }
        }
        return result;
    };
}
function lookup(value, path) {
    const parsed = (0,json_path/* parseJsonPath */.Hf)(path);
    return 'problem' in parsed ? { found: false } : (0,json_path/* readJsonPath */.Ad)(value, parsed.steps);
}

;// CONCATENATED MODULE: ./packages/probe/src/network-errors.ts
/**
 * Network failures in plain words. Node reports them as codes (ECONNREFUSED, ENOTFOUND, SELF_SIGNED_CERT_IN_CHAIN);
 * the person reading a failed deploy needs to know what happened and, for TLS, what to do about it.
 */
const UNTRUSTED_CA = new Set([
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);
function describeNetworkError(error, url) {
    const err = error;
    const code = err?.code ?? '';
    const host = url.hostname;
    const where = `${host}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
    if (UNTRUSTED_CA.has(code)) {
        return (`TLS certificate of ${host} is not trusted (${code}): it is signed by an unknown certificate authority; ` +
            'if the service uses a private CA, give its certificate file in NODE_EXTRA_CA_CERTS');
    }
    switch (code) {
        case 'ECONNREFUSED':
            return `connection refused by ${where} (nothing is listening there)`;
        case 'ENOTFOUND':
            return `DNS lookup failed: host ${host} not found`;
        case 'EAI_AGAIN':
            return `DNS lookup of ${host} failed temporarily (EAI_AGAIN)`;
        case 'ECONNRESET':
            return `connection reset by ${where} before a complete response`;
        case 'EPIPE':
            return `connection to ${where} closed while sending the request`;
        case 'ETIMEDOUT':
            return `connection to ${where} timed out`;
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
            return `${where} is unreachable from this runner (${code})`;
        case 'CERT_HAS_EXPIRED':
            return `TLS certificate of ${host} has expired`;
        case 'CERT_NOT_YET_VALID':
            return `TLS certificate of ${host} is not valid yet`;
        case 'ERR_TLS_CERT_ALTNAME_INVALID':
            return `TLS certificate does not cover the host name ${host}${err?.reason ? ` (${err.reason})` : ''}`;
        case 'EPROTO':
        case 'ERR_SSL_WRONG_VERSION_NUMBER':
            return `TLS handshake with ${where} failed (does it speak plain HTTP? then use an http:// URL)`;
        case 'HPE_INVALID_CONSTANT':
        case 'HPE_INVALID_VERSION':
        case 'HPE_INVALID_STATUS':
            return `${where} did not answer with HTTP (does it expect TLS? then use an https:// URL)`;
        default: {
            const message = err?.message ?? String(error);
            return `request to ${where} failed: ${message}${code && !message.includes(code) ? ` (${code})` : ''}`;
        }
    }
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
var external_node_zlib_default = /*#__PURE__*/__webpack_require__.n(external_node_zlib_);
;// CONCATENATED MODULE: ./packages/probe/src/http.ts




/**
 * One HTTP exchange with node:http(s): redirects followed up to a limit (with loop detection), TLS verified
 * against Node's trust store (which includes NODE_EXTRA_CA_CERTS), one deadline for the whole exchange, and
 * network errors turned into plain words.
 */
/** Bodies are kept up to this size for the checks; the rest is read and dropped so the connection can be reused. */
const MAX_BODY_BYTES = 1024 * 1024;
/** A request that got no usable answer; the message is plain words (connection refused, DNS, TLS, timeout, loop). */
class NetworkError extends Error {
    constructor(message) {
        super(message);
        this.name = 'NetworkError';
    }
}
/** Keep-alive agents shared by every request of a run, sized to the concurrency. */
function createAgents(maxSockets) {
    const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets };
    const agents = { http: new (external_node_http_default()).Agent(options), https: new (external_node_https_default()).Agent(options) };
    return { ...agents, destroy: () => (agents.http.destroy(), agents.https.destroy()) };
}
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
async function send(url, options) {
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const timer = setTimeout(() => controller.abort(new TimeoutAbort()), options.timeoutMs);
    try {
        return await follow(url, options, controller.signal);
    }
    catch (error) {
        if (options.signal?.aborted)
            throw options.signal.reason;
        if (controller.signal.reason instanceof TimeoutAbort) {
            throw new NetworkError(`no complete response from ${hostPort(url)} within ${formatSeconds(options.timeoutMs)} (request-timeout-seconds)`);
        }
        if (error instanceof NetworkError)
            throw error;
        throw new NetworkError(describeNetworkError(error, url));
    }
    finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onOuterAbort);
    }
}
class TimeoutAbort extends Error {
}
async function follow(start, options, signal) {
    const chain = [start];
    let url = start;
    let method = options.method;
    let body = options.body;
    let headers = options.headers;
    for (;;) {
        const response = await exchange(url, method, headers, body, options, signal);
        const location = response.headers.location;
        if (!REDIRECT_STATUSES.has(response.status) || !location)
            return { ...response, url, chain };
        let next;
        try {
            next = new URL(location, url);
        }
        catch {
            throw new NetworkError(`${url} redirected to an invalid location ${JSON.stringify(location)}`);
        }
        if (chain.some((seen) => seen.href === next.href)) {
            throw new NetworkError(`redirect loop: ${[...chain, next].map((u) => u.href).join(' → ')}`);
        }
        if (chain.length > options.maxRedirects) {
            throw new NetworkError(`more than ${options.maxRedirects} redirects (max-redirects): ${[...chain, next].map((u) => u.href).join(' → ')}`);
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
            throw new NetworkError(`${url} redirected to ${next.protocol} URL, which cannot be followed`);
        }
        // Browsers' rules: 303 (and 301/302 after a POST) continue as GET without the body.
        if ((response.status === 303 && method !== 'HEAD') ||
            ((response.status === 301 || response.status === 302) && method === 'POST')) {
            method = 'GET';
            body = undefined;
        }
        // Headers the user set (credentials among them) never travel to another origin.
        if (next.origin !== url.origin)
            headers = [];
        chain.push(next);
        url = next;
    }
}
function exchange(url, method, headers, body, options, signal) {
    return new Promise((resolve, reject) => {
        const outgoing = {
            'user-agent': options.userAgent ?? 'ecs-ship-smoke-test',
            accept: '*/*',
            'accept-encoding': 'gzip, deflate, br',
        };
        for (const header of headers)
            outgoing[header.name.toLowerCase()] = header.value;
        if (body !== undefined)
            outgoing['content-length'] = String(Buffer.byteLength(body));
        const isHttps = url.protocol === 'https:';
        const request = (isHttps ? (external_node_https_default()) : (external_node_http_default())).request(url, {
            method,
            headers: outgoing,
            agent: isHttps ? options.agents.https : options.agents.http,
            signal,
        });
        request.on('error', reject);
        request.on('response', (response) => {
            const chunks = [];
            let kept = 0;
            const stream = decoder(response.headers['content-encoding'], response);
            stream.on('data', (chunk) => {
                if (kept >= MAX_BODY_BYTES)
                    return;
                chunks.push(chunk);
                kept += chunk.length;
            });
            stream.on('error', (error) => reject(error));
            if (stream !== response)
                response.on('error', reject);
            response.on('aborted', () => reject(new Error('response aborted')));
            stream.on('end', () => resolve({
                status: response.statusCode ?? 0,
                headers: response.headers,
                body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8'),
            }));
        });
        request.end(body);
    });
}
function decoder(encoding, response) {
    switch (encoding?.trim().toLowerCase()) {
        case 'gzip':
        case 'x-gzip':
            return response.pipe(external_node_zlib_default().createGunzip());
        case 'deflate':
            return response.pipe(external_node_zlib_default().createInflate());
        case 'br':
            return response.pipe(external_node_zlib_default().createBrotliDecompress());
        default:
            return response;
    }
}
function hostPort(url) {
    return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}
function formatSeconds(ms) {
    return `${Number((ms / 1000).toFixed(3))} s`;
}

;// CONCATENATED MODULE: ./packages/probe/src/limiter.ts

/** At most `size` tasks at a time, served in arrival order; waiting stops when the signal aborts. */
class Limiter {
    size;
    active = 0;
    waiting = [];
    constructor(size) {
        this.size = size;
    }
    async run(task, signal) {
        await this.acquire(signal);
        try {
            return await task();
        }
        finally {
            this.release();
        }
    }
    acquire(signal) {
        if (signal?.aborted)
            return Promise.reject((0,src/* abortReason */.Js)(signal));
        if (this.active < this.size) {
            this.active++;
            return Promise.resolve();
        }
        return new Promise((resolve, reject) => {
            const grant = () => {
                signal?.removeEventListener('abort', onAbort);
                this.active++;
                resolve();
            };
            const onAbort = () => {
                const index = this.waiting.indexOf(grant);
                if (index !== -1)
                    this.waiting.splice(index, 1);
                reject((0,src/* abortReason */.Js)(signal));
            };
            signal?.addEventListener('abort', onAbort, { once: true });
            this.waiting.push(grant);
        });
    }
    release() {
        this.active--;
        this.waiting.shift()?.();
    }
}

// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __webpack_require__(8474);
// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __webpack_require__(643);
;// CONCATENATED MODULE: ./packages/probe/src/stats.ts
/** Nearest-rank percentile of sorted values (p in 0..100). */
function percentile(sorted, p) {
    if (sorted.length === 0)
        return 0;
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
function latencyStats(values) {
    if (values.length === 0)
        return undefined;
    const sorted = [...values].sort((a, b) => a - b);
    return {
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        max: round(sorted[sorted.length - 1]),
        count: sorted.length,
    };
}
function round(ms) {
    return Math.round(ms * 10) / 10;
}

;// CONCATENATED MODULE: ./packages/probe/src/engine.ts






const DEFAULT_INITIAL_BACKOFF_MS = 500;
const DEFAULT_MAX_BACKOFF_MS = 5_000;
const DEFAULT_STREAK_INTERVAL_MS = 250;
async function runChecks(checks, settings, context) {
    const started = context.clock.now();
    const agents = createAgents(settings.concurrency);
    const limiter = new Limiter(settings.concurrency);
    // Every waiting request and sleep listens for cancellation: one inner signal, without the listener limit,
    // follows the caller's, so that hundreds of checks do not trip Node's leak warning on the caller's signal.
    const inner = new AbortController();
    (0,external_node_events_.setMaxListeners)(0, inner.signal);
    const outer = context.signal;
    const onAbort = () => inner.abort(outer?.reason);
    if (outer?.aborted)
        onAbort();
    else
        outer?.addEventListener('abort', onAbort, { once: true });
    const runContext = { ...context, signal: inner.signal };
    try {
        const results = await Promise.all(checks.map((check) => new CheckRun(check, settings, runContext, agents, limiter).run()));
        const versionsSeen = [...new Set(results.flatMap((r) => (r.versionSeen !== undefined ? [r.versionSeen] : [])))];
        return {
            result: results.every((r) => r.result === 'passed') ? 'passed' : 'failed',
            ...(settings.expectVersion !== undefined ? { expectedVersion: settings.expectVersion } : {}),
            versionsSeen,
            durationMs: context.clock.now() - started,
            checks: results,
        };
    }
    finally {
        outer?.removeEventListener('abort', onAbort);
        agents.destroy();
    }
}
class CheckRun {
    check;
    settings;
    context;
    agents;
    limiter;
    statusCodes = {};
    /** Failures seen before the check became healthy: shown even when it passed, so that retries hide nothing. */
    warmupFailures = new Map();
    version;
    versionSeen;
    constructor(check, settings, context, agents, limiter) {
        this.check = check;
        this.settings = settings;
        this.context = context;
        this.agents = agents;
        this.limiter = limiter;
        this.version = { expected: settings.expectVersion, source: settings.versionSource };
    }
    async run() {
        const { clock, logger } = this.context;
        const started = clock.now();
        const deadline = started + this.settings.waitForHealthyMs;
        let backoff = this.settings.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS;
        let attempts = 0;
        let streak = 0;
        let lastFailure;
        // A healthy check's latency is that of its passing answers; a failed one shows every answer it got.
        const passingLatencies = [];
        const answeredLatencies = [];
        for (;;) {
            const exchange = await this.request();
            attempts++;
            logger.debug(`${this.check.name}: attempt ${attempts}: ${exchange.status ?? 'no response'} in ${Math.round(exchange.latencyMs)} ms` +
                (exchange.failures.length > 0 ? `: ${exchange.failures.join('; ')}` : ''));
            if (exchange.status !== undefined)
                answeredLatencies.push(exchange.latencyMs);
            if (exchange.failures.length === 0) {
                passingLatencies.push(exchange.latencyMs);
                streak++;
                if (streak >= this.settings.consecutiveSuccesses)
                    break;
                await clock.sleep(this.settings.streakIntervalMs ?? DEFAULT_STREAK_INTERVAL_MS, this.context.signal);
                continue;
            }
            streak = 0;
            const failure = exchange.failures.join('; ');
            this.warmupFailures.set(failure, (this.warmupFailures.get(failure) ?? 0) + 1);
            const remaining = deadline - clock.now();
            if (remaining <= 0) {
                const waited = this.settings.waitForHealthyMs;
                const failureText = waited > 0
                    ? `not healthy within wait-for-healthy-seconds (${seconds(waited)}, ${attempts} attempts); last failure: ${failure}`
                    : attempts > 1
                        ? `failed on attempt ${attempts}: ${failure}`
                        : failure;
                return this.finish('failed', started, attempts, answeredLatencies, failureText);
            }
            if (failure !== lastFailure) {
                logger.info(`${this.check.name}: ${failure}; retrying for up to ${seconds(remaining)}`);
                lastFailure = failure;
            }
            // A service that says when to come back (Retry-After on 429/503) is believed, within the warm-up window.
            await clock.sleep(Math.min(Math.max(backoff, exchange.retryAfterMs ?? 0), remaining), this.context.signal);
            backoff = Math.min(backoff * 2, this.settings.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
        }
        if (this.settings.samples <= 1)
            return this.finish('passed', started, attempts, passingLatencies);
        const latencies = [];
        const failures = [];
        for (let i = 0; i < this.settings.samples; i++) {
            const exchange = await this.request();
            if (exchange.status !== undefined)
                latencies.push(exchange.latencyMs);
            if (exchange.failures.length > 0)
                failures.push(exchange.failures.join('; '));
        }
        const errorRate = failures.length / this.settings.samples;
        const samples = {
            count: this.settings.samples,
            failed: failures.length,
            errorRate,
        };
        if (errorRate > this.settings.maxErrorRate) {
            const failureText = `${failures.length} of ${this.settings.samples} sampled requests failed (${percent(errorRate)}, ` +
                `max-error-rate ${percent(this.settings.maxErrorRate)}); most common: ${mostCommon(failures)}`;
            return this.finish('failed', started, attempts, latencies, failureText, samples);
        }
        return this.finish('passed', started, attempts, latencies, undefined, samples);
    }
    /** One request through the concurrency limit, judged against the check. Never throws except on cancellation. */
    async request() {
        const { clock } = this.context;
        return this.limiter.run(async () => {
            const began = external_node_perf_hooks_.performance.now();
            try {
                const response = await send(this.check.url, {
                    method: this.check.method,
                    headers: this.check.headers,
                    ...(this.check.body !== undefined ? { body: this.check.body } : {}),
                    timeoutMs: this.settings.requestTimeoutMs,
                    maxRedirects: this.settings.maxRedirects,
                    agents: this.agents,
                    ...(this.context.signal ? { signal: this.context.signal } : {}),
                    ...(this.settings.userAgent ? { userAgent: this.settings.userAgent } : {}),
                });
                const latencyMs = external_node_perf_hooks_.performance.now() - began;
                this.count(String(response.status));
                const verdict = evaluateResponse({ ...response, latencyMs }, this.check, this.version, (text) => this.scrub(text));
                if (verdict.versionSeen !== undefined)
                    this.versionSeen = verdict.versionSeen;
                const retryAfterMs = response.status === 429 || response.status === 503 ? retryAfter(response.headers, clock) : undefined;
                return {
                    status: response.status,
                    latencyMs,
                    failures: verdict.failures.map((f) => this.scrub(f)),
                    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
                };
            }
            catch (error) {
                if (!(error instanceof NetworkError))
                    throw error;
                this.count('error');
                const message = this.scrub(error.message);
                return { latencyMs: external_node_perf_hooks_.performance.now() - began, failures: [message], networkError: message };
            }
        }, this.context.signal);
    }
    count(key) {
        this.statusCodes[key] = (this.statusCodes[key] ?? 0) + 1;
    }
    /** A response may echo a credential back; keep it out of every message. */
    scrub(text) {
        let result = text;
        for (const secret of this.check.secrets)
            if (secret.length >= 4)
                result = result.split(secret).join('***');
        return result;
    }
    finish(result, started, attempts, latencies, failure, samples) {
        const stats = latencyStats(latencies);
        const line = `${result === 'passed' ? '✓' : '✗'} ${this.check.name}: ${result}${attempts > 1 ? ` after ${attempts} attempts` : ''}${stats ? ` (p50 ${stats.p50} ms, p95 ${stats.p95} ms)` : ''}${failure ? `: ${failure}` : ''}`;
        this.context.logger.info(line);
        return {
            name: this.check.name,
            url: this.check.displayUrl,
            method: this.check.method,
            result,
            attempts,
            statusCodes: this.statusCodes,
            ...(stats ? { latencyMs: stats } : {}),
            ...(samples ? { samples } : {}),
            ...(this.versionSeen !== undefined ? { versionSeen: this.versionSeen } : {}),
            ...(failure ? { failure } : {}),
            ...(result === 'passed' && this.warmupFailures.size > 0
                ? { failedBeforeHealthy: [...this.warmupFailures].map(([text, count]) => ({ failure: text, count })) }
                : {}),
            durationMs: this.context.clock.now() - started,
        };
    }
}
/** `Retry-After` as delay-seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
function retryAfter(headers, clock) {
    const value = headers['retry-after']?.trim();
    if (!value)
        return undefined;
    if (/^\d+$/.test(value))
        return Number(value) * 1000;
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - clock.now());
}
function seconds(ms) {
    return `${Number((ms / 1000).toFixed(1))} s`;
}
function percent(rate) {
    return `${Number((rate * 100).toFixed(1))}%`;
}
function mostCommon(items) {
    const counts = new Map();
    for (const item of items)
        counts.set(item, (counts.get(item) ?? 0) + 1);
    let best = '';
    let bestCount = 0;
    for (const [item, count] of counts)
        if (count > bestCount)
            [best, bestCount] = [item, count];
    return bestCount > 1 ? `${best} (${bestCount} times)` : best;
}

;// CONCATENATED MODULE: ./packages/probe/src/summary.ts

/**
 * The job summary: the verdict, the version seen, a table per check and, where checks were sampled, a latency
 * chart (Mermaid `xychart-beta`, which GitHub renders). Header values never appear: only the report's own fields do.
 */
/** A chart with more bars than this is unreadable; the slowest checks are shown. */
const CHART_MAX_CHECKS = 20;
function renderSummary(report) {
    const failed = report.checks.filter((c) => c.result === 'failed');
    const parts = [
        (0,src/* heading */.R_)(report.result === 'passed'
            ? `Smoke test passed: ${report.checks.length} ${plural(report.checks.length, 'check')}`
            : `Smoke test failed: ${failed.length} of ${report.checks.length} ${plural(report.checks.length, 'check')}`),
        versionLine(report),
        (0,src/* table */.tp)(['Check', 'Result', 'Attempts', 'Status codes', 'p50', 'p95', 'Max', 'What failed'], report.checks.map((c) => [
            `${c.name}<br>${(0,src/* code */.aY)(`${c.method} ${c.url}`)}`,
            c.result === 'passed' ? '✅ passed' : '❌ failed',
            c.attempts,
            statusCodes(c),
            ms(c.latencyMs?.p50),
            ms(c.latencyMs?.p95),
            ms(c.latencyMs?.max),
            whatFailed(c),
        ])),
    ];
    const chart = latencyChart(report.checks);
    if (chart)
        parts.push(chart);
    parts.push(`_Finished in ${(0,src/* formatDuration */.a3)(report.durationMs)}._`);
    if (failed.length > 0) {
        parts.push((0,src/* details */.zH)('Failure detail', failed.map((c) => `${c.name}: ${c.failure ?? 'failed'}`).join('\n'), true));
    }
    return `${parts.join('\n\n')}\n`;
}
function versionLine(report) {
    // When checks disagree (an old task still answering behind one route), say which check saw which version.
    const byVersion = new Map();
    for (const check of report.checks) {
        if (check.versionSeen !== undefined)
            byVersion.set(check.versionSeen, [...(byVersion.get(check.versionSeen) ?? []), check.name]);
    }
    const seen = byVersion.size === 0
        ? 'none'
        : byVersion.size === 1
            ? (0,src/* code */.aY)([...byVersion.keys()][0])
            : [...byVersion].map(([version, names]) => `${(0,src/* code */.aY)(version)} (${listNames(names)})`).join(', ');
    if (report.expectedVersion === undefined) {
        return byVersion.size > 0 ? `**Version seen:** ${seen}` : '_No version was expected (expect-version)._';
    }
    return `**Version seen:** ${seen} — **expected:** ${(0,src/* code */.aY)(report.expectedVersion)}`;
}
function listNames(names) {
    const shown = names.slice(0, 3).map(src/* escapeHtml */.ZD).join(', ');
    return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}
function whatFailed(check) {
    if (check.failure)
        return (0,src/* escapeHtml */.ZD)(check.failure);
    if (!check.failedBeforeHealthy)
        return '';
    const failures = check.failedBeforeHealthy.map((f) => (f.count > 1 ? `${f.failure} (×${f.count})` : f.failure));
    return `_before healthy:_ ${(0,src/* escapeHtml */.ZD)(failures.join('; '))}`;
}
function statusCodes(check) {
    return Object.entries(check.statusCodes)
        .map(([status, count]) => (count > 1 ? `${status} ×${count}` : status))
        .join(', ');
}
function ms(value) {
    return value === undefined ? '' : `${Math.round(value)} ms`;
}
/** Bars for p95 and a line for p50, per sampled check, the slowest first. */
function latencyChart(checks) {
    const sampled = checks.filter((c) => c.samples && c.samples.count > 1 && c.latencyMs);
    if (sampled.length === 0)
        return undefined;
    const shown = [...sampled].sort((a, b) => b.latencyMs.p95 - a.latencyMs.p95).slice(0, CHART_MAX_CHECKS);
    const top = Math.max(1, ...shown.map((c) => c.latencyMs.max));
    const lines = [
        '```mermaid',
        'xychart-beta',
        `    title "Latency per check (ms): bars p95, line p50"`,
        `    x-axis [${shown.map((c) => JSON.stringify(chartLabel(c.name))).join(', ')}]`,
        `    y-axis "ms" 0 --> ${Math.ceil(top * 1.1)}`,
        `    bar [${shown.map((c) => Math.round(c.latencyMs.p95)).join(', ')}]`,
        `    line [${shown.map((c) => Math.round(c.latencyMs.p50)).join(', ')}]`,
        '```',
    ];
    const note = sampled.length > shown.length
        ? `\n\n_The chart shows the ${shown.length} slowest of ${sampled.length} sampled checks._`
        : '';
    return `${lines.join('\n')}${note}`;
}
/** Mermaid labels cannot hold quotes or brackets; keep them short too. */
function chartLabel(name) {
    const clean = name.replace(/["[\]`]/g, "'");
    return clean.length > 24 ? `${clean.slice(0, 23)}…` : clean;
}
function plural(n, word) {
    return n === 1 ? word : `${word}s`;
}

;// CONCATENATED MODULE: ./packages/probe/src/index.ts
// Smoke checks: validate checks, probe them over HTTP(S) with warm-up, samples and version verification, report.














;// CONCATENATED MODULE: ./actions/smoke-test/src/run.ts


/** Validates the checks (before any request), runs them, and writes outputs, summary and the step's result. */
async function run(settings) {
    const logger = src/* runnerLogger */.hB;
    const { checks, problems } = parseChecks(settings.checksText, {
        ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
        env: process.env,
    });
    if (problems.length > 0) {
        for (const { problem, fix } of problems)
            (0,src/* errorAnnotation */.IR)(new src/* InputError */.dz(settings.checksInput, problem, fix).message);
        process.exitCode = 1;
        return;
    }
    // Secret header values, URL passwords and secret bodies are masked before anything could print them.
    for (const check of checks)
        for (const secret of check.secrets)
            (0,src/* addMask */.eu)(secret);
    const { probe } = settings;
    logger.info(`Checking ${checks.length} endpoint${checks.length === 1 ? '' : 's'}` +
        (probe.expectVersion ? `, expecting version ${probe.expectVersion}` : '') +
        (probe.waitForHealthyMs > 0 ? `, warm-up up to ${probe.waitForHealthyMs / 1000} s` : ''));
    const running = runChecks(checks, probe, { logger, clock: src/* systemClock */.ml, signal: (0,src/* cancellationSignal */.w6)() });
    // The runner's file protocol loads @actions/core and its HTTP client, tens of milliseconds of work: done while
    // the first requests are in flight rather than before them.
    const core = Promise.all(/* import() */[__webpack_require__.e(421), __webpack_require__.e(330)]).then(__webpack_require__.bind(__webpack_require__, 2330));
    const report = await running;
    const { setOutputs, appendSummary } = await core;
    setOutputs(outputsOf(report));
    await appendSummary(renderSummary(report));
    const failed = report.checks.filter((c) => c.result === 'failed');
    for (const check of failed) {
        const text = `${check.name}: ${check.failure ?? 'failed'}`;
        if (settings.failOnError)
            logger.error(text, 'Smoke check failed');
        else
            logger.warning(text, 'Smoke check failed');
    }
    if (failed.length > 0 && settings.failOnError)
        process.exitCode = 1;
    logger.info(report.result === 'passed'
        ? `All ${report.checks.length} checks passed.`
        : `${failed.length} of ${report.checks.length} checks failed.`);
}
function outputsOf(report) {
    const failed = report.checks.filter((c) => c.result === 'failed').map((c) => c.name);
    return {
        result: report.result,
        report,
        'failed-checks': failed,
        'failed-count': failed.length,
        'version-seen': report.versionsSeen.join(','),
    };
}


/***/ })

};
