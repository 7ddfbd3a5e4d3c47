/**
 * Models of the third-party actions the workflows use. Each does, against the sandbox and the docker test double,
 * the part of the real action that can make a job fail, with the real action's messages:
 * - actions/checkout reads the commit with the job's token, so a job without `contents: read` fails with GitHub's 403
 *   (the repository is treated as private, where a clone needs the scope);
 * - aws-actions/configure-aws-credentials with `role-to-assume` needs the OIDC request variables that the runner only
 *   sets with `id-token: write`; without them it prints the real action's hint and error;
 * - docker/setup-buildx-action and docker/setup-qemu-action run the docker commands the real ones run
 *   (`docker buildx create --use`, `docker run ... tonistiigi/binfmt --install`), which the docker double records.
 * The others succeed and declare the real action's outputs.
 */
import { spawn } from 'node:child_process';

export interface ThirdPartyStep {
  uses: string;
  with: Record<string, string>;
  env: Record<string, string>;
  workspace: string;
  job: { token: string; apiUrl: string; repository: string; sha: string };
}

export interface ThirdPartyResult {
  outcome: 'success' | 'failure';
  outputs: Record<string, string>;
  /** Variables the action writes to GITHUB_ENV. */
  exported?: Record<string, string>;
  log: string[];
}

interface Model {
  /** The real action's outputs, so that a workflow referring to another one fails before it runs. */
  outputs: string[];
  required?: string[];
  run?(step: ThirdPartyStep): Promise<ThirdPartyResult>;
}

const ok = (outputs: Record<string, string> = {}, log: string[] = []): ThirdPartyResult => ({
  outcome: 'success',
  outputs,
  log,
});
const failed = (...log: string[]): ThirdPartyResult => ({ outcome: 'failure', outputs: {}, log });

async function checkout(step: ThirdPartyStep): Promise<ThirdPartyResult> {
  const repository = step.with.repository || step.job.repository;
  const ref = step.with.ref || step.job.sha;
  const token = step.with.token || step.job.token;
  const response = await fetch(`${step.job.apiUrl}/repos/${repository}/commits/${encodeURIComponent(ref)}`, {
    headers: { authorization: `token ${token}`, accept: 'application/vnd.github+json' },
  });
  const body = (await response.json()) as { sha?: string; message?: string };
  if (!response.ok) return failed(`::error::Fetching ${repository}@${ref}: ${response.status} ${body.message}`);
  return ok({ ref, commit: body.sha ?? ref }, [`Checked out ${repository}@${body.sha}`]);
}

async function configureAwsCredentials(step: ThirdPartyStep): Promise<ThirdPartyResult> {
  const input = step.with;
  const log: string[] = [];
  const oidc = Boolean(step.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
  const otherSource = input['aws-access-key-id'] || input['web-identity-token-file'] || input['role-chaining'];
  if (input['role-to-assume'] && !otherSource && !oidc) {
    log.push(
      'It looks like you might be trying to authenticate with OIDC. Did you mean to set the `id-token` permission? ' +
        'If you are not trying to authenticate with OIDC and the action is working successfully, you can ignore this message.',
    );
    // A hosted runner has no other credentials for the SDK's default chain to find.
    log.push(
      '::error::Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers',
    );
    return { outcome: 'failure', outputs: {}, log };
  }
  const region = input['aws-region']!;
  return {
    outcome: 'success',
    outputs: {},
    exported: { AWS_REGION: region, AWS_DEFAULT_REGION: region },
    log: [`Assuming role with OIDC: ${input['role-to-assume'] ?? '(none)'}`],
  };
}

/** Runs `docker <args>` (the double on the PATH the runner gives), returning its output lines and exit code. */
function docker(args: string[], env: Record<string, string>): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve) => {
    const child = spawn('docker', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolve({ code: 127, lines: [error.message] }));
    child.on('close', (code) => resolve({ code, lines: output.split('\n').filter(Boolean) }));
  });
}

async function setupBuildx(step: ThirdPartyStep): Promise<ThirdPartyResult> {
  const driver = step.with.driver || 'docker-container';
  const name = step.with.name || `builder-${step.job.sha.slice(0, 8)}`;
  const created = await docker(['buildx', 'create', '--name', name, '--driver', driver, '--use'], step.env);
  if (created.code !== 0) return failed(...created.lines, `::error::docker buildx create failed`);
  const inspected = await docker(['buildx', 'inspect', '--bootstrap', '--builder', name], step.env);
  if (inspected.code !== 0) return failed(...inspected.lines, `::error::docker buildx inspect failed`);
  const platforms = /^Platforms:\s*(.*)$/m.exec(inspected.lines.join('\n'))?.[1] ?? '';
  return ok({ name, driver, platforms: platforms.replace(/\s+/g, ''), status: 'running' }, inspected.lines);
}

async function setupQemu(step: ThirdPartyStep): Promise<ThirdPartyResult> {
  const image = step.with.image || 'docker.io/tonistiigi/binfmt:latest';
  const platforms = step.with.platforms || 'all';
  const installed = await docker(['run', '--rm', '--privileged', image, '--install', platforms], step.env);
  if (installed.code !== 0) return failed(...installed.lines, '::error::Installing QEMU static binaries failed');
  return ok({ platforms: installed.lines.at(-1) ?? '' }, installed.lines);
}

const MODELS: Record<string, Model> = {
  'actions/checkout': { outputs: ['ref', 'commit'], run: checkout },
  'actions/setup-node': { outputs: ['cache-hit', 'cache-primary-key', 'cache-matched-key', 'node-version'] },
  'actions/upload-artifact': { outputs: ['artifact-id', 'artifact-url', 'artifact-digest'], required: ['path'] },
  'aws-actions/configure-aws-credentials': {
    outputs: ['aws-account-id', 'aws-access-key-id', 'aws-secret-access-key', 'aws-session-token', 'aws-expiration'],
    required: ['aws-region'],
    run: configureAwsCredentials,
  },
  'docker/setup-buildx-action': {
    outputs: ['name', 'driver', 'platforms', 'nodes', 'endpoint', 'status', 'flags'],
    run: setupBuildx,
  },
  'docker/setup-qemu-action': { outputs: ['platforms'], run: setupQemu },
  'github/codeql-action/init': { outputs: ['codeql-path', 'codeql-version'] },
  'github/codeql-action/autobuild': { outputs: [] },
  'github/codeql-action/analyze': { outputs: ['db-locations', 'sarif-output', 'sarif-id'] },
};

/** `owner/repo[/path]` of a `uses:` value, without the ref. */
export function actionKey(uses: string): string {
  return uses.replace(/@.*$/, '');
}

export function modelled(uses: string): Model | undefined {
  return MODELS[actionKey(uses)];
}

/** Runs a modelled third-party step; an action without a model cannot be run. */
export async function runThirdParty(step: ThirdPartyStep): Promise<ThirdPartyResult> {
  const model = modelled(step.uses);
  if (!model) throw new Error(`Third-party action ${step.uses} has no model in the workflow runner`);
  if (!/@[0-9a-f]{40}$/.test(step.uses))
    throw new Error(`Third-party action ${step.uses} is not pinned to a full commit SHA`);
  const missing = (model.required ?? []).filter((input) => !step.with[input]);
  if (missing.length > 0) return failed(`::error::Input required and not supplied: ${missing[0]}`);
  return model.run ? model.run(step) : ok();
}
