/**
 * A preview's own way in through the template's Application Load Balancer: a target group made like the template's
 * (protocol, port, VPC, target type, health check), and a rule on the template's listener that sends the preview's
 * host there, at the lowest free priority. Everything made is tagged `ecs-ship:preview=<service>`, and everything
 * found is checked for that tag before it is reused or removed.
 */
import {
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  type ElasticLoadBalancingV2Client,
  type Listener,
  type Rule,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Service } from '@aws-sdk/client-ecs';
import { UserError } from '@ecs-ship/action-kit';
import { marksPreview, previewTag, previewTargetGroupName } from './names.js';

/** Where the template is reached: its listener, its target group and the container it registers. */
export interface TemplateEntry {
  listener: Listener;
  targetGroup: TargetGroup;
  containerName: string;
  containerPort: number;
}

/** The preview's URL on a listener: the scheme of its protocol, and its port unless it is the scheme's own. */
export function previewUrl(host: string, listener: Pick<Listener, 'Protocol' | 'Port'>): string {
  const scheme = listener.Protocol === 'HTTPS' ? 'https' : 'http';
  const port = listener.Port && listener.Port !== (scheme === 'https' ? 443 : 80) ? `:${listener.Port}` : '';
  return `${scheme}://${host.toLowerCase()}${port}/`;
}

/**
 * The template's Application Load Balancer listener that forwards to its target group (HTTPS first, then the lowest
 * port). A template with no target group, or behind a Network Load Balancer, cannot give a preview a host.
 */
export async function findTemplateEntry(
  elbv2: ElasticLoadBalancingV2Client,
  template: Service,
  signal: AbortSignal,
): Promise<TemplateEntry> {
  const name = template.serviceName ?? '';
  const registered = (template.loadBalancers ?? []).find((lb) => lb.targetGroupArn && lb.containerName);
  if (!registered) {
    throw new UserError(
      `preview-host is set, but the template service "${name}" is behind no load balancer target group. Remove "preview-host", or choose a template behind an Application Load Balancer. Nothing was changed.`,
    );
  }
  const { TargetGroups = [] } = await elbv2.send(
    new DescribeTargetGroupsCommand({ TargetGroupArns: [registered.targetGroupArn!] }),
    { abortSignal: signal },
  );
  const targetGroup = TargetGroups[0]!;
  const loadBalancerArn = targetGroup.LoadBalancerArns?.[0];
  if (!loadBalancerArn) {
    throw new UserError(
      `The template's target group ${targetGroup.TargetGroupName} is attached to no load balancer, so no listener can send a host to the preview. Nothing was changed.`,
    );
  }
  const { LoadBalancers = [] } = await elbv2.send(
    new DescribeLoadBalancersCommand({ LoadBalancerArns: [loadBalancerArn] }),
    { abortSignal: signal },
  );
  const loadBalancer = LoadBalancers[0]!;
  if (loadBalancer.Type !== 'application') {
    throw new UserError(
      `preview-host needs an Application Load Balancer (host-header rules), and the template's load balancer ${loadBalancer.LoadBalancerName} is a ${loadBalancer.Type} load balancer. Remove "preview-host". Nothing was changed.`,
    );
  }
  const { Listeners = [] } = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn }), {
    abortSignal: signal,
  });
  const candidates: Listener[] = [];
  for (const listener of Listeners) {
    const rules = await rulesOf(elbv2, listener.ListenerArn!, signal);
    if (rules.some((rule) => forwardsTo(rule, targetGroup.TargetGroupArn!))) candidates.push(listener);
  }
  candidates.sort((a, b) => rank(a) - rank(b));
  const listener = candidates[0];
  if (!listener) {
    throw new UserError(
      `No listener of ${loadBalancer.LoadBalancerName} forwards to the template's target group ${targetGroup.TargetGroupName}, so there is no listener to add the preview's host to. Nothing was changed.`,
    );
  }
  return {
    listener,
    targetGroup,
    containerName: registered.containerName!,
    containerPort: registered.containerPort ?? targetGroup.Port ?? 80,
  };
}

