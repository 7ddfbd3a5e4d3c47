/**
 * The images the release deploys: the environment's, and each service's own where the config gives one. Each is
 * promoted by manifest (the image staging tested, never rebuilt), or built or pushed from an archive by the same
 * publisher as the build-push-ecr action. A dry run reads only, and says which image the release would deploy,
 * pinned by digest where it can be known.
 */
import { tmpdir } from 'node:os';
import { addMask } from '@ecs-ship/action-kit';
import {
  OciLayout,
  ensureRepository,
  imageReference,
  lookupImages,
  promote,
  publishImage,
  type ImageOrigin,
} from '@ecs-ship/ecr';
import type { ImageConfig } from '../config.js';
import { publishSettings, repositorySettings } from '../options.js';
import { skipRule, type ReleaseRun, type Stage } from './stage.js';

/** One image obtained: its reference, what was done, and whether it was only planned. */
interface Obtained {
  imageRef: string;
  detail: string;
}

export const image: Stage = {
  key: 'image',
  title: 'Image',
  skip: skipRule({ asked: 'image', plansInDryRun: true, afterFailure: false }),
  async run(run, record) {
    const environmentImage = await obtain(run, run.target.image, run.origin, 'image');
    run.report.imageRef = environmentImage.imageRef;
    const details = [environmentImage.detail];
    for (const service of run.target.services) {
      if (!service.image) continue;
      const own = await obtain(
        run,
        service.image,
        run.serviceOrigins?.get(service.name),
        `services[${service.name}].image`,
      );
      (run.report.serviceImageRefs ??= {})[service.name] = own.imageRef;
      details.push(`${service.name}: ${own.detail}`);
    }
    if (run.options.dryRun) record.result = 'planned';
    record.detail = details.join('; ');
  },
};

async function obtain(
  run: ReleaseRun,
  config: ImageConfig,
  origin: ImageOrigin | undefined,
  key: string,
): Promise<Obtained> {
  if (origin) return publish(run, config, origin);
  const { logger, signal } = run.tools;
  const repository = await ensureRepository(run.aws.ecr(), repositorySettings(config), logger, signal);
  const from = run.fill(config.from);
  const tags = run.options.dryRun ? [] : config.tags.map(run.fill);
  const promoted = await promote(run.aws.ecr(), repository, { tag: from }, tags, logger, {
    allowTagMove: config['allow-tag-move'] ?? false,
    allowedBy: `${key}.allow-tag-move`,
    signal,
  });
  // A moved tag first: the summary cuts a long detail, and a tag that moved must not be cut off.
  const moves = promoted.moved.map(({ tag, from: was }) => `moved ${tag} from ${was.slice(0, 19)}…; `).join('');
  const short = `${promoted.digest.slice(0, 19)}…`;
  const imageRef = `${repository.uri}@${promoted.digest}`;
  return run.options.dryRun
    ? { imageRef, detail: `${repository.name}:${from} exists (${short})` }
    : {
        imageRef,
        detail: `${moves}promoted ${repository.name}:${from} to ${tags.join(', ')} without rebuilding (${short})`,
      };
}

/** The build and push-archive sources. */
async function publish(run: ReleaseRun, config: ImageConfig, origin: ImageOrigin): Promise<Obtained> {
  const settings = publishSettings(config, origin, config.tags.map(run.fill), run.options.sha);
  const scratchDir = run.context.env.RUNNER_TEMP || tmpdir();
  if (run.options.dryRun) return plan(run, config, origin, settings.tags, settings.skipExisting, scratchDir);
  const result = await publishImage(settings, {
    ...run.tools,
    ecr: run.aws.ecr(),
    retryBudget: run.aws.retryBudget,
    protect: addMask,
    scratchDir,
    // The root action has no post step, so the registry credentials go as soon as the build is done.
    logoutAfterBuild: true,
  });
  const what =
    origin.mode === 'build'
      ? result.pushed
        ? `built ${config.context} and pushed it as ${result.tags.join(', ')}`
        : `${config.repository}:${result.tags[0]} already exists for this commit: reused, not rebuilt`
      : result.pushed
        ? `pushed ${config.archive} as ${result.tags.join(', ')}`
        : `${config.repository} already had ${config.archive} under ${result.tags.join(', ')}`;
  return {
    imageRef: result.imageRef,
    detail: `${what} (${result.digest.slice(0, 19)}…)${result.scan ? `; scan: ${result.scan}` : ''}`,
  };
}

/** A dry run of a build or push-archive: reads, never writes. */
async function plan(
  run: ReleaseRun,
  config: ImageConfig,
  origin: ImageOrigin,
  tags: string[],
  skipExisting: boolean,
  scratchDir: string,
): Promise<Obtained> {
  const { logger, signal } = run.tools;
  const repository = await ensureRepository(run.aws.ecr(), repositorySettings(config), logger, signal);
  if (origin.mode === 'push-archive') {
    const layout = await OciLayout.open(origin.archive.path, scratchDir);
    try {
      const digest = layout.rootImage().descriptor.digest;
      return {
        imageRef: imageReference(repository.uri, digest),
        detail: `would push ${config.archive} (${digest.slice(0, 19)}…) as ${tags.join(', ')}`,
      };
    } finally {
      await layout.close();
    }
  }
  const first = tags[0]!;
  const existing = skipExisting
    ? (await lookupImages(run.aws.ecr(), repository, { tags: [first] }, signal)).tags.get(first)
    : undefined;
  if (existing) {
    return {
      imageRef: imageReference(repository.uri, existing.digest),
      detail: `would reuse ${repository.name}:${first} (${existing.digest.slice(0, 19)}…)`,
    };
  }
  // Not built yet, so no digest: the plan shows the image by its first tag.
  return {
    imageRef: `${repository.uri}:${first}`,
    detail: `would build ${config.context} and push it as ${tags.join(', ')}`,
  };
}
