/**
 * The job log and the timeline of a blue/green, linear or canary deployment: one line per lifecycle stage, in ECS's
 * order and each once (stages that passed between two polls are named as such), one per production traffic step,
 * one per change of a hook's status; and a bar per stage on the summary's timeline (scale up, test traffic, each
 * production step, bake, clean up).
 */
import type { Logger } from '@ecs-ship/action-kit';
import { revisionName, type Assessment, type WatchTarget } from '../assess.js';
import type { ServiceDeploymentView } from '../snapshot.js';
import type { Phase, ServiceReport } from '../types.js';
import {
  STAGE_ORDER,
  hookName,
  hookStage,
  percent,
  trafficText,
  type HookView,
  type LifecycleView,
} from './lifecycle.js';

interface Followed {
  /** The index in STAGE_ORDER of the last stage reported. */
  index: number;
  rollbackStage?: string;
  production?: number;
  /** The hooks seen, by hook id, with their last status and the stage they ran at. */
  hooks: Map<string, HookView & { stage?: string }>;
  label?: string;
  phase?: Phase;
}

interface StageUpdate {
  service: string;
  report: ServiceReport;
  /** The service deployment being followed (a new one starts a new log). */
  serviceDeploymentArn: string;
  view: LifecycleView | undefined;
  /** ECS is rolling the deployment back. */
  rollingBack: boolean;
  /** Revision names for people: the one deployed and the one it replaces. */
  green: string;
  blue: string;
  now: number;
}

export class StageLog {
  private readonly followed = new Map<string, Followed>();

  constructor(private readonly logger: Logger) {}

  /** What one poll shows of our service deployment (`record`), given how the watcher assessed it. */
  follow(
    report: ServiceReport,
    target: WatchTarget,
    record: ServiceDeploymentView | undefined,
    assessment: Assessment,
    now: number,
  ): void {
    this.update({
      service: target.service,
      report,
      serviceDeploymentArn: target.serviceDeploymentArn ?? '',
      view: record?.lifecycle,
      rollingBack: target.phase === 'rollback' || assessment.state === 'failed',
      green: revisionName(target.taskDefinition),
      blue: revisionName(target.previousTaskDefinition),
      now,
    });
  }

  private update(u: StageUpdate): void {
    const { view } = u;
    if (!view) return;
    if (view.strategy) u.report.strategy = view.strategy;
    let f = this.followed.get(u.serviceDeploymentArn);
    if (!f) this.followed.set(u.serviceDeploymentArn, (f = { index: -1, hooks: new Map() }));
    if (view.stage) this.stage(u, f, view, view.stage);
    this.hooks(u, f, view.hooks);
  }

  private stage(u: StageUpdate, f: Followed, view: LifecycleView, stage: string): void {
    u.report.lifecycleStage = stage;
    if (u.rollingBack) return this.rollback(u, f, stage);
    const index = STAGE_ORDER.indexOf(stage as (typeof STAGE_ORDER)[number]);
    if (index > f.index) {
      // Stages that came and went between two polls, in order (RECONCILE_SERVICE only happens when ECS says so).
      for (let i = Math.max(f.index + 1, 1); i < index; i++) {
        this.logger.info(`${u.service}: stage ${STAGE_ORDER[i]} (passed between two polls)`);
      }
      f.index = index;
      this.endHooks(u, f);
      this.logger.info(`${u.service}: stage ${stage}: ${describe(view, u.green, u.blue)}`);
      f.production = view.green?.production;
      this.open(u, f, label(view));
    } else if (stage === 'PRODUCTION_TRAFFIC_SHIFT' && view.green?.production !== f.production) {
      f.production = view.green?.production;
      this.logger.info(
        `${u.service}: ${trafficText({ ...view, green: { ...view.green!, test: undefined } }, u.green, u.blue)}`,
      );
      this.open(u, f, label(view));
    }
  }

