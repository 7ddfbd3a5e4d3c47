/**
 * Slack's Block Kit limits (see FACTS.md). A message over any of them is refused whole with `invalid_blocks`, so
 * everything we send is cut to fit first, with a visible mark where text was cut.
 */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  fieldsPerSection: 10,
  fieldText: 2000,
  contextElements: 10,
  /** Context elements carry text objects, whose own limit is the section's. */
  contextElementText: 3000,
  /** Slack truncates a longer notification text; we cut it ourselves so the cut is visible. */
  fallbackText: 3000,
} as const;

export const TRUNCATED = '… (truncated)';

/**
 * Cuts text to at most `max` characters (UTF-16 code units, as Slack counts them), ending with "(truncated)" when cut.
 * A cut never splits a surrogate pair, and never leaves an open code block behind in mrkdwn.
 */
export function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  const closing = '\n```';
  let head = text.slice(0, Math.max(0, max - TRUNCATED.length - closing.length));
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  // Close a code block we cut through, so that the mark is not swallowed by it.
  const insideCode = head.split('```').length % 2 === 0;
  return `${head}${insideCode ? closing : ''}${TRUNCATED}`.slice(0, max);
}
