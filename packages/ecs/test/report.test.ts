import { MemoryLogger } from '@ecs-ship/action-kit';
import { ProgressLog } from '../src/deploy/progress.js';
import type { ServiceSnapshot } from '../src/deploy/snapshot.js';
import { deploySummary, gantt } from '../src/deploy/summary.js';
import type { DeployReport, ServiceReport } from '../src/deploy/types.js';
import { planMarkdown, planService } from '../src/plan/index.js';

const T0 = Date.parse('2026-11-23T12:00:00Z');
const ARN = 'arn:aws:ecs:eu-west-1:123456789012:task-definition';

function snapshot(events: [number, string][]): ServiceSnapshot {
  return {
    service: 'web',
    missing: false,
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 1,
    pendingCount: 1,
    deployments: [],
    events: events.map(([seconds, message]) => ({ id: message, createdAt: T0 + seconds * 1000, message })).reverse(),
  };
}

describe('ProgressLog', () => {
  test('prints each new event once, oldest first, and progress only when it changes', () => {
    const logger = new MemoryLogger();
    const log = new ProgressLog(logger);
    log.remember('web', ['old news']);
    const progressing = { state: 'progressing', summary: 'IN_PROGRESS, 1/2 running' } as const;

    log.update(
      snapshot([
        [-5, 'old news'],
        [1, 'started 2 tasks'],
        [2, 'task a failed'],
      ]),
      T0,
      progressing,
    );
    log.update(
      snapshot([
        [-5, 'old news'],
        [1, 'started 2 tasks'],
        [2, 'task a failed'],
      ]),
      T0,
      progressing,
    );
    log.update(
      snapshot([
        [1, 'started 2 tasks'],
        [2, 'task a failed'],
        [3, 'steady'],
      ]),
      T0,
      {
        state: 'progressing',
        summary: 'IN_PROGRESS, 2/2 running',
      },
    );

    expect(logger.lines).toEqual([
      'web: started 2 tasks',
      'web: task a failed',
      'web: deploying: IN_PROGRESS, 1/2 running',
      'web: steady',
      'web: deploying: IN_PROGRESS, 2/2 running',
    ]);
    expect(log.events.get('web')!.map((e) => e.message)).toEqual(['started 2 tasks', 'task a failed', 'steady']);
  });

  test('events from before the deployment are history even when not remembered', () => {
    const logger = new MemoryLogger();
    new ProgressLog(logger).update(snapshot([[-60, 'yesterday']]), T0, { state: 'succeeded', summary: '' });
    expect(logger.lines).toEqual([]);
  });
});

function service(overrides: Partial<ServiceReport>): ServiceReport {
  return {
    service: 'web',
    result: 'succeeded',
    previousTaskDefinition: `${ARN}/web:7`,
    taskDefinition: `${ARN}/web:8`,
    images: { web: 'registry/web:2' },
    events: [],
    phases: [],
    ...overrides,
  };
}

function report(overrides: Partial<DeployReport>): DeployReport {
  return {
    mode: 'deploy',
    cluster: 'shop',
    result: 'succeeded',
    services: [],
    startedAt: T0,
    finishedAt: T0 + 60_000,
    usedServiceDeployments: true,
    polls: 4,
    describeServicesCalls: 4,
    ...overrides,
  };
}

describe('deploySummary', () => {
  test('the reason on top, then a row per service: result, where it stands now, revisions, images, duration', () => {
    const text = deploySummary(
      report({
        result: 'rolled-back',
        failureReason: 'api: breaker',
        services: [
          service({ startedAt: T0, finishedAt: T0 + 42_000 }),
          service({
            service: 'api',
            serviceArn: 'arn:aws:ecs:eu-west-1:123456789012:service/shop/api',
            result: 'rolled-back',
            reason: 'breaker | tripped',
            rollback: { healthy: true, reason: 'back on web:7', by: 'ecs' },
            startedAt: T0,
            finishedAt: T0 + 5_000,
          }),
        ],
      }),
    );
    const page = 'https://eu-west-1.console.aws.amazon.com/ecs/v2';
    const revisions = `[web:7](${page}/task-definitions/web/7/containers?region=eu-west-1) → [web:8](${page}/task-definitions/web/8/containers?region=eu-west-1)`;
    expect(text).toContain('## ECS deployment to `shop`: ⏪ rolled-back\n\n> api: breaker\n\n| Service |');
    expect(text).toContain(
      `| web | ✅ succeeded | ✅ healthy on web:8 | ${revisions} | — | web: registry/web:2 | 42.0 s | — |`,
    );
    expect(text).toContain(
      `| [api](${page}/clusters/shop/services/api/health?region=eu-west-1) | ⏪ rolled-back | ✅ healthy on web:7 again, rolled back by ECS | ${revisions} | — | web: registry/web:2 | 5.0 s | breaker \\| tripped |`,
    );
    // How the watch went is for the debug log, not for people.
    expect(text).not.toMatch(/poll|DescribeServices/);
  });

  test('a long reason is cut at a word boundary in the table; the whole of it is on top', () => {
    const reason = `ECS deployment circuit breaker: tasks failed to start. ${'Latest task failure: pull image manifest has been retried 5 times. '.repeat(8)}`;
    const text = deploySummary(
      report({
        result: 'failed',
        failureReason: `web: ${reason}`,
        services: [service({ result: 'failed', reason })],
      }),
    );
    const cell = text
      .split('\n')
      .find((line) => line.startsWith('| web |'))!
      .replace(/ \|$/, '')
      .split(' | ')
      .at(-1)!;
    expect(cell).toMatch(/ manifest…$/);
    expect(cell.length).toBeLessThanOrEqual(302);
    expect(text).toContain(`> web: ${reason.trim()}`);
  });

  test('plan mode hands the summary to the plan, which decides what may be shown', () => {
    const plan = planService({
      service: 'web',
      running: 'web:7',
      current: { family: 'web', containerDefinitions: [{ name: 'web', image: 'registry/web:1' }] },
      next: { family: 'web', containerDefinitions: [{ name: 'web', image: 'registry/web:2' }] },
      deploys: true,
      registers: true,
      configuration: {},
      desiredCount: {},
      forced: false,
    });
    const planned = report({ mode: 'plan', result: 'planned', services: [service({ result: 'planned', plan })] });
    expect(deploySummary(planned)).toBe(planMarkdown(planned));
    expect(deploySummary(planned)).toContain('| `web` image | `registry/web:1` | `registry/web:2` |');
    expect(deploySummary(planned)).not.toContain('mermaid');
  });

  test('the gantt marks failed phases critical and open ones active', () => {
    const chart = gantt(
      report({
        services: [
          service({
            phases: [
              { label: 'deploy web:8', start: T0, end: T0 + 10_000, outcome: 'failed' },
              { label: 'ECS rollback', start: T0 + 10_000, outcome: 'active' },
            ],
          }),
        ],
      }),
    )!;
    expect(chart.split('\n')).toEqual([
      '```mermaid',
      'gantt',
      '  dateFormat x',
      '  axisFormat %H:%M:%S',
      '  section web',
      `  deploy web\u22368 :crit, p0_0, ${T0}, ${T0 + 10_000}`,
      `  ECS rollback :active, p0_1, ${T0 + 10_000}, ${T0 + 60_000}`,
      '```',
    ]);
  });
});
