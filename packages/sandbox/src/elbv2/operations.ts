// The ELBv2 operations: reading load balancers, listeners, rules, target groups and tags, and creating and deleting
// target groups and listener rules, with ELB's errors (botocore's elbv2 model names them) where a request cannot be
// served.
import { AwsError, type CallContext } from '../core/module.js';
import { page } from '../ecs/api.js';
import { listParameter, structureList, tagsParameter, type Elbv2Handlers } from './api.js';
import { renderListener, renderLoadBalancer, renderRule, renderTargetGroup } from './render.js';
import type { Elbv2State, ListenerRule, Tag, TargetGroup } from './state.js';

const TARGET_GROUP_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;

export function elbv2Handlers(state: Elbv2State): Elbv2Handlers {
  const inRegion = <T extends { region: string }>(found: T | undefined, ctx: CallContext) =>
    found && found.region === ctx.region ? found : undefined;
  const pageOf = <T>(items: T[], params: Record<string, string>) =>
    page(items, params.PageSize !== undefined ? Number(params.PageSize) : 400, params.Marker);
  const targetGroupNotFound = () => new AwsError('TargetGroupNotFound', 'One or more target groups not found');
  const listener = (arn: string, ctx: CallContext) => {
    const found = inRegion(state.listeners.get(arn), ctx);
    if (!found) throw new AwsError('ListenerNotFound', 'One or more listeners not found');
    return found;
  };
  const loadBalancer = (arn: string, ctx: CallContext) => {
    const found = inRegion(state.loadBalancers.get(arn), ctx);
    if (!found) throw new AwsError('LoadBalancerNotFound', 'One or more load balancers not found');
    return found;
  };

  return {
    DescribeRules(params, ctx) {
      const ruleArns = listParameter(params, 'RuleArns');
      const listenerArn = params.ListenerArn;
      if (ruleArns.length > 0 === Boolean(listenerArn)) {
        throw new AwsError('ValidationError', 'You must specify either listener ARN or rule ARNs, and not both.');
      }
      let rules: ListenerRule[];
      if (listenerArn) {
        rules = state.rulesOf(listener(listenerArn, ctx).arn);
      } else {
        const found = ruleArns.map((arn) => inRegion(state.rules.get(arn), ctx));
        if (found.some((rule) => !rule)) throw new AwsError('RuleNotFound', 'One or more rules not found');
        rules = found as ListenerRule[];
      }
      const { items, nextToken } = pageOf(rules, params);
      return { Rules: items.map(renderRule), ...(nextToken ? { NextMarker: nextToken } : {}) };
    },

    DescribeLoadBalancers(params, ctx) {
      const arns = listParameter(params, 'LoadBalancerArns');
      const names = listParameter(params, 'Names');
      if (arns.length > 0 && names.length > 0) {
        throw new AwsError(
          'ValidationError',
          'Load balancer names and load balancer ARNs cannot be specified at the same time',
        );
      }
      const all = [...state.loadBalancers.values()].filter((lb) => lb.region === ctx.region);
      let found = all;
      if (arns.length > 0 || names.length > 0) {
        found =
          arns.length > 0 ? all.filter((lb) => arns.includes(lb.arn)) : all.filter((lb) => names.includes(lb.name));
        if (found.length < Math.max(arns.length, names.length)) {
          throw new AwsError('LoadBalancerNotFound', 'One or more load balancers not found');
        }
      }
      const { items, nextToken } = pageOf(found, params);
      return { LoadBalancers: items.map(renderLoadBalancer), ...(nextToken ? { NextMarker: nextToken } : {}) };
    },

    DescribeListeners(params, ctx) {
      const arns = listParameter(params, 'ListenerArns');
      const lbArn = params.LoadBalancerArn;
      if (arns.length > 0 === Boolean(lbArn)) {
        throw new AwsError('ValidationError', 'You must specify either listener ARNs or a load balancer ARN');
      }
      const listeners = lbArn
        ? [...state.listeners.values()].filter((l) => l.loadBalancerArn === loadBalancer(lbArn, ctx).arn)
        : arns.map((arn) => listener(arn, ctx));
      listeners.sort((a, b) => a.port - b.port);
      const { items, nextToken } = pageOf(listeners, params);
      return {
        Listeners: items.map((l) => renderListener(l, state)),
        ...(nextToken ? { NextMarker: nextToken } : {}),
      };
    },

    DescribeTargetGroups(params, ctx) {
      const arns = listParameter(params, 'TargetGroupArns');
      const names = listParameter(params, 'Names');
      const lbArn = params.LoadBalancerArn;
      if ([arns.length > 0, names.length > 0, Boolean(lbArn)].filter(Boolean).length > 1) {
        throw new AwsError(
          'ValidationError',
          'Target group ARNs, target group names and a load balancer ARN cannot be specified together',
        );
      }
      const all = [...state.targetGroups.values()].filter((g) => g.region === ctx.region);
      let found: TargetGroup[] = all;
      if (lbArn) {
        const arn = loadBalancer(lbArn, ctx).arn;
        found = all.filter((g) => state.loadBalancersOf(g.arn).includes(arn));
      } else if (arns.length > 0 || names.length > 0) {
        found = arns.length > 0 ? all.filter((g) => arns.includes(g.arn)) : all.filter((g) => names.includes(g.name));
        if (found.length < Math.max(arns.length, names.length)) throw targetGroupNotFound();
      }
      const { items, nextToken } = pageOf(found, params);
      return {
        TargetGroups: items.map((g) => renderTargetGroup(g, state)),
        ...(nextToken ? { NextMarker: nextToken } : {}),
      };
    },

    DescribeTags(params, ctx) {
      const arns = listParameter(params, 'ResourceArns');
      if (arns.length === 0 || arns.length > 20) {
        throw new AwsError('ValidationError', 'ResourceArns must hold between 1 and 20 ARNs');
      }
      return {
        TagDescriptions: arns.map((arn) => {
          let tags: Tag[] | undefined;
          if (arn.includes(':targetgroup/')) tags = inRegion(state.targetGroups.get(arn), ctx)?.tags;
          else if (arn.includes(':listener-rule/')) tags = inRegion(state.rules.get(arn), ctx)?.tags;
          else if (arn.includes(':listener/')) tags = inRegion(state.listeners.get(arn), ctx) ? [] : undefined;
          else if (arn.includes(':loadbalancer/')) tags = inRegion(state.loadBalancers.get(arn), ctx) ? [] : undefined;
          if (!tags) {
            if (arn.includes(':targetgroup/')) throw targetGroupNotFound();
            if (arn.includes(':listener-rule/')) throw new AwsError('RuleNotFound', 'One or more rules not found');
            if (arn.includes(':listener/')) throw new AwsError('ListenerNotFound', 'One or more listeners not found');
            throw new AwsError('LoadBalancerNotFound', 'One or more load balancers not found');
          }
          return { ResourceArn: arn, Tags: tags };
        }),
      };
    },

    CreateTargetGroup(params, ctx) {
      const name = params.Name ?? '';
      if (name.length > 32) {
        throw new AwsError('ValidationError', `Target group name '${name}' cannot be longer than '32' characters`);
      }
      if (!TARGET_GROUP_NAME.test(name)) {
        throw new AwsError(
          'ValidationError',
          `Target group name '${name}' can only contain characters that are alphanumeric characters or hyphens(-), and must not begin or end with a hyphen`,
        );
      }
      const targetType = params.TargetType ?? 'instance';
      if (targetType !== 'lambda' && (!params.Protocol || !params.Port || !params.VpcId)) {
        throw new AwsError(
          'ValidationError',
          `A protocol, a port and a VPC ID must be specified for target type '${targetType}'`,
        );
      }
      const wanted = {
        name,
        protocol: params.Protocol,
        port: params.Port !== undefined ? Number(params.Port) : undefined,
        vpcId: params.VpcId,
        targetType: targetType as 'ip' | 'instance',
        healthCheckPath: params.HealthCheckPath,
        healthCheckIntervalSeconds:
          params.HealthCheckIntervalSeconds !== undefined ? Number(params.HealthCheckIntervalSeconds) : undefined,
        matcher: params['Matcher.HttpCode'],
      };
      const existing = state.targetGroup(ctx.region, name);
      if (existing) {
        // Idempotent: the same settings answer with the existing target group; different ones are refused.
        const same =
          existing.protocol === wanted.protocol &&
          existing.port === wanted.port &&
          existing.vpcId === wanted.vpcId &&
          existing.targetType === wanted.targetType;
        if (!same) {
          throw new AwsError(
            'DuplicateTargetGroupName',
            `A target group with the same name '${name}' exists, but with different settings`,
          );
        }
        return { TargetGroups: [renderTargetGroup(existing, state)] };
      }
      const group = state.addTargetGroup(
        ctx.region,
        {
          ...wanted,
          protocol: wanted.protocol as 'HTTP' | 'HTTPS' | undefined,
        },
        tagsParameter(params),
      );
      if (params.HealthCheckPort) group.healthCheck.port = params.HealthCheckPort;
      if (params.HealthCheckProtocol) group.healthCheck.protocol = params.HealthCheckProtocol;
      if (params.HealthCheckTimeoutSeconds) group.healthCheck.timeoutSeconds = Number(params.HealthCheckTimeoutSeconds);
      if (params.HealthyThresholdCount) group.healthCheck.healthyThreshold = Number(params.HealthyThresholdCount);
      if (params.UnhealthyThresholdCount) group.healthCheck.unhealthyThreshold = Number(params.UnhealthyThresholdCount);
      return { TargetGroups: [renderTargetGroup(group, state)] };
    },

    DeleteTargetGroup(params, ctx) {
      const group = inRegion(state.targetGroups.get(params.TargetGroupArn ?? ''), ctx);
      // Deleting a target group that is not there succeeds: the call is idempotent.
      if (!group) return {};
      if ([...state.rules.values()].some((rule) => rule.forward?.some((t) => t.targetGroupArn === group.arn))) {
        throw new AwsError('ResourceInUse', `Target group '${group.arn}' is currently in use by a listener or a rule`);
      }
      state.targetGroups.delete(group.arn);
      return {};
    },

    CreateRule(params, ctx) {
      const target = listener(params.ListenerArn ?? '', ctx);
      const priority = Number(params.Priority);
      if (!Number.isInteger(priority) || priority < 1 || priority > 50000) {
        throw new AwsError('ValidationError', `Priority '${params.Priority}' must be between 1 and 50000`);
      }
      if (state.rulesOf(target.arn).some((rule) => rule.priority === String(priority))) {
        throw new AwsError('PriorityInUse', `Priority '${priority}' is currently in use`);
      }
      const conditions = structureList(params, 'Conditions');
      if (conditions.length === 0) throw new AwsError('ValidationError', 'A rule must have at least one condition');
      const values = (condition: Record<string, string>, config: string) =>
        Object.entries(condition)
          .filter(([key]) => key.startsWith(`${config}.Values.member.`) || key.startsWith('Values.member.'))
          .map(([, value]) => value);
      const host = conditions.find((c) => c.Field === 'host-header');
      const path = conditions.find((c) => c.Field === 'path-pattern');
      const unsupported = conditions.find((c) => c.Field !== 'host-header' && c.Field !== 'path-pattern');
      if (unsupported) {
        throw new AwsError(
          'ValidationError',
          `The sandbox serves host-header and path-pattern conditions, not '${unsupported.Field}'`,
        );
      }
      const actions = structureList(params, 'Actions');
      if (actions.length !== 1 || actions[0]!.Type !== 'forward') {
        throw new AwsError('ValidationError', 'The sandbox serves rules with one forward action');
      }
      const action = actions[0]!;
      const weighted = structureList(
        Object.fromEntries(
          Object.entries(action)
            .filter(([key]) => key.startsWith('ForwardConfig.'))
            .map(([key, value]) => [key.slice('ForwardConfig.'.length), value]),
        ),
        'TargetGroups',
      );
      const forward = action.TargetGroupArn
        ? [{ targetGroupArn: action.TargetGroupArn, weight: 1 }]
        : weighted.map((t) => ({ targetGroupArn: t.TargetGroupArn ?? '', weight: Number(t.Weight ?? 1) }));
      const lb = state.loadBalancers.get(target.loadBalancerArn)!;
      for (const { targetGroupArn } of forward) {
        const group = inRegion(state.targetGroups.get(targetGroupArn), ctx);
        if (!group) throw targetGroupNotFound();
        if (group.vpcId !== lb.vpcId) {
          throw new AwsError(
            'InvalidConfigurationRequest',
            `The VPC ID '${group.vpcId}' of target group '${group.arn}' does not match the VPC ID '${lb.vpcId}' of load balancer '${lb.arn}'`,
          );
        }
        const others = state.loadBalancersOf(group.arn).filter((arn) => arn !== lb.arn);
        if (others.length > 0) {
          throw new AwsError(
            'TargetGroupAssociationLimit',
            `The following target groups cannot be associated with more than one load balancer: ${group.arn}`,
          );
        }
      }
      const rule: ListenerRule = {
        arn: state.ruleArn(target.arn, `${target.arn}:${priority}:${state.now()}:${state.rules.size}`),
        name: `${target.loadBalancer}:${target.port}:${priority}`,
        region: ctx.region,
        listenerArn: target.arn,
        priority: String(priority),
        isDefault: false,
        pathPattern: path ? values(path, 'PathPatternConfig') : [],
        ...(host ? { hostHeader: values(host, 'HostHeaderConfig') } : {}),
        forward,
        tags: tagsParameter(params),
      };
      state.addRule(rule);
      return { Rules: [renderRule(rule)] };
    },

    DeleteRule(params, ctx) {
      const rule = inRegion(state.rules.get(params.RuleArn ?? ''), ctx);
      if (!rule) throw new AwsError('RuleNotFound', 'One or more rules not found');
      if (rule.isDefault) throw new AwsError('OperationNotPermitted', 'Default rules cannot be deleted');
      state.rules.delete(rule.arn);
      return {};
    },
  };
}
