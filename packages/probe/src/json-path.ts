/**
 * A small JSON path: `status`, `build.sha`, `items[0].id`, `checks["db.primary"].ok`, with an optional leading `$.`.
 * Kept deliberately simple (no wildcards or filters): a smoke check names one value and compares it.
 */
export type PathStep = string | number;

/** Parses a path into steps, or returns a problem in plain words. */
export function parseJsonPath(path: string): { steps: PathStep[] } | { problem: string } {
  let text = path.trim();
  if (text === '$') return { steps: [] };
  if (text.startsWith('$.')) text = text.slice(2);
  else if (text.startsWith('$[')) text = text.slice(1);
  if (text === '') return { problem: `JSON path "${path}" is empty` };
  const steps: PathStep[] = [];
  const token = /(?:^|\.)([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\['((?:[^'\\]|\\.)*)'\]/y;
  let position = 0;
  while (position < text.length) {
    token.lastIndex = position;
    const match = token.exec(text);
    if (!match || (match[1] !== undefined && position > 0 && text[position] !== '.')) {
      return { problem: `JSON path "${path}" cannot be read at "${text.slice(position)}" (use a.b[0].c or a["key"])` };
    }
    if (match[1] !== undefined) steps.push(match[1]);
    else if (match[2] !== undefined) steps.push(Number(match[2]));
    else steps.push((match[3] ?? match[4] ?? '').replace(/\\(.)/g, '$1'));
    position = token.lastIndex;
  }
  return { steps };
}

/** The value at `steps`, or `found: false` when the path does not exist in `value`. */
export function readJsonPath(value: unknown, steps: PathStep[]): { found: true; value: unknown } | { found: false } {
  let current: unknown = value;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(current) || step >= current.length) return { found: false };
      current = current[step];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) return { found: false };
      if (!Object.prototype.hasOwnProperty.call(current, step)) return { found: false };
      current = (current as Record<string, unknown>)[step];
    }
  }
  return { found: true, value: current };
}

/** Structural equality for JSON values (objects compared key by key, arrays in order). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length && keys.every((key) => key in right && jsonEqual(left[key], right[key]))
  );
}

/** A value as it appears in a failure message, cut short. */
export function showValue(value: unknown, limit = 80, scrub: (text: string) => string = (text) => text): string {
  const text = scrub(value === undefined ? 'undefined' : JSON.stringify(value));
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
