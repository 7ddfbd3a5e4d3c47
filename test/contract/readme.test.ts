/**
 * Every action's README says what its action.yml says: each input in order with its default, and each output in order.
 * (The root action's README lives in actions/release/.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION_NAMES, readActionMetadata, repoRoot } from '@ecs-ship/testing';

/** Rows of the Markdown table under `## <heading>`: cells without their surrounding backticks. */
function tableRows(readme: string, heading: string): string[][] {
  const section = readme.split(/^## /m).find((part) => part.startsWith(`${heading}\n`)) ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/^`(.*)`$/, '$1')),
    );
}

describe.each(ACTION_NAMES.map((name) => [name]))('%s README', (name) => {
  const metadata = readActionMetadata(name);
  const readme = readFileSync(join(repoRoot, 'actions', name, 'README.md'), 'utf8');

  test('lists every input, in order, with the default action.yml gives it', () => {
    const rows = tableRows(readme, 'Inputs');
    expect(rows.map(([id]) => id)).toEqual(Object.keys(metadata.inputs ?? {}));
    const defaultColumn = (row: string[]) => row.find((cell, i) => i > 0 && !/^(yes|no)$/.test(cell)) ?? '';
    for (const [id, input] of Object.entries(metadata.inputs ?? {})) {
      if (input.default === undefined) continue;
      const row = rows.find(([cell]) => cell === id)!;
      expect([id, defaultColumn(row).replace(/^`(.*)`$/, '$1')]).toEqual([id, String(input.default)]);
    }
  });

  test('lists every output, in order', () => {
    expect(tableRows(readme, 'Outputs').map(([id]) => id)).toEqual(Object.keys(metadata.outputs ?? {}));
  });
});
