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
export function versionsMatch(seen: string, expected: string): boolean {
  const a = seen.trim();
  const b = expected.trim();
  if (a === b) return true;
  if (!HEX.test(a) || !HEX.test(b)) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= MIN_SHA_PREFIX && long.toLowerCase().startsWith(short.toLowerCase());
}

/**
 * Looks for the expected version in a body: the exact text, or, for a commit id, any hex word of at least
 * 7 digits that matches it as above. Returns the text found, if any.
 */
export function findVersionInBody(body: string, expected: string): string | undefined {
  const wanted = expected.trim();
  if (wanted !== '' && body.includes(wanted)) return wanted;
  if (!HEX.test(wanted) || wanted.length < MIN_SHA_PREFIX) return undefined;
  for (const match of body.matchAll(/\b[0-9a-f]{7,64}\b/gi)) {
    if (versionsMatch(match[0], wanted)) return match[0];
  }
  return undefined;
}
