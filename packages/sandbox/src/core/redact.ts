// Secrets never reach the recorder: passwords, tokens, authorization data and webhook paths are replaced.
export const REDACTED = '***';

/** Keys whose values are secrets wherever they appear (case-insensitive, matched on the whole key or its end). */
const SECRET_KEY = /(password|passwd|secret|token|authorization|credential|webhook|apikey|api_key|privatekey)$/i;
/** Pagination tokens are opaque but not secret, and tests read them. */
const PAGINATION_KEY = /(nexttoken|nextforwardtoken|nextbackwardtoken|marker)$/i;
/** Values that are secrets whatever their key: GitHub tokens, Slack tokens and webhook paths. */
const SECRET_VALUE = /\b(gh[pousr]_[A-Za-z0-9_]{10,}|github_pat_[A-Za-z0-9_]{10,}|xox[abprs]-[A-Za-z0-9-]{6,})\b/g;
const WEBHOOK_PATH = /(\/services\/)[A-Za-z0-9]+\/[A-Za-z0-9]+\/[A-Za-z0-9]+/g;
/** Name/value pairs (container environment, tags) whose name says the value is secret. */
const SECRET_NAME = /(password|passwd|secret|token|api_?key|private_?key|credential)/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !PAGINATION_KEY.test(key);
}

export function redactString(value: string): string {
  return value.replace(SECRET_VALUE, REDACTED).replace(WEBHOOK_PATH, `$1${REDACTED}`);
}

/** A deep copy of `value` with every secret replaced by `***`. */
export function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item));
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const named = entries.find(([k]) => k.toLowerCase() === 'name');
    const secretPair = typeof named?.[1] === 'string' && SECRET_NAME.test(named[1]);
    const out: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      if (isSecretKey(key) && item !== undefined && item !== null && typeof item !== 'boolean') out[key] = REDACTED;
      else if (secretPair && key.toLowerCase() === 'value') out[key] = REDACTED;
      else out[key] = redactValue(item);
    }
    return out;
  }
  return value;
}
