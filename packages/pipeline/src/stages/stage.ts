/**
 * What every release stage is: a key, a rule saying when it is skipped and why, and its run over one ReleaseRun,
 * the context the stages share (what was asked, the environment's config, the clients, the report so far).
 */
import type { Clock, Logger } from '@ecs-ship/action-kit';
import type { ImageOrigin } from '@ecs-ship/ecr';
import type { CodeDeployOptions } from '@ecs-ship/ecs';
import type { GitHubClient, Repository } from '@ecs-ship/github-release';
import type { Check, SmokeReport } from '@ecs-ship/probe';
import type { AwsClients } from '../clients.js';
import type { EnvironmentConfig, ReleaseConfig } from '../config.js';
import type { ReleaseReport, StageKey, StageName, StageRecord } from '../report.js';

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

/** One release as the stages see it. */
export interface ReleaseRun {
  readonly options: ReleaseOptions;
  readonly context: ReleaseContext;
  /** The environment's entry of the config. */
  readonly target: EnvironmentConfig;
  readonly aws: AwsClients;
  readonly report: ReleaseReport;
  /** What the engines take to log, wait and stop: the release's logger, clock, cancellation and heartbeat interval. */
  readonly tools: { logger: Logger; clock: Clock; signal: AbortSignal; progressIntervalMs: number };
  /** Prepared (and checked) before anything changed: the smoke checks and the image to build or push. */
  readonly checks?: Check[];
  readonly origin?: ImageOrigin;
  /** The build or archive of each service that has its own image (undefined for a promotion), by service. */
  readonly serviceOrigins?: ReadonlyMap<string, ImageOrigin | undefined>;
  /** Each service's CodeDeploy options, for those under the CODE_DEPLOY deployment controller. */
  readonly codeDeploy: ReadonlyMap<string, CodeDeployOptions>;
  /** The smoke report, once the smoke stage ran (the final notification shows it). */
  smoke?: SmokeReport;
  /** The migration task's outcome as run-migration-task's outputs, once it ran (the final notification shows it). */
  migration?: Record<string, string | number | undefined>;
  /** Fills the config's templates (`{env}`, `{date}`, `{sha7}`, …) for this release. */
  fill(template: string): string;
  /** Whether the `stages` input asked for this stage. */
  wants(stage: StageName): boolean;
  /** Whether an earlier stage failed (or the deploy was rolled back). */
  failed(): boolean;
}

/** A stage that leaves no line in the report when it does not run (the rollback, the notifications). */
export const UNRECORDED = Symbol('unrecorded');

export interface Stage {
  readonly key: StageKey;
  readonly title: string;
  /** Why the stage does not run in this release (recorded as skipped), UNRECORDED, or undefined to run it. */
  skip(run: ReleaseRun): string | typeof UNRECORDED | undefined;
  /** Runs the stage; what it throws fails it, with the error's message as the reason. */
  run(run: ReleaseRun, record: StageRecord): Promise<void>;
}

/** Fails the stage it is thrown from, with a one-line reason (and no stack trace in the debug log). */
export class StageFailure extends Error {}

/** The reasons a stage is skipped, written once. */
export const SKIPPED = {
  notAsked: 'not among the stages asked for',
  dryRun: 'dry run',
  earlierFailure: 'an earlier stage failed',
} as const;

export interface SkipRule {
  /** The name in the `stages` input that asks for the stage. */
  asked: StageName;
  /** Why the config gives the stage nothing to do; undefined when it does. */
  unconfigured?: (run: ReleaseRun) => string | undefined;
  /** Whether a dry run plans the stage (reading, never writing) rather than skipping it. */
  plansInDryRun: boolean;
  /** Why the stage is skipped after an earlier failure; false when it runs all the same. */
  afterFailure?: string | false;
}

/** The usual rule, in order: nothing configured, a dry run, not asked for, an earlier failure. */
export function skipRule(rule: SkipRule): Stage['skip'] {
  return (run) => {
    const unconfigured = rule.unconfigured?.(run);
    if (unconfigured) return unconfigured;
    if (run.options.dryRun && !rule.plansInDryRun) return SKIPPED.dryRun;
    if (!run.wants(rule.asked)) return SKIPPED.notAsked;
    if (rule.afterFailure !== false && run.failed()) return rule.afterFailure ?? SKIPPED.earlierFailure;
    return undefined;
  };
}
