// CloudWatch Logs paging rules, straight on the store: GetLogEvents' positional tokens, FilterLogEvents' nextToken.
import { AwsError } from '../src/core/module.js';
import { compilePattern, LogStore } from '../src/logs/store.js';

const R = 'us-east-1';

function store() {
  let now = 1_700_000_000_000;
  const s = new LogStore(() => now, '123456789012');
  return { s, tick: (ms: number) => (now += ms) };
}

function errorOf(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AwsError) return e;
    throw e;
  }
  throw new Error('did not fail');
}

describe('GetLogEvents', () => {
  test('ResourceNotFoundException until the stream exists', () => {
    const { s } = store();
    expect(errorOf(() => s.getLogEvents(R, { logGroupName: '/g', logStreamName: 'a' })).code).toBe(
      'ResourceNotFoundException',
    );
    s.append(R, '/g', 'other', ['x']);
    const e = errorOf(() => s.getLogEvents(R, { logGroupName: '/g', logStreamName: 'a' }));
    expect([e.code, e.message]).toEqual(['ResourceNotFoundException', 'The specified log stream does not exist.']);
  });

  test('following forward: each line once, and the forward token unchanged when nothing is new', () => {
    const { s, tick } = store();
    s.append(R, '/g', 'a', ['1', '2', '3']);
    const first = s.getLogEvents(R, { logGroupName: '/g', logStreamName: 'a', startFromHead: true, limit: 2 });
    expect(first.events.map((e) => e.message)).toEqual(['1', '2']);
    const second = s.getLogEvents(R, { logGroupName: '/g', logStreamName: 'a', nextToken: first.nextForwardToken });
    expect(second.events.map((e) => e.message)).toEqual(['3']);
    const idle = s.getLogEvents(R, { logGroupName: '/g', logStreamName: 'a', nextToken: second.nextForwardToken });
    expect(idle.events).toEqual([]);
    expect(idle.nextForwardToken).toBe(second.nextForwardToken);
    tick(1000);
    s.append(R, '/g', 'a', ['4']);
    const more = s.getLogEvents(R, { logGroupName: '/g', logStreamName: 'a', nextToken: idle.nextForwardToken });
    expect(more.events.map((e) => [e.message, e.timestamp])).toEqual([['4', 1_700_000_001_000]]);
    expect(more.nextForwardToken).not.toBe(idle.nextForwardToken);
  });

  test('without startFromHead the newest events come back, and the backward token pages towards the start', () => {
    const { s } = store();
    s.append(R, '/g', 'a', ['1', '2', '3', '4', '5']);
    const latest = s.getLogEvents(R, { logGroupName: '/g', logStreamName: 'a', limit: 2 });
    expect(latest.events.map((e) => e.message)).toEqual(['4', '5']);
    const back = s.getLogEvents(R, {
      logGroupName: '/g',
      logStreamName: 'a',
      limit: 2,
      nextToken: latest.nextBackwardToken,
    });
    expect(back.events.map((e) => e.message)).toEqual(['2', '3']);
  });

  test('at most 10,000 events and 1 MB a page by default; limit is checked', () => {
    const { s } = store();
    s.append(
      R,
      '/g',
      'many',
      Array.from({ length: 12_000 }, (_, i) => `line ${i}`),
    );
    expect(s.getLogEvents(R, { logGroupName: '/g', logStreamName: 'many', startFromHead: true }).events).toHaveLength(
      10_000,
    );
    s.append(
      R,
      '/g',
      'big',
      Array.from({ length: 20 }, () => 'x'.repeat(100_000)),
    );
    // 10 × (100,000 + 26) bytes fit in 1,048,576; the 11th does not.
    expect(s.getLogEvents(R, { logGroupName: '/g', logStreamName: 'big', startFromHead: true }).events).toHaveLength(
      10,
    );
    expect(errorOf(() => s.getLogEvents(R, { logGroupName: '/g', logStreamName: 'big', limit: 10_001 })).code).toBe(
      'InvalidParameterException',
    );
    expect(
      errorOf(() => s.getLogEvents(R, { logGroupName: '/g', logStreamName: 'big', nextToken: 'garbage' })).code,
    ).toBe('InvalidParameterException');
  });

  test('startTime is inclusive, endTime exclusive', () => {
    const { s, tick } = store();
    s.append(R, '/g', 'a', ['t0']);
    tick(10);
    s.append(R, '/g', 'a', ['t10']);
    tick(10);
    s.append(R, '/g', 'a', ['t20']);
    const out = s.getLogEvents(R, {
      logGroupName: '/g',
      logStreamName: 'a',
      startFromHead: true,
      startTime: 1_700_000_000_010,
      endTime: 1_700_000_000_020,
    });
    expect(out.events.map((e) => e.message)).toEqual(['t10']);
  });
});

