/**
 * The suite-wide secrets check. Every run the harness collects is searched for every secret known to it: values the
 * step announced with `::add-mask::`, the secrets in its environment and secret inputs, the secrets of sandboxes a
 * test file watches, and anything shaped like an ECR authorization token, a GitHub token or a Slack webhook. A leak
 * throws an error that names the secret and where it showed, never the value itself.
 */
import type { Sandbox } from '@ecs-ship/sandbox';

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

const watched = new Set<Sandbox>();
const remembered: Secret[] = [];

/**
 * Checks every later run of this test file against the sandbox's own secrets too (read at check time, since a
 * scenario load changes them): the ECR password and its token, the GitHub tokens, the Slack webhook URLs.
 */
export function watchSandboxSecrets(sandbox: Sandbox): void {
  watched.add(sandbox);
}

/** Checks every later run of this test file for this value as well. */
export function rememberSecret(name: string, value: string): void {
  remembered.push({ name, value });
}

/** The secrets a sandbox holds right now. */
export function sandboxSecrets(sandbox: Sandbox): Secret[] {
  const secrets: Secret[] = [];
  for (const [key, value] of Object.entries(sandbox.env())) {
    if (SECRET_ENV.test(key)) secrets.push({ name: `sandbox ${key}`, value });
  }
  const ecr = optionalState<{ settings?: { password?: string } }>(sandbox, 'ecr');
  const password = ecr?.settings?.password;
  if (password) {
    secrets.push({ name: 'sandbox ECR password', value: password });
    secrets.push({ name: 'sandbox ECR authorization token', value: Buffer.from(`AWS:${password}`).toString('base64') });
  }
  const github = sandbox.scenario.sections.github as { tokens?: { token: string }[] } | undefined;
  for (const [index, { token }] of (github?.tokens ?? []).entries()) {
    secrets.push({ name: `sandbox GitHub token #${index + 1}`, value: token });
  }
  return secrets;
}

function optionalState<T>(sandbox: Sandbox, key: string): T | undefined {
  try {
    return sandbox.state<T>(key);
  } catch {
    return undefined;
  }
}

/** The secrets one run knows: its masks, its environment's secrets, its secret inputs, and the watched ones. */
export function secretsOfRun(
  env: Record<string, string | undefined>,
  masks: string[],
  givenEnv: Record<string, string | undefined> = {},
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
  for (const sandbox of watched) {
    try {
      secrets.push(...sandboxSecrets(sandbox));
    } catch {
      // A stopped sandbox keeps nothing to compare with.
    }
  }
  secrets.push(...remembered);
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
