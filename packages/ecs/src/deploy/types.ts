import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Clock, Deadline, Logger } from '@ecs-ship/action-kit';
import type { CodeDeployOptions } from '../codedeploy/options.js';
import type { TaskDiagnosis } from '../diagnose/stopped-tasks.js';
import type { ServicePlan } from '../plan/service-plan.js';
import type { ServiceSettings } from '../service-settings.js';
import type { DefinitionChange } from '../taskdef/compare.js';
import type { EventView } from './snapshot.js';
import type { StrategySettings } from './strategy/settings.js';
import type { WatchedMetric } from '../watch/thresholds.js';
import type { WatchReport } from '../watch/watch.js';

export type DeployMode = 'deploy' | 'plan' | 'rollback';

/** What to deploy and how to watch it; the action reads these from its inputs. */
export interface DeployOptions {
  cluster: string;
  services: string[];
  /** The template of each service that has one, by service as named in `services`; others render from their current definition. */
  templates?: ReadonlyMap<string, Record<string, unknown>>;
  /** Image per container name, for every service that has the container (at least one must). */
  images: ReadonlyMap<string, string>;
  /** Image per container name for one service, by service as named in `services`; wins over `images`. */
  serviceImages?: ReadonlyMap<string, ReadonlyMap<string, string>>;
  imageForEssentialContainer?: string;
  /** An image for the essential container of one service, by service; wins over `imageForEssentialContainer`. */
  serviceImageForEssentialContainer?: ReadonlyMap<string, string>;
  environment: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Secrets by reference, per container name: variable name → Secrets Manager or SSM parameter ARN. */
  secrets?: ReadonlyMap<string, ReadonlyMap<string, string>>;
  desiredCount?: number;
  forceNewDeployment: boolean;
  /** Managed tags, tag propagation and the service-managed EBS volume, applied with the UpdateService. */
  serviceSettings?: ServiceSettings;
  circuitBreaker: 'rollback' | 'fail-only';
  alarms: string[];
  wait: boolean;
  timeoutMs: number;
  pollIntervalMs: number;
  onTimeout: 'rollback' | 'fail';
  waitForRollback: boolean;
  /**
   * When one service fails, put every other service this run changed back on its previous revision too, so that a
   * multi-service deploy is all-or-nothing. Off: the others are watched while a rollback is followed, then left to
   * ECS, and their state is reported.
   */
  rollbackOthersOnFailure?: boolean;
  mode: DeployMode;
  /** rollback mode: task definition per service; services not listed go back to their last completed revision. */
  rollbackTo: ReadonlyMap<string, string>;
  /** The deployment strategy to apply with the update; undefined: each service keeps its own. */
  strategy?: StrategySettings;
  /** How a service under the CODE_DEPLOY deployment controller is deployed (its application, group, AppSpec). */
  codeDeploy?: CodeDeployOptions;
  /** Several services, some under CODE_DEPLOY: each one's own CodeDeploy options (the release config's). */
  serviceCodeDeploy?: ReadonlyMap<string, CodeDeployOptions>;
  /** `watch-minutes`: after every service succeeded, how long to watch alarms and metrics (ms); 0: not at all. */
  watchAfterMs?: number;
  /** `watch-metrics`: the thresholds watched after the deploy, besides the deployments' alarms. */
  watchMetrics?: WatchedMetric[];
  /**
   * The watch's rollback after a breach: the deployments this run starts do not monitor the services' CloudWatch
   * alarms (the circuit breaker stays on), since an alarm still in ALARM would make ECS fail the rollback too. The
   * caller puts each service's alarms back afterwards (watch/alarm-pause.ts).
   */
  pauseAlarmMonitoring?: boolean;
}

export interface DeployContext {
  ecs: ECSClient;
  /** The ELBv2 client, made on first use: it confirms that a rolled-back blue/green deployment's traffic is back. */
  elbv2?: () => Promise<ElasticLoadBalancingV2Client>;
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
  /** The longest the log stays quiet while deployments are watched (default 30 s). */
  progressIntervalMs?: number;
  /**
   * The deadline the ECS client retries throttling until (`awsClientConfig({ deadline })`). The engine moves it to
   * the end of each wait it starts (the deploy's own timeout, ECS's rollback, a restore), so that a call is never
   * given up on while its wait still has time, nor retried past it.
   */
  deadline?: Deadline;
  /**
   * Called the moment a service's deployment is seen to have failed (circuit breaker, alarm, timeout, superseded,
   * deleted), before any rollback is followed: the release pipeline tells Slack at once. The engine waits for the
   * calls it made before it returns; a hook that throws is a warning.
   */
  onFailure?: (failure: DetectedFailure) => void | Promise<void>;
  /** The CodeDeploy client, made on first use: services under the CODE_DEPLOY deployment controller need it. */
  codedeploy?: () => Promise<CodeDeployClient>;
}

