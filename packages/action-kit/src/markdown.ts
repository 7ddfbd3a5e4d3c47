/** Small Markdown builders for job summaries, which GitHub renders as GitHub-flavoured Markdown. */

/** Escapes text for a table cell: pipes and line breaks would break the row. */
export function cell(value: unknown): string {
  const text = value === undefined || value === null || value === '' ? '—' : String(value);
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

export function table(headers: string[], rows: unknown[][]): string {
  const head = `| ${headers.map(cell).join(' | ')} |`;
  const rule = `| ${headers.map(() => '---').join(' | ')} |`;
  const body = rows.map((row) => `| ${headers.map((_, i) => cell(row[i])).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

export function heading(text: string, level = 2): string {
  return `${'#'.repeat(level)} ${text}`;
}

/** A collapsible block; the body is shown as code when `code` is set. */
export function details(summary: string, body: string, code = false): string {
  const inner = code ? `\n\n\`\`\`text\n${body.replace(/```/g, '``\u200b`')}\n\`\`\`\n` : `\n\n${body}\n`;
  return `<details><summary>${escapeHtml(summary)}</summary>${inner}\n</details>`;
}

export function link(text: string, url: string | undefined): string {
  return url ? `[${text.replace(/[[\]]/g, '\\$&')}](${url})` : text;
}

export function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Human-readable duration: `850 ms`, `12.3 s`, `4 min 05 s`; with `wholeSeconds` (for time a person reads, not
 * measures) `12 s`.
 */
export function formatDuration(ms: number, { wholeSeconds = false } = {}): string {
  if (wholeSeconds) ms = Math.max(0, Math.round(ms / 1000) * 1000);
  else if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return wholeSeconds ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}
