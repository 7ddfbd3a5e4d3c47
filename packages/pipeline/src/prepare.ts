/**
 * Everything about a release that can be checked before anything changes: the environment is in the config, the
 * smoke checks are valid, the image's files and build secrets are there, the region is known, GitHub is reachable
 * when the release tags, and the names the config's templates give (image tags, the snapshot, the git tag) are ones
 * ECR, RDS and git accept. A problem stops the release with one line naming the config key.
 */
import { UserError, problemWith, type Rule } from '@ecs-ship/action-kit';
import type { ImageOrigin } from '@ecs-ship/ecr';
import { IMAGE_TAG } from '@ecs-ship/ecr/names';
import { TAG_NAME } from '@ecs-ship/github-release/light';
import { validateChecks, type Check } from '@ecs-ship/probe';
import { SNAPSHOT_ID } from '@ecs-ship/rds/snapshot-id';
import type { CodeDeployOptions } from '@ecs-ship/ecs';
import { prepareCodeDeploy } from './codedeploy.js';
import type { EnvironmentConfig } from './config.js';
import { prepareImageOrigin } from './image.js';
import { snapshotConfig } from './options.js';
import type { ReleaseContext, ReleaseOptions } from './stages/stage.js';

export interface Prepared {
  target: EnvironmentConfig;
  region: string;
  checks?: Check[];
  origin?: ImageOrigin;
  serviceOrigins?: Map<string, ImageOrigin | undefined>;
  /** Each service's CodeDeploy options (used for those under the CODE_DEPLOY controller). */
  codeDeploy: Map<string, CodeDeployOptions>;
}

export function prepareRelease(
  options: ReleaseOptions,
  context: ReleaseContext,
  fill: (template: string) => string,
): Prepared {
  const wants = (stage: ReleaseOptions['stages'][number]) => options.stages.includes(stage);
  const target = options.config.environments[options.environment];
  if (!target) {
    const known = Object.keys(options.config.environments).join(', ');
    throw new UserError(`Environment "${options.environment}" is not in the release config (it has ${known}).`);
  }
  const checks = prepareChecks(target, context.env);
  const at = `environments.${options.environment}`;
  const origin = wants('image') ? prepareImageOrigin(target.image, `${at}.image`, options.sha, context.env) : undefined;
  const serviceOrigins = new Map<string, ImageOrigin | undefined>();
  target.services.forEach((service, i) => {
    if (service.image && wants('image')) {
      const key = `${at}.services.${i}.image`;
      serviceOrigins.set(service.name, prepareImageOrigin(service.image, key, options.sha, context.env));
    }
  });
  const region = target.region ?? context.env.AWS_REGION ?? context.env.AWS_DEFAULT_REGION;
  if (!region) throw new UserError('No AWS region: set "region" for the environment in the config, or AWS_REGION.');
  if (wants('tag') && (target.tag || target['deployment-record']) && !context.github && !options.dryRun) {
    throw new UserError('Tagging and deployment records need a GitHub token and GITHUB_REPOSITORY.');
  }
  checkRenderedNames(target, at, fill);
  const codeDeploy = prepareCodeDeploy(target, at, options.sha, context.env);
  return { target, region, checks, origin, serviceOrigins, codeDeploy };
}

/** Smoke checks are validated before anything changes, like every other part of the config. */
function prepareChecks(target: EnvironmentConfig, env: NodeJS.ProcessEnv): Check[] | undefined {
  if (!target.smoke) return undefined;
  const baseUrl = target.smoke['base-url'] ? new URL(target.smoke['base-url']) : undefined;
  const { checks, problems } = validateChecks(target.smoke.checks, { env, ...(baseUrl ? { baseUrl } : {}) });
  if (problems.length > 0) {
    throw new UserError(
      `The smoke checks in the config are not valid: ${problems.map((p) => `${p.problem} (${p.fix})`).join('; ')}`,
    );
  }
  return checks;
}

/** The names the templates give this release, held to the rules of the service that takes them. */
function checkRenderedNames(target: EnvironmentConfig, at: string, fill: (template: string) => string): void {
  const imageNames = (image: EnvironmentConfig['image'], key: string): [string, string, Rule][] => [
    ...image.tags.map((tag, i): [string, string, Rule] => [`${key}.tags.${i}`, tag, IMAGE_TAG]),
    [`${key}.from`, image.from, IMAGE_TAG],
  ];
  const names = [
    ...imageNames(target.image, 'image'),
    ...target.services.flatMap((service, i) => (service.image ? imageNames(service.image, `services.${i}.image`) : [])),
  ];
  const snapshot = snapshotConfig(target);
  if (snapshot) names.push([`${snapshot.key}.id`, snapshot.config.id, SNAPSHOT_ID]);
  if (target.tag) names.push(['tag.template', target.tag.template, TAG_NAME]);
  for (const [key, template, rule] of names) {
    const problem = problemWith(rule, fill(template));
    if (problem) {
      throw new UserError(
        `The release config's ${at}.${key} "${template}" gives a name that cannot be used: ${problem}. ${rule.fix}.`,
      );
    }
  }
}
