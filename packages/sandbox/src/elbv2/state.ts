// Load balancers as ECS and its users see them: load balancers, target groups, listeners and the listener rules whose
// forward action splits requests between target groups by weight. ECS moves the weights during blue/green, linear and
// canary deployments; every change is kept, in order, so a test can read the traffic split at any instant. Target
// groups and rules may also be created and deleted (./resources.ts), as preview environments do.
import { createHash } from 'node:crypto';
import type { Elbv2Section, RuleSection, TargetGroupSection } from './scenario.js';

export interface Tag {
  Key: string;
  Value?: string;
}

export interface LoadBalancer {
  arn: string;
  name: string;
  region: string;
  vpcId: string;
  dnsName: string;
  createdAt: number;
}

export interface TargetGroup {
  arn: string;
  name: string;
  region: string;
  protocol: string;
  port: number;
  vpcId?: string;
  targetType: string;
  healthCheck: {
    protocol: string;
    port: string;
    path: string;
    intervalSeconds: number;
    timeoutSeconds: number;
    healthyThreshold: number;
    unhealthyThreshold: number;
    matcher: string;
  };
  tags: Tag[];
}

export interface Listener {
  arn: string;
  region: string;
  loadBalancer: string;
  loadBalancerArn: string;
  port: number;
  protocol: string;
}

export interface ListenerRule {
  arn: string;
  /** The scenario's label for the rule. */
  name: string;
  region: string;
  listenerArn: string;
  /** `default` for the listener's default rule, else the number as text (as DescribeRules answers it). */
  priority: string;
  isDefault: boolean;
  pathPattern: string[];
  /** host-header condition values; undefined: the rule matches any host. */
  hostHeader?: string[];
  /** The weighted target groups of its forward action; undefined for a fixed 404. */
  forward?: { targetGroupArn: string; weight: number }[];
  tags: Tag[];
}

/** One change of a rule's weights, with the instant and who made it. */
export interface WeightChange {
  at: number;
  ruleArn: string;
  weights: Record<string, number>;
  by: string;
}

export class Elbv2State {
  readonly loadBalancers = new Map<string, LoadBalancer>();
  readonly targetGroups = new Map<string, TargetGroup>();
  readonly listeners = new Map<string, Listener>();
  readonly rules = new Map<string, ListenerRule>();
  /** Every weight change after the scenario loaded, oldest first. */
  readonly history: WeightChange[] = [];
  /** How often each target group name was created, for fresh ARNs. */
  private readonly created = new Map<string, number>();

  constructor(
    readonly accountId: string,
    readonly now: () => number,
  ) {}

  /** Builds the scenario's load balancers and target groups in `defaultRegion` unless one names its own region. */
  load(section: Elbv2Section, defaultRegion: string): void {
    for (const group of section.targetGroups) this.addTargetGroup(group.region ?? defaultRegion, group);
    for (const lb of section.loadBalancers) {
      const region = lb.region ?? defaultRegion;
      const lbId = id(`loadbalancer/${region}/${lb.name}`);
      const loadBalancerArn = this.arn(region, `loadbalancer/app/${lb.name}/${lbId}`);
      this.loadBalancers.set(loadBalancerArn, {
        arn: loadBalancerArn,
        name: lb.name,
        region,
        vpcId: lb.vpcId,
        dnsName: `${lb.name}-${parseInt(lbId.slice(0, 8), 16)}.${region}.elb.amazonaws.com`,
        createdAt: this.now(),
      });
      for (const listener of lb.listeners) {
        const listenerArn = this.arn(region, `listener/app/${lb.name}/${lbId}/${id(`${lb.name}:${listener.port}`)}`);
        this.listeners.set(listenerArn, {
          arn: listenerArn,
          region,
          loadBalancer: lb.name,
          loadBalancerArn,
          port: listener.port,
          protocol: listener.protocol,
        });
        const ruleArn = (label: string) => this.ruleArn(listenerArn, label);
        this.addRule({
          arn: ruleArn(`${listenerArn}:default`),
          name: `${lb.name}:${listener.port}:default`,
          region,
          listenerArn,
          priority: 'default',
          isDefault: true,
          pathPattern: [],
          forward: listener.defaultForward
            ? [{ targetGroupArn: this.ensureTargetGroup(region, listener.defaultForward, lb.vpcId).arn, weight: 1 }]
            : undefined,
          tags: [],
        });
        for (const rule of listener.rules)
          this.addRule(this.fromSection(rule, region, listenerArn, ruleArn(rule.name), lb.vpcId));
      }
    }
  }

  /** The ARN of a new rule of a listener; `seed` makes it unique. */
  ruleArn(listenerArn: string, seed: string): string {
    const [, , , region, , resource] = listenerArn.split(':') as string[];
    const [, , lbName, lbId, listenerId] = resource!.split('/');
    return this.arn(region!, `listener-rule/app/${lbName}/${lbId}/${listenerId}/${id(seed)}`);
  }

