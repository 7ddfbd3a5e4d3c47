// The shapes ELBv2 answers with, built from the state.
import type * as sdk from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Elbv2State, Listener, ListenerRule, LoadBalancer, TargetGroup } from './state.js';

export function renderLoadBalancer(lb: LoadBalancer): sdk.LoadBalancer {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: 'Z32O12XQLNTSW2',
    CreatedTime: new Date(lb.createdAt),
    LoadBalancerName: lb.name,
    Scheme: 'internet-facing',
    VpcId: lb.vpcId,
    State: { Code: 'active' },
    Type: 'application',
    AvailabilityZones: [`${lb.region}a`, `${lb.region}b`].map((zone, i) => ({
      ZoneName: zone,
      SubnetId: `subnet-0${i}${lb.vpcId.slice(-15)}`,
    })),
    IpAddressType: 'ipv4',
  };
}

export function renderListener(listener: Listener, state: Elbv2State): sdk.Listener {
  const defaultRule = state.rulesOf(listener.arn).find((rule) => rule.isDefault);
  return {
    ListenerArn: listener.arn,
    LoadBalancerArn: listener.loadBalancerArn,
    Port: listener.port,
    Protocol: listener.protocol as sdk.ProtocolEnum,
    DefaultActions: defaultRule ? renderActions(defaultRule) : [],
    ...(listener.protocol === 'HTTPS' ? { SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' } : {}),
  };
}

export function renderTargetGroup(group: TargetGroup, state: Elbv2State): sdk.TargetGroup {
  const check = group.healthCheck;
  return {
    TargetGroupArn: group.arn,
    TargetGroupName: group.name,
    Protocol: group.protocol as sdk.ProtocolEnum,
    Port: group.port,
    VpcId: group.vpcId,
    HealthCheckProtocol: check.protocol as sdk.ProtocolEnum,
    HealthCheckPort: check.port,
    HealthCheckEnabled: true,
    HealthCheckIntervalSeconds: check.intervalSeconds,
    HealthCheckTimeoutSeconds: check.timeoutSeconds,
    HealthyThresholdCount: check.healthyThreshold,
    UnhealthyThresholdCount: check.unhealthyThreshold,
    HealthCheckPath: check.path,
    Matcher: { HttpCode: check.matcher },
    LoadBalancerArns: state.loadBalancersOf(group.arn),
    TargetType: group.targetType as sdk.TargetTypeEnum,
    ProtocolVersion: 'HTTP1',
    IpAddressType: 'ipv4',
  };
}

export function renderRule(rule: ListenerRule): sdk.Rule {
  const conditions: sdk.RuleCondition[] = [];
  if (!rule.isDefault && rule.hostHeader) {
    conditions.push({ Field: 'host-header', Values: rule.hostHeader, HostHeaderConfig: { Values: rule.hostHeader } });
  }
  if (!rule.isDefault && rule.pathPattern.length > 0) {
    conditions.push({
      Field: 'path-pattern',
      Values: rule.pathPattern,
      PathPatternConfig: { Values: rule.pathPattern },
    });
  }
  return {
    RuleArn: rule.arn,
    Priority: rule.priority,
    Conditions: conditions,
    Actions: renderActions(rule),
    IsDefault: rule.isDefault,
  };
}

/** A forward action (with its single target group named at the top, as ELB answers), or the fixed 404. */
function renderActions(rule: ListenerRule): sdk.Action[] {
  if (!rule.forward) {
    return [
      {
        Type: 'fixed-response',
        Order: 1,
        FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'Not Found' },
      },
    ];
  }
  const single = rule.forward.length === 1 ? rule.forward[0]!.targetGroupArn : undefined;
  return [
    {
      Type: 'forward',
      Order: 1,
      ...(single ? { TargetGroupArn: single } : {}),
      ForwardConfig: {
        TargetGroups: rule.forward.map((t) => ({ TargetGroupArn: t.targetGroupArn, Weight: t.weight })),
        TargetGroupStickinessConfig: { Enabled: false },
      },
    },
  ];
}
