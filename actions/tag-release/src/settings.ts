import { WEB_URL, isFullSha, problemWith, type InputReader } from '@ecs-ship/action-kit';
import {
  DEPLOYMENT_STATES,
  isPlaceholder,
  placeholdersIn,
  renderTagTemplate,
  tagNameProblem,
  TAG_NAME,
  TAG_NAME_RULES,
  type DeploymentState,
  type MakeLatest,
  type TagChoice,
} from '@ecs-ship/github-release/light';

/** Everything the step needs, read from its inputs and checked before any call to GitHub. */
export interface TagReleaseSettings {
  sha: string;
  /** Undefined: record the deployment only (a failed one, with neither "tag" nor "bump"). */
  tag?: TagChoice;
  message?: string;
  release?: { name?: string; generateNotes: boolean; prerelease: boolean; makeLatest: MakeLatest | 'auto' };
  deployment?: { environment: string; state: DeploymentState; environmentUrl?: string };
  details: Record<string, unknown>;
  token: string;
}

const BUMPS = ['patch', 'minor', 'major'] as const;
/** Deployment states recorded without a tag when neither "tag" nor "bump" is given. */
const UNTAGGED_STATES = new Set<string>(['failure', 'error']);
const MAKE_LATEST = ['auto', 'true', 'false', 'legacy'] as const;

/**
 * Reads every input declared in action.yml (all of them on every run, even when an earlier one is bad) and checks
 * them together with the runner's variables they depend on (GITHUB_SHA, GITHUB_RUN_ID).
 */
export function readSettings(
  inputs: InputReader,
  env: NodeJS.ProcessEnv = process.env,
  now: Date = new Date(),
): TagReleaseSettings {
  const sha = readSha(inputs, env);

  const template = inputs.string('tag');
  const bump = inputs.enumeration('bump', BUMPS);
  const prefix = inputs.string('prefix') ?? '';
  const includePrereleases = inputs.boolean('include-prereleases', { default: false });
  const message = inputs.string('message');

  const createRelease = inputs.boolean('create-release', { default: false });
  const releaseName = inputs.string('release-name');
  const generateNotes = inputs.boolean('generate-notes', { default: true });
  const prerelease = inputs.boolean('prerelease', { default: false });
  const makeLatest = inputs.enumeration('make-latest', MAKE_LATEST, { default: 'auto' });

  const environment = inputs.string('deployment-environment');
  const state = inputs.enumeration('deployment-state', DEPLOYMENT_STATES, { default: 'success' });
  const environmentUrl = inputs.string('environment-url');
  const details = inputs.json('details', plainObject) ?? {};
  const token = inputs.secret('token', {
    required: true,
    hint: 'Pass a token with contents: write (the default is ${{ github.token }})',
  });

  // A failed deployment is recorded without a tag: tags mark what was released.
  const recordOnly =
    environment !== undefined && UNTAGGED_STATES.has(state) && template === undefined && inputs.raw('bump') === '';
  const tag = recordOnly
    ? undefined
    : chooseTag(inputs, { template, bump, prefix, includePrereleases, environment, sha, env, now });
  if (recordOnly && createRelease) {
    inputs.fail(
      'create-release',
      `a ${state} deployment is recorded without a tag, and a release needs one`,
      'Remove "create-release", or give "tag" or "bump"',
    );
  }

  if (releaseName !== undefined && !createRelease) {
    inputs.fail(
      'release-name',
      'it is set but "create-release" is false',
      'Set "create-release: true", or remove "release-name"',
    );
  }
  if (createRelease && prerelease && makeLatest === 'true') {
    inputs.fail(
      'make-latest',
      'a pre-release cannot be the latest release',
      'Use "auto" or "false" with "prerelease: true"',
    );
  }
  if (environment !== undefined) {
    if (
      environment.length > 255 ||
      [...environment].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)
    ) {
      inputs.fail(
        'deployment-environment',
        `"${environment}" is not an environment name`,
        'Use at most 255 printable characters, for example "production"',
      );
    }
  }
  if (environmentUrl !== undefined) {
    if (environment === undefined) {
      inputs.fail(
        'environment-url',
        'it is set but "deployment-environment" is not',
        'Set "deployment-environment" too, or remove "environment-url"',
      );
    } else {
      const problem = problemWith(WEB_URL, environmentUrl);
      if (problem) inputs.fail('environment-url', problem, WEB_URL.fix);
    }
  }

  return {
    sha: sha ?? '',
    tag,
    message,
    release: createRelease ? { name: releaseName, generateNotes, prerelease, makeLatest } : undefined,
    deployment: environment !== undefined ? { environment, state, environmentUrl } : undefined,
    details,
    token,
  };
}

