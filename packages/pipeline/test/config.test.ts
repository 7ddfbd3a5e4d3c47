import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, renderTemplate } from '@ecs-ship/pipeline';
import {
  CHECKS_SCHEMA_PATH,
  RELEASE_SCHEMA_PATH,
  renderChecksSchema,
  renderReleaseSchema,
} from '../src/write-schema.js';

const minimal = `
environments:
  staging:
    cluster: shop-staging
    services: [web, { name: worker, containers: [app] }]
    image: { repository: shop, source: promote }
`;

describe('the release config', () => {
  test('a minimal config fills in the defaults', () => {
    const config = loadConfig('ecs-release.yml', minimal);
    const staging = config.environments.staging!;
    expect(staging.services).toEqual([
      { name: 'web', containers: undefined },
      { name: 'worker', containers: ['app'] },
    ]);
    expect(staging.image.tags).toEqual(['{sha}']);
    expect(staging.image.from).toBe('{sha}');
    expect(staging.deploy).toEqual({
      'circuit-breaker': 'rollback',
      alarms: [],
      'diagnose-tasks': 3,
      'diagnose-log-lines': 30,
      environment: {},
      secrets: {},
      'timeout-minutes': 30,
      'watch-minutes': 0,
      'watch-metrics': [],
    });
  });

  test.each([
    ['not yaml', 'environments: [', /is not valid YAML/],
    ['unknown key', `${minimal}    colour: blue\n`, /environments\.staging: "colour" is not a key here/],
    [
      'a misspelt key, with the closest known key',
      `${minimal}    deploy: { timeout-minute: 10 }\n`,
      /environments\.staging\.deploy: "timeout-minute" is not a key here \(did you mean "timeout-minutes"\?\)/,
    ],
    [
      'a key given twice, named by its path',
      `${minimal}    deploy:\n      timeout-minutes: 5\n      timeout-minutes: 6\n`,
      /^ecs-release\.yml gives environments\.staging\.deploy\.timeout-minutes twice \(lines 8 and 9\)\. Remove one of them\.$/,
    ],
    [
      'a duration echoed in the unit typed',
      `${minimal}    deploy: { timeout-minutes: 10000 }\n`,
      /deploy\.timeout-minutes: 10000 minutes is above the maximum 1440 minutes/,
    ],
    [
      'a poll interval longer than the timeout',
      `${minimal}    deploy: { timeout-minutes: 0.5, poll-interval-seconds: 120 }\n`,
      /deploy\.poll-interval-seconds: use at most 30 seconds, or raise "timeout-minutes" \(120 seconds is longer than the whole wait/,
    ],
    [
      'a poll interval longer than the migration timeout',
      `${minimal}    migration: { task-definition: m, timeout-minutes: 1, poll-interval-seconds: 90 }\n`,
      /migration\.poll-interval-seconds: use at most 60 seconds/,
    ],
    [
      'a refused name, with the rule it breaks',
      minimal.replace('staging:', '"prod env":'),
      /"prod env" is not an environment name: it contains a space, and only letters, digits, "\.", "_" and "-" are allowed/,
    ],
    ['bad service name', minimal.replace('[web,', '["web site",'), /services\.0/],
    [
      'unknown placeholder',
      `${minimal.replace('source: promote }', 'source: promote, tags: ["{branch}"] }')}`,
      /placeholders/,
    ],
    ['build without context', minimal.replace('source: promote', 'source: build'), /context: a build needs a context/],
    [
      'two snapshot sources',
      `${minimal}    migration:\n      task-definition: m\n      snapshot: { db-instance: a, db-cluster: b }\n`,
      /exactly one of db-instance and db-cluster/,
    ],
    [
      'a snapshot both on its own and under the migration',
      `${minimal}    snapshot: { db-instance: a }\n    migration:\n      task-definition: m\n      snapshot: { db-instance: a }\n`,
      /staging\.snapshot: it is given together with migration\.snapshot/,
    ],
    [
      'a snapshot of nothing',
      `${minimal}    snapshot: {}\n`,
      /snapshot: name exactly one of db-instance and db-cluster/,
    ],
    ['bad region', `${minimal}    region: Europe\n`, /region: use an AWS region/],
    [
      'a smoke check with an unknown method',
      `${minimal}    smoke: { checks: [{ url: /health, method: FETCH }] }\n`,
      /smoke\.checks\.0\.method: "FETCH" is not supported/,
    ],
    [
      'a header read from a variable that cannot be one',
      `${minimal}    smoke: { checks: [{ url: /health, headers: { X-Key: { env: 1KEY } } }] }\n`,
      /smoke\.checks\.0\.headers\.X-Key\.env: "1KEY" is not an environment variable name/,
    ],
  ])('%s is refused with the key named', (_, text, message) => {
    expect(() => loadConfig('ecs-release.yml', text)).toThrow(ConfigError);
    expect(() => loadConfig('ecs-release.yml', text)).toThrow(message);
  });

  test('a snapshot on its own, without a migration, with its defaults', () => {
    const staging = loadConfig('ecs-release.yml', `${minimal}    snapshot: { db-cluster: shop-aurora }\n`).environments
      .staging!;
    expect(staging.snapshot).toEqual({
      'db-cluster': 'shop-aurora',
      id: 'pre-release-{env}-{date}-{time}-{sha7}',
      'timeout-minutes': 60,
    });
    expect(staging.migration).toBeUndefined();
  });

  test('the published JSON schemas are up to date (npm run schema)', async () => {
    expect(readFileSync(RELEASE_SCHEMA_PATH, 'utf8')).toBe(await renderReleaseSchema());
    expect(readFileSync(CHECKS_SCHEMA_PATH, 'utf8')).toBe(await renderChecksSchema());
  });

  test('the release schema documents the smoke checks down to their expectations', async () => {
    const text = await renderReleaseSchema();
    for (const key of ['"verify-version"', '"body-matches"', '"max-latency-ms"', '"prefix"'])
      expect(text).toContain(key);
  });

  test('templates fill every placeholder', () => {
    const at = new Date('2026-11-23T09:08:07Z');
    expect(
      renderTemplate('{env}-{date}-{time}-{sha7}-{run}-{sha}', { env: 'prod', sha: 'abcdef1234', at, run: '9' }),
    ).toBe('prod-2026-11-23-090807-abcdef1-9-abcdef1234');
  });
});