  /** Rollback stages are logged; the timeline's "ECS rollback" bar covers them. */
  private rollback(u: StageUpdate, f: Followed, stage: string): void {
    if (stage === f.rollbackStage) return;
    f.rollbackStage = stage;
    const what =
      stage === 'PRODUCTION_TRAFFIC_SHIFT'
        ? `production traffic back to ${u.blue}`
        : stage === 'TEST_TRAFFIC_SHIFT'
          ? `test traffic back to ${u.blue}`
          : stage === 'CLEAN_UP'
            ? `removing ${u.green}`
            : `going back to ${u.blue}`;
    this.logger.info(`${u.service}: rolling back, stage ${stage}: ${what}`);
  }

  /**
   * ECS lists only the current stage's hooks: a hook last seen running whose stage the deployment left (forwards)
   * let it go on, so it succeeded (or timed out with the CONTINUE action, which ECS would have listed).
   */
  private endHooks(u: StageUpdate, f: Followed): void {
    for (const [key, hook] of f.hooks) {
      if (hook.status !== 'IN_PROGRESS' && hook.status !== 'AWAITING_ACTION') continue;
      f.hooks.delete(key);
      const at = hook.stage ? ` at ${hook.stage}` : '';
      this.logger.info(`${u.service}: lifecycle hook ${hookName(hook)}${at}: done, the deployment went on`);
    }
  }

  private hooks(u: StageUpdate, f: Followed, hooks: HookView[]): void {
    for (const hook of hooks) {
      const stage = f.hooks.get(hook.id)?.stage ?? hookStage(u.view!, hook);
      if (f.hooks.get(hook.id)?.status === hook.status) continue;
      f.hooks.set(hook.id, { ...hook, stage });
      const at = stage ? ` at ${stage}` : '';
      if (hook.status === 'AWAITING_ACTION') {
        const until = hook.expiresAt ? ` before ${new Date(hook.expiresAt).toISOString()}` : '';
        this.logger.info(
          `${u.service}: paused${at} by ${hookName(hook)}: continue or roll back with ContinueServiceDeployment (hook id ${hook.id})${until}, else ECS takes the timeout action ${hook.timeoutAction ?? 'ROLLBACK'}.`,
        );
      } else {
        this.logger.info(`${u.service}: lifecycle hook ${hookName(hook)}${at}: ${hook.status}`);
      }
    }
  }

  /** Closes the current stage's bar and opens the next one when its label differs. */
  private open(u: StageUpdate, f: Followed, name: string | undefined): void {
    if (name === undefined || name === f.label) return;
    if (f.phase && f.phase.end === undefined) Object.assign(f.phase, { end: u.now, outcome: 'ok' });
    f.label = name;
    f.phase = { label: name, start: u.now, outcome: 'active' };
    u.report.phases.push(f.phase);
  }
}

/** The timeline's bar for a stage: the stages around one step share its bar. */
function label(view: LifecycleView): string | undefined {
  switch (view.stage) {
    case 'RECONCILE_SERVICE':
      return 'reconcile';
    case 'PRE_SCALE_UP':
    case 'SCALE_UP':
    case 'POST_SCALE_UP':
      return 'scale up';
    case 'TEST_TRAFFIC_SHIFT':
    case 'POST_TEST_TRAFFIC_SHIFT':
      return 'test traffic';
    case 'PRODUCTION_TRAFFIC_SHIFT':
      return `production ${percent(view.green?.production ?? 0)}`;
    case 'BAKE_TIME':
      return 'bake';
    case 'CLEAN_UP':
      return 'clean up';
    default:
      return undefined; // POST_PRODUCTION_TRAFFIC_SHIFT belongs to the last production step
  }
}

function describe(view: LifecycleView, green: string, blue: string): string {
  const tasks = view.green ? ` (${view.green.running}/${view.green.requested} tasks running)` : '';
  switch (view.stage) {
    case 'RECONCILE_SERVICE':
      return `stopping revisions other than ${blue}`;
    case 'PRE_SCALE_UP':
      return `production traffic 100% on ${blue}`;
    case 'SCALE_UP':
      return `${green} scaling up beside ${blue}${tasks}`;
    case 'POST_SCALE_UP':
      return `${green} is up${tasks}, no traffic yet`;
    case 'BAKE_TIME':
      return `${trafficText(view, green, blue)}; ${blue} keeps running for the bake time`;
    case 'CLEAN_UP':
      return `removing ${blue}`;
    default:
      return trafficText(view, green, blue) || view.stage || '';
  }
}
