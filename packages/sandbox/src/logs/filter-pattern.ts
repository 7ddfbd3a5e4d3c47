// FilterLogEvents' filter patterns.

/** The plain-term part of the CloudWatch Logs filter syntax: every term must occur, `"quoted phrases"` match
 *  exactly, `-term` must not occur and `?term` terms match when any of them occurs. JSON and space-delimited
 *  patterns are not modelled: they match everything. */
export function compilePattern(pattern: string | undefined): (message: string) => boolean {
  const text = (pattern ?? '').trim();
  if (text === '' || text.startsWith('{') || text.startsWith('[')) return () => true;
  const terms = [...text.matchAll(/([?-]?)(?:"([^"]*)"|(\S+))/g)].map((m) => ({
    kind: m[1] ?? '',
    value: m[2] ?? m[3] ?? '',
  }));
  const required = terms.filter((t) => t.kind === '').map((t) => t.value);
  const excluded = terms.filter((t) => t.kind === '-').map((t) => t.value);
  const optional = terms.filter((t) => t.kind === '?').map((t) => t.value);
  return (message) =>
    required.every((t) => message.includes(t)) &&
    !excluded.some((t) => message.includes(t)) &&
    (optional.length === 0 || optional.some((t) => message.includes(t)));
}
