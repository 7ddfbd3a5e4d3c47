/**
 * One rule, one verdict: each row feeds the same values through every place the rule applies (an action's input,
 * read by that action's own settings reader; a key of the release config, checked by its schema) and expects every
 * place to accept the good values and refuse the bad ones. A rule copied into one place and changed in another
 * fails here.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { releaseConfigSchema } from '@ecs-ship/pipeline/config';
import {
  VALID_CONFIG,
  archive,
  build,
  config,
  configKey,
  input,
  ownSnapshot,
  snapshot,
  workspace,
  type Place,
  type Value,
} from './places.js';

const MIB = 1024 * 1024;

/** A release config whose deploy names `strategy` (none when empty). */
const withStrategy = (strategy: string) => (environment: Record<string, unknown>) => {
  if (strategy) environment.deploy = { ...(environment.deploy as object), strategy };
};

interface Row {
  rule: string;
  good: Value[];
  bad: Value[];
  places: Place[];
}

const ARN = 'arn:aws:ecs:eu-west-1:123456789012';
const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-AbCdEf';
const ROWS: Row[] = [
  {
    rule: 'cluster',
    good: ['shop-production', `${ARN}:cluster/shop`],
    bad: ['shop production', 'shop;prod', 'c'.repeat(256)],
    places: [
      input('ecs-deploy-with-circuit-breaker', 'cluster'),
      input('run-migration-task', 'cluster'),
      config(['cluster']),
    ],
  },
  {
    rule: 'codedeploy name',
    good: ['AppECS-shop-web', 'CodeDeployDefault.ECSCanary10Percent5Minutes', 'a+b_c'],
    bad: ['my app', 'a/b', 'x'.repeat(101)],
    places: [
      input('ecs-deploy-with-circuit-breaker', 'codedeploy-application'),
      input('ecs-deploy-with-circuit-breaker', 'codedeploy-deployment-group'),
      input('ecs-deploy-with-circuit-breaker', 'codedeploy-deployment-config'),
      config(['services', 1, 'codedeploy', 'application']),
      config(['services', 1, 'codedeploy', 'deployment-group']),
      config(['services', 1, 'codedeploy', 'deployment-config']),
    ],
  },
  {
    rule: 'codedeploy deployment description',
    good: ['release of the shop', 'd'.repeat(512)],
    bad: ['d'.repeat(513)],
    places: [
      input('ecs-deploy-with-circuit-breaker', 'codedeploy-deployment-description'),
      config(['services', 1, 'codedeploy', 'deployment-description']),
    ],
  },
  {
    rule: 'service',
    good: ['web', `${ARN}:service/shop/web`],
    bad: ['web site', 's'.repeat(256)],
    places: [
      input('ecs-deploy-with-circuit-breaker', 'services'),
      config(['services', 0]),
      config(['services', 1, 'name']),
      input('ecs-deploy-with-circuit-breaker', 'create-from', String, { services: 'shop-pr-7' }),
    ],
  },
  {
    rule: 'new service name (a preview, created or deleted by name)',
    good: ['shop-pr-7', 'shop_pr_7'],
    bad: ['shop/pr-7', `${ARN}:service/shop/shop-pr-7`, 's'.repeat(256)],
    places: [
      input('ecs-deploy-with-circuit-breaker', 'services', String, { 'create-from': 'shop-staging' }),
      input('ecs-deploy-with-circuit-breaker', 'services', String, { mode: 'delete', image: '' }),
    ],
  },

  {
    rule: 'container',
    good: ['app', 'log_router-2'],
    bad: ['app/web', 'a'.repeat(256)],
    places: [
      input('ecs-deploy-with-circuit-breaker', 'container'),
      input('ecs-deploy-with-circuit-breaker', 'images', (value) => `${value}=registry.example/web:2`, { image: '' }),
      input('ecs-deploy-with-circuit-breaker', 'images', (value) => `web:${value}=registry.example/web:2`, {
        image: '',
      }),
      input('run-migration-task', 'container'),
      config(['services', 1, 'containers', 0]),
      config(['migration', 'container']),
    ],
  },
  {
    rule: 'ECR repository name',
    good: ['shop', 'shop/web', 'a__b', 'a--b', 'ab'],
    bad: ['a', 'x'.repeat(300), 'Shop', 'shop//web', 'shop/'],
    places: [
      input('build-push-ecr', 'repository'),
      input('build-push-ecr (push-archive)', 'mount-from'),
      config(['image', 'repository']),
      config(['image', 'mount-from', 0], undefined, archive),
    ],
  },
  {
    rule: 'task definition',
    good: ['shop-migrate', 'shop-migrate:3', `${ARN}:task-definition/shop-migrate:3`],
    bad: ['shop migrate', 'shop-migrate:0', 'shop:migrate:1'],
    places: [
      input('run-migration-task', 'task-definition'),
      input('ecs-deploy-with-circuit-breaker', 'rollback-to', (value) => `web=${value}`, {
        mode: 'rollback',
        image: '',
      }),
      config(['migration', 'task-definition']),
    ],
  },
  {
    rule: 'subnet',
    good: ['subnet-0a1b2c3d', 'subnet-0a1b2c3d4e5f60718'],
    bad: ['subnet-1', 'vpc-0a1b2c3d', 'subnet-0A1B2C3D'],
    places: [input('run-migration-task', 'subnets'), config(['migration', 'subnets', 0])],
  },
  {
    rule: 'security group',
    good: ['sg-0a1b2c3d'],
    bad: ['sg-1', 'default'],
    places: [
      input('run-migration-task', 'security-groups', String, { subnets: 'subnet-0a1b2c3d' }),
      config(['migration', 'security-groups', 0], undefined, (environment) => {
        (environment.migration as Record<string, unknown>).subnets = ['subnet-0a1b2c3d'];
      }),
    ],
  },
  {
    rule: 'environment variable name',
    good: ['LOG_LEVEL', '_x1'],
    bad: ['1ST', 'LOCK-TIMEOUT', 'A B'],
    places: [
      input('run-migration-task', 'environment', (value) => `${value}=x`),
      configKey(['migration', 'environment']),
      config(['slack', 'webhook-env']),
      config(['image', 'secret-env', 'token'], undefined, build),
    ],
  },
  {
    rule: 'container variable (container:NAME)',
    good: ['web:LOG_LEVEL', 'log_router-2:_X1'],
    bad: ['LOG_LEVEL', 'web:1ST', 'web/app:X', 'web:X:Y'],
    places: [
      input('ecs-deploy-with-circuit-breaker', 'environment', (value) => `${value}=x`),
      input('ecs-deploy-with-circuit-breaker', 'secrets', (value) => `${value}=${SECRET}`),
      configKey(['deploy', 'environment']),
      config(['deploy', 'secrets'], (value) => ({ [String(value)]: SECRET })),
    ],
  },
  {
    rule: 'secret reference',
    good: [
      SECRET,
      `${SECRET}:password:AWSCURRENT:`,
      'arn:aws:ssm:eu-west-1:123456789012:parameter/shop/db/password',
      'arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/db',
    ],
    bad: [
      'shop/db-password',
      'arn:aws:s3:::shop-secrets/db',
      'arn:aws:ssm:eu-west-1:123456789012:secret:db',
      'arn:aws:secretsmanager:eu-west-1:1234:secret:db',
      `${SECRET}:password`,
    ],
    places: [
      input('ecs-deploy-with-circuit-breaker', 'secrets', (value) => `web:DB_PASSWORD=${value}`),
      config(['deploy', 'secrets', 'web:DB_PASSWORD']),
    ],
  },
  {
    rule: 'environment value (not a secret reference)',
    good: ['debug', 'arn:aws:s3:::shop-assets', ''],
    bad: [SECRET, 'arn:aws:ssm:eu-west-1:123456789012:parameter/db'],
    places: [
      input('ecs-deploy-with-circuit-breaker', 'environment', (value) => `web:DB_PASSWORD=${value}`),
      config(['deploy', 'environment', 'web:DB_PASSWORD']),
    ],
  },
  {
    rule: 'stopped tasks described after a failure',
    good: [0, 3, 10],
    bad: [-1, 11, 2.5],
    places: [input('ecs-deploy-with-circuit-breaker', 'diagnose-tasks'), config(['deploy', 'diagnose-tasks'])],
  },
  {
    rule: 'log lines per stopped task',
    good: [0, 30, 200],
    bad: [-1, 201],
    places: [input('ecs-deploy-with-circuit-breaker', 'diagnose-log-lines'), config(['deploy', 'diagnose-log-lines'])],
  },
  {
    rule: 'DB instance identifier',
    good: ['shop-db', 'a'],
    bad: ['1db', 'shop--db', 'shop-', 'a'.repeat(64)],
    places: [
      input('run-migration-task', 'snapshot-db-instance'),
      input('rds-snapshot', 'db-instance'),
      input('rds-snapshot (prune)', 'db-instance'),
      input('rds-restore', 'cluster-instance-id'),
      config(['migration', 'snapshot', 'db-instance']),
      config(['snapshot', 'db-instance']),
    ],
  },
  {
    rule: 'DB cluster identifier',
    good: ['shop-aurora', 'a'],
    bad: ['1db', 'shop--aurora', 'aurora-', 'a'.repeat(64)],
    places: [
      input('run-migration-task', 'snapshot-db-cluster'),
      input('rds-restore', 'db-cluster', String, { 'target-id': 'copy' }),
      input('rds-restore', 'target-id', String, { confirm: '' }),
      config(['snapshot', 'db-cluster'], undefined, (environment) => void (environment.snapshot = {})),
    ],
  },
  {
    rule: 'snapshot identifier',
    good: ['pre-release-1', 'a'.repeat(255)],
    bad: ['1-pre', 'pre--release', 'pre-', 'a'.repeat(256), 'pre_release'],
    places: [input('rds-restore', 'snapshot-id'), input('rds-snapshot', 'snapshot-id')],
  },
  {
    rule: 'watch timeout (minutes)',
    good: [30, 0.02, 1440],
    bad: [0.01, 1441, 0],
    places: [
      input('ecs-deploy-with-circuit-breaker', 'timeout-minutes'),
      input('run-migration-task', 'timeout-minutes'),
      config(['deploy', 'timeout-minutes']),
      config(['migration', 'timeout-minutes']),
    ],
  },
  {
    rule: 'poll interval (seconds)',
    good: [5, 0.1, 300],
    bad: [0.05, 301, 3600],
    places: [
      input('ecs-deploy-with-circuit-breaker', 'poll-interval-seconds'),
      input('run-migration-task', 'poll-interval-seconds'),
      config(['deploy', 'poll-interval-seconds']),
      config(['migration', 'poll-interval-seconds']),
    ],
  },
  {
    rule: 'snapshot timeout (minutes)',
    good: [60, 1440],
    bad: [1441, 0],
    places: [
      input('run-migration-task', 'snapshot-timeout-minutes', String, { 'snapshot-db-instance': 'shop-db' }),
      input('rds-snapshot', 'timeout-minutes'),
      config(['migration', 'snapshot', 'timeout-minutes'], undefined, snapshot),
      config(['snapshot', 'timeout-minutes'], undefined, ownSnapshot),
    ],
  },
  {
    rule: 'platform',
    good: ['linux/arm64', 'linux/arm/v7'],
    bad: ['amd64', 'Linux/ARM64'],
    places: [input('build-push-ecr (build)', 'platforms'), config(['image', 'platforms', 0], undefined, build)],
  },
  {
    rule: 'build argument name',
    good: ['NODE_ENV'],
    bad: ['NODE ENV', '1X'],
    places: [
      input('build-push-ecr (build)', 'build-args', (value) => `${value}=x`),
      configKey(['image', 'build-args'], build),
    ],
  },
  {
    rule: 'label key',
    good: ['team', 'org.opencontainers.image.source'],
    bad: ['-bad', 'a b'],
    places: [input('build-push-ecr (build)', 'labels', (value) => `${value}=x`), configKey(['image', 'labels'], build)],
  },
  {
    rule: 'build secret id',
    good: ['npm_token', 'a.b-c'],
    bad: ['bad id', 'x'.repeat(129)],
    places: [
      input('build-push-ecr (build)', 'secrets', (value) => `${value}=s3cret`),
      config(['image', 'secret-env'], (value) => ({ [String(value)]: 'NPM_TOKEN' }), build),
    ],
  },
  {
    rule: 'build target',
    good: ['runtime', 'stage.2'],
    bad: ['-x', 'a b'],
    places: [input('build-push-ecr (build)', 'target'), config(['image', 'target'], undefined, build)],
  },
  {
    rule: 'provenance',
    good: ['mode=max', 'false'],
    bad: ['maybe', 'mode='],
    places: [input('build-push-ecr (build)', 'provenance'), config(['image', 'provenance'], undefined, build)],
  },
  {
    rule: 'chunk size (MiB)',
    good: [5, 16, 1024],
    bad: [4, 1025],
    places: [
      input('build-push-ecr (push-archive)', 'chunk-size', (value) => String(Number(value) * MIB)),
      config(['image', 'chunk-size-mib'], undefined, archive),
    ],
  },
  {
    rule: 'scan timeout (minutes)',
    good: [10, 180],
    bad: [181, 0],
    places: [
      input('build-push-ecr', 'scan-timeout', (value) => `${value}m`),
      config(['image', 'scan-timeout-minutes'], undefined, build),
    ],
  },
  {
    rule: 'scan severity',
    good: ['HIGH', 'CRITICAL'],
    bad: ['SEVERE'],
    places: [input('build-push-ecr', 'fail-on-severity'), config(['image', 'fail-on-severity'], undefined, build)],
  },
  {
    rule: 'launch type',
    good: ['FARGATE', 'EC2'],
    bad: ['LAMBDA'],
    places: [input('run-migration-task', 'launch-type'), config(['migration', 'launch-type'])],
  },
  {
    rule: 'circuit breaker',
    good: ['rollback', 'fail-only'],
    bad: ['off'],
    places: [input('ecs-deploy-with-circuit-breaker', 'circuit-breaker'), config(['deploy', 'circuit-breaker'])],
  },
  {
    rule: 'alarm name',
    good: ['shop-5xx', 'a'.repeat(255)],
    bad: ['a'.repeat(256)],
    places: [input('ecs-deploy-with-circuit-breaker', 'alarms'), config(['deploy', 'alarms', 0])],
  },
  {
    rule: 'watch-metrics threshold line',
    good: [
      'target-5xx-rate > 2% LoadBalancer=app/shop/50dc6c495c0c9188',
      'target-p95-latency >= 1.5s LoadBalancer=app/shop/1 TargetGroup=targetgroup/web/2',
      'AWS/ApplicationELB HTTPCode_ELB_5XX_Count Sum > 10 LoadBalancer=app/shop/1',
      'Shop/Checkout Failures p99 <= 0.5',
    ],
    bad: [
      'target-5xx-rate 2% LoadBalancer=app/shop/1',
      'target-5xx-rate > 120% LoadBalancer=app/shop/1',
      'target-p95-latency > 800 LoadBalancer=app/shop/1',
      'target-p95-latency > 800ms',
      'target-5xx-rate > 2% LoadBalancer=app/shop/1 InstanceId=i-1',
      'AWS/ApplicationELB RequestCount Median > 5',
      'AWS/ApplicationELB RequestCount Sum > five',
      'RequestCount Sum > 5 LoadBalancer=app/shop/1',
    ],
    places: [
      input('ecs-deploy-with-circuit-breaker', 'watch-metrics', String, { 'watch-minutes': '5' }),
      config(['deploy', 'watch-metrics', 0], undefined, (environment) => {
        environment.deploy = { ...(environment.deploy as object), 'watch-minutes': 5 };
      }),
    ],
  },
  {
    rule: 'watch after the deploy (minutes)',
    good: [0, 0.5, 15, 1440],
    bad: [-1, 1441],
    places: [input('ecs-deploy-with-circuit-breaker', 'watch-minutes'), config(['deploy', 'watch-minutes'])],
  },
  {
    rule: 'deployment strategy',
    good: ['rolling', 'blue-green', 'linear', 'canary', 'BLUE_GREEN', 'Canary'],
    bad: ['bluegreen', 'codedeploy', 'external'],
    places: [input('ecs-deploy-with-circuit-breaker', 'strategy'), config(['deploy', 'strategy'])],
  },
  {
    rule: 'bake minutes',
    good: [0, 5, 1440],
    bad: [-1, 1441, 2.5],
    places: [
      input('ecs-deploy-with-circuit-breaker', 'bake-time-minutes', String, { strategy: 'blue-green' }),
      input('ecs-deploy-with-circuit-breaker', 'canary-bake-minutes', String, { strategy: 'canary' }),
      input('ecs-deploy-with-circuit-breaker', 'linear-step-bake-minutes', String, { strategy: 'linear' }),
      config(['deploy', 'bake-time-minutes'], undefined, withStrategy('blue-green')),
      config(['deploy', 'canary-bake-minutes'], undefined, withStrategy('canary')),
      config(['deploy', 'linear-step-bake-minutes'], undefined, withStrategy('linear')),
    ],
  },
  {
    rule: 'linear step percent',
    good: [3, 33.3, 100],
    bad: [2.9, 100.1, 10.05],
    places: [
      input('ecs-deploy-with-circuit-breaker', 'linear-step-percent', String, { strategy: 'linear' }),
      config(['deploy', 'linear-step-percent'], undefined, withStrategy('linear')),
    ],
  },
  {
    rule: 'canary percent',
    good: [0.1, 5, 99.9],
    bad: [0, 0.05, 100.5],
    places: [
      input('ecs-deploy-with-circuit-breaker', 'canary-percent', String, { strategy: 'canary' }),
      config(['deploy', 'canary-percent'], undefined, withStrategy('canary')),
    ],
  },
  {
    rule: 'HTTP header name',
    good: ['X-App-Version'],
    bad: ['X App', 'X-Version:'],
    places: [input('smoke-test', 'version-header'), config(['smoke', 'version-header'])],
  },
  {
    rule: 'JSON path',
    good: ['build.sha', '$.version', 'items[0].id'],
    bad: ['build..sha', 'a b'],
    places: [input('smoke-test', 'version-json-path'), config(['smoke', 'version-json-path'])],
  },
  {
    rule: 'base URL',
    good: ['https://shop.example.com', 'http://localhost:8080/app'],
    bad: ['ftp://shop.example.com', 'shop.example.com'],
    places: [
      input('smoke-test', 'base-url'),
      config(['smoke', 'base-url']),
      input('ecs-deploy-with-circuit-breaker', 'codedeploy-test-listener-url', String, {
        'codedeploy-smoke-checks': '- /health',
      }),
      config(['services', 1, 'codedeploy', 'test-listener-url']),
    ],
  },
  {
    rule: 'wait for healthy (seconds)',
    good: [0, 60, 3600],
    bad: [3601],
    places: [input('smoke-test', 'wait-for-healthy-seconds'), config(['smoke', 'wait-for-healthy-seconds'])],
  },
  {
    rule: 'consecutive successes',
    good: [1, 100],
    bad: [0, 101, 1.5],
    places: [input('smoke-test', 'consecutive-successes'), config(['smoke', 'consecutive-successes'])],
  },
  {
    rule: 'request timeout (seconds)',
    good: [10, 0.1, 300],
    bad: [0.05, 301],
    places: [input('smoke-test', 'request-timeout-seconds'), config(['smoke', 'request-timeout-seconds'])],
  },
  {
    rule: 'environment name',
    good: ['staging', 'eu.prod-2'],
    bad: ['prod uction', 'x'.repeat(65)],
    places: [
      input('release', 'environment'),
      {
        where: 'release config environments key',
        accepts: (value) =>
          releaseConfigSchema.safeParse({ environments: { [value]: VALID_CONFIG.environments.staging } }).success,
      },
    ],
  },
];

