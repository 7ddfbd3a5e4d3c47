/** The README's tables of inputs and outputs say what action.yml says: every id, required flag and default. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionDirectory, readActionMetadata } from '../harness/action-metadata.js';

const metadata = readActionMetadata('notify-slack');
const readme = readFileSync(join(actionDirectory('notify-slack'), 'README.md'), 'utf8');

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

test('every input, in order, with its required flag and default', () => {
  const expected = Object.entries(metadata.inputs ?? {}).map(([id, input]) => [
    id,
    input.required ? 'yes' : 'no',
    input.default === undefined ? '' : String(input.default),
  ]);
  expect(tableRows('Inputs').map(([id, required, fallback]) => [id, required, fallback])).toEqual(expected);
});

test('every output', () => {
  expect(tableRows('Outputs').map(([id]) => id)).toEqual(Object.keys(metadata.outputs ?? {}));
});
