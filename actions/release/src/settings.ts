import { isFullSha, type InputReader } from '@ecs-ship/action-kit';

export const STAGES = ['notify', 'image', 'migrate', 'deploy', 'smoke', 'tag'] as const;
export type Stage = (typeof STAGES)[number];

export interface ReleaseSettings {
  environment: string;
  sha: string;
  configPath: string;
  stages: Stage[];
  dryRun: boolean;
  githubToken?: string;
}

export function readSettings(inputs: InputReader): ReleaseSettings {
  const environment = inputs.string('environment', {
    required: true,
    pattern: /^[A-Za-z0-9_.-]{1,64}$/,
    describe: 'an environment name (letters, digits, ".", "_" and "-")',
    hint: 'Name an environment from the config file, for example "staging"',
  });
  const sha = inputs.string('sha', { required: true, hint: 'Give the full 40-character commit SHA to release' });
  if (sha !== undefined && !isFullSha(sha)) {
    inputs.fail(
      'sha',
      `"${sha}" is not a full commit SHA`,
      'Give all 40 lowercase hexadecimal characters, not a short SHA or a branch',
    );
  }
  const configPath = inputs.string('config', { required: true, hint: 'Give the path of the release config file' });
  const stageNames = inputs.list('stages');
  const stages: Stage[] = [];
  for (const name of stageNames.length === 0 || stageNames.includes('all') ? [...STAGES] : stageNames) {
    if ((STAGES as readonly string[]).includes(name)) stages.push(name as Stage);
    else inputs.fail('stages', `"${name}" is not a stage`, `Use "all" or some of ${STAGES.join(', ')}`);
  }
  const dryRun = inputs.boolean('dry-run', { default: false });
  const githubToken = inputs.secret('github-token');
  return { environment: environment ?? '', sha: sha ?? '', configPath: configPath ?? '', stages, dryRun, githubToken };
}
