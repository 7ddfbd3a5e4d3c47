/**
 * The CodeDeploy inputs' YAML, parsed once the step is under way and before any AWS call: the AppSpec file (JSON or
 * YAML) checked for the ECS service resource CodeDeploy needs, and the smoke checks validated as the smoke-test
 * action validates its own. A problem is the user's, named by its input.
 */
import { UserError } from '@ecs-ship/action-kit';
import { parseChecks } from '@ecs-ship/probe/parse-checks';
import { PROBE_DEFAULTS } from '@ecs-ship/probe/rules';
import { parse } from 'yaml';
import { appSpecProblem } from './appspec.js';
import type { CodeDeployOptions } from './options.js';
import type { CodeDeployInputs } from './settings.js';

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

export function parseCodeDeployInputs(given: CodeDeployInputs | undefined): CodeDeployOptions | undefined {
  if (!given) return undefined;
  const { appSpec, smoke, ...names } = given;
  return {
    ...names,
    appSpec: appSpec && parseAppSpecFile(appSpec.path, appSpec.text),
    smoke: smoke && parseSmoke(smoke),
  };
}

/** An AppSpec file's text, parsed and checked; `label` names where it was given (the input, or a config key). */
export function parseAppSpecFile(
  path: string,
  text: string,
  label = 'Input "codedeploy-appspec"',
): NonNullable<CodeDeployOptions['appSpec']> {
  let content: unknown;
  try {
    content = parse(text);
  } catch (error) {
    throw new UserError(
      `${label}: ${path} is neither JSON nor YAML (${(error as Error).message.split('\n')[0]}). Correct the file; nothing was changed.`,
    );
  }
  const problem = appSpecProblem(content);
  if (problem) {
    throw new UserError(
      `${label}: ${path}: ${problem}. Write the ECS AppSpec: Resources with a TargetService of Type AWS::ECS::Service, its TaskDefinition and LoadBalancerInfo (ContainerName, ContainerPort); nothing was changed.`,
    );
  }
  return { path, content: content as Record<string, unknown> };
}

function parseSmoke({ text, baseUrl, waitForHealthyMs }: NonNullable<CodeDeployInputs['smoke']>) {
  const { checks, problems } = parseChecks(text, { baseUrl: baseUrl ? new URL(baseUrl) : undefined, env: process.env });
  if (problems.length > 0) {
    const said = problems.map((p) => `${p.problem} (${p.fix})`).join('; ');
    throw new UserError(`Input "codedeploy-smoke-checks": ${said}. Nothing was changed.`);
  }
  return { checks, settings: { ...READY_PROBE, waitForHealthyMs } };
}
