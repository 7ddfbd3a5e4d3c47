/**
 * The image the release deploys: promoted by manifest (the image staging tested, never rebuilt), or built or pushed
 * from an archive by the same publisher as the build-push-ecr action. A dry run reads only, and says which image the
 * release would deploy, pinned by digest where it can be known.
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
import type { StageRecord } from '../report.js';
import { publishSettings, repositorySettings } from '../options.js';
import { skipRule, type ReleaseRun, type Stage } from './stage.js';

export const image: Stage = {
  key: 'image',
  title: 'Image',
  skip: skipRule({ asked: 'image', plansInDryRun: true, afterFailure: false }),
  async run(run, record) {
    if (run.origin) return publish(run, run.origin, record);
    const { logger, signal } = run.tools;
    const config = run.target.image;
    const repository = await ensureRepository(run.aws.ecr(), repositorySettings(config), logger, signal);
    const from = run.fill(config.from);
    const tags = run.options.dryRun ? [] : config.tags.map(run.fill);
    const promoted = await promote(run.aws.ecr(), repository, { tag: from }, tags, logger, {
      allowTagMove: config['allow-tag-move'] ?? false,
      allowedBy: 'image.allow-tag-move',
      signal,
    });
    const short = `${promoted.digest.slice(0, 19)}…`;
    run.report.imageRef = `${repository.uri}@${promoted.digest}`;
    if (run.options.dryRun) {
      record.result = 'planned';
      record.detail = `${repository.name}:${from} exists (${short})`;
    } else {
      // A moved tag first: the summary cuts a long detail, and a tag that moved must not be cut off.
      const moves = promoted.moved.map(({ tag, from: was }) => `moved ${tag} from ${was.slice(0, 19)}…; `).join('');
      record.detail = `${moves}promoted ${repository.name}:${from} to ${tags.join(', ')} without rebuilding (${short})`;
    }
  },
};

/** The build and push-archive sources. */
async function publish(run: ReleaseRun, origin: ImageOrigin, record: StageRecord): Promise<void> {
  const config = run.target.image;
  const settings = publishSettings(config, origin, config.tags.map(run.fill), run.options.sha);
  const scratchDir = run.context.env.RUNNER_TEMP || tmpdir();
  if (run.options.dryRun) return plan(run, origin, settings.tags, settings.skipExisting, record, scratchDir);
  const result = await publishImage(settings, {
    ...run.tools,
    ecr: run.aws.ecr(),
    retryBudget: run.aws.retryBudget,
    protect: addMask,
    scratchDir,
    // The root action has no post step, so the registry credentials go as soon as the build is done.
    logoutAfterBuild: true,
  });
  run.report.imageRef = result.imageRef;
  const what =
    origin.mode === 'build'
      ? result.pushed
        ? `built ${config.context} and pushed it as ${result.tags.join(', ')}`
        : `${config.repository}:${result.tags[0]} already exists for this commit: reused, not rebuilt`
      : result.pushed
        ? `pushed ${config.archive} as ${result.tags.join(', ')}`
        : `${config.repository} already had ${config.archive} under ${result.tags.join(', ')}`;
  record.detail = `${what} (${result.digest.slice(0, 19)}…)${result.scan ? `; scan: ${result.scan}` : ''}`;
}

/** A dry run of a build or push-archive: reads, never writes. */
async function plan(
  run: ReleaseRun,
  origin: ImageOrigin,
  tags: string[],
  skipExisting: boolean,
  record: StageRecord,
  scratchDir: string,
): Promise<void> {
  const config = run.target.image;
  const { logger, signal } = run.tools;
  const repository = await ensureRepository(run.aws.ecr(), repositorySettings(config), logger, signal);
  record.result = 'planned';
  if (origin.mode === 'push-archive') {
    const layout = await OciLayout.open(origin.archive.path, scratchDir);
    try {
      const digest = layout.rootImage().descriptor.digest;
      run.report.imageRef = imageReference(repository.uri, digest);
      record.detail = `would push ${config.archive} (${digest.slice(0, 19)}…) as ${tags.join(', ')}`;
    } finally {
      await layout.close();
    }
    return;
  }
  const first = tags[0]!;
  const existing = skipExisting
    ? (await lookupImages(run.aws.ecr(), repository, { tags: [first] }, signal)).tags.get(first)
    : undefined;
  if (existing) {
    run.report.imageRef = imageReference(repository.uri, existing.digest);
    record.detail = `would reuse ${repository.name}:${first} (${existing.digest.slice(0, 19)}…)`;
  } else {
    // Not built yet, so no digest: the plan shows the image by its first tag.
    run.report.imageRef = `${repository.uri}:${first}`;
    record.detail = `would build ${config.context} and push it as ${tags.join(', ')}`;
  }
}
