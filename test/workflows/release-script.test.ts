/**
 * `npm run release`: the next version proposed from CHANGELOG.md's Unreleased section, and the release prepared in a
 * git repository (changelog and package.json updated and committed, annotated tag created, nothing pushed).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@ecs-ship/testing';
import { bumpVersion, parseChangelog, proposeBump, releaseChangelog } from '../../scripts/release.js';

const changelog = readFileSync(join(repoRoot, 'CHANGELOG.md'), 'utf8');
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');

function entries(sections: Record<string, number>): Map<string, string[]> {
  return new Map(Object.entries(sections).map(([kind, count]) => [kind, Array(count).fill('- a change')]));
}

describe('the proposed version', () => {
  test.each([
    [{ Fixed: 2 }, 'patch', '1.2.4'],
    [{ Security: 1, Fixed: 1 }, 'patch', '1.2.4'],
    [{ Added: 1, Fixed: 3 }, 'minor', '1.3.0'],
    [{ Deprecated: 1 }, 'minor', '1.3.0'],
    [{ Removed: 1, Added: 1 }, 'major', '2.0.0'],
  ])('%j after 1.2.3 is a %s release: %s', (sections, bump, version) => {
    expect(proposeBump(entries(sections))).toBe(bump);
    expect(bumpVersion('1.2.3', bump as 'major')).toBe(version);
  });

  test('an entry marked Breaking makes a major release; nothing unreleased, none', () => {
    expect(proposeBump(new Map([['Changed', ['- **Breaking:** the input x is gone']]]))).toBe('major');
    expect(proposeBump(new Map())).toBeUndefined();
  });

  test('this repository’s changelog: the current version, and what its unreleased changes call for', () => {
    const parsed = parseChangelog(changelog);
    expect(parsed.latest).toMatch(/^\d+\.\d+\.\d+$/);
    expect(parsed.latest).toBe(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);
    expect(
      [...parsed.unreleased.keys()].every((kind) => /^(Added|Changed|Deprecated|Removed|Fixed|Security)$/.test(kind)),
    ).toBe(true);
  });

  test('the released changelog keeps an empty Unreleased section and links the new version', () => {
    const text =
      '## [Unreleased]\n\n### Fixed\n\n- x\n\n## [1.2.3] - 2026-01-01\n\n[Unreleased]: https://github.com/ecs-ship/ecs-ship/compare/v1.2.3...HEAD\n';
    const released = releaseChangelog(text, '1.2.3', '1.2.4', '2026-12-06');
    expect(released).toContain('## [Unreleased]\n\n## [1.2.4] - 2026-12-06\n\n### Fixed\n\n- x');
    expect(released).toContain('[Unreleased]: https://github.com/ecs-ship/ecs-ship/compare/v1.2.4...HEAD');
    expect(released).toContain('[1.2.4]: https://github.com/ecs-ship/ecs-ship/compare/v1.2.3...v1.2.4');
  });
});

describe('npm run release, in a repository', () => {
  let repository: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repository, encoding: 'utf8' }).trim();
  const release = (...args: string[]) =>
    spawnSync(tsx, [join(repoRoot, 'scripts', 'release.ts'), ...args], { cwd: repository, encoding: 'utf8' });

  beforeEach(() => {
    repository = mkdtempSync(join(tmpdir(), 'release-'));
    copyFileSync(join(repoRoot, 'CHANGELOG.md'), join(repository, 'CHANGELOG.md'));
    copyFileSync(join(repoRoot, 'package.json'), join(repository, 'package.json'));
    git('init', '--quiet');
    git('config', 'user.email', 'release@example.com');
    git('config', 'user.name', 'Release');
    git('add', '.');
    git('commit', '--quiet', '-m', 'Work');
  });
  afterEach(() => rmSync(repository, { recursive: true, force: true }));

  test('proposes the version, commits the changelog and package.json, and tags the commit', () => {
    const { latest, unreleased } = parseChangelog(changelog);
    const expected = bumpVersion(latest, proposeBump(unreleased)!);
    const result = release('--yes');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`That calls for a ${proposeBump(unreleased)} release: v${expected}.`);
    expect(git('log', '-1', '--format=%s')).toBe(`Release v${expected}`);
    expect(git('cat-file', '-t', `v${expected}`)).toBe('tag');
    expect(git('rev-parse', `v${expected}^{commit}`)).toBe(git('rev-parse', 'HEAD'));
    expect(git('tag', '-l', '--format=%(contents)', `v${expected}`)).toContain('### Changed');
    const written = readFileSync(join(repository, 'CHANGELOG.md'), 'utf8');
    expect(written).toMatch(
      new RegExp(`## \\[Unreleased\\]\\n\\n## \\[${expected.replace(/\./g, '\\.')}\\] - \\d{4}-\\d\\d-\\d\\d`),
    );
    expect(JSON.parse(readFileSync(join(repository, 'package.json'), 'utf8')).version).toBe(expected);
    expect(git('status', '--porcelain')).toBe('');
    // Released: nothing is left to release.
    const again = release('--yes');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('lists nothing under [Unreleased]');
  });

  test('refuses a working tree with uncommitted changes, and asks before changing anything', () => {
    writeFileSync(join(repository, 'notes.txt'), 'draft');
    expect(release('--yes').stderr).toContain('uncommitted changes');
    rmSync(join(repository, 'notes.txt'));
    const unconfirmed = release();
    expect(unconfirmed.status).toBe(1);
    expect(unconfirmed.stdout).toContain('Nothing changed');
    expect(git('tag', '--list')).toBe('');
  });
});