/**
 * The preview's target group: created like the template's, or found from an earlier run (ELB answers an identical
 * CreateTargetGroup with the existing group). One that carries no tag of this preview is someone else's: refused.
 */
export async function ensureTargetGroup(
  elbv2: ElasticLoadBalancingV2Client,
  service: string,
  like: TargetGroup,
  signal: AbortSignal,
): Promise<TargetGroup> {
  const name = previewTargetGroupName(service);
  const tag = previewTag(service);
  let created: TargetGroup;
  try {
    const answer = await elbv2.send(
      new CreateTargetGroupCommand({
        Name: name,
        Protocol: like.Protocol,
        ProtocolVersion: like.ProtocolVersion,
        Port: like.Port,
        VpcId: like.VpcId,
        TargetType: like.TargetType,
        HealthCheckProtocol: like.HealthCheckProtocol,
        HealthCheckPort: like.HealthCheckPort,
        HealthCheckEnabled: like.HealthCheckEnabled,
        HealthCheckPath: like.HealthCheckPath,
        HealthCheckIntervalSeconds: like.HealthCheckIntervalSeconds,
        HealthCheckTimeoutSeconds: like.HealthCheckTimeoutSeconds,
        HealthyThresholdCount: like.HealthyThresholdCount,
        UnhealthyThresholdCount: like.UnhealthyThresholdCount,
        Matcher: like.Matcher,
        Tags: [{ Key: tag.key, Value: tag.value }],
      }),
      { abortSignal: signal },
    );
    created = answer.TargetGroups![0]!;
  } catch (error) {
    if ((error as Error).name !== 'DuplicateTargetGroupNameException') throw error;
    throw new UserError(
      `A target group named ${name} already exists with other settings than the template's. Delete it, or name the preview service differently.`,
      { cause: error },
    );
  }
  if (!(await tagged(elbv2, created.TargetGroupArn!, service, signal))) {
    throw new UserError(
      `The target group ${name} already exists and is not this preview's (it has no ${tag.key}=${service} tag). Name the preview service differently, or delete that target group.`,
    );
  }
  return created;
}

/**
 * The listener rule that sends `host` to the preview's target group: the one an earlier run made, or a new one at
 * the lowest free priority (taken again when another rule took it meanwhile). A rule for the host that forwards
 * elsewhere is refused: the host is already someone else's.
 */
export async function ensureHostRule(
  elbv2: ElasticLoadBalancingV2Client,
  listenerArn: string,
  host: string,
  targetGroupArn: string,
  service: string,
  signal: AbortSignal,
): Promise<Rule> {
  const tag = previewTag(service);
  for (let attempt = 1; ; attempt++) {
    const rules = await rulesOf(elbv2, listenerArn, signal);
    const existing = rules.find((rule) => hostsOf(rule).includes(host.toLowerCase()));
    if (existing) {
      if (forwardsTo(existing, targetGroupArn)) return existing;
      throw new UserError(
        `The host ${host} is already sent elsewhere by the listener rule with priority ${existing.Priority} (${existing.RuleArn}). Choose another preview-host.`,
      );
    }
    const used = new Set(rules.map((rule) => Number(rule.Priority)));
    let priority = 1;
    while (used.has(priority)) priority++;
    try {
      const { Rules = [] } = await elbv2.send(
        new CreateRuleCommand({
          ListenerArn: listenerArn,
          Priority: priority,
          Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: [host.toLowerCase()] } }],
          Actions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
          Tags: [{ Key: tag.key, Value: tag.value }],
        }),
        { abortSignal: signal },
      );
      return Rules[0]!;
    } catch (error) {
      // Another rule took the priority between the read and the create: read again.
      if ((error as Error).name !== 'PriorityInUseException' || attempt >= 5) throw error;
    }
  }
}

/** A preview's target group and the rules that forward to it, found by name and checked by tag. */
export interface PreviewRouting {
  targetGroup?: TargetGroup;
  rules: Rule[];
}