/** A failure as the engine detected it, for `onFailure`. */
export interface DetectedFailure {
  service: string;
  result: Extract<ServiceResult, 'failed' | 'rolled-back' | 'timed-out' | 'superseded' | 'gone'>;
  /** ECS's reason, as the report and the log give it. */
  reason: string;
  /** The revision the service is going back to (by ECS's rollback, or by on-timeout rollback); undefined when none. */
  rollingBackTo?: string;
  /** Whether the step keeps watching the rollback (wait-for-rollback); its outcome is in the final report. */
  followingRollback: boolean;
  detectedAt: number;
}

/** Every outcome of a run, as the action's `result` output gives it. */
export const OVERALL_RESULTS = [
  'succeeded',
  'failed',
  'rolled-back',
  'superseded',
  'timed-out',
  'cancelled',
  'planned',
  'started',
  'unchanged',
] as const;
export type OverallResult = (typeof OVERALL_RESULTS)[number];

export type ServiceResult =
  | 'succeeded'
  | 'failed'
  | 'rolled-back'
  | 'timed-out'
  | 'superseded'
  | 'gone'
  | 'unchanged'
  | 'planned'
  | 'started'
  | 'in-progress'
  | 'cancelled';

/** A span of the timeline (Mermaid gantt). */
export interface Phase {
  label: string;
  start: number;
  end?: number;
  outcome: 'ok' | 'failed' | 'active';
}

export interface ServiceReport {
  service: string;
  /** The service's ARN, as DescribeServices gave it (for console links). */
  serviceArn?: string;
  result: ServiceResult;
  /** The task definition the service ran before (ARN). */
  previousTaskDefinition?: string;
  /** The task definition deployed (ARN); for unchanged, the current one. */
  taskDefinition?: string;
  images: Record<string, string>;
  deploymentId?: string;
  serviceDeploymentArn?: string;
  reason?: string;
  /** The last progress line, for reports on cancellation or while other services failed. */
  stand?: string;
  startedAt?: number;
  finishedAt?: number;
  /** After a failure: how the rollback ended, and who rolled back (ECS's circuit breaker or alarms, CodeDeploy, or
   *  this step). */
  rollback?: {
    healthy: boolean;
    taskDefinition?: string;
    reason: string;
    by?: 'ecs' | 'step' | 'codedeploy';
    /** Still under way when the step stopped watching (not waited for, or out of time). */
    pending?: boolean;
  };
  /** rollback-others-on-failure: the services whose failure made this step put this one back. */
  rolledBackBecauseOf?: string[];
  /** Service events since the deployment started, oldest first. */
  events: EventView[];
  /** After a failure: the new deployment's stopped tasks, newest first (see diagnose/). */
  diagnosis?: TaskDiagnosis[];
  /** plan mode: what would change, leaf by leaf. */
  diff?: DefinitionChange[];
  /** The deployment strategy (ROLLING, BLUE_GREEN, LINEAR, CANARY) of the deployment, or that it would use. */
  strategy?: string;
  /** Blue/green, linear and canary: the last lifecycle stage ECS reported. */
  lifecycleStage?: string;
  /** plan mode: what the strategy will do, in a sentence or two. */
  strategyPlan?: string;
  /** plan mode: what would change, for people (values shown only where they are safe to show). */
  plan?: ServicePlan;
  phases: Phase[];
  /** CodeDeploy's ready wait: the smoke checks run against the test listener before production traffic moved. */
  checks?: { name: string; url: string; passed: boolean; detail: string }[];
}

export interface DeployReport {
  mode: DeployMode;
  cluster: string;
  result: OverallResult;
  /** One line naming the services that failed and ECS's reasons. */
  failureReason?: string;
  services: ServiceReport[];
  startedAt: number;
  finishedAt: number;
  /** Whether the status came from DescribeServiceDeployments (else deployments[].rolloutState). */
  usedServiceDeployments: boolean;
  polls: number;
  describeServicesCalls: number;
  /** `watch-minutes`: how the watch after the deploy went (absent when there was none). */
  watch?: WatchReport;
}
