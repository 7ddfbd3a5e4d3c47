import { parseDeploy, parseEcr, parseMigration, parseSmoke } from '../../bench/lib/parse.js';
import { stageResults, stageTimings } from '../../bench/lib/release-summary.js';
import { median, percentile, formatMs, formatBytes } from '../../bench/lib/stats.js';
import { resultsJson } from '../../bench/lib/results.js';
import { markdownTable, textTable } from '../../bench/lib/table.js';
import type { Figure } from '../../bench/lib/figures.js';
import type { ScriptRun } from '../../bench/lib/child.js';

const script = (stdout: string, exitCode = 0, stderr = ''): ScriptRun => ({ exitCode, stdout, stderr, durationMs: 1 });

describe('stats', () => {
  it('takes the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 1)).toBe(7);
  });

  it('formats durations and sizes', () => {
    expect(formatMs(842.4)).toBe('842 ms');
    expect(formatMs(1234)).toBe('1.23 s');
    expect(formatBytes(64.4 * 1024 * 1024)).toBe('64.4 MB');
    expect(formatBytes(0)).toBe('0 B');
  });
});

describe('tables', () => {
  const figures: Figure[] = [
    { figure: 'smoke', how: '200 checks', goal: '< 1 s', measured: '612 ms', pass: true },
    { figure: 'cold start, release', how: 'a | b', goal: '≤ 2×', measured: '3.1×', pass: false },
    { figure: 'whole release', how: 'demo', goal: 'reported', measured: '9.6 s', pass: null },
  ];

  it('aligns the columns of the text table and names each verdict', () => {
    const lines = textTable(figures).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^figure\s+\| how\s+\| goal\s+\| measured\s+\| result$/);
    const bars = lines.filter((l) => !l.startsWith('-')).map((l) => [...l].indexOf('|'));
    expect(new Set(bars).size).toBe(1);
    expect(lines[2]).toMatch(/\| pass$/);
    expect(lines[3]).toMatch(/\| FAIL$/);
    expect(lines[4]).toMatch(/\| reported$/);
  });

  it('escapes pipes in Markdown cells', () => {
    const markdown = markdownTable(figures).split('\n');
    expect(markdown[1]).toBe('| --- | --- | --- | --- | --- |');
    expect(markdown[3]).toBe('| cold start, release | a \\| b | ≤ 2× | 3.1× | FAIL |');
  });
});

describe('reading bench/deploy.ts', () => {
  const output = [
    'ecs-deploy-with-circuit-breaker (2 run(s) per figure)',
    'detection of COMPLETED at poll 1 s: 0.85 s, 1.01 s (worst 1.01 s; target ≤ 1.20 s: met)',
    'detection of FAILED    at poll 1 s: 0.40 s, 1.31 s (worst 1.31 s; target ≤ 1.20 s: MISSED)',
    'detection of COMPLETED at poll 5 s: 4.10 s, 3.20 s (worst 4.10 s; target ≤ 5.20 s: met)',
    'detection of FAILED    at poll 5 s: 2.00 s, 5.00 s (worst 5.00 s; target ≤ 5.20 s: met)',
    'DescribeServices per poll with  1 service(s): 1 on the first poll, at most 1 over 3 poll(s) (target 1: met)',
    'DescribeServices per poll with 50 service(s): 5 on the first poll, at most 6 over 4 poll(s) (target 5: MISSED)',
  ].join('\n');

  it('takes the worst latency of both outcomes against interval + 0.2 s', () => {
    const [poll1, poll5] = parseDeploy(script(output), [1, 5], []);
    expect(poll1).toMatchObject({ pass: false, measured: 'COMPLETED 1.01 s, FAILED 1.31 s', goal: '≤ 1.2 s' });
    expect(poll1!.values).toMatchObject({ completedMs: [850, 1010], failedMs: [400, 1310], targetMs: 1200 });
    expect(poll5).toMatchObject({ pass: true });
  });

  it('checks DescribeServices calls per poll against ⌈N/10⌉', () => {
    const [one, fifty] = parseDeploy(script(output), [], [1, 50]);
    expect(one).toMatchObject({ pass: true, values: { firstPoll: 1, maxPerPoll: 1, polls: 3 } });
    expect(fifty).toMatchObject({ pass: false, values: { expectedPerPoll: 5, maxPerPoll: 6 } });
  });

  it('turns a missing line into a figure that was not measured, with the script’s error', () => {
    const crashed = script(
      'ecs-deploy-with-circuit-breaker (1 run(s) per figure)',
      1,
      'Error: no COMPLETED transition',
    );
    const [figure] = parseDeploy(crashed, [1], []);
    expect(figure).toMatchObject({ pass: false, measured: 'not measured' });
    expect(figure!.error).toContain('Error: no COMPLETED transition');
  });
});

