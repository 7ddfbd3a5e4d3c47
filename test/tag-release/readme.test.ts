/** The README's tables of inputs and outputs say what action.yml says: every id in order, and every default. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionDirectory, readActionMetadata } from '../harness/action-metadata.js';

const metadata = readActionMetadata('tag-release');
const readme = readFileSync(join(actionDirectory('tag-release'), 'README.md'), 'utf8');

/** Rows of the Markdown table under a `## <heading>`: cells without the surrounding backticks. */
function tableRows(heading: string): string[][] {
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

test('every input, in order, with the default action.yml gives it', () => {
  const rows = tableRows('Inputs');
  expect(rows.map(([id]) => id)).toEqual(Object.keys(metadata.inputs ?? {}));
  for (const [id, input] of Object.entries(metadata.inputs ?? {})) {
    if (input.default === undefined) continue;
    expect([id, rows.find(([row]) => row === id)?.[1]]).toEqual([id, String(input.default)]);
  }
});

test('every output, in order', () => {
  expect(tableRows('Outputs').map(([id]) => id)).toEqual(Object.keys(metadata.outputs ?? {}));
});
