/**
 * `watch-metrics`: the thresholds watched after a deploy, one per line, the same text in the action input and the
 * release config (one rule, below). A line is what is measured, a comparison, a threshold and the dimensions:
 *
 *     target-5xx-rate > 2% LoadBalancer=app/shop/50dc6c495c0c9188
 *     target-p95-latency > 800ms LoadBalancer=app/shop/50dc6c495c0c9188 TargetGroup=targetgroup/web/6d0ecf831eec9f09
 *     AWS/ApplicationELB HTTPCode_ELB_5XX_Count Sum >= 10 LoadBalancer=app/shop/50dc6c495c0c9188
 *
 * `target-5xx-rate` is the load balancer targets' 5xx answers as a percentage of its requests
 * (HTTPCode_Target_5XX_Count / RequestCount), `target-p95-latency` the p95 of TargetResponseTime; any other metric is
 * named by namespace, metric name and statistic. Light on purpose (no AWS SDK): settings load it first.
 */
import { quote, type Rule } from '@ecs-ship/action-kit';

export const COMPARATORS = ['>', '>=', '<', '<='] as const;
export type Comparator = (typeof COMPARATORS)[number];

interface Dimensioned {
  /** Dimensions, Name → Value, exactly as CloudWatch names the series. */
  dimensions: Record<string, string>;
}

export type WatchedMetric = Dimensioned & {
  /** The line as written: messages quote it. */
  text: string;
  /** For people: "ALB target 5xx rate", "p95 TargetResponseTime", "AWS/ApplicationELB HTTPCode_ELB_5XX_Count Sum". */
  label: string;
  comparator: Comparator;
  /** In the unit values are compared in: percent for the 5xx rate, seconds for latency, the metric's own otherwise. */
  threshold: number;
  /** The threshold as written ("2%", "800ms"). */
  thresholdText: string;
} & (
    | { kind: 'target-5xx-rate' }
    | { kind: 'target-p95-latency' }
    | { kind: 'metric'; namespace: string; metricName: string; statistic: string }
  );

const ALB = 'AWS/ApplicationELB';
const STATISTIC = /^(?:SampleCount|Average|Sum|Minimum|Maximum|IQM|(?:p|tm|wm|tc|ts)\d{1,2}(?:\.\d+)?|p100)$/;
const DIMENSION = /^([^=\s]{1,255})=(\S{1,1024})$/;
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)$/;
const EXAMPLE = 'target-5xx-rate > 2% LoadBalancer=app/shop/50dc6c495c0c9188';

export const WATCH_METRIC: Rule = {
  what: 'a threshold: what is measured, a comparison, a threshold and the dimensions',
  fix: `Write one threshold per line, for example "${EXAMPLE}", "target-p95-latency > 800ms LoadBalancer=app/shop/50dc6c495c0c9188" or "AWS/ApplicationELB HTTPCode_ELB_5XX_Count Sum > 10 LoadBalancer=app/shop/50dc6c495c0c9188"`,
  refine: (line) => {
    const parsed = parseWatchMetric(line);
    return 'problem' in parsed ? parsed.problem : undefined;
  },
};

