/**
 * Every action's README says what its action.yml says: each input in order with its default, and each output in order.
 * Defaults live where editors and the Marketplace show them: a default the README writes as a value (one code span,
 * without `<placeholders>`) is action.yml's `default:`, and a default that depends on the run or on other inputs is
 * described, in the README's words and in action.yml's description ("Default: ..."). A required input says so.
 * (The root action's README lives in actions/release/.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION_NAMES, readActionMetadata, repoRoot, type ActionInput } from '@ecs-ship/testing';

/** Rows of the Markdown table under `## <heading>`, cells as written. */
function tableRows(readme: string, heading: string): string[][] {
  const section = readme.split(/^## /m).find((part) => part.startsWith(`${heading}\n`)) ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

const unquote = (cell: string) => cell.replace(/^`(.*)`$/, '$1');

/** The default cell of a row: the first after the id that is not a yes/no "required" column. */
const defaultCell = (row: string[]) => row.find((cell, i) => i > 0 && !/^(yes|no)$/.test(cell)) ?? '';

/** What a README's default cell and action.yml disagree on, or undefined when they agree. */
function defaultMismatch(id: string, cell: string, input: ActionInput): string | undefined {
  const literal = /^`[^`]*`$/.test(cell) && !/<[^>]+>/.test(cell);
  if (input.default !== undefined) {
    return unquote(cell) === String(input.default)
      ? undefined
      : `${id}: README shows ${cell || 'nothing'}, action.yml's default is ${String(input.default)}`;
  }
  if (/^\(?required\)?$/.test(cell)) return input.required ? undefined : `${id}: README says required, action.yml not`;
  if (cell === '') return undefined;
  if (literal) return `${id}: README shows the value ${cell}, which belongs in action.yml as its default:`;
  return /\bdefault\b/i.test(input.description ?? '')
    ? undefined
    : `${id}: README describes a default (${cell}) that action.yml's description does not state`;
}

describe.each(ACTION_NAMES.map((name) => [name]))('%s README', (name) => {
  const metadata = readActionMetadata(name);
  const readme = readFileSync(join(repoRoot, 'actions', name, 'README.md'), 'utf8');

  test('lists every input, in order', () => {
    expect(tableRows(readme, 'Inputs').map(([id]) => unquote(id!))).toEqual(Object.keys(metadata.inputs ?? {}));
  });

  test('agrees with action.yml on every default', () => {
    const problems = tableRows(readme, 'Inputs').flatMap((row) => {
      const id = unquote(row[0]!);
      const input = metadata.inputs?.[id];
      return input ? [defaultMismatch(id, defaultCell(row), input)].filter(Boolean) : [];
    });
    expect(problems).toEqual([]);
  });

  test('lists every output, in order', () => {
    expect(tableRows(readme, 'Outputs').map(([id]) => unquote(id!))).toEqual(Object.keys(metadata.outputs ?? {}));
  });
});

test.each([
  ['a default in both', '`30`', { default: '30' }, undefined],
  ['README and action.yml differ', '`20`', { default: '30' }, /README shows `20`, action.yml's default is 30/],
  ['a default only in the README', '`MUTABLE`', {}, /belongs in action.yml/],
  ['a default only in action.yml', '', { default: 'x' }, /README shows nothing/],
  ['a described default also described in action.yml', 'the tag', { description: 'Default: the tag.' }, undefined],
  ['a described default action.yml does not state', 'the tag', { description: 'The title.' }, /does not state/],
  ['a template of the run', '`github-run-<run id>`', { description: 'Default: from the run.' }, undefined],
  ['required, and said so', 'required', { required: true }, undefined],
])('the check: %s', (_, cell, input, expected) => {
  const found = defaultMismatch('x', cell, input as ActionInput);
  if (expected === undefined) expect(found).toBeUndefined();
  else expect(found).toMatch(expected);
});
