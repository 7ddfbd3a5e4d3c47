import { jest } from '@jest/globals';
import { readDeploy, readEcr, readMigration, readSmoke, reportOf } from '../../bench/lib/readers.js';
import { stageResults, stageTimings } from '../../bench/lib/release-summary.js';
import { median, percentile, formatMs, formatBytes } from '../../bench/lib/stats.js';
import { resultsJson } from '../../bench/lib/results.js';
import { markdownTable, textTable } from '../../bench/lib/table.js';
import type { Figure } from '../../bench/lib/figures.js';
import type { ScriptRun } from '../../bench/lib/child.js';
import {
  migrationReportSchema,
  scriptOutput,
  type DeployReport,
  type EcrReport,
  type MigrationReport,
  type SmokeReport,
} from '../../bench/lib/report.js';

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

describe('a bench script’s output', () => {
  const runsOnly = migrationReportSchema.pick({ runs: true });

  function capture(argv: string[]): { args: string[]; stdout: string; stderr: string } {
    let stdout = '';
    let stderr = '';
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
    try {
      const output = scriptOutput(argv);
      output.say('detection of COMPLETED at poll 1 s: 0.85 s');
      output.report(runsOnly, { runs: 1 });
      return { args: output.args, stdout, stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }

  it('prints human text alone without --json', () => {
    expect(capture(['3'])).toEqual({ args: ['3'], stdout: 'detection of COMPLETED at poll 1 s: 0.85 s\n', stderr: '' });
  });

  it('with --json, keeps stdout for the report and moves the human text to stderr', () => {
    const { args, stdout, stderr } = capture(['3', '--json', '1']);
    expect(args).toEqual(['3', '1']);
    expect(stdout).toBe('{"runs":1}\n');
    expect(stderr).toBe('detection of COMPLETED at poll 1 s: 0.85 s\n');
    expect(reportOf(script(stdout))).toEqual({ runs: 1 });
  });

  it('refuses to print a report its reader could not read', () => {
    const output = scriptOutput(['--json']);
    expect(() => output.report(runsOnly, { runs: -1 })).toThrow();
  });
});

const json = (report: object, exitCode = 0): ScriptRun => script(`${JSON.stringify(report)}\n`, exitCode);

describe('reading bench/deploy.ts --json', () => {
  const report: DeployReport = {
    runs: 2,
    detection: [
      { pollSeconds: 1, completedMs: [850, 1010], failedMs: [400, 1310] },
      { pollSeconds: 5, completedMs: [4100, 3200], failedMs: [2000, 5000] },
    ],
    describeServices: [
      { services: 1, firstPoll: 1, maxPerPoll: 1, polls: 3, total: 5 },
      { services: 50, firstPoll: 5, maxPerPoll: 6, polls: 4, total: 31 },
    ],
  };

  it('takes the worst latency of both outcomes against interval + 0.2 s', () => {
    const [poll1, poll5] = readDeploy(json(report), [1, 5], []);
    expect(poll1).toMatchObject({ pass: false, measured: 'COMPLETED 1.01 s, FAILED 1.31 s', goal: '≤ 1.2 s' });
    expect(poll1!.values).toMatchObject({ completedMs: [850, 1010], failedMs: [400, 1310], targetMs: 1200 });
    expect(poll5).toMatchObject({ pass: true, measured: 'COMPLETED 4.10 s, FAILED 5.00 s' });
  });

  it('checks DescribeServices calls per poll against ⌈N/10⌉ and reports the total per deploy beside them', () => {
    const [one, fifty] = readDeploy(json(report), [], [1, 50]);
    expect(one).toMatchObject({
      pass: true,
      measured: 'first poll 1, at most 1 per poll over 3 polls; 5 per deploy',
      values: { firstPoll: 1, maxPerPoll: 1, polls: 3, totalPerDeploy: 5 },
    });
    expect(fifty).toMatchObject({ pass: false, values: { expectedPerPoll: 5, maxPerPoll: 6, totalPerDeploy: 31 } });
  });

  it('does not measure a row whose report lacks a field, and names the field', () => {
    const withoutTotal = {
      ...report,
      describeServices: [{ services: 10, firstPoll: 1, maxPerPoll: 1, polls: 4 }],
    };
    const [ten] = readDeploy(json(withoutTotal), [], [10]);
    expect(ten).toMatchObject({ pass: false, measured: 'not measured' });
    expect(ten!.error).toBe('bench/deploy.ts reported no total for 10 service(s)');
  });

  it('does not measure a row of the wrong type or one the script did not report', () => {
    const wrongType = { ...report, detection: [{ pollSeconds: 1, completedMs: ['0.85 s'], failedMs: [400] }] };
    const [poll1, poll5] = readDeploy(json(wrongType), [1, 5], []);
    expect(poll1!.error).toBe('bench/deploy.ts reported no completedMs for poll 1 s');
    expect(poll5!.error).toBe('bench/deploy.ts reported nothing for poll 5 s');
  });

  it('passes on the error of a measurement that failed while the others count', () => {
    const failed = { ...report, detection: [{ pollSeconds: 1, error: 'no COMPLETED transition recorded' }] };
    const [figure] = readDeploy(json(failed, 1), [1], []);
    expect(figure).toMatchObject({
      measured: 'not measured',
      error: 'bench/deploy.ts: no COMPLETED transition recorded',
    });
    expect(readDeploy(json(failed, 1), [], [1])[0]).toMatchObject({ pass: true });
  });

  it('turns a script that printed no report into figures that were not measured, with the script’s error', () => {
    const crashed = script(
      '',
      1,
      'ecs-deploy-with-circuit-breaker (1 run(s) per figure)\nError: sandbox did not start',
    );
    const figures = readDeploy(crashed, [1], [1]);
    expect(figures).toHaveLength(2);
    for (const figure of figures) {
      expect(figure).toMatchObject({ pass: false, measured: 'not measured' });
      expect(figure.error).toBe('bench/deploy.ts printed no JSON report (exit code 1: Error: sandbox did not start)');
    }
  });

  it('reads the report from the last line of stdout, after any human text', () => {
    const [figure] = readDeploy(script(`some text\n${JSON.stringify(report)}\n`), [], [1]);
    expect(figure!.pass).toBe(true);
  });
});

describe('reading bench/migration.ts --json', () => {
  const report: MigrationReport = {
    runs: 2,
    pollSeconds: 1,
    logLag: { lines: 800, p50Ms: 270, p95Ms: 520, maxMs: 1040 },
    stopped: { samplesMs: [310, 640] },
    cancellation: { samplesMs: [12, 9] },
  };

  it('reads the log lag, STOPPED detection and cancellation', () => {
    const [lag, stopped, cancel] = readMigration(json(report), 1);
    expect(lag).toMatchObject({
      pass: false,
      measured: '800 lines, p50 270 ms, p95 520 ms, max 1040 ms',
      values: { lines: 800, p50Ms: 270, maxMs: 1040 },
    });
    expect(stopped).toMatchObject({ pass: true, measured: 'worst 640 ms', values: { samplesMs: [310, 640] } });
    expect(cancel).toMatchObject({ pass: true, measured: 'worst 12 ms', goal: '≤ 2000 ms' });
  });

  it('does not measure a figure without samples', () => {
    const [, stopped, cancel] = readMigration(json({ ...report, stopped: { samplesMs: [] } }), 1);
    expect(stopped).toMatchObject({ measured: 'not measured' });
    expect(stopped!.error).toBe('bench/migration.ts reported no samplesMs for STOPPED detection');
    expect(cancel!.pass).toBe(true);
  });

  it('reports lost lines as figures that were not measured', () => {
    const [lag] = readMigration(script('', 1, 'Error: Printed 399 of 400 lines\n    at measureRun'), 1);
    expect(lag!.error).toContain('Printed 399 of 400 lines');
  });
});

describe('reading bench/ecr.ts --json', () => {
  const operations = ['DescribeRepositories', 'BatchGetImage', 'PutImage', 'PutImage', 'PutImage'];
  const push = { blobsUploaded: 7, bytesUploaded: 6293504, blobsSkipped: 0, requests: 31, ms: 220 };
  const report: EcrReport = {
    promotion: {
      images: [
        { image: 'small (2 layers, 4 KiB)', calls: 5, operations },
        { image: 'large (120 layers, 30 GiB)', calls: 5, operations },
      ],
    },
    repeatedPush: {
      first: push,
      repeat: { blobsUploaded: 0, bytesUploaded: 0, blobsSkipped: 7, requests: 12, ms: 40 },
    },
  };

  it('passes promotion when the call count does not grow with the image and no layer moves', () => {
    const [promotion, repeat] = readEcr(json(report));
    expect(promotion).toMatchObject({ pass: true, measured: '5 and 5 calls; 0 layer upload calls' });
    expect(promotion!.values).toEqual({
      'small (2 layers, 4 KiB)': { calls: 5, operations: operations.join(', ') },
      'large (120 layers, 30 GiB)': { calls: 5, operations: operations.join(', ') },
    });
    expect(repeat).toMatchObject({
      pass: true,
      measured: '6.0 MB first, 0 B second (7 blobs already there)',
      values: { firstBytes: 6293504, repeatBytes: 0, repeatBlobsSkipped: 7 },
    });
  });

  it('fails promotion that uploads layers, and a second push that moves bytes', () => {
    const uploading: EcrReport = {
      promotion: {
        images: [
          { image: 'small (2 layers, 4 KiB)', calls: 5, operations },
          { image: 'large (120 layers, 30 GiB)', calls: 6, operations: [...operations, 'InitiateLayerUpload'] },
        ],
      },
      repeatedPush: { first: push, repeat: { ...push, blobsUploaded: 1, bytesUploaded: 512 } },
    };
    const [promotion, repeat] = readEcr(json(uploading));
    expect(promotion).toMatchObject({ pass: false, measured: '5 and 6 calls; 1 layer upload calls' });
    expect(repeat!.pass).toBe(false);
  });

  it('says why the repeated push was not measured when the registry is missing', () => {
    const skipped = { ...report, repeatedPush: { error: 'skipped: /usr/bin/docker-registry is needed (ENOENT)' } };
    const [promotion, repeat] = readEcr(json(skipped, 1));
    expect(promotion!.pass).toBe(true);
    expect(repeat!.error).toBe('bench/ecr.ts: skipped: /usr/bin/docker-registry is needed (ENOENT)');
  });
});

describe('reading bench/smoke.ts --json', () => {
  const summary = (medianMs: number, cpuMs: number) => ({
    medianMs,
    minMs: medianMs - 50,
    maxMs: medianMs + 300,
    cpuMs,
    runs: 5,
  });
  const report: SmokeReport = {
    checks: 200,
    endpointMs: 50,
    concurrency: 20,
    engine: summary(612, 310),
    bundle: summary(1103, 700),
  };

  it('judges the engine median and reports the whole bundle beside it', () => {
    const [smoke] = readSmoke(json(report));
    expect(smoke).toMatchObject({ pass: true, measured: 'engine 612 ms, whole bundle 1103 ms' });
    expect(smoke!.values).toMatchObject({ engineCpuMs: 310, bundleMedianMs: 1103, runs: 5 });
  });

  it('measures the engine without the bundle, and nothing without the engine', () => {
    const [engineOnly] = readSmoke(json({ ...report, bundle: undefined }));
    expect(engineOnly).toMatchObject({ pass: true, measured: 'engine 612 ms' });
    const [none] = readSmoke(json({ ...report, engine: { medianMs: 612 } }));
    expect(none).toMatchObject({
      measured: 'not measured',
      error: 'bench/smoke.ts reported no cpuMs, runs for the engine',
    });
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
