/**
 * The release: notify start → image → snapshot and migration → deploy → smoke → (rollback on failure) → tag and
 * deployment record → notify the outcome. Every stage drives the same packages as the single-purpose actions. A failure
 * stops the stages after it, rolls the services back when the deploy had changed them, sends the final notification,
 * and is reported with the stage and the reason.
 */
import { tmpdir } from 'node:os';
import { UserError, addMask, type Clock, type Logger } from '@ecs-ship/action-kit';
import { deployServices, runOneOffTask, type DeployOptions } from '@ecs-ship/ecs';
import {
  OciLayout,
  ensureRepository,
  imageReference,
  lookupImages,
  promote,
  publishImage,
  type ImageOrigin,
} from '@ecs-ship/ecr';
import { publishRelease, recordDeployment, type GitHubClient, type Repository } from '@ecs-ship/github-release';
import { runChecks, validateChecks, type Check, type SmokeReport } from '@ecs-ship/probe';
import { buildMessage, deliver, parseDetails, runContextFromEnv, type Status } from '@ecs-ship/slack';
import { AwsClients } from './clients.js';
import type { EnvironmentConfig, ImageConfig, ReleaseConfig } from './config.js';
import { prepareImageOrigin, publishSettings } from './image.js';
import type { ReleaseReport, StageKey, StageName, StageRecord } from './report.js';
import { renderTemplate } from './templates.js';

export interface ReleaseOptions {
  environment: string;
  sha: string;
  config: ReleaseConfig;
  stages: readonly StageName[];
  dryRun: boolean;
  /** The workflow run, linked from messages and records. */
  runUrl?: string;
  runId?: string;
}

export interface ReleaseContext {
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
  /** Where the Slack webhook and smoke-check header secrets are read, and the run's GITHUB_* facts. */
  env: NodeJS.ProcessEnv;
  /** GitHub, for tags and deployment records. */
  github?: { client: GitHubClient; repository: Repository };
  /** AWS clients; by default created for the environment's region. */
  aws?: AwsClients;
}

const TITLES: Record<StageKey, string> = {
  notify: 'Notify start',
  image: 'Image',
  migrate: 'Snapshot and migration',
  deploy: 'Deploy',
  smoke: 'Smoke tests',
  rollback: 'Rollback',
  tag: 'Tag and record',
  'notify-outcome': 'Notify outcome',
};

/** Fails the stage it is thrown from, with a one-line reason. */
class StageFailure extends Error {}

