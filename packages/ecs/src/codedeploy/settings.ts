/**
 * The CodeDeploy inputs, named as the official ECS deploy action names them where they mean the same
 * (`codedeploy-appspec`, `codedeploy-application`, `codedeploy-deployment-group`, `codedeploy-deployment-config`,
 * `codedeploy-deployment-description`), plus the smoke checks this step runs during a ready wait. All are checked
 * before any AWS call; they apply only to services under the CODE_DEPLOY deployment controller.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { InputReader } from '@ecs-ship/action-kit';
import { parseChecks } from '@ecs-ship/probe/parse-checks';
import { BASE_URL, PROBE_DEFAULTS, WAIT_FOR_HEALTHY } from '@ecs-ship/probe/rules';
import { parse } from 'yaml';
import { CODEDEPLOY_NAME } from '../rules.js';
import { appSpecProblem } from './appspec.js';
import type { CodeDeployOptions } from './options.js';

/** The probe's settings besides the warm-up window: the smoke-test action's defaults. */
const READY_PROBE = {
  consecutiveSuccesses: PROBE_DEFAULTS.consecutiveSuccesses,
  samples: 1,
  concurrency: 10,
  requestTimeoutMs: PROBE_DEFAULTS.requestTimeoutSeconds * 1000,
  maxRedirects: 5,
  maxErrorRate: 0,
  versionSource: { kind: 'body' },
} as const;

export function readCodeDeploySettings(inputs: InputReader, workspace: string): CodeDeployOptions | undefined {
  const application = inputs.string('codedeploy-application', { rule: CODEDEPLOY_NAME });
  const deploymentGroup = inputs.string('codedeploy-deployment-group', { rule: CODEDEPLOY_NAME });
  const deploymentConfig = inputs.string('codedeploy-deployment-config', { rule: CODEDEPLOY_NAME });
  const description = inputs.string('codedeploy-deployment-description');
  if (description !== undefined && description.length > 512) {
    inputs.fail(
      'codedeploy-deployment-description',
      `it is ${description.length} characters long`,
      'Keep it to 512 characters (CodeDeploy refuses longer descriptions)',
    );
  }
  const appSpec = readAppSpec(inputs, workspace);
  const smoke = readSmokeChecks(inputs);
  const options: CodeDeployOptions = {
    application,
    deploymentGroup,
    deploymentConfig,
    description,
    appSpec,
    smoke,
  };
  return Object.values(options).some((value) => value !== undefined) ? options : undefined;
}

function readAppSpec(inputs: InputReader, workspace: string): CodeDeployOptions['appSpec'] {
  const path = inputs.string('codedeploy-appspec');
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(resolve(workspace, path), 'utf8');
  } catch (error) {
    inputs.fail(
      'codedeploy-appspec',
      `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      'Give the path of the AppSpec file, relative to the workspace',
    );
    return undefined;
  }
  let content: unknown;
  try {
    content = parse(text);
  } catch (error) {
    inputs.fail(
      'codedeploy-appspec',
      `${path} is neither JSON nor YAML (${(error as Error).message.split('\n')[0]})`,
      'Correct the file',
    );
    return undefined;
  }
  const problem = appSpecProblem(content);
  if (problem) {
    inputs.fail(
      'codedeploy-appspec',
      `${path}: ${problem}`,
      'Write the ECS AppSpec: Resources with a TargetService of Type AWS::ECS::Service, its TaskDefinition and LoadBalancerInfo (ContainerName, ContainerPort)',
    );
    return undefined;
  }
  return { path, content: content as Record<string, unknown> };
}

function readSmokeChecks(inputs: InputReader): CodeDeployOptions['smoke'] {
  const text = inputs.raw('codedeploy-smoke-checks');
  const base = inputs.string('codedeploy-test-listener-url', { rule: BASE_URL });
  const waitForHealthyMs = inputs.duration('codedeploy-smoke-wait-seconds', {
    unit: 's',
    ...WAIT_FOR_HEALTHY,
    default: PROBE_DEFAULTS.waitForHealthySeconds * 1000,
  });
  if (text.trim() === '') {
    if (base !== undefined) {
      inputs.fail(
        'codedeploy-test-listener-url',
        'it is set but "codedeploy-smoke-checks" is not',
        'Give the checks to run against it in "codedeploy-smoke-checks", or remove it',
      );
    }
    return undefined;
  }
  const { checks, problems } = parseChecks(text, { baseUrl: base ? new URL(base) : undefined, env: process.env });
  for (const p of problems) inputs.fail('codedeploy-smoke-checks', p.problem, p.fix);
  return problems.length > 0 ? undefined : { checks, settings: { ...READY_PROBE, waitForHealthyMs } };
}