  /** The load balancers whose listener rules forward to a target group, as DescribeTargetGroups lists them. */
  loadBalancersOf(targetGroupArn: string): string[] {
    const arns = new Set<string>();
    for (const rule of this.rules.values()) {
      if (rule.forward?.some((t) => t.targetGroupArn === targetGroupArn)) {
        const listener = this.listeners.get(rule.listenerArn);
        if (listener) arns.add(listener.loadBalancerArn);
      }
    }
    return [...arns];
  }

  /** A new target group (scenario or CreateTargetGroup), with ELB's defaults for what is not given. */
  addTargetGroup(
    region: string,
    given: Partial<TargetGroupSection> & { name: string; vpcId?: string },
    tags: Tag[] = [],
  ): TargetGroup {
    const protocol = given.protocol ?? 'HTTP';
    // A name created again (after a delete) gets a new ARN, as in ELB; the first is the same every run.
    const seed = `targetgroup/${region}/${given.name}`;
    const generation = this.created.get(seed) ?? 0;
    this.created.set(seed, generation + 1);
    const group: TargetGroup = {
      arn: this.arn(region, `targetgroup/${given.name}/${id(generation === 0 ? seed : `${seed}/${generation}`)}`),
      name: given.name,
      region,
      protocol,
      port: given.port ?? (protocol === 'HTTPS' ? 443 : 80),
      vpcId: given.vpcId ?? 'vpc-0a1b2c3d4e5f60718',
      targetType: given.targetType ?? 'ip',
      healthCheck: {
        protocol,
        port: 'traffic-port',
        path: given.healthCheckPath ?? '/',
        intervalSeconds: given.healthCheckIntervalSeconds ?? 30,
        timeoutSeconds: 5,
        healthyThreshold: 5,
        unhealthyThreshold: 2,
        matcher: given.matcher ?? '200',
      },
      tags,
    };
    this.targetGroups.set(group.arn, group);
    return group;
  }

  /** A target group by ARN, or by name in a region. */
  targetGroup(region: string, reference: string): TargetGroup | undefined {
    if (reference.startsWith('arn:')) return this.targetGroups.get(reference);
    return [...this.targetGroups.values()].find((g) => g.region === region && g.name === reference);
  }

  /** A listener rule by ARN, or by its scenario label in a region. */
  rule(region: string, reference: string): ListenerRule | undefined {
    if (reference.startsWith('arn:')) return this.rules.get(reference);
    return [...this.rules.values()].find((r) => r.region === region && r.name === reference);
  }

  /** The rules of a listener, by priority (the default rule last), as DescribeRules lists them. */
  rulesOf(listenerArn: string): ListenerRule[] {
    return [...this.rules.values()]
      .filter((rule) => rule.listenerArn === listenerArn)
      .sort((a, b) => (a.isDefault ? 1 : b.isDefault ? -1 : Number(a.priority) - Number(b.priority)));
  }

  /** A rule's weights by target-group ARN (empty for a rule that forwards nowhere). */
  weights(ruleArn: string): Record<string, number> {
    const rule = this.rules.get(ruleArn);
    return Object.fromEntries((rule?.forward ?? []).map((t) => [t.targetGroupArn, t.weight]));
  }

  /** Sets a rule's weights (target groups not named get 0; target groups it does not forward to are added). */
  setWeights(ruleArn: string, weights: Record<string, number>, by: string): void {
    const rule = this.rules.get(ruleArn);
    if (!rule) throw new Error(`No listener rule ${ruleArn}`);
    const before = JSON.stringify(this.weights(ruleArn));
    const forward = rule.forward ?? [];
    for (const arn of Object.keys(weights)) {
      if (!forward.some((t) => t.targetGroupArn === arn)) forward.push({ targetGroupArn: arn, weight: 0 });
    }
    for (const target of forward) target.weight = weights[target.targetGroupArn] ?? 0;
    rule.forward = forward;
    const current = this.weights(ruleArn);
    if (JSON.stringify(current) !== before) this.history.push({ at: this.now(), ruleArn, weights: current, by });
  }

  private fromSection(
    rule: RuleSection,
    region: string,
    listenerArn: string,
    arn: string,
    vpcId: string,
  ): ListenerRule {
    const forward = rule.forward.map((name, i) => ({
      targetGroupArn: this.ensureTargetGroup(region, name, vpcId).arn,
      weight: rule.weights?.[i] ?? (i === 0 ? 100 : 0),
    }));
    return {
      arn,
      name: rule.name,
      region,
      listenerArn,
      priority: String(rule.priority),
      isDefault: false,
      pathPattern: rule.pathPattern,
      forward,
      tags: [],
    };
  }

  addRule(rule: ListenerRule): void {
    if ([...this.rules.values()].some((r) => r.region === rule.region && r.name === rule.name)) {
      throw new Error(`two listener rules are named "${rule.name}"`);
    }
    this.rules.set(rule.arn, rule);
  }

  private ensureTargetGroup(region: string, name: string, vpcId: string): TargetGroup {
    return this.targetGroup(region, name) ?? this.addTargetGroup(region, { name, vpcId });
  }

  arn(region: string, resource: string): string {
    return `arn:aws:elasticloadbalancing:${region}:${this.accountId}:${resource}`;
  }
}

/** The 16 hex digits ELB puts in its ARNs, derived from a name so that a scenario's ARNs are the same every run. */
export function id(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 16);
}