export async function runRelease(options: ReleaseOptions, context: ReleaseContext): Promise<ReleaseReport> {
  const { logger, clock } = context;
  const target = options.config.environments[options.environment];
  if (!target) {
    const known = Object.keys(options.config.environments).join(', ');
    throw new UserError(`Environment "${options.environment}" is not in the release config (it has ${known}).`);
  }
  const checks = prepareChecks(target, context.env);
  const wantsImage = options.stages.includes('image');
  const origin = wantsImage
    ? prepareImageOrigin(target.image, options.environment, options.sha, context.env)
    : undefined;
  const region = target.region ?? context.env.AWS_REGION ?? context.env.AWS_DEFAULT_REGION;
  if (!region) throw new UserError('No AWS region: set "region" for the environment in the config, or AWS_REGION.');
  const wants = (stage: StageName) => options.stages.includes(stage);
  if (wants('tag') && (target.tag || target['deployment-record']) && !context.github && !options.dryRun) {
    throw new UserError('Tagging and deployment records need a GitHub token and GITHUB_REPOSITORY.');
  }

  const aws = context.aws ?? new AwsClients(region);
  const report: ReleaseReport = {
    environment: options.environment,
    sha: options.sha,
    result: options.dryRun ? 'planned' : 'succeeded',
    taskDefinitionArns: {},
    stages: [],
    startedAt: clock.now(),
    finishedAt: clock.now(),
  };
  const at = new Date(clock.now());
  const fill = (template: string) =>
    renderTemplate(template, { env: options.environment, sha: options.sha, at, run: options.runId });
  let smoke: SmokeReport | undefined;

  const stage = async (key: StageKey, run: (record: StageRecord) => Promise<void>) => {
    const record: StageRecord = {
      key,
      title: TITLES[key],
      result: 'succeeded',
      detail: '',
      links: [],
      startedAt: clock.now(),
    };
    report.stages.push(record);
    logger.startGroup(`${record.title} (${options.environment})`);
    try {
      await run(record);
    } catch (error) {
      record.result = 'failed';
      record.detail = error instanceof Error ? error.message : String(error);
      report.failedStage ??= key;
      report.failureReason ??= record.detail;
      if (report.result !== 'rolled-back') report.result = 'failed';
      if (!(error instanceof StageFailure) && !(error instanceof UserError))
        logger.debug(String((error as Error).stack));
    } finally {
      record.finishedAt = clock.now();
      logger.endGroup();
    }
  };
  const skip = (key: StageKey, why: string) =>
    report.stages.push({ key, title: TITLES[key], result: 'skipped', detail: why, links: [] });
  const failed = () => report.result === 'failed' || report.result === 'rolled-back';

  try {
    if (wants('notify') && !options.dryRun)
      await stage('notify', (r) => notify(r, 'started', target, options, report, context, smoke));

    if (!wants('image')) skip('image', 'not among the stages asked for');
    else await stage('image', (r) => imageStage(r, target, origin, options, report, aws, context, fill));

    if (!target.migration) skip('migrate', 'no migration in the config');
    else if (!wants('migrate') || options.dryRun)
      skip('migrate', options.dryRun ? 'dry run' : 'not among the stages asked for');
    else if (failed()) skip('migrate', 'an earlier stage failed');
    else await stage('migrate', (r) => migrateStage(r, target, options, report, aws, context, fill));

    if (!wants('deploy')) skip('deploy', 'not among the stages asked for');
    else if (failed()) skip('deploy', 'an earlier stage failed');
    else await stage('deploy', (r) => deployStage(r, target, options, report, aws, context));

    if (!target.smoke || !checks) skip('smoke', 'no smoke checks in the config');
    else if (!wants('smoke') || options.dryRun)
      skip('smoke', options.dryRun ? 'dry run' : 'not among the stages asked for');
    else if (failed()) skip('smoke', 'an earlier stage failed');
    else
      await stage('smoke', async (r) => {
        smoke = await smokeStage(r, target, checks, options, context);
      });

    // Services this release changed go back to what they ran before, except those ECS already rolled back.
    if (failed() && report.deploy && servicesToRollBack(report).size > 0) {
      await stage('rollback', (r) => rollbackStage(r, target, report, aws, context));
    }

    if (!target.tag && !target['deployment-record']) skip('tag', 'no tag or deployment record in the config');
    else if (!wants('tag') || options.dryRun)
      skip('tag', options.dryRun ? 'dry run' : 'not among the stages asked for');
    else if (failed()) skip('tag', 'the release failed: nothing is tagged');
    else await stage('tag', (r) => tagStage(r, target, options, report, context, fill));
  } finally {
    if (wants('notify') && !options.dryRun) {
      const status: Status = report.result === 'rolled-back' ? 'rolled-back' : failed() ? 'failed' : 'succeeded';
      await stage('notify-outcome', (r) => notify(r, status, target, options, report, context, smoke));
    }
    if (!context.aws) aws.destroy();
    report.finishedAt = clock.now();
  }
  logger.info(
    report.result === 'succeeded' || report.result === 'planned'
      ? `Release of ${options.sha.slice(0, 7)} to ${options.environment}: ${report.result}.`
      : `Release of ${options.sha.slice(0, 7)} to ${options.environment} ${report.result} at ${report.failedStage}: ${report.failureReason}`,
  );
  return report;
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

async function imageStage(
  record: StageRecord,
  target: EnvironmentConfig,
  origin: ImageOrigin | undefined,
  options: ReleaseOptions,
  report: ReleaseReport,
  aws: AwsClients,
  context: ReleaseContext,
  fill: (template: string) => string,
): Promise<void> {
  const { image } = target;
  if (origin) return publishStage(record, image, origin, options, report, aws, context, fill);
  const repository = await ensureRepository(
    aws.ecr(),
    { name: image.repository, create: false, tagMutability: 'MUTABLE', scanOnPush: false, encryption: 'AES256' },
    context.logger,
    context.signal,
  );
  const from = fill(image.from);
  const tags = options.dryRun ? [] : image.tags.map(fill);
  const promoted = await promote(aws.ecr(), repository, { tag: from }, tags, context.logger, context.signal);
  report.imageRef = `${repository.uri}@${promoted.digest}`;
  record.detail = options.dryRun
    ? `${repository.name}:${from} exists (${promoted.digest.slice(0, 19)}…)`
    : `promoted ${repository.name}:${from} to ${tags.join(', ')} without rebuilding (${promoted.digest.slice(0, 19)}…)`;
  if (options.dryRun) record.result = 'planned';
}

/** The build and push-archive sources: the same publisher as the build-push-ecr action. */
async function publishStage(
  record: StageRecord,
  image: ImageConfig,
  origin: ImageOrigin,
  options: ReleaseOptions,
  report: ReleaseReport,
  aws: AwsClients,
  context: ReleaseContext,
  fill: (template: string) => string,
): Promise<void> {
  const settings = publishSettings(image, origin, image.tags.map(fill), options.sha);
  const scratchDir = context.env.RUNNER_TEMP || tmpdir();
  if (options.dryRun)
    return planPublish(record, image, origin, settings.tags, settings.skipExisting, report, aws, context, scratchDir);
  const result = await publishImage(settings, {
    ecr: aws.ecr(),
    logger: context.logger,
    clock: context.clock,
    signal: context.signal,
    protect: addMask,
    scratchDir,
    // The root action has no post step, so the registry credentials go as soon as the build is done.
    logoutAfterBuild: true,
  });
  report.imageRef = result.imageRef;
  const short = `${result.digest.slice(0, 19)}…`;
  const what =
    origin.mode === 'build'
      ? result.pushed
        ? `built ${image.context} and pushed it as ${result.tags.join(', ')}`
        : `${image.repository}:${result.tags[0]} already exists for this commit: reused, not rebuilt`
      : result.pushed
        ? `pushed ${image.archive} as ${result.tags.join(', ')}`
        : `${image.repository} already had ${image.archive} under ${result.tags.join(', ')}`;
  record.detail = `${what} (${short})${result.scan ? `; scan: ${result.scan}` : ''}`;
}

/** A dry run reads, never writes: the image the release would deploy, pinned by digest where it can be known. */
async function planPublish(
  record: StageRecord,
  image: ImageConfig,
  origin: ImageOrigin,
  tags: string[],
  skipExisting: boolean,
  report: ReleaseReport,
  aws: AwsClients,
  context: ReleaseContext,
  scratchDir: string,
): Promise<void> {
  const repository = await ensureRepository(
    aws.ecr(),
    { name: image.repository, create: false, tagMutability: 'MUTABLE', scanOnPush: false, encryption: 'AES256' },
    context.logger,
    context.signal,
  );
  record.result = 'planned';
  if (origin.mode === 'push-archive') {
    const layout = await OciLayout.open(origin.archive.path, scratchDir);
    try {
      const digest = layout.rootImage().descriptor.digest;
      report.imageRef = imageReference(repository.uri, digest);
      record.detail = `would push ${image.archive} (${digest.slice(0, 19)}…) as ${tags.join(', ')}`;
    } finally {
      await layout.close();
    }
    return;
  }
  const first = tags[0]!;
  const existing = skipExisting
    ? (await lookupImages(aws.ecr(), repository, { tags: [first] }, context.signal)).tags.get(first)
    : undefined;
  if (existing) {
    report.imageRef = imageReference(repository.uri, existing.digest);
    record.detail = `would reuse ${repository.name}:${first} (${existing.digest.slice(0, 19)}…)`;
  } else {
    // Not built yet, so no digest: the plan shows the image by its first tag.
    report.imageRef = `${repository.uri}:${first}`;
    record.detail = `would build ${image.context} and push it as ${tags.join(', ')}`;
  }
}

async function migrateStage(
  record: StageRecord,
  target: EnvironmentConfig,
  options: ReleaseOptions,
  report: ReleaseReport,
  aws: AwsClients,
  context: ReleaseContext,
  fill: (template: string) => string,
): Promise<void> {
  const migration = target.migration!;
  const parts: string[] = [];
  if (migration.snapshot) {
    const snapshot = migration.snapshot;
    // Loaded only for a release that takes a snapshot: the RDS client is several megabytes of memory.
    const [{ createSnapshotAndWait }, rds] = await Promise.all([import('@ecs-ship/rds'), aws.rds()]);
    const result = await createSnapshotAndWait(
      rds,
      {
        source: snapshot['db-instance']
          ? { kind: 'instance', identifier: snapshot['db-instance'] }
          : { kind: 'cluster', identifier: snapshot['db-cluster']! },
        snapshotId: fill(snapshot.id),
        timeoutMs: snapshot['timeout-minutes'] * 60_000,
        pollIntervalMs: 5000,
        tags: { 'ecs-ship:environment': options.environment, 'ecs-ship:sha': options.sha },
      },
      { logger: context.logger, clock: context.clock, signal: context.signal },
    );
    parts.push(`snapshot ${result.snapshotId} available`);
  }
  const result = await runOneOffTask(
    { ecs: aws.ecs(), logs: (region) => aws.logs(region), region: aws.region },
    {
      cluster: target.cluster,
      taskDefinition: { kind: 'reference', reference: migration['task-definition'] },
      container: migration.container,
      image: report.imageRef,
      command: migration.command,
      environment: new Map(Object.entries(migration.environment)),
      launchType: migration['launch-type'],
      capacityProviderStrategy: [],
      network:
        migration.subnets.length > 0
          ? {
              subnets: migration.subnets,
              securityGroups: migration['security-groups'],
              assignPublicIp: migration['assign-public-ip'],
            }
          : undefined,
      startedBy: `ecs-ship/${options.runId ?? 'release'}`.slice(0, 36),
      timeoutMs: migration['timeout-minutes'] * 60_000,
      pollIntervalMs: migration['poll-interval-seconds'] * 1000,
      streamLogs: true,
    },
    { logger: context.logger, clock: context.clock, signal: context.signal },
  );
  if (result.logUrl) record.links.push({ text: 'migration logs', url: result.logUrl });
  parts.push(`task ${result.taskId} exited ${result.exitCode ?? 'without an exit code'}`);
  record.detail = parts.join('; ');
  if (!result.outcome.passed) throw new StageFailure(result.outcome.summary);
}

function deployOptions(
  target: EnvironmentConfig,
  imageRef: string | undefined,
  mode: DeployOptions['mode'],
): DeployOptions {
  const containers = [...new Set(target.services.flatMap((s) => s.containers ?? []))];
  return {
    cluster: target.cluster,
    services: target.services.map((s) => s.name),
    images: new Map(imageRef ? containers.map((c) => [c, imageRef]) : []),
    imageForEssentialContainer: imageRef && containers.length === 0 ? imageRef : undefined,
    environment: new Map(),
    forceNewDeployment: false,
    circuitBreaker: target.deploy['circuit-breaker'],
    alarms: target.deploy.alarms,
    wait: true,
    timeoutMs: target.deploy['timeout-minutes'] * 60_000,
    pollIntervalMs: target.deploy['poll-interval-seconds'] * 1000,
    onTimeout: 'rollback',
    waitForRollback: true,
    mode,
    rollbackTo: new Map(),
  };
}

async function deployStage(
  record: StageRecord,
  target: EnvironmentConfig,
  options: ReleaseOptions,
  report: ReleaseReport,
  aws: AwsClients,
  context: ReleaseContext,
): Promise<void> {
  if (!report.imageRef) throw new StageFailure('No image to deploy: run the image stage too.');
  const result = await deployServices(deployOptions(target, report.imageRef, options.dryRun ? 'plan' : 'deploy'), {
    ecs: aws.ecs(),
    logger: context.logger,
    clock: context.clock,
    signal: context.signal,
  });
  report.deploy = result;
  // What now runs: the new revisions only when the deploy held.
  if (result.result === 'succeeded' || result.result === 'unchanged') {
    for (const service of result.services)
      if (service.taskDefinition) report.taskDefinitionArns[service.service] = service.taskDefinition;
  }
  record.detail = `${result.services.length} service(s): ${result.result}`;
  if (result.result === 'planned') record.result = 'planned';
  else if (result.result === 'rolled-back') {
    report.result = 'rolled-back';
    throw new StageFailure(result.failureReason ?? 'ECS rolled the deployment back');
  } else if (result.result !== 'succeeded' && result.result !== 'unchanged') {
    throw new StageFailure(result.failureReason ?? `the deployment ended ${result.result}`);
  }
}

async function smokeStage(
  record: StageRecord,
  target: EnvironmentConfig,
  checks: Check[],
  options: ReleaseOptions,
  context: ReleaseContext,
): Promise<SmokeReport> {
  const smoke = target.smoke!;
  const result = await runChecks(
    checks,
    {
      waitForHealthyMs: smoke['wait-for-healthy-seconds'] * 1000,
      consecutiveSuccesses: smoke['consecutive-successes'],
      samples: 1,
      concurrency: 10,
      requestTimeoutMs: smoke['request-timeout-seconds'] * 1000,
      maxRedirects: 5,
      maxErrorRate: 0,
      expectVersion: smoke['expect-version'] ? options.sha : undefined,
      versionSource: smoke['version-header']
        ? { kind: 'header', name: smoke['version-header'] }
        : smoke['version-json-path']
          ? { kind: 'json', path: smoke['version-json-path'] }
          : { kind: 'body' },
    },
    { logger: context.logger, clock: context.clock, signal: context.signal },
  );
  const failedChecks = result.checks.filter((c) => c.result === 'failed');
  record.detail = `${result.checks.length - failedChecks.length} of ${result.checks.length} checks passed`;
  if (failedChecks.length > 0) {
    throw new StageFailure(failedChecks.map((c) => `${c.name}: ${c.failure ?? 'failed'}`).join('; '));
  }
  return result;
}

async function rollbackStage(
  record: StageRecord,
  target: EnvironmentConfig,
  report: ReleaseReport,
  aws: AwsClients,
  context: ReleaseContext,
): Promise<void> {
  const previous = servicesToRollBack(report);
  const options = {
    ...deployOptions(target, undefined, 'rollback'),
    services: [...previous.keys()],
    rollbackTo: previous,
  };
  const result = await deployServices(options, {
    ecs: aws.ecs(),
    logger: context.logger,
    clock: context.clock,
    signal: context.signal,
  });
  report.rollback = result;
  record.detail = `${previous.size} service(s) back on their previous revisions: ${result.result}`;
  if (result.result !== 'succeeded' && result.result !== 'unchanged') {
    throw new StageFailure(result.failureReason ?? `the rollback ended ${result.result}`);
  }
  report.result = 'rolled-back';
}

/** Services the deploy moved to a new revision that are not already healthy again on their previous one. */
function servicesToRollBack(report: ReleaseReport): Map<string, string> {
  return new Map(
    (report.deploy?.services ?? []).flatMap((s) =>
      s.previousTaskDefinition && s.deploymentId && !s.rollback?.healthy ? [[s.service, s.previousTaskDefinition]] : [],
    ),
  );
}

async function tagStage(
  record: StageRecord,
  target: EnvironmentConfig,
  options: ReleaseOptions,
  report: ReleaseReport,
  context: ReleaseContext,
  fill: (template: string) => string,
): Promise<void> {
  const { client, repository } = context.github!;
  const details = { image: report.imageRef, 'task-definitions': report.taskDefinitionArns };
  const deployment = target['deployment-record']
    ? { environment: options.environment, state: 'success' as const, environmentUrl: target['deployment-record'].url }
    : undefined;
  if (target.tag) {
    const outcome = await publishRelease(
      client,
      {
        repository,
        sha: options.sha,
        tag: { kind: 'name', name: fill(target.tag.template) },
        release: target.tag.release ? { generateNotes: true, prerelease: false, makeLatest: 'auto' } : undefined,
        deployment,
        details,
        runUrl: options.runUrl,
      },
      context.logger,
    );
    report.tag = outcome.tag.tag;
    record.detail = `tagged ${outcome.tag.tag}${outcome.deployment ? `, deployment ${outcome.deployment.id} recorded` : ''}`;
    if (outcome.release?.url) record.links.push({ text: `release ${outcome.tag.tag}`, url: outcome.release.url });
  } else if (deployment) {
    const result = await recordDeployment(
      client,
      repository,
      {
        ...deployment,
        sha: options.sha,
        tag: '',
        logUrl: options.runUrl,
        description: `Released ${options.sha.slice(0, 7)} to ${options.environment}`,
        payload: { tag: '', ...details },
      },
      context.logger,
    );
    record.detail = `deployment ${result.id} recorded`;
  }
}

async function notify(
  record: StageRecord,
  status: Status,
  target: EnvironmentConfig,
  options: ReleaseOptions,
  report: ReleaseReport,
  context: ReleaseContext,
  smoke: SmokeReport | undefined,
): Promise<void> {
  const variable = target.slack?.['webhook-env'];
  const url = variable ? context.env[variable] : undefined;
  if (!url) {
    record.result = 'skipped';
    record.detail = variable ? `${variable} is not set` : 'no Slack webhook in the config';
    return;
  }
  const outputs: Record<string, Record<string, unknown>> = {};
  if (report.imageRef) outputs.image = { 'image-ref': report.imageRef };
  if (report.deploy) {
    outputs.deploy = {
      result: report.deploy.result,
      'failure-reason': report.deploy.failureReason ?? '',
      'task-definition-arns': Object.fromEntries(
        report.deploy.services.flatMap((s) => (s.taskDefinition ? [[s.service, s.taskDefinition]] : [])),
      ),
      'previous-task-definition-arns': Object.fromEntries(
        report.deploy.services.flatMap((s) =>
          s.previousTaskDefinition ? [[s.service, s.previousTaskDefinition]] : [],
        ),
      ),
    };
  }
  if (smoke)
    outputs.smoke = {
      result: smoke.result,
      report: smoke,
      'failed-checks': smoke.checks.filter((c) => c.result === 'failed').map((c) => c.name),
    };
  if (report.tag) outputs.release = { tag: report.tag };
  const details = parseDetails(outputs);
  // A deploy failure is told by the deploy details themselves; any other failure needs saying.
  const text =
    (status === 'failed' || status === 'rolled-back') && !outputs.deploy?.['failure-reason']
      ? report.failureReason
      : undefined;
  const payload = buildMessage(
    {
      status,
      environment: options.environment,
      service: target.services.map((s) => s.name).join(', '),
      text,
      fields: [],
      details: 'value' in details ? details.value : [],
      mentions: [],
      startedAt: report.startedAt,
    },
    { ...runContextFromEnv(context.env), sha: options.sha },
    context.clock.now(),
  );
  const result = await deliver(url, payload, {
    retries: 3,
    maxWaitMs: 30_000,
    clock: context.clock,
    logger: context.logger,
    signal: context.signal,
  });
  // A notification never fails a release: an undelivered one is a warning.
  record.result = result.outcome === 'delivered' ? 'succeeded' : 'warning';
  record.detail =
    result.outcome === 'delivered'
      ? `Slack accepted the ${status} message`
      : `${result.outcome === 'unknown' ? 'may or may not have been delivered' : 'not delivered'}: ${result.problem ?? 'unknown problem'}`;
}
