import { InputReader } from '@ecs-ship/action-kit';
import { readSettings } from '../../actions/tag-release/src/settings.js';

const SHA = '4f6a0e1c9b2d8a7f3e5c1b0d9a8f7e6d5c4b3a21';
const at = new Date('2026-11-23T09:05:07Z');
const env = { GITHUB_SHA: SHA, GITHUB_RUN_ID: '7001234567' };

/** The action.yml defaults, as the runner applies them. */
const DEFAULTS: Record<string, string> = {
  'include-prereleases': 'false',
  'create-release': 'false',
  'generate-notes': 'true',
  prerelease: 'false',
  'make-latest': 'auto',
  'deployment-state': 'success',
  token: 'ghs_exampletoken1234',
};

function read(inputs: Record<string, string>, environment: NodeJS.ProcessEnv = env) {
  const values = { ...DEFAULTS, ...inputs };
  const reader = new InputReader((name) => values[name] ?? '');
  const settings = readSettings(reader, environment, at);
  return { settings, errors: reader.errors.map((e) => e.message), names: reader.names };
}

describe('tag-release settings', () => {
  it('renders the tag template and defaults the SHA to GITHUB_SHA', () => {
    const { settings, errors } = read({
      tag: '{env}-{date}-{time}-{sha7}-{run}',
      'deployment-environment': 'production',
    });
    expect(errors).toEqual([]);
    expect(settings.sha).toBe(SHA);
    expect(settings.tag).toEqual({ kind: 'name', name: 'production-2026-11-23-090507-4f6a0e1-7001234567' });
    expect(settings.deployment).toEqual({ environment: 'production', state: 'success', environmentUrl: undefined });
    expect(settings.release).toBeUndefined();
  });

  it('reads a bump with prefix, a release and details', () => {
    const { settings, errors } = read({
      sha: SHA.toUpperCase(),
      bump: 'minor',
      prefix: 'v',
      'create-release': 'true',
      'release-name': 'Shop v-next',
      details: '{"image":"repo@sha256:abc"}',
    });
    expect(errors).toEqual([]);
    expect(settings.sha).toBe(SHA);
    expect(settings.tag).toEqual({ kind: 'bump', level: 'minor', prefix: 'v', includePrereleases: false });
    expect(settings.release).toEqual({
      name: 'Shop v-next',
      generateNotes: true,
      prerelease: false,
      makeLatest: 'auto',
    });
    expect(settings.details).toEqual({ image: 'repo@sha256:abc' });
  });

  it('reads every input even when the first ones are bad', () => {
    const { names, errors } = read({ sha: 'nope', bump: 'huge' });
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(new Set(names)).toEqual(
      new Set([
        'sha',
        'tag',
        'bump',
        'prefix',
        'include-prereleases',
        'message',
        'create-release',
        'release-name',
        'generate-notes',
        'prerelease',
        'make-latest',
        'deployment-environment',
        'deployment-state',
        'environment-url',
        'details',
        'token',
      ]),
    );
  });

  const bad: [string, Record<string, string>, string, RegExp, NodeJS.ProcessEnv?][] = [
    ['short SHA', { sha: '4f6a0e1', tag: 'v1' }, 'sha', /short SHA \(7 characters\).*full 40-character SHA/],
    ['non-hex SHA', { sha: 'z'.repeat(40), tag: 'v1' }, 'sha', /is not a commit SHA/],
    ['no SHA anywhere', { tag: 'v1' }, 'sha', /GITHUB_SHA is not set/, {}],
    ['neither tag nor bump', {}, 'tag', /neither "tag" nor "bump"/],
    ['both tag and bump', { tag: 'v1', bump: 'patch' }, 'tag', /together with "bump"/],
    ['unknown placeholder', { tag: 'rel-{branch}' }, 'tag', /"\{branch\}" is not a placeholder/],
    ['{env} without environment', { tag: '{env}-{sha7}' }, 'tag', /uses \{env\}/],
    [
      'invalid tag name',
      { tag: 'release {date}' },
      'tag',
      /"release 2026-11-23" is not a valid git tag name: it contains a space/,
    ],
    ['.lock tag', { tag: 'v1.lock' }, 'tag', /ends with "\.lock"/],
    ['bad bump', { bump: 'huge' }, 'bump', /"huge" is not one of patch, minor, major/],
    ['bad prefix', { bump: 'patch', prefix: 'v~' }, 'prefix', /cannot start a tag name: it contains "~"/],
    ['prefix without bump', { tag: 'v1', prefix: 'v' }, 'prefix', /only applies to "bump"/],
    [
      'include-prereleases without bump',
      { tag: 'v1', 'include-prereleases': 'true' },
      'include-prereleases',
      /only applies/,
    ],
    ['boolean typo', { tag: 'v1', 'create-release': 'yes' }, 'create-release', /"yes" is not a boolean/],
    ['release-name without release', { tag: 'v1', 'release-name': 'x' }, 'release-name', /"create-release" is false/],
    [
      'latest pre-release',
      { tag: 'v1', 'create-release': 'true', prerelease: 'true', 'make-latest': 'true' },
      'make-latest',
      /pre-release cannot be the latest/,
    ],
    ['bad make-latest', { tag: 'v1', 'make-latest': 'always' }, 'make-latest', /not one of auto, true, false, legacy/],
    [
      'bad deployment-state',
      { tag: 'v1', 'deployment-environment': 'production', 'deployment-state': 'done' },
      'deployment-state',
      /not one of success/,
    ],
    [
      'url without environment',
      { tag: 'v1', 'environment-url': 'https://shop.example.com' },
      'environment-url',
      /"deployment-environment" is not/,
    ],
    [
      'url not http',
      { tag: 'v1', 'deployment-environment': 'production', 'environment-url': 'shop.example.com' },
      'environment-url',
      /not an http or https URL/,
    ],
    ['details not JSON', { tag: 'v1', details: '{image: x}' }, 'details', /not valid JSON/],
    ['details an array', { tag: 'v1', details: '[1,2]' }, 'details', /an array, not an object/],
    ['no token', { tag: 'v1', token: '' }, 'token', /required but was not given/],
  ];

  it.each(bad)('refuses %s', (_, inputs, name, problem, environment = env) => {
    const { errors } = read(inputs, environment);
    const mine = errors.filter((e) => e.startsWith(`Input "${name}": `));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatch(problem);
  });
});