describe('reading bench/migration.ts', () => {
  it('reads the log lag, STOPPED detection and cancellation lines', () => {
    const output = [
      'run-migration-task: 2 runs, poll interval 1 s, bundle against the sandbox',
      '  log lag (ingested → printed), 800 lines: p50 270 ms, p95 520 ms, max 1040 ms; target ≤ 1000 ms: NOT MET',
      '  STOPPED detection (stoppedAt → printed): 310 ms, 640 ms; target ≤ 1200 ms: met',
      '  SIGTERM → StopTask: 12 ms, 9 ms; target ≤ 2000 ms: met',
    ].join('\n');
    const [lag, stopped, cancel] = parseMigration(script(output), 1);
    expect(lag).toMatchObject({ pass: false, values: { lines: 800, p50Ms: 270, maxMs: 1040 } });
    expect(stopped).toMatchObject({ pass: true, measured: 'worst 640 ms', values: { samplesMs: [310, 640] } });
    expect(cancel).toMatchObject({ pass: true, measured: 'worst 12 ms' });
  });

  it('reports lost lines as a figure that was not measured', () => {
    const [lag] = parseMigration(script('', 1, 'Error: Printed 399 of 400 lines\n    at measureRun'), 1);
    expect(lag!.error).toContain('Printed 399 of 400 lines');
  });
});

describe('reading bench/ecr.ts', () => {
  const promote = [
    'promote: API calls for 3 new tags, by image size',
    '| image | calls | operations |',
    '| --- | --- | --- |',
    '| small (2 layers, 4 KiB) | 5 | DescribeRepositories, BatchGetImage, PutImage, PutImage, PutImage |',
    '| large (120 layers, 30 GiB) | 5 | DescribeRepositories, BatchGetImage, PutImage, PutImage, PutImage |',
  ];
  const push = [
    'push-archive: bytes uploaded, first and repeated push of a 2-platform image (6 MiB layer)',
    '| push | blobs uploaded | bytes uploaded | blobs already there | requests | ms |',
    '| --- | --- | --- | --- | --- | --- |',
    '| first | 7 | 6293504 | 0 | 31 | 220 |',
    '| repeat | 0 | 0 | 7 | 12 | 40 |',
  ];

  it('passes promotion when the call count does not grow with the image and no layer moves', () => {
    const [promotion, repeat] = parseEcr(script([...promote, '', ...push].join('\n')));
    expect(promotion).toMatchObject({ pass: true, measured: '5 and 5 calls; 0 layer upload calls' });
    expect(repeat).toMatchObject({
      pass: true,
      values: { firstBytes: 6293504, repeatBytes: 0, repeatBlobsSkipped: 7 },
    });
  });

  it('fails promotion that uploads layers, and a second push that moves bytes', () => {
    const uploading = promote.map((l) =>
      l.replace('| large (120 layers, 30 GiB) | 5 |', '| large (120 layers, 30 GiB) | 6 |'),
    );
    const again = push.map((l) => l.replace('| repeat | 0 | 0 |', '| repeat | 1 | 512 |'));
    const [promotion, repeat] = parseEcr(script([...uploading, ...again].join('\n')));
    expect(promotion!.pass).toBe(false);
    expect(repeat!.pass).toBe(false);
  });

  it('says why the repeated push was not measured when the registry is missing', () => {
    const [, repeat] = parseEcr(
      script([...promote, 'skipped: /usr/bin/docker-registry is needed (ENOENT)'].join('\n'), 1),
    );
    expect(repeat!.error).toBe('skipped: /usr/bin/docker-registry is needed (ENOENT)');
  });
});

