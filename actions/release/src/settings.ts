import { FULL_SHA, type InputReader } from '@ecs-ship/action-kit';
import { ENVIRONMENT_NAME, STAGE_NAMES, type StageName } from '@ecs-ship/pipeline/rules';

export interface ReleaseSettings {
  environment: string;
  sha: string;
  configPath: string;
  stages: StageName[];
  dryRun: boolean;
  githubToken?: string;
}

export function readSettings(inputs: InputReader): ReleaseSettings {
  const environment = inputs.string('environment', {
    required: true,
    rule: ENVIRONMENT_NAME,
    hint: 'Name an environment from the config file, for example "staging"',
  });
  const sha = inputs.string('sha', {
    required: true,
    rule: FULL_SHA,
    hint: 'Give the full 40-character commit SHA to release',
  });
  const configPath = inputs.string('config', { required: true, hint: 'Give the path of the release config file' });
  const stageNames = inputs.list('stages');
  const stages: StageName[] = [];
  for (const name of stageNames.length === 0 || stageNames.includes('all') ? [...STAGE_NAMES] : stageNames) {
    if ((STAGE_NAMES as readonly string[]).includes(name)) stages.push(name as StageName);
    else inputs.fail('stages', `"${name}" is not a stage`, `Use "all" or some of ${STAGE_NAMES.join(', ')}`);
  }
  const dryRun = inputs.boolean('dry-run', { default: false });
  const githubToken = inputs.secret('github-token');
  return { environment: environment ?? '', sha: sha ?? '', configPath: configPath ?? '', stages, dryRun, githubToken };
}
