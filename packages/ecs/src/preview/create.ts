/**
 * `create-from`: the preview service, created as a copy of the template service when it does not exist yet, with its
 * own target group and host rule when `preview-host` is given. Everything is read and checked before the first
 * change; a failure or a cancellation part-way says what exists by then. Every step finds what an earlier run made,
 * so running again completes a preview, and `mode: delete` removes it whatever was made.
 */
import { CreateServiceCommand, DescribeServicesCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CancelledError, UserError, describeAwsFailure, type Logger } from '@ecs-ship/action-kit';
import {
  ensureHostRule,
  ensureTargetGroup,
  findTemplateEntry,
  previewUrl,
  type TemplateEntry,
} from './load-balancer.js';
import { PREVIEW_TAG, marksPreview } from './names.js';
import { previewServiceRequest } from './template.js';

export interface PreviewSettings {
  cluster: string;
  /** The preview service's name. */
  service: string;
  /** The template service, in the same cluster. */
  createFrom: string;
  /** The host its own listener rule sends to it. */
  host?: string;
}

export interface PreviewContext {
  ecs: ECSClient;
  elbv2: () => Promise<ElasticLoadBalancingV2Client>;
  logger: Logger;
  signal: AbortSignal;
}

export interface PreviewOutcome {
  service: string;
  /** The service was created by this run (else it existed and is deployed as any service). */
  created: boolean;
  /** Where the preview answers, when `host` was given. */
  url?: string;
  /** What this run made or found, in order, as sentences' objects ("target group shop-pr-7"). */
  resources: string[];
}

export async function ensurePreview(settings: PreviewSettings, context: PreviewContext): Promise<PreviewOutcome> {
  const { ecs, logger, signal } = context;
  const { cluster, service, createFrom, host } = settings;
  const checked = await readOrExplain(() => check(settings, context));
  if ('existing' in checked) return checked.existing;
  const { template, entry } = checked;

  // Every check passed: from here on, what is made is said if the run stops.
  const made: string[] = [];
  const stop = (doing: string, error?: unknown): never => {
    const so =
      made.length > 0
        ? `It has now: ${made.join(', ')}; run again to finish the preview, or delete it with "mode: delete".`
        : 'Nothing was changed.';
    if (signal.aborted || error instanceof CancelledError) {
      // A call cut off by the cancellation may still have taken effect: say so rather than guess.
      const underway = error === undefined ? '' : ` The call ${doing} was under way and may have taken effect.`;
      throw new CancelledError(`The job was cancelled while ${doing} for the preview ${service}.${underway} ${so}`);
    }
    if (error instanceof UserError)
      throw new UserError(`${error.message.replace(/ Nothing was changed\.$/, '')} ${so}`, { cause: error });
    throw new UserError(`Could not finish ${doing} for the preview ${service} (${describeAwsFailure(error)}). ${so}`, {
      cause: error,
    });
  };

  let targetGroup: { arn: string; containerName: string; containerPort: number } | undefined;
  let url: string | undefined;
  if (host && entry) {
    const elbv2 = await context.elbv2();
    if (signal.aborted) stop('making the target group');
    try {
      const group = await ensureTargetGroup(elbv2, service, entry.targetGroup, signal);
      made.push(`target group ${group.TargetGroupName}`);
      targetGroup = {
        arn: group.TargetGroupArn!,
        containerName: entry.containerName,
        containerPort: entry.containerPort,
      };
    } catch (error) {
      stop('making the target group', error);
    }
    if (signal.aborted) stop('adding the listener rule');
    try {
      const rule = await ensureHostRule(elbv2, entry.listener.ListenerArn!, host, targetGroup!.arn, service, signal);
      made.push(`listener rule for ${host} (priority ${rule.Priority})`);
    } catch (error) {
      stop('adding the listener rule', error);
    }
    url = previewUrl(host, entry.listener);
  }

  if (signal.aborted) stop('creating the service');
  const { request, leftOut } = previewServiceRequest(template, { cluster, service, targetGroup });
  for (const line of leftOut) logger.info(`${service}: not copied from ${createFrom}: ${line}.`);
  try {
    await createService(ecs, request, signal);
  } catch (error) {
    stop('creating the service', error);
  }
  made.push(`service ${service}`);
  // The create may have outlasted a cancellation: the deploy would not start, so say what exists now.
  if (signal.aborted) stop('creating the service');
  logger.info(
    `Created ${service} from ${createFrom}, tagged ${PREVIEW_TAG}=${service}${url ? `, reachable at ${url} once its tasks are healthy` : ''}.`,
  );
  return { service, created: true, url, resources: made };
}

