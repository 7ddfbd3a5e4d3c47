import { TRUNCATED, fit, fitLines, formatMention, normalizeStatus, link, code } from '../src/index.js';

test('fit leaves short text alone and marks a cut', () => {
  expect(fit('short', 10)).toBe('short');
  const cut = fit('a'.repeat(100), 40);
  expect(cut).toHaveLength(40);
  expect(cut.endsWith(TRUNCATED)).toBe(true);
});

test('fit never splits a surrogate pair', () => {
  const text = '😀'.repeat(50);
  const cut = fit(text, 30);
  expect(cut.length).toBeLessThanOrEqual(30);
  expect(cut.replace(TRUNCATED, '')).toMatch(/^(😀)+$/u);
});

test('fit closes a code block it cuts through, so the mark stays visible', () => {
  const cut = fit(`Reason:\n\`\`\`${'x'.repeat(200)}\`\`\``, 60);
  expect(cut).toHaveLength(60);
  expect(cut.endsWith(`\n\`\`\`${TRUNCATED}`)).toBe(true);
});

test('fitLines keeps whole lines and says how many are left out', () => {
  const lines = Array.from({ length: 20 }, (_, i) => `line ${String(i).padStart(2, '0')}`);
  const text = fitLines('*Head*', lines, 80);
  expect(text.length).toBeLessThanOrEqual(80);
  const kept = text.split('\n').slice(1, -1);
  expect(kept.every((line, i) => line === lines[i])).toBe(true);
  expect(text.split('\n').at(-1)).toBe(`_(truncated): ${20 - kept.length} more lines not shown_`);
  expect(fitLines('*Head*', ['a', 'b'], 80)).toBe('*Head*\na\nb');
});

test.each([
  ['U012AB3CD', '<@U012AB3CD>'],
  ['W012AB3CD', '<@W012AB3CD>'],
  ['@U012AB3CD', '<@U012AB3CD>'],
  ['S0614TZR7', '<!subteam^S0614TZR7>'],
  ['here', '<!here>'],
  ['@channel', '<!channel>'],
  ['<!here>', '<!here>'],
  ['alice', undefined],
  ['u012ab3cd', undefined],
  ['#ops', undefined],
])('mention %s → %s', (id, expected) => {
  expect(formatMention(id)).toBe(expected);
});

test("job.status values map to the deployment's words", () => {
  expect(normalizeStatus('success')).toBe('succeeded');
  expect(normalizeStatus('failure')).toBe('failed');
  expect(normalizeStatus('cancelled')).toBe('cancelled');
  expect(normalizeStatus('rolled-back')).toBe('rolled-back');
});

test('mrkdwn links and code cannot be broken out of', () => {
  expect(link('a|b<c>', 'https://x/y?q=<1>')).toBe('<https://x/y?q=%3C1%3E|a¦b&lt;c&gt;>');
  expect(link('plain', undefined)).toBe('plain');
  expect(code('a`b')).toBe("`a'b`");
});