describe('reading bench/smoke.ts', () => {
  it('judges the engine median and reports the whole bundle beside it', () => {
    const output = [
      '  engine (runChecks):            median 612 ms (min 560, max 900), CPU 310 ms, 5 runs',
      '  bundle (node dist/smoke-test): median 1103 ms (min 1000, max 1300), CPU 700 ms, 5 runs — process start, YAML, outputs and summary included',
      '  target < 1000 ms (engine): met (median 612 ms)',
    ].join('\n');
    const [smoke] = parseSmoke(script(output));
    expect(smoke).toMatchObject({ pass: true, measured: 'engine 612 ms, whole bundle 1103 ms' });
    expect(smoke!.values).toMatchObject({ engineCpuMs: 310, bundleMedianMs: 1103, runs: 5 });
  });
});

describe('release summary', () => {
  const summary = [
    '## ✅ Release of `8f2b6c4` to production: succeeded',
    '',
    '| Stage | Result | Duration | What happened |',
    '| --- | --- | --- | --- |',
    '| Notify start | ✅ succeeded | 214 ms | Slack accepted the started message |',
    '| Deploy | ✅ succeeded | 1.3 s | 3 service(s): succeeded |',
    '| Tag and record | ⏭️ skipped | — | no tag configured |',
    '',
    '### Timeline',
    '',
    '```mermaid',
    'gantt',
    '  dateFormat x',
    '  section production',
    '  Notify start :done, 1795451271294, 1795451271508',
    '  Deploy :done, 1795451278041, 1795451279296',
    '```',
    '',
    '```mermaid',
    'gantt',
    '  section web',
    '  deploy shop-production-web∶2 :p0_0, 1795451278214, 1795451279295',
    '```',
  ].join('\n');

  it('takes exact stage durations from the environment’s timeline only', () => {
    expect(stageTimings(summary, 'production')).toEqual([
      { stage: 'Notify start', ms: 214 },
      { stage: 'Deploy', ms: 1255 },
    ]);
    expect(stageTimings(summary, 'staging')).toEqual([]);
  });

  it('reads each stage’s result from the table', () => {
    expect(Object.fromEntries(stageResults(summary))).toEqual({
      'Notify start': 'succeeded',
      Deploy: 'succeeded',
      'Tag and record': 'skipped',
    });
  });
});

describe('results.json', () => {
  it('keeps two decimals of measured numbers and leaves integers and text alone', () => {
    const text = resultsJson({
      mode: 'quick',
      startedAt: '2026-11-23T16:00:00.000Z',
      durationMs: 120451.894667,
      machine: { cpus: 2, cpuModel: 'x', memoryGb: 24, node: 'v20.20.2', os: 'linux', loadAverageAtStart: 1.234 },
      figures: [
        { figure: 'f', how: 'h', goal: 'g', measured: '1.2345 s', pass: null, values: { ratio: 1.68214, n: 7 } },
      ],
    });
    const parsed = JSON.parse(text) as Record<string, any>;
    expect(parsed.durationMs).toBe(120451.89);
    expect(parsed.machine.loadAverageAtStart).toBe(1.23);
    expect(parsed.figures[0].values).toEqual({ ratio: 1.68, n: 7 });
    expect(parsed.figures[0].measured).toBe('1.2345 s');
  });
});
