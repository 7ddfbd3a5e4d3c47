/**
 * The AWS CLI (botocore, with its own models, retries and waiters) pointed at a sandbox, for the interop tests: a
 * client nobody here wrote reading what the actions leave behind. Debian's awscli predates AWS_ENDPOINT_URL, so
 * every call passes --endpoint-url.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface AwsCli {
  /** Runs `aws <args>` and returns its exit code and output, whatever the code. */
  run(...args: string[]): Promise<CliResult>;
  /** Runs `aws <args>` and parses its JSON answer; a non-zero exit throws with the CLI's message. */
  json(...args: string[]): Promise<any>;
}

const INSTALL =
  'The AWS CLI is not installed: apt-get install -y awscli (.ci/run does it), then run the interop suite again.';

/** A CLI for the sandbox at `endpoint` in `region`, with credentials of its own unless `credentials` are given. */
export function awsCli(
  endpoint: string,
  region: string,
  credentials: { accessKeyId: string; secretAccessKey: string } = {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  },
): AwsCli {
  const home = mkdtempSync(join(tmpdir(), 'awscli-'));
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const run = (...args: string[]): Promise<CliResult> => {
    if (spawnSync('aws', ['--version']).status !== 0) throw new Error(INSTALL);
    const argv = [...args, '--endpoint-url', endpoint, '--region', region, '--output', 'json'];
    return new Promise((resolve) => {
      execFile('aws', argv, { env, timeout: 110_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      });
    });
  };
  return {
    run,
    async json(...args) {
      const result = await run(...args);
      if (result.code !== 0) throw new Error(`aws ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
      return JSON.parse(result.stdout);
    },
  };
}
