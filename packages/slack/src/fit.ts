import { context, type Block } from './blocks.js';
import { LIMITS, TRUNCATED, fit } from './limits.js';

/**
 * A heading and as many whole lines as fit in `max` characters; when lines are left out, a last line says how
 * many, so a reader knows the list goes on.
 */
export function fitLines(head: string, lines: string[], max: number): string {
  let text = head;
  for (let i = 0; i < lines.length; i++) {
    const next = `${text}\n${lines[i]}`;
    const rest = lines.length - i - 1;
    // Keep room for the note about the lines after this one.
    const reserve = rest > 0 ? noteFor(rest + 1).length + 1 : 0;
    if (next.length + reserve <= max) {
      text = next;
      continue;
    }
    // A first line too long on its own is cut rather than dropped.
    if (i === 0) {
      const cut = fit(next, max - reserve);
      return rest > 0 ? `${cut}\n${noteFor(rest)}` : cut;
    }
    return fit(`${text}\n${noteFor(lines.length - i)}`, max);
  }
  return text;
}

function noteFor(count: number): string {
  return `_${TRUNCATED.replace('… ', '')}: ${count} more line${count === 1 ? '' : 's'} not shown_`;
}

/** At most 50 blocks: the last slot says how many were left out. */
export function fitBlocks(blocks: Block[]): Block[] {
  if (blocks.length <= LIMITS.blocks) return blocks;
  const kept = blocks.slice(0, LIMITS.blocks - 1);
  const left = blocks.length - kept.length;
  return [...kept, context([`_(truncated): ${left} more block${left === 1 ? '' : 's'} not shown_`])];
}
