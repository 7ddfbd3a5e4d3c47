/**
 * `mode: delete`: previews removed. Every named service is read first, and a service that does not carry its own
 * `ecs-ship:preview` tag is refused by name before anything changes, so that no wrong name can delete a production
 * service. Then, for each: scaled to 0, deleted (DeleteService with force), its listener rule removed, the wait until
 * ECS calls it INACTIVE (the `services-inactive` waiter's condition), and its target group removed (ELB refuses to
 * delete a target group a rule still forwards to). A preview already gone is fine: the pull request may close twice.
 */
import { DeleteServiceCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  CancelledError,
  UserError,
  describeAwsFailure,
  formatDuration,
  type Clock,
  type Logger,
} from '@ecs-ship/action-kit';
import { describe } from './create.js';
import { deleteRule, deleteTargetGroup, findPreviewRouting } from './load-balancer.js';
import { PREVIEW_TAG, marksPreview } from './names.js';

export interface RemovalSettings {
  cluster: string;
  services: string[];
  timeoutMs: number;
  pollIntervalMs: number;
}

export interface RemovalContext {
  ecs: ECSClient;
  elbv2: () => Promise<ElasticLoadBalancingV2Client>;
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
}

export interface RemovedPreview {
  service: string;
  /** `removed`: this run deleted it; `gone`: there was no such service (any leftover rule or group was removed). */
  result: 'removed' | 'gone';
  /** What this run removed, in order. */
  removed: string[];
}

export async function removePreviews(settings: RemovalSettings, context: RemovalContext): Promise<RemovedPreview[]> {
  const { ecs, logger, signal } = context;
  const { cluster, services } = settings;
  const described = await describe(ecs, cluster, services, signal);
  const refused = services.filter((name) => {
    const service = described.get(name);
    return service && service.status !== 'INACTIVE' && !marksPreview(service.tags, name);
  });
  if (refused.length > 0) {
    throw new UserError(
      `mode: delete removes preview services only, and ${refused.map((s) => `"${s}"`).join(', ')} ${refused.length === 1 ? 'carries' : 'carry'} no ${PREVIEW_TAG} tag with ${refused.length === 1 ? 'its' : 'their'} own name. Check "services". Nothing was changed.`,
      { title: 'Not a preview' },
    );
  }

  const elbv2 = await context.elbv2();
  const results: RemovedPreview[] = [];
  for (const name of services) {
    const removed: string[] = [];
    const doing = { what: 'reading its target group and listener rule' };
    try {
      const routing = await findPreviewRouting(elbv2, name, signal);
      const service = described.get(name);
      const active = service?.status === 'ACTIVE';
      if (active && (service.desiredCount ?? 0) > 0) {
        doing.what = 'scaling it to 0';
        await ecs.send(new UpdateServiceCommand({ cluster, service: name, desiredCount: 0 }), { abortSignal: signal });
      }
      if (active) {
        doing.what = 'deleting the service';
        await ecs.send(new DeleteServiceCommand({ cluster, service: name, force: true }), { abortSignal: signal });
        removed.push(`service ${name}`);
        logger.info(`${name}: deleted; ECS stops its tasks (DRAINING).`);
      }
      for (const rule of routing.rules) {
        doing.what = 'removing its listener rule';
        await deleteRule(elbv2, rule, signal);
        removed.push(`listener rule (priority ${rule.Priority})`);
        logger.info(`${name}: removed the listener rule with priority ${rule.Priority}.`);
      }
      if (service && service.status !== 'INACTIVE') {
        doing.what = 'waiting until the service is INACTIVE';
        await untilInactive(settings, name, context);
        logger.info(`${name}: INACTIVE.`);
      }
      if (routing.targetGroup) {
        doing.what = 'removing its target group';
        await deleteTargetGroup(elbv2, routing.targetGroup, signal);
        removed.push(`target group ${routing.targetGroup.TargetGroupName}`);
        logger.info(`${name}: removed the target group ${routing.targetGroup.TargetGroupName}.`);
      }
      results.push({ service: name, result: active || service?.status === 'DRAINING' ? 'removed' : 'gone', removed });
      if (removed.length === 0) logger.info(`${name}: no such preview; nothing to remove.`);
    } catch (error) {
      const so = `${removed.length > 0 ? `Already removed: ${removed.join(', ')}. ` : ''}Run the step again to finish.`;
      if (signal.aborted || error instanceof CancelledError) {
        throw new CancelledError(`The job was cancelled while ${doing.what} of the preview ${name}. ${so}`);
      }
      if (error instanceof UserError) throw error;
      throw new UserError(
        `Could not remove the preview ${name}: ${doing.what} failed (${describeAwsFailure(error)}). ${so}`,
        {
          cause: error,
        },
      );
    }
  }
  return results;
}

/** Polls DescribeServices until the service is INACTIVE (or no longer listed), within `timeoutMs`. */
async function untilInactive(settings: RemovalSettings, service: string, context: RemovalContext): Promise<void> {
  const { ecs, clock, signal } = context;
  const started = clock.now();
  for (;;) {
    const now = (await describe(ecs, settings.cluster, [service], signal)).get(service);
    if (!now || now.status === 'INACTIVE') return;
    const elapsed = clock.now() - started;
    if (elapsed >= settings.timeoutMs) {
      throw new UserError(
        `${service} is still ${now.status} after ${formatDuration(elapsed)} (timeout-minutes): ECS has not stopped its ${now.runningCount ?? 0} running task(s) yet. Run the step again later to remove its target group.`,
      );
    }
    await clock.sleep(Math.min(settings.pollIntervalMs, settings.timeoutMs - elapsed), signal);
  }
}
