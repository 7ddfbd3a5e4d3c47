/**
 * The CodeDeploy options of the release's services, made from `services[].codedeploy` before anything changes: the
 * AppSpec file read and checked, the smoke checks re-based on the test listener for the go-ahead on green, and every
 * message of the deploy engine naming the config key rather than the action's input.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '@ecs-ship/action-kit';
import { parseAppSpecFile, type CodeDeployOptions } from '@ecs-ship/ecs';
import { validateChecks } from '@ecs-ship/probe';
import type { EnvironmentConfig } from './config.js';
import { probeSettings } from './options.js';

/** Every service's CodeDeploy options (those that are not under CODE_DEPLOY ignore theirs unless given). */
export function prepareCodeDeploy(
  target: EnvironmentConfig,
  at: string,
  sha: string,
  env: NodeJS.ProcessEnv,
): Map<string, CodeDeployOptions> {
  const result = new Map<string, CodeDeployOptions>();
  target.services.forEach((service, i) => {
    const key = `The release config's ${at}.services.${i}.codedeploy`;
    const given = service.codedeploy ?? {};
    const options: CodeDeployOptions = {
      application: given.application,
      deploymentGroup: given['deployment-group'],
      deploymentConfig: given['deployment-config'],
      description: given['deployment-description'],
      names: {
        'codedeploy-application': `${key}.application`,
        'codedeploy-deployment-group': `${key}.deployment-group`,
        'codedeploy-appspec': `${key}.appspec`,
        'codedeploy-smoke-checks': `${key}.test-listener-url`,
      },
    };
    if (given.appspec) options.appSpec = readAppSpec(given.appspec, `${key}.appspec`, env);
    const url = given['test-listener-url'];
    if (url) options.smoke = greenChecks(target, url, `${key}.test-listener-url`, sha, env);
    result.set(service.name, options);
  });
  return result;
}

function readAppSpec(path: string, label: string, env: NodeJS.ProcessEnv): CodeDeployOptions['appSpec'] {
  let text: string;
  try {
    text = readFileSync(resolve(env.GITHUB_WORKSPACE || process.cwd(), path), 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UserError(
      `${label}: ${path} cannot be read (${why}). Give the path of the AppSpec file, relative to the workspace; nothing was changed.`,
    );
  }
  return parseAppSpecFile(path, text, label);
}

/** The environment's smoke checks, run against the test listener while green has only test traffic. */
function greenChecks(
  target: EnvironmentConfig,
  url: string,
  label: string,
  sha: string,
  env: NodeJS.ProcessEnv,
): CodeDeployOptions['smoke'] {
  if (!target.smoke) {
    throw new UserError(
      `${label} is set, but the environment has no smoke checks to run there. Add smoke.checks, or remove test-listener-url; nothing was changed.`,
    );
  }
  const { checks, problems } = validateChecks(target.smoke.checks, { env, baseUrl: new URL(url) });
  if (problems.length > 0) {
    const said = problems.map((p) => `${p.problem} (${p.fix})`).join('; ');
    throw new UserError(`${label}: the smoke checks cannot run there: ${said}. Nothing was changed.`);
  }
  return { checks, settings: probeSettings(target.smoke, sha) };
}
