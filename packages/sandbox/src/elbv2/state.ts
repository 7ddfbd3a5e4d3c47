// Load balancers as ECS traffic shifting sees them: target groups, listeners and the listener rules whose forward
// action splits requests between target groups by weight. ECS moves the weights during blue/green, linear and canary
// deployments; every change is kept, in order, so a test can read the traffic split at any instant.
import { createHash } from 'node:crypto';
import type { Elbv2Section, RuleSection } from './scenario.js';

export interface TargetGroup {
  arn: string;
  name: string;
  region: string;
}

export interface Listener {
  arn: string;
  region: string;
  loadBalancer: string;
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
  /** The weighted target groups of its forward action; undefined for the default rule (a fixed 404). */
  forward?: { targetGroupArn: string; weight: number }[];
}

/** One change of a rule's weights, with the instant and who made it. */
export interface WeightChange {
  at: number;
  ruleArn: string;
  weights: Record<string, number>;
  by: string;
}

export class Elbv2State {
  readonly targetGroups = new Map<string, TargetGroup>();
  readonly listeners = new Map<string, Listener>();
  readonly rules = new Map<string, ListenerRule>();
  /** Every weight change after the scenario loaded, oldest first. */
  readonly history: WeightChange[] = [];

  constructor(
    private readonly accountId: string,
    private readonly now: () => number,
  ) {}

  /** Builds the scenario's load balancers in `defaultRegion` unless one names its own region. */
  load(section: Elbv2Section, defaultRegion: string): void {
    for (const lb of section.loadBalancers) {
      const region = lb.region ?? defaultRegion;
      const lbId = id(`loadbalancer/${region}/${lb.name}`);
      for (const listener of lb.listeners) {
        const listenerArn = this.arn(region, `listener/app/${lb.name}/${lbId}/${id(`${lb.name}:${listener.port}`)}`);
        this.listeners.set(listenerArn, {
          arn: listenerArn,
          region,
          loadBalancer: lb.name,
          port: listener.port,
          protocol: listener.protocol,
        });
        const ruleArn = (label: string) =>
          this.arn(region, `listener-rule/app/${lb.name}/${lbId}/${listenerArn.split('/').at(-1)}/${id(label)}`);
        this.addRule({
          arn: ruleArn(`${listenerArn}:default`),
          name: `${lb.name}:${listener.port}:default`,
          region,
          listenerArn,
          priority: 'default',
          isDefault: true,
          pathPattern: [],
        });
        for (const rule of listener.rules)
          this.addRule(this.fromSection(rule, region, listenerArn, ruleArn(rule.name)));
      }
    }
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

  private fromSection(rule: RuleSection, region: string, listenerArn: string, arn: string): ListenerRule {
    const forward = rule.forward.map((name, i) => ({
      targetGroupArn: this.ensureTargetGroup(region, name).arn,
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
    };
  }

  private addRule(rule: ListenerRule): void {
    if ([...this.rules.values()].some((r) => r.region === rule.region && r.name === rule.name)) {
      throw new Error(`two listener rules are named "${rule.name}"`);
    }
    this.rules.set(rule.arn, rule);
  }

  private ensureTargetGroup(region: string, name: string): TargetGroup {
    const existing = this.targetGroup(region, name);
    if (existing) return existing;
    const group = { arn: this.arn(region, `targetgroup/${name}/${id(`targetgroup/${region}/${name}`)}`), name, region };
    this.targetGroups.set(group.arn, group);
    return group;
  }

  private arn(region: string, resource: string): string {
    return `arn:aws:elasticloadbalancing:${region}:${this.accountId}:${resource}`;
  }
}

/** The 16 hex digits ELB puts in its ARNs, derived from a name so that a scenario's ARNs are the same every run. */
function id(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 16);
}
