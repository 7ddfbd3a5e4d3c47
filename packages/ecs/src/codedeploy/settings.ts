/**
 * The CodeDeploy inputs, named as the official ECS deploy action names them where they mean the same
 * (`codedeploy-appspec`, `codedeploy-application`, `codedeploy-deployment-group`, `codedeploy-deployment-config`,
 * `codedeploy-deployment-description`), plus the smoke checks this step runs during a ready wait. All are checked
 * before any AWS call; they apply only to services under the CODE_DEPLOY deployment controller.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { InputReader } from '@ecs-ship/action-kit';
import { BASE_URL, PROBE_DEFAULTS, WAIT_FOR_HEALTHY } from '@ecs-ship/probe/rules';
import { CODEDEPLOY_DESCRIPTION, CODEDEPLOY_NAME } from '../rules.js';
import type { CodeDeployOptions } from './options.js';

/**
 * The inputs as read: names checked, the AppSpec file read, the checks' text kept. Their YAML is parsed by
 * `parseCodeDeployInputs` (./parse-inputs.ts), loaded with the rest of the step, still before any AWS call: the
 * YAML parser stays out of the action's start-up.
 */
export type CodeDeployInputs = Omit<CodeDeployOptions, 'appSpec' | 'smoke'> & {
  appSpec?: { path: string; text: string };
  smoke?: { text: string; baseUrl?: string; waitForHealthyMs: number };
};

export function readCodeDeploySettings(inputs: InputReader, workspace: string): CodeDeployInputs | undefined {
  const application = inputs.string('codedeploy-application', { rule: CODEDEPLOY_NAME });
  const deploymentGroup = inputs.string('codedeploy-deployment-group', { rule: CODEDEPLOY_NAME });
  const deploymentConfig = inputs.string('codedeploy-deployment-config', { rule: CODEDEPLOY_NAME });
  const description = inputs.string('codedeploy-deployment-description', { rule: CODEDEPLOY_DESCRIPTION });
  const appSpec = readAppSpec(inputs, workspace);
  const smoke = readSmokeChecks(inputs);
  const options: CodeDeployInputs = {
    application,
    deploymentGroup,
    deploymentConfig,
    description,
    appSpec,
    smoke,
  };
  return Object.values(options).some((value) => value !== undefined) ? options : undefined;
}

function readAppSpec(inputs: InputReader, workspace: string): CodeDeployInputs['appSpec'] {
  const path = inputs.string('codedeploy-appspec');
  if (path === undefined) return undefined;
  try {
    return { path, text: readFileSync(resolve(workspace, path), 'utf8') };
  } catch (error) {
    inputs.fail(
      'codedeploy-appspec',
      `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      'Give the path of the AppSpec file, relative to the workspace',
    );
    return undefined;
  }
}

function readSmokeChecks(inputs: InputReader): CodeDeployInputs['smoke'] {
  const text = inputs.raw('codedeploy-smoke-checks');
  const baseUrl = inputs.string('codedeploy-test-listener-url', { rule: BASE_URL });
  const waitForHealthyMs = inputs.duration('codedeploy-smoke-wait-seconds', {
    unit: 's',
    ...WAIT_FOR_HEALTHY,
    default: PROBE_DEFAULTS.waitForHealthySeconds * 1000,
  });
  if (text.trim() === '') {
    if (baseUrl !== undefined) {
      inputs.fail(
        'codedeploy-test-listener-url',
        'it is set but "codedeploy-smoke-checks" is not',
        'Give the checks to run against it in "codedeploy-smoke-checks", or remove it',
      );
    }
    return undefined;
  }
  return { text, baseUrl, waitForHealthyMs };
}
