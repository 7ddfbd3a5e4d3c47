import { latencyChart, renderSummary, type CheckResult, type SmokeReport } from '../src/index.js';

const result = (name: string, p95: number, over: Partial<CheckResult> = {}): CheckResult => ({
  name,
  url: `https://x.example/${name}`,
  method: 'GET',
  result: 'passed',
  attempts: 1,
  statusCodes: { '200': 5 },
  latencyMs: { p50: p95 / 2, p95, max: p95 + 1, count: 5 },
  samples: { count: 5, failed: 0, errorRate: 0 },
  durationMs: 10,
  ...over,
});

describe('job summary', () => {
  it('shows the verdict, the versions, a row per check and what failed', () => {
    const report: SmokeReport = {
      result: 'failed',
      expectedVersion: 'abc1234',
      versionsSeen: ['0ld0ld0'],
      durationMs: 1500,
      checks: [
        result('api', 40, { versionSeen: '0ld0ld0' }),
        result('web|page', 90, {
          result: 'failed',
          attempts: 3,
          statusCodes: { '200': 1, '503': 2 },
          failure: 'status 503, expected <2xx>',
        }),
      ],
    };
    const markdown = renderSummary(report);
    expect(markdown).toContain('## Smoke test failed: 1 of 2 checks');
    expect(markdown).toContain('**Version seen:** `0ld0ld0` — **expected:** `abc1234`');
    expect(markdown).toContain(
      '| api<br>`GET https://x.example/api` | ✅ passed | 1 | 200 ×5 | 20 ms | 40 ms | 41 ms | — |',
    );
    expect(markdown).toContain(
      '| web\\|page<br>`GET https://x.example/web|page` | ❌ failed | 3 | 200, 503 ×2 | 45 ms | 90 ms | 91 ms | status 503, expected &lt;2xx&gt; |'.replace(
        'web|page`',
        'web\\|page`',
      ),
    );
    expect(markdown).toContain('```mermaid\nxychart-beta');
    expect(markdown).toContain('<details><summary>Failure detail</summary>');
  });

  it('says which checks saw which version when they disagree', () => {
    const checks = [
      result('a', 1, { versionSeen: 'new1234' }),
      result('b', 1, { versionSeen: 'old9876' }),
      ...['c', 'd', 'e', 'f'].map((name) => result(name, 1, { versionSeen: 'new1234' })),
    ];
    const markdown = renderSummary({
      result: 'failed',
      expectedVersion: 'new1234',
      versionsSeen: [],
      durationMs: 1,
      checks,
    });
    expect(markdown).toContain(
      '**Version seen:** `new1234` (a, c, d and 2 more), `old9876` (b) — **expected:** `new1234`',
    );
  });

  it('charts only sampled checks, the 20 slowest, with labels Mermaid can read', () => {
    expect(latencyChart([result('a', 10, { samples: undefined })])).toBeUndefined();
    const many = Array.from({ length: 25 }, (_, i) => result(`check "${i}" [x]`, i + 1));
    const chart = latencyChart(many)!;
    expect(chart).toContain("x-axis [\"check '24' 'x'\", \"check '23' 'x'\"");
    expect(chart).toContain('bar [25, 24, 23');
    expect(chart).toContain('The chart shows the 20 slowest of 25 sampled checks.');
    expect(/bar \[(.*)\]/.exec(chart)![1]!.split(', ').length).toBe(20);
  });
});
