/**
 * Renders a job summary (GitHub-flavoured Markdown) for a terminal: headings in bold, tables with aligned columns,
 * links as their text. Collapsible details and Mermaid charts are left out: they are for the browser, and a note
 * says where to see them (the job summary, or `page`: the summary rendered as a web page, see summary-page.ts).
 */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
}

export function renderMarkdown(markdown: string, style: Style, page?: string): string {
  const out: string[] = [];
  const lines = stripBlocks(markdown, page ?? 'the job summary').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('|')) {
      const rows: string[][] = [];
      for (; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(cells(lines[i]!));
      i--;
      out.push(...table(rows.filter((row) => !row.every((c) => /^-+$/.test(c)))));
      continue;
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) out.push(style.bold(inline(heading[1]!)));
    else if (line.startsWith('> ')) out.push(style.dim(inline(line.slice(2))));
    else out.push(inline(line));
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function stripBlocks(markdown: string, where: string): string {
  const withoutCharts = markdown.replace(/```mermaid[\s\S]*?```/g, `(timeline chart: in ${where})`);
  // <details> blocks nest (a deployment's events inside the deployment); keep only the outermost summary line.
  const out: string[] = [];
  let depth = 0;
  for (const part of withoutCharts.split(/(<details>|<\/details>)/)) {
    if (part === '<details>') depth++;
    else if (part === '</details>') depth = Math.max(0, depth - 1);
    else if (depth === 0) out.push(part);
    else if (depth === 1 && out.at(-1) !== DETAILS_MARK) {
      const summary = /<summary>([\s\S]*?)<\/summary>/.exec(part)?.[1] ?? 'details';
      out.push(`(${unescapeHtml(summary)}: in ${where})`, DETAILS_MARK);
    }
  }
  return out.filter((part) => part !== DETAILS_MARK).join('');
}

const DETAILS_MARK = '\u0000';

function unescapeHtml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function cells(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|\s*$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => inline(c.trim().replace(/\\\|/g, '|').replace(/<br>/g, ' ')));
}

function inline(text: string): string {
  return text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`([^`]*)`/g, '$1');
}

/** Columns padded to their widest cell (cells longer than 70 characters are cut). */
function table(rows: string[][]): string[] {
  const cut = rows.map((row) => row.map((c) => (c.length > 70 ? `${c.slice(0, 69)}…` : c)));
  const widths = cut[0]?.map((_, col) => Math.max(...cut.map((row) => width(row[col] ?? '')))) ?? [];
  return cut.map((row) =>
    row
      .map((c, col) => c + ' '.repeat(Math.max(0, widths[col]! - width(c))))
      .join('  ')
      .trimEnd(),
  );
}

/** Display width: emoji take two columns, variation selectors none. */
function width(text: string): number {
  let total = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code === 0xfe0f || code === 0x200b) continue;
    total += code >= 0x1f300 || (code >= 0x2600 && code <= 0x27bf) || code === 0x2705 || code === 0x274c ? 2 : 1;
  }
  return total;
}