describe('FilterLogEvents', () => {
  test('merges streams in timestamp order; nextToken only while more events match', () => {
    const { s, tick } = store();
    s.append(R, '/g', 'a', ['a1']);
    tick(5);
    s.append(R, '/g', 'b', ['b1']);
    tick(5);
    s.append(R, '/g', 'a', ['a2']);
    const first = s.filterLogEvents(R, { logGroupName: '/g', limit: 2 });
    expect(first.events.map((e) => [e.logStreamName, e.message])).toEqual([
      ['a', 'a1'],
      ['b', 'b1'],
    ]);
    expect(first.nextToken).toBeDefined();
    const second = s.filterLogEvents(R, { logGroupName: '/g', limit: 2, nextToken: first.nextToken });
    expect(second.events.map((e) => e.message)).toEqual(['a2']);
    expect(second.nextToken).toBeUndefined();
    expect(s.filterLogEvents(R, { logGroupName: '/g', logStreamNames: ['b'] }).events.map((e) => e.message)).toEqual([
      'b1',
    ]);
    expect(s.filterLogEvents(R, { logGroupName: '/g', startTime: 1_700_000_000_005 }).events).toHaveLength(2);
    expect(
      errorOf(() => s.filterLogEvents(R, { logGroupName: '/g', logStreamNames: ['a'], logStreamNamePrefix: 'a' })).code,
    ).toBe('InvalidParameterException');
    expect(errorOf(() => s.filterLogEvents(R, { logGroupName: '/nope' })).code).toBe('ResourceNotFoundException');
  });

  test.each([
    ['ERROR', 'an ERROR here', true],
    ['ERROR', 'all fine', false],
    ['ERROR -timeout', 'ERROR timeout', false],
    ['"exit code"', 'exit code 3', true],
    ['?WARN ?ERROR', 'WARN disk', true],
    ['?WARN ?ERROR', 'INFO ok', false],
    ['', 'anything', true],
  ])('pattern %j on %j → %s', (pattern, message, expected) => {
    expect(compilePattern(pattern)(message)).toBe(expected);
  });
});

describe('groups and streams', () => {
  test('DescribeLogStreams orders by name or last event; CreateLogGroup twice is refused', () => {
    const { s, tick } = store();
    s.createGroup(R, '/g');
    expect(errorOf(() => s.createGroup(R, '/g')).code).toBe('ResourceAlreadyExistsException');
    s.append(R, '/g', 'b', ['x']);
    tick(5);
    s.append(R, '/g', 'a', ['y']);
    const byName = s.describeLogStreams(R, { logGroupName: '/g' }) as { logStreams: { logStreamName: string }[] };
    expect(byName.logStreams.map((x) => x.logStreamName)).toEqual(['a', 'b']);
    const byTime = s.describeLogStreams(R, { logGroupName: '/g', orderBy: 'LastEventTime', descending: true }) as {
      logStreams: { logStreamName: string; lastEventTimestamp: number }[];
    };
    expect(byTime.logStreams.map((x) => x.logStreamName)).toEqual(['a', 'b']);
    expect(byTime.logStreams[0]!.lastEventTimestamp).toBe(1_700_000_000_005);
  });
});
