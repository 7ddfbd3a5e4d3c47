/** The README's tables of inputs and outputs say what action.yml says: every id in order, and every default. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OVERALL_RESULTS } from '@ecs-ship/ecs';
import { actionDirectory, readActionMetadata } from '../harness/action-metadata.js';

const metadata = readActionMetadata('ecs-deploy-with-circuit-breaker');
const readme = readFileSync(join(actionDirectory('ecs-deploy-with-circuit-breaker'), 'README.md'), 'utf8');

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
    const shown = rows.find(([row]) => row === id)?.[1];
    if (input.default !== undefined) expect([id, shown]).toEqual([id, String(input.default)]);
    else if (input.required) expect([id, shown]).toEqual([id, 'required']);
    else expect([id, shown]).toEqual([id, '']);
  }
});

test('every output, in order', () => {
  expect(tableRows('Outputs').map(([id]) => id)).toEqual(Object.keys(metadata.outputs ?? {}));
});

test('every result value the action can give is documented in action.yml and the README', () => {
  const description = String(metadata.outputs?.result?.description);
  const row = tableRows('Outputs').find(([id]) => id === 'result')![1]!;
  for (const value of OVERALL_RESULTS) {
    expect([value, description.includes(`\`${value}\``)]).toEqual([value, true]);
    expect([value, row.includes(`\`${value}\``)]).toEqual([value, true]);
  }
});
