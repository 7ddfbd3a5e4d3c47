// The watch-metrics line: what it parses into, how values are said, and which side of the line is a breach.
import { crosses, formatValue, parseWatchMetric } from '../src/watch/thresholds.js';

test('the load-balancer shortcuts: the 5xx rate in percent, p95 latency in seconds, their dimensions kept', () => {
  expect(parseWatchMetric('target-5xx-rate > 2% LoadBalancer=app/shop/1 TargetGroup=targetgroup/web/2')).toEqual({
    text: 'target-5xx-rate > 2% LoadBalancer=app/shop/1 TargetGroup=targetgroup/web/2',
    kind: 'target-5xx-rate',
    label: 'ALB target 5xx rate',
    comparator: '>',
    threshold: 2,
    thresholdText: '2%',
    dimensions: { LoadBalancer: 'app/shop/1', TargetGroup: 'targetgroup/web/2' },
  });
  expect(parseWatchMetric('  target-p95-latency >=   800ms LoadBalancer=app/shop/1 ')).toMatchObject({
    kind: 'target-p95-latency',
    comparator: '>=',
    threshold: 0.8,
    text: 'target-p95-latency >=   800ms LoadBalancer=app/shop/1',
  });
  expect(parseWatchMetric('target-p95-latency > 1.5s LoadBalancer=app/shop/1')).toMatchObject({ threshold: 1.5 });
});

test('any metric by namespace, name and statistic; a dimension value may hold = and /', () => {
  expect(parseWatchMetric('Shop/Checkout Failures p99.9 < 0.5 Stage=prod Key=a=b')).toMatchObject({
    kind: 'metric',
    namespace: 'Shop/Checkout',
    metricName: 'Failures',
    statistic: 'p99.9',
    comparator: '<',
    threshold: 0.5,
    label: 'Shop/Checkout Failures p99.9',
    dimensions: { Stage: 'prod', Key: 'a=b' },
  });
});

test.each([
  ['target-5xx-rate > 2% LoadBalancer=a LoadBalancer=b', 'the dimension LoadBalancer is given twice'],
  ['target-5xx-rate >', 'has no threshold after >'],
  ['target-5xx-rate > 2% LoadBalancer', '"LoadBalancer" is not a dimension Name=Value'],
  ['latency > 2', 'is neither target-5xx-rate, target-p95-latency nor'],
])('%s: %s', (line, problem) => {
  const parsed = parseWatchMetric(line);
  expect('problem' in parsed && parsed.problem).toContain(problem);
});

test('a breach is the side of the line the comparison names; values are said in the threshold words', () => {
  const above = { comparator: '>' as const, threshold: 2 };
  expect([crosses(above, 2), crosses(above, 2.01)]).toEqual([false, true]);
  expect(crosses({ comparator: '<=', threshold: 10 }, 10)).toBe(true);
  expect(formatValue({ kind: 'target-5xx-rate' }, 7.123456)).toBe('7.123%');
  expect(formatValue({ kind: 'target-p95-latency' }, 0.8123)).toBe('812 ms');
  expect(formatValue({ kind: 'target-p95-latency' }, 1.25)).toBe('1.25 s');
  expect(formatValue({ kind: 'metric' }, 12)).toBe('12');
});