/** Every read and check before the first change: the preview as it exists, or the template and its listener. */
async function check(
  settings: PreviewSettings,
  context: PreviewContext,
): Promise<{ existing: PreviewOutcome } | { template: Service; entry?: TemplateEntry }> {
  const { ecs, logger, signal } = context;
  const { cluster, service, createFrom, host } = settings;
  const described = await describe(ecs, cluster, [service, createFrom], signal);
  const existing = described.get(service);
  const template = described.get(createFrom);
  if (existing?.status === 'DRAINING') {
    throw new UserError(
      `The service "${service}" is being deleted (DRAINING). Run again once it is INACTIVE, and it is created anew. Nothing was changed.`,
    );
  }
  if (existing?.status === 'ACTIVE') {
    logger.info(
      `${service} exists: deploying it as any service (create-from applies to a service that does not exist).`,
    );
    if (!marksPreview(existing.tags, service)) {
      logger.warning(
        `${service} carries no ${PREVIEW_TAG}=${service} tag: create-from did not make it, and it is deployed like any service. If the name was meant for a preview, another service already has it.`,
      );
    }
    const url = host && template?.status === 'ACTIVE' ? await urlOf(template, host, context) : undefined;
    return { existing: { service, created: false, url, resources: [] } };
  }
  if (template?.status !== 'ACTIVE') {
    throw new UserError(
      `create-from: the template service "${createFrom}" is not an active service of cluster "${cluster}"${template ? ` (it is ${template.status})` : ''}. Name a service of that cluster. Nothing was changed.`,
    );
  }
  if ((template.deploymentController?.type ?? 'ECS') !== 'ECS') {
    throw new UserError(
      `create-from: the template service "${createFrom}" is deployed by ${template.deploymentController!.type}, and a preview is deployed by ECS. Choose a template under the ECS deployment controller. Nothing was changed.`,
    );
  }
  const entry = host ? await findTemplateEntry(await context.elbv2(), template, signal) : undefined;
  return { template, entry };
}

/** A read that fails for good before anything changed says so. */
async function readOrExplain<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof UserError || error instanceof CancelledError) throw error;
    throw new UserError(
      `Could not read the template service and the preview (${describeAwsFailure(error)}). Nothing was changed.`,
      { cause: error },
    );
  }
}

/** CreateService; an answer lost after ECS created the service is recognised by the service's preview tag. */
async function createService(
  ecs: ECSClient,
  request: ConstructorParameters<typeof CreateServiceCommand>[0],
  signal: AbortSignal,
) {
  try {
    await ecs.send(new CreateServiceCommand(request), { abortSignal: signal });
  } catch (error) {
    const notIdempotent =
      (error as Error).name === 'InvalidParameterException' && /not idempotent/i.test((error as Error).message);
    if (!notIdempotent) throw error;
    const now = (await describe(ecs, request.cluster!, [request.serviceName!], signal)).get(request.serviceName!);
    if (now?.status !== 'ACTIVE' || !marksPreview(now.tags, request.serviceName!)) throw error;
  }
}

async function urlOf(template: Service, host: string, context: PreviewContext): Promise<string> {
  const entry: TemplateEntry = await findTemplateEntry(await context.elbv2(), template, context.signal);
  return previewUrl(host, entry.listener);
}

/** The named services as DescribeServices answers (with tags), by name; a missing one is absent. */
export async function describe(
  ecs: ECSClient,
  cluster: string,
  services: string[],
  signal: AbortSignal,
): Promise<Map<string, Service>> {
  const found = new Map<string, Service>();
  for (let i = 0; i < services.length; i += 10) {
    const answer = await ecs.send(
      new DescribeServicesCommand({ cluster, services: services.slice(i, i + 10), include: ['TAGS'] }),
      { abortSignal: signal },
    );
    for (const s of answer.services ?? []) found.set(s.serviceName!, s);
  }
  return found;
}
