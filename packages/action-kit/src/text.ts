/**
 * Shortening text for people: one rule for every summary, message and report of the suite. Text is cut at a word
 * boundary and ends with an ellipsis, so a reader sees that it goes on and never reads half a word as a whole one.
 */

/** The ellipsis that marks where text was cut. */
export const ELLIPSIS = '…';

/**
 * At most `max` characters of `text` (UTF-16 code units, as JavaScript and Slack count them), cut at the last word
 * boundary that fits and ending with "…". A single word longer than most of the room (an ARN, a digest) is cut
 * where the room ends. Text that fits is returned as it is.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, Math.max(0, max));
  return `${cutAtWord(text, max - ELLIPSIS.length)}${ELLIPSIS}`;
}

/**
 * The head of `text` that fits in `room` characters, ending at a word boundary where one is near (trailing spaces
 * and punctuation dropped), never inside a surrogate pair. For callers that add their own mark after it.
 */
export function cutAtWord(text: string, room: number): string {
  if (text.length <= room) return text;
  let head = text.slice(0, Math.max(0, room));
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  const wholeWords = /\s/.test(text.charAt(head.length));
  if (!wholeWords) {
    const lastSpace = head.search(/\s\S*$/);
    // Give up at most 40% of the room for a clean cut; a longer token is cut where the room ends.
    if (lastSpace >= room * 0.6) head = head.slice(0, lastSpace);
  }
  const trimmed = head.replace(/[\s,;:\-–—]+$/u, '');
  return trimmed.length > 0 ? trimmed : head;
}
