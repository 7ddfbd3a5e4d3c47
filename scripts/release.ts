/**
 * `npm run release [-- --yes] [-- --version X.Y.Z]`: prepares a release from CHANGELOG.md.
 *
 * It reads the `Unreleased` section and proposes the next version (a `Removed` entry or one marked **Breaking** makes
 * a major release; `Added`, `Changed` or `Deprecated` a minor one; `Fixed` or `Security` alone a patch), asks to
 * confirm (or takes `--yes`), moves the entries under the new version's heading with today's date, sets the version
 * in package.json, commits both, and creates the annotated tag `vX.Y.Z`. Nothing is pushed: the script prints the
 * commands that publish the release, and publishing it on GitHub runs .github/workflows/release.yml, which checks
 * dist/ and moves the major tag (`v1`) to the release.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';

export type Bump = 'major' | 'minor' | 'patch';

export interface Changelog {
  /** The newest released version, from the first `## [X.Y.Z]` heading. */
  latest: string;
  /** `### <kind>` → its entries, under `## [Unreleased]`. */
  unreleased: Map<string, string[]>;
}

const VERSION = /^(\d+)\.(\d+)\.(\d+)$/;

export function parseChangelog(text: string): Changelog {
  const unreleasedAt = text.search(/^## \[Unreleased\][ \t]*$/m);
  if (unreleasedAt < 0) throw new Error('CHANGELOG.md has no "## [Unreleased]" section');
  const latest = /^## \[(\d+\.\d+\.\d+)\]/m.exec(text)?.[1];
  if (!latest) throw new Error('CHANGELOG.md has no released version ("## [X.Y.Z] - date")');
  const body = text
    .slice(unreleasedAt)
    .split(/^## \[/m)[1]!
    .split('\n')
    .slice(1);
  const unreleased = new Map<string, string[]>();
  let kind: string | undefined;
  for (const line of body) {
    const heading = /^### (\w+)/.exec(line);
    if (heading) kind = heading[1]!;
    else if (kind && /^- /.test(line)) unreleased.set(kind, [...(unreleased.get(kind) ?? []), line]);
    else if (kind && /^\s+\S/.test(line) && unreleased.get(kind)?.length) {
      const entries = unreleased.get(kind)!;
      entries[entries.length - 1] += `\n${line}`;
    }
  }
  return { latest, unreleased };
}

/** What the unreleased entries call for, or undefined when there are none. */
export function proposeBump(unreleased: Map<string, string[]>): Bump | undefined {
  const entries = (kind: string) => unreleased.get(kind) ?? [];
  const all = [...unreleased.values()].flat();
  if (all.length === 0) return undefined;
  if (entries('Removed').length > 0 || all.some((entry) => /\*\*Breaking\b/i.test(entry))) return 'major';
  if (['Added', 'Changed', 'Deprecated'].some((kind) => entries(kind).length > 0)) return 'minor';
  return 'patch';
}

export function bumpVersion(version: string, bump: Bump): string {
  const [, major, minor, patch] = VERSION.exec(version)!.map(Number) as [number, number, number, number];
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** The changelog with the unreleased entries under `## [version] - date` and the compare links updated. */
export function releaseChangelog(text: string, previous: string, version: string, date: string): string {
  const withHeading = text.replace(/^## \[Unreleased\][ \t]*$/m, `## [Unreleased]\n\n## [${version}] - ${date}`);
  const repository = /^\[Unreleased\]: (https:\/\/github\.com\/[^/]+\/[^/]+)\/compare\//m.exec(text)?.[1];
  if (!repository) return withHeading;
  return withHeading.replace(
    /^\[Unreleased\]: .*$/m,
    `[Unreleased]: ${repository}/compare/v${version}...HEAD\n[${version}]: ${repository}/compare/v${previous}...v${version}`,
  );
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { yes: { type: 'boolean' }, version: { type: 'string' } } });
  const cwd = process.cwd();
  if (git(cwd, 'status', '--porcelain') !== '') {
    console.error('The working tree has uncommitted changes: commit or stash them first.');
    return 1;
  }
  const changelogPath = join(cwd, 'CHANGELOG.md');
  const text = readFileSync(changelogPath, 'utf8');
  const changelog = parseChangelog(text);
  const bump = proposeBump(changelog.unreleased);
  if (!bump) {
    console.error('CHANGELOG.md lists nothing under [Unreleased]: add the changes of this release there first.');
    return 1;
  }
  const proposed = bumpVersion(changelog.latest, bump);
  const version = values.version ?? proposed;
  if (!VERSION.exec(version)) {
    console.error(`--version ${version} is not a version X.Y.Z`);
    return 1;
  }
  if (git(cwd, 'tag', '--list', `v${version}`) !== '') {
    console.error(`The tag v${version} exists already.`);
    return 1;
  }
  const kinds = [...changelog.unreleased].map(([kind, entries]) => `${entries.length} ${kind}`).join(', ');
  console.log(
    `Latest release: v${changelog.latest}. Unreleased: ${kinds}. That calls for a ${bump} release: v${proposed}.`,
  );
  if (!values.yes && !(await confirm(`Release v${version}?`))) {
    console.log('Nothing changed. Run again with --yes (or answer y) to release.');
    return 1;
  }

  const date = new Date().toISOString().slice(0, 10);
  writeFileSync(changelogPath, releaseChangelog(text, changelog.latest, version, date));
  const packagePath = join(cwd, 'package.json');
  const manifest = readFileSync(packagePath, 'utf8');
  writeFileSync(packagePath, manifest.replace(/^(\s*"version":\s*")[^"]*(")/m, `$1${version}$2`));
  git(cwd, 'add', 'CHANGELOG.md', 'package.json');
  git(cwd, 'commit', '--quiet', '-m', `Release v${version}`);
  // The tag's message is the release's changelog section, so `--notes-from-tag` publishes it as the release notes.
  const notes = [...changelog.unreleased].map(([kind, entries]) => `### ${kind}\n\n${entries.join('\n')}`);
  // verbatim: git would otherwise drop the `###` headings as comment lines.
  const message = [`v${version}`, ...notes].join('\n\n');
  git(cwd, 'tag', '--annotate', '--cleanup=verbatim', `v${version}`, '--message', message);
  console.log(`Committed "Release v${version}" and tagged it v${version}. To publish it:`);
  console.log(`  git push origin HEAD v${version}`);
  console.log(`  gh release create v${version} --verify-tag --title v${version} --notes-from-tag`);
  console.log(
    `Publishing the release runs .github/workflows/release.yml, which checks dist/ and moves v${version.split('.')[0]}.`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
