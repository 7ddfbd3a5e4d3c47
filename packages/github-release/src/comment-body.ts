/**
 * Cutting Markdown to a length that still renders: whole lines are kept, a code fence or `<details>` block left open
 * by the cut is closed (otherwise the note after it would sit inside the fence, or be folded away), and a note ends
 * the text, saying that it was cut and where the rest is.
 */

interface Open {
  /** The fence of an open code block (its backticks or tildes). */
  fence?: string;
  /** `<details>` blocks opened and not closed, outside code. */
  details: number;
}

/** Cuts `text` to at most `limit` characters (UTF-16 code units, so never more characters than that). */
export function cutMarkdown(text: string, limit: number, note: string): { text: string; cut: boolean } {
  if (text.length <= limit) return { text, cut: false };
  const lines = text.split('\n');
  const open: Open = { details: 0 };
  let best = finish(open, note);
  let kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    track(line, open);
    length += line.length + 1;
    const tail = finish(open, note);
    if (length + tail.length > limit) break;
    kept.push(line);
    best = `${kept.join('\n')}\n${tail}`;
  }
  if (kept.length === 0) {
    // Not even the first line fits whole: keep its start, without splitting a character in two.
    const room = limit - note.length - 2;
    let start = '';
    for (const char of lines[0] ?? '') {
      if (start.length + char.length > room) break;
      start += char;
    }
    kept = [start];
    best = start ? `${start}\n\n${note}` : note;
  }
  return { text: best.length <= limit ? best : note.slice(0, limit), cut: true };
}

function track(line: string, open: Open): void {
  const fence = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
  if (fence) {
    if (open.fence === undefined) open.fence = fence;
    else if (fence[0] === open.fence[0] && fence.length >= open.fence.length && line.trim() === fence) {
      open.fence = undefined;
    }
    return;
  }
  if (open.fence !== undefined) return;
  open.details += (line.match(/<details\b/gi) ?? []).length;
  open.details -= (line.match(/<\/details>/gi) ?? []).length;
}

/** What closes the open blocks, then the note. */
function finish(open: Open, note: string): string {
  const closers = [
    ...(open.fence ? [open.fence] : []),
    ...Array.from({ length: Math.max(open.details, 0) }, () => '</details>'),
  ];
  return [...closers, '', note].join('\n');
}
