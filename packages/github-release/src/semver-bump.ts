import semver from 'semver';

export type BumpLevel = 'patch' | 'minor' | 'major';

export interface BumpOptions {
  level: BumpLevel;
  /** Written in front of the new version, e.g. `v` or `api-v`. */
  prefix: string;
  /** Count pre-release tags (`v2.0.0-rc.1`) when looking for the highest version. */
  includePrereleases: boolean;
}

export interface BumpResult {
  /** The new tag, prefix included. */
  tag: string;
  version: string;
  /** The tag the new version was counted from; undefined when the series has no tag yet (counted from 0.0.0). */
  previousTag?: string;
  previousVersion?: string;
}

/** Strict SemVer 2.0.0 (no leading zeros, no `v`, no loose forms such as `1.2`). */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/**
 * The version a tag carries in the series of `prefix`, or undefined when the tag is not part of that series.
 * A `v` right before the version is optional on either side, as git users write both `v1.2.3` and `1.2.3` for
 * the same release: with prefix `v` (or none) both count, with prefix `api-v` both `api-v1.2.3` and `api-1.2.3`
 * count, while `api-v2.0.0` is not part of the series of prefix `v`.
 */
export function versionInSeries(tag: string, prefix: string): string | undefined {
  const base = prefix.endsWith('v') ? prefix.slice(0, -1) : prefix;
  if (!tag.startsWith(base)) return undefined;
  let rest = tag.slice(base.length);
  if (rest.startsWith('v')) rest = rest.slice(1);
  return SEMVER.test(rest) ? rest : undefined;
}

/**
 * The next version after the highest semver tag of the series. Tags that are not semver, belong to another prefix,
 * or are pre-releases (unless asked for) are ignored. Build metadata does not order versions (SemVer §10).
 * With no tag in the series the count starts from 0.0.0 (patch → 0.0.1, minor → 0.1.0, major → 1.0.0).
 */
export function nextVersion(tags: readonly string[], options: BumpOptions): BumpResult {
  let highest: { tag: string; version: string } | undefined;
  for (const tag of tags) {
    const version = versionInSeries(tag, options.prefix);
    if (version === undefined) continue;
    if (!options.includePrereleases && semver.prerelease(version) !== null) continue;
    if (highest === undefined || semver.gt(version, highest.version)) highest = { tag, version };
  }
  const version = semver.inc(highest?.version ?? '0.0.0', options.level);
  if (version === null) throw new Error(`Cannot bump ${highest?.version ?? '0.0.0'} by ${options.level}`);
  return {
    tag: `${options.prefix}${version}`,
    version,
    previousTag: highest?.tag,
    previousVersion: highest?.version,
  };
}
