// The deploy plan for people: values only where they are configuration, names only for the environment and secrets,
// every other change by its place; the services that would not change folded away; the comment one line when
// nothing would change.
import { planComment, planLines, planMarkdown } from '../src/plan/markdown.js';
import { planService, type PlanInput } from '../src/plan/service-plan.js';
import type { DeployReport, ServiceReport } from '../src/deploy/types.js';

const SECRET_VALUE = 'hunter2-very-secret-value';
const PLAIN_VALUE = 'https://internal.example/api-token-9f8e7d';

const current = {
  family: 'web',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  containerDefinitions: [
    {
      name: 'app',
      image: 'registry.example/web:1',
      essential: true,
      portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
      environment: [
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'OLD_FLAG', value: '1' },
        { name: 'SAME', value: 'x' },
      ],
      secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:eu-west-1:1:secret:db-1' }],
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
      mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }],
    },
    { name: 'sidecar', image: 'registry.example/proxy:1', essential: false },
  ],
};

const next = {
  ...current,
  cpu: '512',
  containerDefinitions: [
    {
      ...current.containerDefinitions[0],
      image: 'registry.example/web:2',
      portMappings: [
        { containerPort: 8080, protocol: 'tcp' },
        { containerPort: 9090, protocol: 'udp', name: 'metrics' },
      ],
      healthCheck: {
        command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'],
        interval: 10,
        retries: 3,
      },
      environment: [
        { name: 'LOG_LEVEL', value: SECRET_VALUE },
        { name: 'API_URL', value: PLAIN_VALUE },
        { name: 'SAME', value: 'x' },
      ],
      secrets: [
        { name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:eu-west-1:1:secret:db-2' },
        { name: 'STRIPE_KEY', valueFrom: 'arn:aws:ssm:eu-west-1:1:parameter/stripe' },
      ],
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/ecs/web-v2', 'splunk-token': SECRET_VALUE },
      },
      mountPoints: [{ sourceVolume: 'data', containerPath: '/var/data' }],
    },
    { name: 'worker', image: 'registry.example/worker:1' },
  ],
};

function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    service: 'web',
    running: 'web:7',
    current,
    next,
    deploys: true,
    registers: true,
    configuration: {
      before: { deploymentCircuitBreaker: { enable: true, rollback: false } },
      after: {
        deploymentCircuitBreaker: { enable: true, rollback: true },
        alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true },
      },
    },
    desiredCount: { before: 2, after: 3 },
    forced: false,
    ...overrides,
  };
}

describe('planService', () => {
  const plan = planService(input());

  test('shows the values of task and container settings that are configuration', () => {
    expect(plan.settings).toEqual([
      { setting: 'Task CPU', before: '256', after: '512' },
      { container: 'app', setting: 'image', before: 'registry.example/web:1', after: 'registry.example/web:2' },
      { container: 'app', setting: 'ports', before: '8080/tcp', after: '8080/tcp, 9090/udp "metrics"' },
      {
        container: 'app',
        setting: 'health check',
        after: 'curl -f http://localhost:8080/health || exit 1, every 10 s, 3 retries',
      },
      { container: 'worker', setting: 'container', after: 'added, registry.example/worker:1' },
      { container: 'sidecar', setting: 'container', before: 'registry.example/proxy:1', after: 'removed' },
    ]);
  });

  test('names environment variables and secrets without their values', () => {
    expect(plan.names).toEqual([
      { container: 'app', kind: 'environment', added: ['API_URL'], removed: ['OLD_FLAG'], changed: ['LOG_LEVEL'] },
      { container: 'app', kind: 'secrets', added: ['STRIPE_KEY'], removed: [], changed: ['DB_PASSWORD'] },
    ]);
  });

  test('lists every other change by its place, unkeyed lists as a whole', () => {
    expect(plan.others).toEqual([
      'containerDefinitions[app].logConfiguration.options.awslogs-group',
      'containerDefinitions[app].logConfiguration.options.splunk-token',
      'containerDefinitions[app].mountPoints',
    ]);
  });

  test('names the deployment settings the update would change', () => {
    expect(plan.deployment).toEqual([
      { setting: 'Circuit breaker', before: 'on, no rollback', after: 'on, rolls back' },
      { setting: 'Alarms', before: 'none', after: 'web-5xx (rolls back)' },
      { setting: 'Desired count', before: '2', after: '3' },
    ]);
  });

  test('no value of an environment variable, a secret reference or a log option reaches the plan', () => {
    const everything = JSON.stringify(plan) + planMarkdown(report([plan])) + planLines(plan).join('\n');
    for (const hidden of [SECRET_VALUE, PLAIN_VALUE, 'secret:db-2', 'parameter/stripe', '/ecs/web-v2', 'info']) {
      expect(everything).not.toContain(hidden);
    }
  });

  test('service settings the update would change (tags, the EBS volume) are deployment settings', () => {
    const tagged = planService(
      input({
        registers: false,
        next: current,
        desiredCount: {},
        serviceSettings: [
          { path: 'service.propagateTags', before: 'NONE', after: 'SERVICE' },
          { path: 'service.enableECSManagedTags', before: 'false', after: 'true' },
        ],
      }),
    );
    expect(tagged.deployment).toEqual(
      expect.arrayContaining([
        { setting: 'Service propagateTags', before: 'NONE', after: 'SERVICE' },
        { setting: 'Service enableECSManagedTags', before: 'false', after: 'true' },
      ]),
    );
    expect(planMarkdown(report([tagged]))).toContain('| Service propagateTags | `NONE` | `SERVICE` |');
  });

  test('a service that would not deploy shows no deployment settings; a forced one says so', () => {
    expect(planService(input({ deploys: false, registers: false, next: current })).deployment).toEqual([]);
    const forced = planService(input({ registers: false, next: current, forced: true, desiredCount: {} }));
    expect(forced.settings).toEqual([]);
    expect(forced.deployment).toContainEqual({ setting: 'Deployment', after: 'forced, with the revision it runs' });
  });
});

