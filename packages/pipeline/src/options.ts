/**
 * The release config's sections turned into the options each package takes, in one place beside the config: the
 * stages hand these to the same engines the single-purpose actions drive.
 */
import type { ImageOrigin, PublishSettings, RepositorySettings } from '@ecs-ship/ecr';
import { DEFAULT_SCAN_TIMEOUT_MS } from '@ecs-ship/ecr/options';
import type { DeployMode, DeployOptions, OneOffTaskSpec } from '@ecs-ship/ecs';
import { watchPollInterval } from '@ecs-ship/ecs/rules';
import { strategySettings } from '@ecs-ship/ecs/strategy-settings';
import { parseWatchMetric, type WatchedMetric } from '@ecs-ship/ecs/watch-rules';
import type { ProbeSettings } from '@ecs-ship/probe';
import type { SnapshotRequest } from '@ecs-ship/rds';
import { suiteTags, type RunFacts } from '@ecs-ship/rds/tags';
import type { EnvironmentConfig, ImageConfig } from './config.js';

type MigrationConfig = NonNullable<EnvironmentConfig['migration']>;
export type SnapshotConfig = NonNullable<EnvironmentConfig['snapshot']>;

/** How often the snapshot is looked at: RDS takes minutes, and the wait prints a line at least every 30 s anyway. */
const SNAPSHOT_POLL_MS = 5000;
type SmokeConfig = NonNullable<EnvironmentConfig['smoke']>;

/** The release never creates a repository: it must exist, with whatever settings it has. */
export function repositorySettings(image: ImageConfig): RepositorySettings {
  return { name: image.repository, create: false, tagMutability: 'MUTABLE', scanOnPush: false, encryption: 'AES256' };
}

/** What the publisher is asked to do for a build or push-archive source. */
export function publishSettings(image: ImageConfig, origin: ImageOrigin, tags: string[], sha: string): PublishSettings {
  return {
    repository: repositorySettings(image),
    tags,
    origin,
    skipExisting: image['skip-existing'] ?? true,
    revision: sha,
    ...(image['fail-on-severity'] ? { failOnSeverity: image['fail-on-severity'] } : {}),
    scanTimeoutMs:
      image['scan-timeout-minutes'] !== undefined ? image['scan-timeout-minutes'] * 60_000 : DEFAULT_SCAN_TIMEOUT_MS,
  };
}

/** The environment's snapshot: its own `snapshot`, or the one a config written before it sets under `migration`. */
export function snapshotConfig(target: EnvironmentConfig): { config: SnapshotConfig; key: string } | undefined {
  if (target.snapshot) return { config: target.snapshot, key: 'snapshot' };
  if (target.migration?.snapshot) return { config: target.migration.snapshot, key: 'migration.snapshot' };
  return undefined;
}

export function snapshotRequest(snapshot: SnapshotConfig, snapshotId: string, facts: RunFacts): SnapshotRequest {
  const timeoutMs = snapshot['timeout-minutes'] * 60_000;
  return {
    source: snapshot['db-instance']
      ? { kind: 'instance', identifier: snapshot['db-instance'] }
      : { kind: 'cluster', identifier: snapshot['db-cluster']! },
    snapshotId,
    timeoutMs,
    pollIntervalMs: Math.min(SNAPSHOT_POLL_MS, timeoutMs),
    tags: suiteTags(facts),
  };
}

/** The migration as a one-off task, running the release's image in its container. */
export function migrationTask(
  target: EnvironmentConfig,
  migration: MigrationConfig,
  imageRef: string | undefined,
  runId: string | undefined,
): OneOffTaskSpec {
  return {
    cluster: target.cluster,
    taskDefinition: { kind: 'reference', reference: migration['task-definition'] },
    container: migration.container,
    image: imageRef,
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
    startedBy: `ecs-ship/${runId ?? 'release'}`.slice(0, 36),
    timeoutMs: migration['timeout-minutes'] * 60_000,
    pollIntervalMs: watchPollInterval(
      migration['timeout-minutes'] * 60_000,
      seconds(migration['poll-interval-seconds']),
    ),
    streamLogs: true,
  };
}

/**
 * The deploy of the release's images: each service gets its own image where the config gives one, else the
 * environment's, in the containers it names, else in its essential one.
 */
export function deployOptions(
  target: EnvironmentConfig,
  imageRefs: { environment?: string; services?: Record<string, string> },
  mode: DeployMode,
): DeployOptions {
  const serviceImages = new Map<string, Map<string, string>>();
  const essential = new Map<string, string>();
  for (const service of target.services) {
    const imageRef = imageRefs.services?.[service.name] ?? imageRefs.environment;
    if (!imageRef) continue;
    if (service.containers) serviceImages.set(service.name, new Map(service.containers.map((c) => [c, imageRef])));
    else essential.set(service.name, imageRef);
  }
  return {
    cluster: target.cluster,
    services: target.services.map((s) => s.name),
    images: new Map(),
    serviceImages,
    serviceImageForEssentialContainer: essential,
    environment: containerMaps(target.deploy.environment),
    secrets: containerMaps(target.deploy.secrets),
    forceNewDeployment: false,
    circuitBreaker: target.deploy['circuit-breaker'],
    alarms: target.deploy.alarms,
    wait: true,
    timeoutMs: target.deploy['timeout-minutes'] * 60_000,
    pollIntervalMs: watchPollInterval(
      target.deploy['timeout-minutes'] * 60_000,
      seconds(target.deploy['poll-interval-seconds']),
    ),
    onTimeout: 'rollback',
    waitForRollback: true,
    mode,
    rollbackTo: new Map(),
    // A rollback puts the previous revision back with the strategy the service has by then.
    strategy: mode === 'rollback' ? undefined : strategySettings(target.deploy),
    // Only a deploy is watched after it; a rollback has nothing earlier to fall back on.
    watchAfterMs: mode === 'deploy' ? target.deploy['watch-minutes'] * 60_000 : 0,
    watchMetrics: target.deploy['watch-metrics'].map((line) => parseWatchMetric(line) as WatchedMetric),
  };
}

/** Services back to the task definitions they ran before, watched like the deploy. */
export function rollbackOptions(target: EnvironmentConfig, previous: Map<string, string>): DeployOptions {
  return { ...deployOptions(target, {}, 'rollback'), services: [...previous.keys()], rollbackTo: previous };
}

/** `container:NAME` keys of the config, as the deploy engine takes them: by container, then by name. */
function containerMaps(values: Record<string, string>): Map<string, Map<string, string>> {
  const result = new Map<string, Map<string, string>>();
  for (const [key, value] of Object.entries(values)) {
    const [container, name] = key.split(':') as [string, string];
    if (!result.has(container)) result.set(container, new Map());
    result.get(container)!.set(name, value);
  }
  return result;
}

export function probeSettings(smoke: SmokeConfig, sha: string): ProbeSettings {
  return {
    waitForHealthyMs: smoke['wait-for-healthy-seconds'] * 1000,
    consecutiveSuccesses: smoke['consecutive-successes'],
    samples: 1,
    concurrency: 10,
    requestTimeoutMs: smoke['request-timeout-seconds'] * 1000,
    maxRedirects: 5,
    maxErrorRate: 0,
    expectVersion: smoke['expect-version'] ? sha : undefined,
    versionSource: smoke['version-header']
      ? { kind: 'header', name: smoke['version-header'] }
      : smoke['version-json-path']
        ? { kind: 'json', path: smoke['version-json-path'] }
        : { kind: 'body' },
  };
}

function seconds(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value * 1000;
}
