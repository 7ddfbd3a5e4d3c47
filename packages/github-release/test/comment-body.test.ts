import { cutMarkdown } from '../src/comment-body.js';

const NOTE = '_(cut)_';

test('text within the limit is left as it is', () => {
  expect(cutMarkdown('short\ntext', 100, NOTE)).toEqual({ text: 'short\ntext', cut: false });
});

test('whole lines are kept, the open fence and details blocks closed, the note last, within the limit', () => {
  const text = [
    '# Plan',
    '<details><summary>web</summary>',
    '',
    '~~~~diff',
    ...Array(50).fill('+ a line'),
    '~~~~',
    '</details>',
  ].join('\n');
  const { text: cut, cut: wasCut } = cutMarkdown(text, 200, NOTE);
  expect(wasCut).toBe(true);
  expect(cut.length).toBeLessThanOrEqual(200);
  expect(cut).toMatch(
    /^# Plan\n<details><summary>web<\/summary>\n\n~~~~diff\n(\+ a line\n)+~~~~\n<\/details>\n\n_\(cut\)_$/,
  );
});

test('a fence inside code and details text inside a fence are not taken for structure', () => {
  const text = ['```text', '<details>', '```', 'after', ...Array(40).fill('filler line')].join('\n');
  const { text: cut } = cutMarkdown(text, 80, NOTE);
  expect(cut).toMatch(/^```text\n<details>\n```\nafter\n(filler line\n)*\n_\(cut\)_$/);
});

test('a first line longer than the limit keeps its start, whole characters only', () => {
  const { text } = cutMarkdown('📦'.repeat(100), 40, NOTE);
  expect(text.length).toBeLessThanOrEqual(40);
  expect(text).toMatch(/^(📦)+\n\n_\(cut\)_$/);
});
