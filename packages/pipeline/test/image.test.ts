// The config's build and push-archive sections turned into what the ecr publisher takes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@ecs-ship/pipeline';
import { prepareImageOrigin } from '../src/image.js';
import { publishSettings } from '../src/options.js';

const SHA = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';
let workspace: string;

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'pipeline-image-'));
  mkdirSync(join(workspace, 'app'));
  writeFileSync(join(workspace, 'app', 'Dockerfile'), 'FROM scratch\n');
  writeFileSync(join(workspace, 'image.tar'), '');
});
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

function image(lines: string) {
  const text = `environments:\n  staging:\n    cluster: c\n    services: [web]\n    image:\n      repository: shop\n${lines
    .trim()
    .split('\n')
    .map((line) => `      ${line.trim()}`)
    .join('\n')}\n`;
  return loadConfig('ecs-release.yml', text).environments.staging!.image;
}

test('a build: paths resolved in the workspace, default labels first, booleans as buildx writes them', () => {
  const config = image(`
    source: build
    context: app
    file: app/Dockerfile
    labels: { org.opencontainers.image.source: https://example.com/shop, team: shop }
    provenance: false
    cache-to: []
  `);
  const origin = prepareImageOrigin(config, 'staging', SHA, {
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'acme/shop',
  });
  expect(origin).toEqual({
    mode: 'build',
    build: {
      context: join(workspace, 'app'),
      file: join(workspace, 'app', 'Dockerfile'),
      platforms: [],
      buildArgs: new Map(),
      secrets: new Map(),
      labels: new Map([
        ['org.opencontainers.image.revision', SHA],
        ['org.opencontainers.image.source', 'https://example.com/shop'],
        ['team', 'shop'],
      ]),
      cacheTo: [],
      provenance: 'false',
    },
  });
  expect(publishSettings(config, origin!, [SHA], SHA)).toMatchObject({
    repository: { name: 'shop', create: false },
    tags: [SHA],
    skipExisting: true,
    revision: SHA,
    scanTimeoutMs: 600_000,
  });
});

test('a remote build context is handed to buildx as it is, unchecked', () => {
  const origin = prepareImageOrigin(
    image(`
      source: build
      context: https://github.com/acme/shop.git#main
    `),
    'staging',
    SHA,
    { GITHUB_WORKSPACE: workspace },
  );
  expect(origin?.mode === 'build' && origin.build.context).toBe('https://github.com/acme/shop.git#main');
});

test('a push-archive: the archive in the workspace, chunk size in MiB, mount sources, scan threshold', () => {
  const config = image(`
    source: push-archive
    archive: image.tar
    mount-from: [shared/base]
    chunk-size-mib: 8
    skip-existing: false
    fail-on-severity: HIGH
    scan-timeout-minutes: 2
  `);
  const origin = prepareImageOrigin(config, 'staging', SHA, { GITHUB_WORKSPACE: workspace });
  expect(origin).toEqual({
    mode: 'push-archive',
    archive: { path: join(workspace, 'image.tar'), mountFrom: ['shared/base'], chunkSize: 8 * 1024 * 1024 },
  });
  expect(publishSettings(config, origin!, ['v1'], SHA)).toMatchObject({
    skipExisting: false,
    failOnSeverity: 'HIGH',
    scanTimeoutMs: 120_000,
  });
});

test('promote needs nothing prepared', () => {
  expect(prepareImageOrigin(image('source: promote'), 'staging', SHA, {})).toBeUndefined();
});

test.each([
  [
    'chunk-size-mib: 4',
    'source: push-archive\narchive: image.tar',
    /chunk-size-mib: use a whole number from 5 to 1024/,
  ],
  ['skip-existing: false', 'source: promote', /skip-existing: applies to source build or push-archive, not promote/],
  [
    "secret-env: { token: 'not a variable' }",
    'source: build\ncontext: app',
    /secret-env\.token: use letters, digits and _.*"not a variable" is not an environment variable name/,
  ],
  [
    "labels: { '-bad': x }",
    'source: build\ncontext: app',
    /labels\.-bad: use letters, .*"-bad" is not a valid label key/,
  ],
  ['provenance: always', 'source: build\ncontext: app', /provenance/],
])('the config refuses %s', (key, rest, message) => {
  expect(() => image(`${rest}\n${key}`)).toThrow(message);
});
