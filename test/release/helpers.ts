/**
 * Releases of the demo's world whose services each have their own repository and image (services[].image in the
 * config), run through the root action's bundle against the sandbox: the world, the config, the run, and what each
 * service runs afterwards.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from '@jest/globals';
import { parse, stringify } from 'yaml';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { repoRoot, runAction, type ActionRun } from '@ecs-ship/testing';

export const SERVICES = ['web', 'worker', 'api'] as const;
export type ServiceName = (typeof SERVICES)[number];
export const REPOSITORY: Record<ServiceName, string> = { web: 'shop-web', worker: 'shop-worker', api: 'shop-api' };

/** The demo's world with one repository per service holding an image of each commit, behaving as `behaviour` says. */
export function serviceImagesWorld(
  commits: readonly string[],
  behaviour: (service: ServiceName, sha: string) => Record<string, unknown>,
): Record<string, any> {
  const scenario = parse(readFileSync(join(repoRoot, 'demo', 'scenario.yaml'), 'utf8')) as Record<string, any>;
  for (const service of SERVICES) {
    const name = REPOSITORY[service];
    scenario.ecr.repositories.push({
      name,
      images: commits.map((sha) => ({ tags: [sha], revision: `${sha.slice(0, 30)}${service}` })),
    });
    for (const sha of commits) scenario.ecs.images[`${name}:${sha}`] = behaviour(service, sha);
  }
  return scenario;
}

/**
 * A sandbox and a workspace per test, with the demo's release config whose production services each promote their
 * own image (`adjust` changes the production environment further).
 */
export function serviceImagesRelease(
  world: () => Record<string, any>,
  adjust: (production: Record<string, any>) => void = () => {},
) {
  const state = {} as { sandbox: Sandbox; workspace: string };
  beforeEach(async () => {
    state.sandbox = await startSandbox({ scenario: world() });
    state.workspace = mkdtempSync(join(tmpdir(), 'release-images-'));
    mkdirSync(join(state.workspace, '.github'));
    const config = parse(readFileSync(join(repoRoot, 'demo', 'ecs-release.yml'), 'utf8')) as Record<string, any>;
    const production = config.environments.production;
    production.services = SERVICES.map((name) => ({
      name,
      containers: ['app'],
      image: { repository: REPOSITORY[name], source: 'promote', from: '{sha}', tags: ['production-{sha7}'] },
    }));
    adjust(production);
    writeFileSync(
      join(state.workspace, '.github', 'ecs-release.yml'),
      stringify(config).replaceAll('${SANDBOX_URL}', state.sandbox.url),
    );
  });
  afterEach(async () => {
    rmSync(state.workspace, { recursive: true, force: true });
    await state.sandbox.stop();
  });
  return {
    get sandbox() {
      return state.sandbox;
    },
    release(sha: string, stages = 'image,deploy'): Promise<ActionRun> {
      return runAction('release', {
        inputs: { environment: 'production', sha, stages },
        env: { ...state.sandbox.env(), GITHUB_SHA: sha },
        cwd: state.workspace,
        timeoutMs: 120_000,
      });
    },
    /** The image of the app container in the revision a service runs. */
    runningImage(service: string): string {
      const ecs = state.sandbox.state('ecs');
      const arn = ecs.service('eu-west-1', 'shop-production', service)!.taskDefinitionArn;
      const definition = ecs.taskDefinition('eu-west-1', arn)!;
      return definition.body.containerDefinitions.find((c) => c.name === 'app')!.image!;
    },
  };
}
