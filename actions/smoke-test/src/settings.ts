import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { readProgressInterval, type InputReader, type Rule } from '@ecs-ship/action-kit';
import type { ProbeSettings, VersionSource } from '@ecs-ship/probe';
import {
  BASE_URL,
  CONSECUTIVE_SUCCESSES,
  HEADER_NAME,
  JSON_PATH,
  PROBE_DEFAULTS,
  REQUEST_TIMEOUT,
  WAIT_FOR_HEALTHY,
} from '@ecs-ship/probe/rules';

/** Everything the smoke test needs, read from the inputs with light code only (the YAML is parsed later). */
export interface SmokeSettings {
  /** The checks' YAML text and the input it came from (named in errors). */
  checksText: string;
  checksInput: 'checks' | 'checks-file';
  baseUrl?: URL;
  probe: ProbeSettings;
  failOnError: boolean;
  /** The longest the log stays quiet during the warm-up. */
  progressIntervalMs: number;
}

const VERSION: Rule = {
  what: 'a version without spaces',
  fix: 'Give the version the service shows, such as the commit SHA',
  pattern: /^\S+$/,
};

export function readSettings(inputs: InputReader): SmokeSettings {
  const inline = inputs.raw('checks');
  const file = inputs.string('checks-file');
  let checksText = inline;
  let checksInput: SmokeSettings['checksInput'] = 'checks';
  if (inline && file) {
    inputs.fail('checks-file', 'it is given together with "checks"', 'Give the checks inline or in a file, not both');
  } else if (file) {
    checksInput = 'checks-file';
    checksText = readChecksFile(inputs, file) ?? '';
  } else if (!inline) {
    inputs.fail('checks', 'no checks were given', 'Set "checks" to a YAML list of checks, or "checks-file" to a file');
  }

  const baseUrl = inputs.string('base-url', { rule: BASE_URL });
  const waitForHealthyMs = inputs.duration('wait-for-healthy-seconds', {
    unit: 's',
    ...WAIT_FOR_HEALTHY,
    default: PROBE_DEFAULTS.waitForHealthySeconds * 1000,
  });
  const progressIntervalMs = readProgressInterval(inputs);
  const consecutiveSuccesses = inputs.integer('consecutive-successes', {
    ...CONSECUTIVE_SUCCESSES,
    default: PROBE_DEFAULTS.consecutiveSuccesses,
  });
  const samples = inputs.integer('samples', { min: 1, max: 1000, default: 1 });
  const concurrency = inputs.integer('concurrency', { min: 1, max: 100, default: 10 });
  const requestTimeoutMs = inputs.duration('request-timeout-seconds', {
    unit: 's',
    ...REQUEST_TIMEOUT,
    default: PROBE_DEFAULTS.requestTimeoutSeconds * 1000,
  });
  const expectVersion = inputs.string('expect-version', { rule: VERSION });
  const versionHeader = inputs.string('version-header', { rule: HEADER_NAME });
  const versionJsonPath = inputs.string('version-json-path', { rule: JSON_PATH });
  const maxErrorRate = readErrorRate(inputs);
  const maxRedirects = inputs.integer('max-redirects', { min: 0, max: 20, default: 5 });
  const failOnError = inputs.boolean('fail-on-error', { default: true });

  if (versionHeader && versionJsonPath) {
    inputs.fail(
      'version-json-path',
      'it is given together with "version-header"',
      'Say where the version is shown with one of them',
    );
  }
  const versionSource: VersionSource = versionHeader
    ? { kind: 'header', name: versionHeader }
    : versionJsonPath
      ? { kind: 'json', path: versionJsonPath }
      : { kind: 'body' };

  return {
    checksText,
    checksInput,
    ...(baseUrl ? { baseUrl: new URL(baseUrl) } : {}),
    probe: {
      waitForHealthyMs,
      consecutiveSuccesses,
      samples,
      concurrency,
      requestTimeoutMs,
      maxRedirects,
      maxErrorRate,
      ...(expectVersion ? { expectVersion } : {}),
      versionSource,
    },
    failOnError,
    progressIntervalMs,
  };
}

function readChecksFile(inputs: InputReader, file: string): string | undefined {
  const path = isAbsolute(file) ? file : resolve(process.env.GITHUB_WORKSPACE || process.cwd(), file);
  try {
    const text = readFileSync(path, 'utf8');
    if (text.trim() === '') return inputs.fail('checks-file', `${file} is empty`, 'Write the list of checks in it');
    return text;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return inputs.fail(
      'checks-file',
      code === 'ENOENT' ? `${file} does not exist` : `${file} cannot be read (${code ?? (error as Error).message})`,
      'Give a path relative to the workspace, and check out the repository before this step',
    );
  }
}

/** A fraction from 0 to 1, or a percentage such as 5%. */
function readErrorRate(inputs: InputReader): number {
  const text = inputs.raw('max-error-rate');
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  const rate = percent ? Number(percent[1]) / 100 : inputs.decimal('max-error-rate', { min: 0, max: 1, default: 0 });
  if (rate === undefined) return 0;
  if (percent && rate > 1) {
    inputs.fail(
      'max-error-rate',
      `${text} is above 100%`,
      'Use a share from 0 to 1, such as 0.05, or a percentage such as 5%',
    );
    return 0;
  }
  return rate;
}