function readSha(inputs: InputReader, env: NodeJS.ProcessEnv): string | undefined {
  const given = inputs.string('sha');
  const sha = (given ?? env.GITHUB_SHA ?? '').trim();
  if (sha === '') {
    return inputs.fail('sha', 'it is empty and GITHUB_SHA is not set', 'Pass the full 40-character commit SHA');
  }
  const lower = sha.toLowerCase();
  if (isFullSha(lower)) return lower;
  const problem = /^[0-9a-f]{4,39}$/.test(lower)
    ? `"${sha}" is a short SHA (${sha.length} characters): a short SHA can become ambiguous as the repository grows`
    : `"${sha}" is not a commit SHA`;
  return inputs.fail('sha', problem, 'Pass the full 40-character SHA, for example ${{ github.sha }}');
}

function chooseTag(
  inputs: InputReader,
  given: {
    template?: string;
    bump?: (typeof BUMPS)[number];
    prefix: string;
    includePrereleases: boolean;
    environment?: string;
    sha?: string;
    env: NodeJS.ProcessEnv;
    now: Date;
  },
): TagChoice | undefined {
  const { template, bump, prefix, includePrereleases } = given;
  // An unparseable bump was already reported; do not also complain that neither tag nor bump is set.
  const bumpGiven = bump !== undefined || inputs.raw('bump') !== '';
  if (template !== undefined && bumpGiven) {
    return inputs.fail('tag', 'it is set together with "bump"', 'Give either a tag template or a bump, not both');
  }
  if (template === undefined && !bumpGiven) {
    return inputs.fail(
      'tag',
      'neither "tag" nor "bump" is set',
      'Set "tag" (for example production-{date}-{sha7}) or "bump: patch"; only a deployment recorded as failure or error goes untagged',
    );
  }
  if (!bumpGiven && prefix !== '') {
    inputs.fail('prefix', 'it only applies to "bump"', 'Remove "prefix", or write it into the "tag" template');
  }
  if (!bumpGiven && includePrereleases) {
    inputs.fail('include-prereleases', 'it only applies to "bump"', 'Remove "include-prereleases"');
  }
  if (bumpGiven) {
    const problem = tagNameProblem(`${prefix}0.0.0`);
    if (problem) return inputs.fail('prefix', `"${prefix}" cannot start a tag name: ${problem}`, TAG_NAME_RULES);
    return bump === undefined ? undefined : { kind: 'bump', level: bump, prefix, includePrereleases };
  }
  return renderTemplate(inputs, template!, given);
}

function renderTemplate(
  inputs: InputReader,
  template: string,
  given: { environment?: string; sha?: string; env: NodeJS.ProcessEnv; now: Date },
): TagChoice | undefined {
  const used = placeholdersIn(template);
  const unknown = used.find((name) => !isPlaceholder(name));
  if (unknown !== undefined) {
    return inputs.fail('tag', `"{${unknown}}" is not a placeholder`, 'Use {env}, {date}, {time}, {sha7} or {run}');
  }
  if (used.includes('env') && given.environment === undefined) {
    return inputs.fail(
      'tag',
      'it uses {env} but "deployment-environment" is not set',
      'Set "deployment-environment", or write the environment into the template',
    );
  }
  const run = given.env.GITHUB_RUN_ID?.trim();
  if (used.includes('run') && !run) {
    return inputs.fail('tag', 'it uses {run} but GITHUB_RUN_ID is not set', 'Remove {run} outside GitHub Actions');
  }
  // Without a valid SHA "sha" is already reported; a stand-in still lets the name itself be checked.
  const sha = given.sha ?? '0000000000000000000000000000000000000000';
  const name = renderTagTemplate(template, { env: given.environment, at: given.now, sha, run });
  const problem = problemWith(TAG_NAME, name);
  return problem ? inputs.fail('tag', problem, TAG_NAME.fix) : { kind: 'name', name };
}

function plainObject(value: unknown): { value: Record<string, unknown> } | { problem: string; fix: string } {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return { value: value as Record<string, unknown> };
  }
  return {
    problem: `it is ${Array.isArray(value) ? 'an array' : `a ${value === null ? 'null' : typeof value}`}, not an object`,
    fix: 'Pass a JSON object, for example {"image": "repo@sha256:..."}',
  };
}
