import { placeholdersIn, renderTagTemplate } from '../src/tag-template.js';

const sha = '4f6a0e1c9b2d8a7f3e5c1b0d9a8f7e6d5c4b3a21';
const at = new Date('2026-11-23T09:05:07.123Z');

describe('renderTagTemplate', () => {
  it('fills every placeholder, date and time in UTC and without colons', () => {
    expect(
      renderTagTemplate('{env}-{date}-{time}-{sha7}-{run}', { env: 'production', at, sha, run: '7001234567' }),
    ).toBe('production-2026-11-23-090507-4f6a0e1-7001234567');
  });

  it('leaves text without placeholders alone', () => {
    expect(renderTagTemplate('release-1', { at, sha })).toBe('release-1');
  });

  it('refuses an unknown placeholder and a missing value', () => {
    expect(() => renderTagTemplate('{branch}', { at, sha })).toThrow('Unknown placeholder {branch}');
    expect(() => renderTagTemplate('{env}-{sha7}', { at, sha })).toThrow('No value for {env}');
  });

  it('lists the placeholders used, unknown ones included', () => {
    expect(placeholdersIn('{env}-{x}-{sha7}')).toEqual(['env', 'x', 'sha7']);
  });
});
