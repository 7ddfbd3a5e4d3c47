import { nextVersion, versionInSeries, type BumpLevel } from '../src/semver-bump.js';

describe('nextVersion', () => {
  const cases: [string, string[], BumpLevel, string, boolean, string, string | undefined][] = [
    // description, existing tags, level, prefix, include pre-releases, expected tag, counted from
    [
      'minor after v1.9.0 is v1.10.0 (numeric, not text order)',
      ['v1.2.0', 'v1.9.0', 'v1.10.0-rc.1'],
      'minor',
      'v',
      false,
      'v1.10.0',
      'v1.9.0',
    ],
    ['patch after v1.9.0', ['v1.9.0', 'v1.8.7'], 'patch', 'v', false, 'v1.9.1', 'v1.9.0'],
    ['major after v1.9.0', ['v1.9.0'], 'major', 'v', false, 'v2.0.0', 'v1.9.0'],
    ['v1.10.0 is higher than v1.9.0', ['v1.9.0', 'v1.10.0', 'v1.2.0'], 'patch', 'v', false, 'v1.10.1', 'v1.10.0'],
    ['no tag yet: patch from 0.0.0', [], 'patch', 'v', false, 'v0.0.1', undefined],
    [
      'no tag yet: minor from 0.0.0',
      ['latest', 'production-2026-01-01-abc1234'],
      'minor',
      'v',
      false,
      'v0.1.0',
      undefined,
    ],
    ['no tag yet: major from 0.0.0', [], 'major', '', false, '1.0.0', undefined],
    [
      'non-semver tags are ignored',
      ['v2', 'v2.1', 'release-9', 'v01.2.3', 'v1.0.0'],
      'patch',
      'v',
      false,
      'v1.0.1',
      'v1.0.0',
    ],
    [
      'pre-releases are ignored by default',
      ['v1.0.0', 'v2.0.0-rc.1', 'v2.0.0-beta'],
      'patch',
      'v',
      false,
      'v1.0.1',
      'v1.0.0',
    ],
    [
      'pre-releases count when asked: patch finishes the pre-release',
      ['v1.0.0', 'v2.0.0-rc.1'],
      'patch',
      'v',
      true,
      'v2.0.0',
      'v2.0.0-rc.1',
    ],
    [
      'pre-releases count when asked: rc.2 is above rc.1',
      ['v1.4.0-rc.1', 'v1.4.0-rc.2', 'v1.3.0'],
      'minor',
      'v',
      true,
      'v1.4.0',
      'v1.4.0-rc.2',
    ],
    ['a release is above its own pre-release', ['v1.4.0-rc.3', 'v1.4.0'], 'patch', 'v', true, 'v1.4.1', 'v1.4.0'],
    [
      'build metadata does not matter for ordering',
      ['v1.2.3+build.9', 'v1.2.2'],
      'patch',
      'v',
      false,
      'v1.2.4',
      'v1.2.3+build.9',
    ],
    [
      'mixed prefixes: v and bare versions are one series',
      ['v1.2.0', '1.3.0', 'api-v9.0.0'],
      'patch',
      'v',
      false,
      'v1.3.1',
      '1.3.0',
    ],
    ['mixed prefixes: no prefix also counts v-tags', ['v1.2.0', '1.1.0'], 'minor', '', false, '1.3.0', 'v1.2.0'],
    [
      'mixed prefixes: another component is its own series',
      ['v5.0.0', 'api-v1.4.2', 'api-1.5.0', 'web-v3.0.0'],
      'patch',
      'api-v',
      false,
      'api-v1.5.1',
      'api-1.5.0',
    ],
    [
      'mixed prefixes: a component without v',
      ['api-2.0.0', 'v7.0.0'],
      'major',
      'api-',
      false,
      'api-3.0.0',
      'api-2.0.0',
    ],
    [
      'mixed prefixes: nested path prefix',
      ['releases/v0.9.0', 'v3.0.0'],
      'minor',
      'releases/v',
      false,
      'releases/v0.10.0',
      'releases/v0.9.0',
    ],
    [
      'prefix v does not pick up other components',
      ['api-v9.0.0', 'web-v8.0.0'],
      'patch',
      'v',
      false,
      'v0.0.1',
      undefined,
    ],
  ];

  it.each(cases)('%s', (_, tags, level, prefix, includePrereleases, expected, previous) => {
    const result = nextVersion(tags, { level, prefix, includePrereleases });
    expect(result.tag).toBe(expected);
    expect(result.previousTag).toBe(previous);
  });
});

describe('versionInSeries', () => {
  it.each([
    ['v1.2.3', 'v', '1.2.3'],
    ['1.2.3', 'v', '1.2.3'],
    ['v1.2.3', '', '1.2.3'],
    ['api-v1.2.3', 'v', undefined],
    ['api-v1.2.3', 'api-v', '1.2.3'],
    ['v1.2', 'v', undefined],
    ['v1.02.3', 'v', undefined],
    ['vv1.2.3', 'v', undefined],
    ['v1.2.3-rc.1', 'v', '1.2.3-rc.1'],
  ])('%s in the series of "%s" is %s', (tag, prefix, expected) => {
    expect(versionInSeries(tag, prefix)).toBe(expected);
  });
});
