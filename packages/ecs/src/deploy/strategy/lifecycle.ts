/**
 * What a poll shows of a blue/green, linear or canary deployment: the lifecycle stage, the hooks of the stage and
 * the traffic split between the revision being deployed (green) and the one it replaces (blue), read from
 * DescribeServiceDeployments; and the decisions over it, pure so that tables of real-shaped answers test them.
 */
import type { ServiceDeployment, ServiceRevisionSummary } from '@aws-sdk/client-ecs';

/** The stages in the order ECS goes through them (the ServiceDeploymentLifecycleStage enum, the developer guide). */
export const STAGE_ORDER = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
] as const;

export interface HookView {
  id: string;
  type: string;
  /** The Lambda function's ARN (absent for a PAUSE hook). */
  target?: string;
  status: string;
  expiresAt?: number;
  timeoutAction?: string;
  /** The stages the deployment's configuration attaches this hook's target to. */
  stages: string[];
}

export interface RevisionShare {
  arn: string;
  /** Percent of the production and test traffic ECS sends to the revision, when it reports them. */
  production?: number;
  test?: number;
  running: number;
  requested: number;
}

export interface LifecycleView {
  strategy?: string;
  /** The record's status: while it is not PENDING or IN_PROGRESS, `stage` is a stage of the rollback. */
  status?: string;
  stage?: string;
  hooks: HookView[];
  green?: RevisionShare;
  blue: RevisionShare[];
}

function share(summary: ServiceRevisionSummary): RevisionShare {
  return {
    arn: summary.arn ?? '',
    production: summary.requestedProductionTrafficWeight,
    test: summary.requestedTestTrafficWeight,
    running: summary.runningTaskCount ?? 0,
    requested: summary.requestedTaskCount ?? 0,
  };
}

/** The lifecycle part of a service-deployment record; undefined for a rolling deployment. */
export function lifecycleView(record: ServiceDeployment): LifecycleView | undefined {
  const strategy = record.deploymentConfiguration?.strategy;
  if (!record.lifecycleStage && (strategy === undefined || strategy === 'ROLLING')) return undefined;
  const configured = record.deploymentConfiguration?.lifecycleHooks ?? [];
  return {
    strategy,
    status: record.status,
    stage: record.lifecycleStage,
    hooks: (record.lifecycleHookDetails ?? []).map((hook) => ({
      id: hook.hookId ?? '',
      type: hook.targetType ?? 'AWS_LAMBDA',
      target: hook.targetArn,
      status: hook.status ?? '',
      expiresAt: hook.expiresAt?.getTime(),
      timeoutAction: hook.timeoutAction,
      stages: configured
        .filter(
          (c) =>
            (c.hookTargetArn ?? '') === (hook.targetArn ?? '') && (c.targetType ?? 'AWS_LAMBDA') === hook.targetType,
        )
        .flatMap((c) => c.lifecycleStages ?? []),
    })),
    green: record.targetServiceRevision ? share(record.targetServiceRevision) : undefined,
    blue: (record.sourceServiceRevisions ?? []).map(share),
  };
}

/** A hook as people name it: the Lambda function's name, or the pause hook's id. */
export function hookName(hook: HookView): string {
  if (!hook.target) return `pause hook ${hook.id}`;
  return /:function:([^:]+)/.exec(hook.target)?.[1] ?? hook.target;
}

/** The hook that fails the deployment: FAILED, or TIMED_OUT with the ROLLBACK timeout action. */
export function failedHook(view: LifecycleView | undefined): HookView | undefined {
  return view?.hooks.find(
    (hook) => hook.status === 'FAILED' || (hook.status === 'TIMED_OUT' && hook.timeoutAction !== 'CONTINUE'),
  );
}

/**
 * The stage a hook runs at: the current one while the deployment goes forward, else (ECS moves straight on to the
 * rollback's stages when a hook fails) the one stage its configuration attaches it to; undefined when that is not
 * known.
 */
export function hookStage(view: LifecycleView, hook: HookView): string | undefined {
  const forward = view.status === undefined || view.status === 'PENDING' || view.status === 'IN_PROGRESS';
  if (forward && view.stage)
    return view.stage === 'PRODUCTION_TRAFFIC_SHIFT' &&
      hook.stages.includes('PRE_PRODUCTION_TRAFFIC_SHIFT') &&
      !hook.stages.includes(view.stage)
      ? 'PRE_PRODUCTION_TRAFFIC_SHIFT'
      : view.stage;
  return hook.stages.length === 1 ? hook.stages[0] : undefined;
}

/** "Lifecycle hook smoke-tests (arn) failed at POST_TEST_TRAFFIC_SHIFT." */
export function hookFailure(view: LifecycleView | undefined): string | undefined {
  const hook = failedHook(view);
  if (!view || !hook) return undefined;
  const what = hook.status === 'TIMED_OUT' ? 'timed out' : 'failed';
  const target = hook.target ? ` (${hook.target})` : '';
  const stage = hookStage(view, hook);
  return `Lifecycle hook ${hookName(hook)}${target} ${what}${stage ? ` at ${stage}` : ''}.`;
}

/** Green's share of the production traffic, when ECS reports it. */
export function productionShare(view: LifecycleView | undefined): number | undefined {
  return view?.green?.production;
}

/** "test 100% / production 34% to web:8", for progress lines. */
export function trafficText(view: LifecycleView, green: string, blue: string): string {
  const production = view.green?.production;
  const test = view.green?.test;
  const parts: string[] = [];
  if (test !== undefined) parts.push(`test traffic ${percent(test)} to ${green}`);
  if (production !== undefined) {
    parts.push(
      production >= 100
        ? `production traffic 100% to ${green}`
        : production <= 0
          ? `production traffic 100% on ${blue}`
          : `production traffic ${percent(production)} to ${green}, ${percent(100 - production)} on ${blue}`,
    );
  }
  return parts.join('; ');
}

export function percent(value: number): string {
  return `${Math.round(value * 10) / 10}%`;
}

/**
 * The rollback of a traffic-shifting deployment as the record tells it: production traffic back on blue and blue's
 * tasks running. Undefined while the record does not say the rollback finished.
 */
export function rollbackOutcome(
  view: LifecycleView | undefined,
  status: string | undefined,
  previous: string,
): { healthy: boolean; summary: string } | undefined {
  if (!view || status !== 'ROLLBACK_SUCCESSFUL') return undefined;
  const blue = view.blue[0];
  if (!blue) return { healthy: false, summary: 'ECS reports no revision it rolled back to' };
  const traffic = blue.production;
  const onBlue = traffic === undefined || traffic >= 100;
  const running = blue.running >= blue.requested && blue.requested > 0;
  const summary = `production traffic ${traffic === undefined ? '' : `${percent(traffic)} `}on ${previous}, ${blue.running}/${blue.requested} tasks running`;
  return { healthy: onBlue && running, summary };
}
