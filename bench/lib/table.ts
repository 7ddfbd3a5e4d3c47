import { verdict, type Figure } from './figures.js';

const COLUMNS = ['figure', 'how', 'goal', 'measured', 'result'] as const;

function cells(figure: Figure): string[] {
  return [figure.figure, figure.how, figure.goal, figure.measured, verdict(figure.pass)];
}

/** A plain-text table with aligned columns, for the terminal. */
export function textTable(figures: readonly Figure[]): string {
  const rows = [COLUMNS.map(String), ...figures.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => [...row[i]!].length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell + ' '.repeat(widths[i]! - [...cell].length))
      .join(' | ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}

/** The same table in Markdown, for the README. Pipes inside cells are escaped. */
export function markdownTable(figures: readonly Figure[]): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const row = (values: string[]) => `| ${values.map(escape).join(' | ')} |`;
  return [row(COLUMNS.map(String)), row(COLUMNS.map(() => '---')), ...figures.map((f) => row(cells(f)))].join('\n');
}