/** A line of `watch-metrics`, or what is wrong with it (one sentence, quoting the part at fault). */
export function parseWatchMetric(line: string): WatchedMetric | { problem: string } {
  const words = line.trim().split(/\s+/);
  const at = words.findIndex((word) => (COMPARATORS as readonly string[]).includes(word));
  if (at < 0) return { problem: `${quote(line)} has no comparison (>, >=, < or <=) with spaces around it` };
  const subject = words.slice(0, at);
  const comparator = words[at] as Comparator;
  const thresholdText = words[at + 1];
  if (thresholdText === undefined) return { problem: `${quote(line)} has no threshold after ${comparator}` };
  const dimensions: Record<string, string> = {};
  for (const word of words.slice(at + 2)) {
    const match = DIMENSION.exec(word);
    if (!match) return { problem: `${quote(word)} is not a dimension Name=Value (in ${quote(line)})` };
    if (match[1]! in dimensions) return { problem: `the dimension ${match[1]} is given twice (in ${quote(line)})` };
    dimensions[match[1]!] = match[2]!;
  }
  if (Object.keys(dimensions).length > 30) return { problem: `${quote(line)} has more than 30 dimensions` };
  const base = { text: line.trim(), comparator, thresholdText, dimensions };

  if (subject.length === 1 && (subject[0] === 'target-5xx-rate' || subject[0] === 'target-p95-latency')) {
    if (!dimensions.LoadBalancer) {
      return { problem: `${subject[0]} needs the load balancer: add LoadBalancer=app/<name>/<id> (in ${quote(line)})` };
    }
    const extra = Object.keys(dimensions).find((name) => name !== 'LoadBalancer' && name !== 'TargetGroup');
    if (extra) {
      return {
        problem: `${subject[0]} takes the dimensions LoadBalancer and TargetGroup, not ${extra} (in ${quote(line)})`,
      };
    }
    if (subject[0] === 'target-5xx-rate') {
      const percent = /^(.*?)%?$/.exec(thresholdText)![1]!;
      if (!NUMBER.test(percent) || Number(percent) < 0 || Number(percent) > 100) {
        return { problem: `${quote(thresholdText)} is not a percentage from 0 to 100 (in ${quote(line)})` };
      }
      return { ...base, kind: 'target-5xx-rate', label: 'ALB target 5xx rate', threshold: Number(percent) };
    }
    const latency = /^(.*?)(ms|s)$/.exec(thresholdText);
    if (!latency || !NUMBER.test(latency[1]!) || Number(latency[1]) < 0) {
      return { problem: `${quote(thresholdText)} is not a latency such as 800ms or 1.5s (in ${quote(line)})` };
    }
    const seconds = Number(latency[1]) / (latency[2] === 'ms' ? 1000 : 1);
    return { ...base, kind: 'target-p95-latency', label: 'p95 TargetResponseTime', threshold: seconds };
  }

  if (subject.length !== 3) {
    return {
      problem: `${quote(subject.join(' '))} is neither target-5xx-rate, target-p95-latency nor "<namespace> <metric> <statistic>" (in ${quote(line)})`,
    };
  }
  const [namespace, metricName, statistic] = subject as [string, string, string];
  if (!STATISTIC.test(statistic)) {
    return {
      problem: `${quote(statistic)} is not a statistic (Sum, Average, Minimum, Maximum, SampleCount or a percentile such as p95) (in ${quote(line)})`,
    };
  }
  if (!NUMBER.test(thresholdText)) return { problem: `${quote(thresholdText)} is not a number (in ${quote(line)})` };
  return {
    ...base,
    kind: 'metric',
    namespace,
    metricName,
    statistic,
    label: `${namespace} ${metricName} ${statistic}`,
    threshold: Number(thresholdText),
  };
}

/** Whether a value crosses the threshold. */
export function crosses(metric: Pick<WatchedMetric, 'comparator' | 'threshold'>, value: number): boolean {
  switch (metric.comparator) {
    case '>':
      return value > metric.threshold;
    case '>=':
      return value >= metric.threshold;
    case '<':
      return value < metric.threshold;
    case '<=':
      return value <= metric.threshold;
  }
}

/** A value in the words of its threshold: "7.5%" for the 5xx rate, "1.2 s" for latency. */
export function formatValue(metric: Pick<WatchedMetric, 'kind'>, value: number): string {
  const rounded = Number(value.toPrecision(4));
  if (metric.kind === 'target-5xx-rate') return `${rounded}%`;
  if (metric.kind === 'target-p95-latency') return value < 1 ? `${Math.round(value * 1000)} ms` : `${rounded} s`;
  return String(rounded);
}

/** CloudWatch's namespace for the load-balancer shortcuts. */
export const ALB_NAMESPACE = ALB;

/** The longest `watch-minutes` (milliseconds): a day, as long as a deploy's own watch may take. */
export const WATCH_AFTER = { min: 0, max: 24 * 3_600_000 } as const;