/** Task-definition files: the deploy's template and the migration's definition follow one rule. */
const FILES: { name: string; content: unknown; good: boolean }[] = [
  { name: 'a definition', content: { family: 'shop', containerDefinitions: [{ name: 'app' }] }, good: true },
  {
    name: 'describe-task-definition output',
    content: { taskDefinition: { family: 'shop', containerDefinitions: [{ name: 'app' }] }, tags: [] },
    good: true,
  },
  { name: 'no family', content: { containerDefinitions: [{ name: 'app' }] }, good: false },
  { name: 'no containers', content: { family: 'shop' }, good: false },
  { name: 'an empty container list', content: { family: 'shop', containerDefinitions: [] }, good: false },
  { name: 'a list', content: [], good: false },
];

const cases = ROWS.flatMap((row) =>
  row.places.flatMap((place) => [
    ...row.good.map((value) => ({ rule: row.rule, where: place.where, value, good: true, place })),
    ...row.bad.map((value) => ({ rule: row.rule, where: place.where, value, good: false, place })),
  ]),
);

test('every row applies its rule in at least two places', () => {
  for (const row of ROWS) expect([row.rule, row.places.length >= 2]).toEqual([row.rule, true]);
});

test.each(cases.map((c) => [c.rule, c.where, String(c.value).slice(0, 40), c.good ? 'accepts' : 'refuses', c]))(
  '%s: %s %s (%s)',
  (_rule, _where, _value, _verdict, { value, good, place }) => {
    expect(place.accepts(value)).toBe(good);
  },
);

test.each(FILES)(
  'a task-definition file with $name gets the same verdict from the deploy and the migration',
  (file) => {
    writeFileSync(join(workspace, 'td.json'), JSON.stringify(file.content));
    const places = [
      input('ecs-deploy-with-circuit-breaker', 'task-definition'),
      input('run-migration-task', 'task-definition'),
    ];
    expect(places.map((place) => place.accepts('td.json'))).toEqual([file.good, file.good]);
  },
);
