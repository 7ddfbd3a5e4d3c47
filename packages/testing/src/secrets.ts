/**
 * The suite-wide secrets check. Every run the harness collects is searched for every secret known to it: values the
 * step announced with `::add-mask::`, the secrets in its environment and secret inputs, the secrets of every sandbox
 * the run was pointed at (asked of the sandbox itself, so no test needs to register one), and anything shaped like an
 * ECR authorization token, a GitHub token or a Slack webhook. A leak throws an error that names the secret and where
 * it showed, never the value itself.
 */
import { get } from 'node:http';

export interface Secret {
  /** How the error names it: `GITHUB_TOKEN`, `input "webhook-url"`, `sandbox ECR password`, ... */
  name: string;
  value: string;
}

/** What a person can read after a run, by where it showed. */
export interface VisibleParts {
  log: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** The kit (and the runner) mask nothing shorter; shorter values would also match by chance. */
const MIN_SECRET_LENGTH = 4;

/** Inputs whose whole value is a secret, whatever the action: tokens, webhook URLs, passwords. */
const SECRET_INPUT = /(^|-)(token|github-token|webhook-url|password)$/;
/** Inputs holding `id=value` lines whose values are secrets (build-push-ecr's build secrets). */
const SECRET_MAP_INPUT = /^secrets$/;
/** A smoke check's header that takes its value from a variable. */
const HEADER_VARIABLE = /\benv:\s*["']?([A-Za-z_][A-Za-z0-9_]*)/g;
/** Environment variables a test or the runner hands over that hold secrets. */
const SECRET_ENV =
  /(^GITHUB_TOKEN$|^AWS_SECRET_ACCESS_KEY$|^AWS_SESSION_TOKEN$|^SLACK_WEBHOOK_URL|TOKEN$|SECRET|PASSWORD)/;

/** Secrets recognised by their shape, so that a sandbox nobody registered is still covered. */
const SHAPES: { name: string; pattern: RegExp; confirm?: (match: string) => boolean }[] = [
  {
    // base64 of "AWS:<password>" always starts with "QVdTO".
    name: 'an ECR authorization token',
    pattern: /QVdTO[A-Za-z0-9+/]{12,}={0,2}/g,
    confirm: (match) => Buffer.from(match, 'base64').toString('latin1').startsWith('AWS:'),
  },
  { name: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g },
  { name: 'a Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g },
  { name: 'a Slack webhook URL', pattern: /\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{8,}/g },
];

/** The variables that point a run at a sandbox; each names its origin. */
const SANDBOX_URL_VARIABLES = ['AWS_ENDPOINT_URL', 'GITHUB_API_URL', 'SLACK_WEBHOOK_URL'];
/** Sandboxes only ever listen on this machine; nothing else is asked for its secrets. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Long enough for a sandbox in a busy test process; a server that is no sandbox must not hold the run for long. */
const SANDBOX_SECRETS_TIMEOUT_MS = 5_000;

const remembered: Secret[] = [];

/** Checks every later run of this test file for this value as well. */
export function rememberSecret(name: string, value: string): void {
  remembered.push({ name, value });
}

/**
 * The secrets of every sandbox the run's environment points at, read from each sandbox's `GET /_sandbox/secrets`
 * when the run ends (a scenario load changes them). An origin that does not answer with a list (a test's own server,
 * a stopped sandbox) contributes nothing.
 */
export async function sandboxSecretsOfRun(env: Record<string, string | undefined>): Promise<Secret[]> {
  const lists = await Promise.all(sandboxOrigins(env).map(fetchSandboxSecrets));
  return lists.flat().map(({ name, value }) => ({ name: `sandbox ${name}`, value }));
}

function sandboxOrigins(env: Record<string, string | undefined>): string[] {
  const origins = new Set<string>();
  for (const key of SANDBOX_URL_VARIABLES) {
    const url = parseUrl(env[key]);
    if (url?.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) origins.add(url.origin);
  }
  return [...origins];
}

function parseUrl(value: string | undefined): URL | undefined {
  if (!value) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** Asynchronous on purpose: the sandbox usually runs in the test's own process, which a blocking call would freeze. */
function fetchSandboxSecrets(origin: string): Promise<Secret[]> {
  return new Promise((resolve) => {
    // A connection of its own, closed after the answer: nothing lingers in a pool after the sandbox stops.
    const request = get(
      `${origin}/_sandbox/secrets`,
      { agent: false, signal: AbortSignal.timeout(SANDBOX_SECRETS_TIMEOUT_MS) },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          return resolve([]);
        }
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve(parseSecretList(body)));
        response.on('error', () => resolve([]));
      },
    );
    request.on('error', () => resolve([]));
  });
}

function parseSecretList(body: string): Secret[] {
  try {
    const parsed = JSON.parse(body) as { secrets?: unknown };
    if (!Array.isArray(parsed.secrets)) return [];
    return parsed.secrets.filter((s): s is Secret => typeof s?.name === 'string' && typeof s?.value === 'string');
  } catch {
    return [];
  }
}

/** The secrets one run knows: its masks, its environment's secrets, its secret inputs, and its sandboxes' secrets
 *  (from `sandboxSecretsOfRun`). */
export function secretsOfRun(
  env: Record<string, string | undefined>,
  masks: string[],
  givenEnv: Record<string, string | undefined> = {},
  sandboxSecrets: Secret[] = [],
): Secret[] {
  const secrets: Secret[] = masks.map((value, index) => ({ name: `value masked by the step (#${index + 1})`, value }));
  for (const [key, value] of Object.entries(env)) {
    if (!value) continue;
    const input = /^INPUT_(.+)$/.exec(key)?.[1]?.toLowerCase();
    if (input !== undefined) {
      if (SECRET_INPUT.test(input)) secrets.push({ name: `input "${input}"`, value });
      // smoke-test headers read their secret values from variables: `{ env: API_KEY, prefix: "Bearer " }`.
      if (input === 'checks') {
        for (const [, name] of value.matchAll(HEADER_VARIABLE)) {
          const secret = name ? (givenEnv[name] ?? env[name]) : undefined;
          if (secret) secrets.push({ name: `header variable ${name}`, value: secret });
        }
      }
      if (SECRET_MAP_INPUT.test(input)) {
        for (const line of value.split(/\r?\n/)) {
          const eq = line.indexOf('=');
          if (eq > 0)
            secrets.push({ name: `input "${input}" (${line.slice(0, eq).trim()})`, value: line.slice(eq + 1) });
        }
      }
      continue;
    }
    // The variables a test hands over are checked by name; the developer's own environment only for the two that
    // every run may carry.
    const fromTest = key in givenEnv;
    if ((fromTest && SECRET_ENV.test(key)) || key === 'GITHUB_TOKEN' || key === 'AWS_SECRET_ACCESS_KEY') {
      secrets.push({ name: key, value });
    }
  }
  secrets.push(...sandboxSecrets, ...remembered);
  return secrets;
}

/** Where each secret shows in what a person can read; an empty list when nothing leaked. */
export function findLeaks(parts: VisibleParts, secrets: Secret[]): string[] {
  const places: [string, string][] = [
    ['the log', parts.log],
    ['stderr', parts.stderr],
    ...Object.entries(parts.outputs).map(([name, value]): [string, string] => [`output "${name}"`, value]),
    ['the step summary', parts.summary],
  ];
  const leaks = new Set<string>();
  for (const { name, value } of secrets) {
    for (const piece of [value, ...value.split(/\r?\n/)]) {
      const needle = piece.trim();
      if (needle.length < MIN_SECRET_LENGTH) continue;
      for (const [place, text] of places) if (text.includes(needle)) leaks.add(`${name} in ${place}`);
    }
  }
  for (const shape of SHAPES) {
    for (const [place, text] of places) {
      for (const match of text.matchAll(shape.pattern)) {
        if (!shape.confirm || shape.confirm(match[0])) leaks.add(`${shape.name} in ${place}`);
      }
    }
  }
  return [...leaks];
}

export class SecretLeakError extends Error {}

/** Throws when a run shows a secret; the message names each secret and the place, never a value. */
export function assertNoSecretLeaks(action: string, parts: VisibleParts, secrets: Secret[]): void {
  const leaks = findLeaks(parts, secrets);
  if (leaks.length > 0) {
    throw new SecretLeakError(`${action} showed a secret: ${leaks.join('; ')}`);
  }
}