/** What routes to the preview `service`: its target group (by its derived name) and the rules forwarding to it. */
export async function findPreviewRouting(
  elbv2: ElasticLoadBalancingV2Client,
  service: string,
  signal: AbortSignal,
): Promise<PreviewRouting> {
  let targetGroup: TargetGroup | undefined;
  try {
    const { TargetGroups = [] } = await elbv2.send(
      new DescribeTargetGroupsCommand({ Names: [previewTargetGroupName(service)] }),
      { abortSignal: signal },
    );
    targetGroup = TargetGroups[0];
  } catch (error) {
    if ((error as Error).name !== 'TargetGroupNotFoundException') throw error;
  }
  if (!targetGroup || !(await tagged(elbv2, targetGroup.TargetGroupArn!, service, signal))) return { rules: [] };
  const rules: Rule[] = [];
  for (const loadBalancerArn of targetGroup.LoadBalancerArns ?? []) {
    const { Listeners = [] } = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn }), {
      abortSignal: signal,
    });
    for (const listener of Listeners) {
      for (const rule of await rulesOf(elbv2, listener.ListenerArn!, signal)) {
        if (!rule.IsDefault && forwardsTo(rule, targetGroup.TargetGroupArn!)) rules.push(rule);
      }
    }
  }
  // Only the rules this preview made: a rule someone else pointed at the preview stays (and keeps the group).
  const ours: Rule[] = [];
  for (const rule of rules) if (await tagged(elbv2, rule.RuleArn!, service, signal)) ours.push(rule);
  return { targetGroup, rules: ours };
}

export async function deleteRule(elbv2: ElasticLoadBalancingV2Client, rule: Rule, signal: AbortSignal): Promise<void> {
  try {
    await elbv2.send(new DeleteRuleCommand({ RuleArn: rule.RuleArn }), { abortSignal: signal });
  } catch (error) {
    // Gone already: an earlier run, or a retry after a lost answer.
    if ((error as Error).name !== 'RuleNotFoundException') throw error;
  }
}

export async function deleteTargetGroup(
  elbv2: ElasticLoadBalancingV2Client,
  targetGroup: TargetGroup,
  signal: AbortSignal,
): Promise<void> {
  await elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: targetGroup.TargetGroupArn }), {
    abortSignal: signal,
  });
}

async function rulesOf(elbv2: ElasticLoadBalancingV2Client, listenerArn: string, signal: AbortSignal) {
  const rules: Rule[] = [];
  let marker: string | undefined;
  do {
    const page = await elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn, Marker: marker }), {
      abortSignal: signal,
    });
    rules.push(...(page.Rules ?? []));
    marker = page.NextMarker;
  } while (marker);
  return rules;
}

async function tagged(
  elbv2: ElasticLoadBalancingV2Client,
  arn: string,
  service: string,
  signal: AbortSignal,
): Promise<boolean> {
  const { TagDescriptions = [] } = await elbv2.send(new DescribeTagsCommand({ ResourceArns: [arn] }), {
    abortSignal: signal,
  });
  return marksPreview(TagDescriptions[0]?.Tags, service);
}

function forwardsTo(rule: Rule, targetGroupArn: string): boolean {
  return (rule.Actions ?? []).some(
    (action) =>
      action.Type === 'forward' &&
      (action.TargetGroupArn === targetGroupArn ||
        (action.ForwardConfig?.TargetGroups ?? []).some((t) => t.TargetGroupArn === targetGroupArn)),
  );
}

function hostsOf(rule: Rule): string[] {
  return (rule.Conditions ?? [])
    .filter((c) => c.Field === 'host-header')
    .flatMap((c) => c.HostHeaderConfig?.Values ?? c.Values ?? [])
    .map((h) => h.toLowerCase());
}

/** HTTPS listeners first, then by port. */
function rank(listener: Listener): number {
  return (listener.Protocol === 'HTTPS' ? 0 : 100_000) + (listener.Port ?? 0);
}