function service(plan: ReturnType<typeof planService>): ServiceReport {
  return { service: plan.service, result: 'planned', images: {}, events: [], phases: [], plan };
}

function report(plans: ReturnType<typeof planService>[]): DeployReport {
  return {
    mode: 'plan',
    cluster: 'shop-staging',
    result: 'planned',
    services: plans.map(service),
    startedAt: 0,
    finishedAt: 1,
    usedServiceDeployments: true,
    polls: 0,
    describeServicesCalls: 2,
  };
}

describe('the plan in Markdown', () => {
  const changed = planService(input());
  const idle = planService(
    input({ service: 'idle', running: 'idle:3', deploys: false, registers: false, next: current }),
  );

  test('a table of services, a section per changing one, the others folded away', () => {
    const text = planMarkdown(report([changed, idle]));
    expect(text).toMatch(/^## ECS deploy plan for `shop-staging`: 1 of 2 service\(s\) would change\n/);
    expect(text).toContain('| web | `web:7` | 📝 register a new revision of web and deploy it |');
    expect(text).toContain('| idle | `idle:3` | ➖ no change |');
    expect(text).toContain('### `web`');
    expect(text).toContain('| Task CPU | `256` | `512` |');
    expect(text).toContain('| `app` image | `registry.example/web:1` | `registry.example/web:2` |');
    expect(text).toContain(
      '| `app` health check | — | `curl -f http://localhost:8080/health \\|\\| exit 1, every 10 s, 3 retries` |',
    );
    expect(text).toContain('| Container `sidecar` | `registry.example/proxy:1` | `removed` |');
    expect(text).toContain(
      '**Environment of `app` (values not shown)**: `LOG_LEVEL` changed; `API_URL` added; `OLD_FLAG` removed',
    );
    expect(text).toContain(
      '**Secrets of `app` (values not shown)**: `DB_PASSWORD` read from elsewhere; `STRIPE_KEY` added',
    );
    expect(text).toContain(
      '**Also changed** (values not shown): `containerDefinitions[app].logConfiguration.options.awslogs-group`',
    );
    expect(text).toMatch(
      /<details><summary>No change: idle<\/summary>\n\n- `idle` runs `idle:3`, which already matches/,
    );
    expect(text).not.toContain('### `idle`');
  });

  test('the comment: the plan and where it came from; one line when nothing would change', () => {
    const source = {
      workflow: 'Pull request checks',
      runUrl: 'https://github.com/acme/shop/actions/runs/1',
      sha: 'abcdef1234',
    };
    const full = planComment(report([changed, idle]), source);
    expect(full.startsWith(planMarkdown(report([changed, idle])))).toBe(true);
    expect(full).toContain(
      '<sub>Planned by [Pull request checks](https://github.com/acme/shop/actions/runs/1) for commit `abcdef1`; updated on every run.</sub>',
    );
    const quiet = planComment(report([idle]), source);
    expect(quiet.split('\n')).toHaveLength(1);
    expect(quiet).toBe(
      '**ECS deploy plan for `shop-staging`**: no change. `idle` already run what this would deploy (' +
        '[Pull request checks](https://github.com/acme/shop/actions/runs/1), commit `abcdef1`).',
    );
  });

  test('the log says the same in lines', () => {
    expect(planLines(changed).slice(0, 3)).toEqual([
      'web: would register a new revision of web and deploy it.',
      '  Task CPU: 256 → 512',
      '  app image: registry.example/web:1 → registry.example/web:2',
    ]);
    expect(planLines(changed)).toContain(
      '  Environment of app (values not shown): LOG_LEVEL changed; API_URL added; OLD_FLAG removed',
    );
    expect(planLines(idle)).toEqual(['No change: idle runs idle:3, which already matches.']);
  });
});
