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
  actionsElements: 25,
  /** Context elements carry text objects, whose own limit is the section's. */
  contextElementText: 3000,
  /** Slack truncates a longer notification text; we cut it ourselves so the cut is visible. */
  fallbackText: 3000,
} as const;

import { cutAtWord } from '@ecs-ship/action-kit';

export const TRUNCATED = '… (truncated)';

/**
 * Cuts text to at most `max` characters (UTF-16 code units, as Slack counts them), ending with "… (truncated)" when
 * cut. The cut falls at a word boundary where one is near (the suite's one rule, `cutAtWord`), never splits a
 * surrogate pair, and never leaves an open code block behind in mrkdwn.
 */
export function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  const closing = '\n```';
  let head = cut(text, max - TRUNCATED.length);
  // Close a code block we cut through, so that the mark is not swallowed by it.
  if (insideCodeBlock(head)) head = `${cut(text, max - TRUNCATED.length - closing.length)}${closing}`;
  return `${head}${TRUNCATED}`.slice(0, max);
}

function cut(text: string, length: number): string {
  return cutAtWord(text, Math.max(0, length));
}

function insideCodeBlock(text: string): boolean {
  return text.split('```').length % 2 === 0;
}
