/**
 * The contract every action keeps with the runner and with its users, checked on the bundles the harness runs (built
 * from the sources by `npm test`, the committed dist/ by `npm run test:dist`): complete metadata, every declared
 * input read on every run, bad input refused with an error naming it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  ACTION_NAMES,
  actionYamlPath,
  bundlePath,
  nodeRuntime,
  readActionMetadata,
  runAction,
} from '@ecs-ship/testing';
import { inputErrors } from '@ecs-ship/testing/input-check';

/** Inputs that take one of a fixed set of values, per action, with a value each must refuse. */
const ENUM_INPUTS: Record<string, string[]> = {
  'ecs-deploy-with-circuit-breaker': ['circuit-breaker', 'on-timeout', 'mode'],
  'run-migration-task': ['launch-type'],
  'rds-snapshot': ['mode'],
  'rds-restore': [],
  'build-push-ecr': ['mode', 'tag-mutability', 'encryption'],
  'smoke-test': [],
  'tag-release': ['bump', 'make-latest', 'deployment-state'],
  'notify-slack': ['status'],
  release: [],
};

test('every action has an action.yml', () => {
  expect(ACTION_NAMES.filter((name) => !existsSync(actionYamlPath(name)))).toEqual([]);
});

const present = ACTION_NAMES.filter((name) => existsSync(actionYamlPath(name)));

function tryReadMetadata(name: string): ReturnType<typeof readActionMetadata> | Error {
  try {
    return readActionMetadata(name);
  } catch (error) {
    return error as Error;
  }
}

const broken = present.filter((name) => tryReadMetadata(name) instanceof Error);

test('every action.yml is valid YAML', () => {
  expect(broken.map((name) => `${name}: ${(tryReadMetadata(name) as Error).message.split('\n')[0]}`)).toEqual([]);
});

describe.each(present.filter((name) => !broken.includes(name)).map((name) => [name]))('%s', (name) => {
  const metadata = readActionMetadata(name);
  const inputs = Object.entries(metadata.inputs ?? {});
  const required = inputs.filter(([, input]) => input.required && input.default === undefined).map(([id]) => id);
  const booleans = inputs.filter(([, input]) => ['true', 'false'].includes(String(input.default))).map(([id]) => id);

  test('action.yml is complete metadata for node24', () => {
    expect(metadata.name).toEqual(expect.any(String));
    expect(metadata.description).toEqual(expect.any(String));
    expect(metadata.author).toEqual(expect.any(String));
    expect(metadata.branding?.icon).toEqual(expect.any(String));
    expect(metadata.branding?.color).toEqual(expect.any(String));
    for (const [id, input] of inputs) {
      expect([id, typeof input.description]).toEqual([id, 'string']);
      expect(id).toMatch(/^[a-z][a-z0-9-]*$/);
    }
    for (const [id, output] of Object.entries(metadata.outputs ?? {})) {
      expect([id, typeof output.description]).toEqual([id, 'string']);
    }
    expect(metadata.runs.using).toBe('node24');
    const expectedMain = name === 'release' ? 'dist/release/index.js' : `../../dist/${name}/index.js`;
    expect(metadata.runs.main).toBe(expectedMain);
    for (const entry of [metadata.runs.main, metadata.runs.post].filter(Boolean) as string[]) {
      expect(existsSync(resolve(dirname(actionYamlPath(name)), entry))).toBe(true);
    }
  });

  test('a run without inputs reads every declared input and names each missing required one', async () => {
    const run = await runAction(name, {});
    expect(run.exitCode).toBe(1);
    expect(run.inputsRead.sort()).toEqual(inputs.map(([id]) => id).sort());
    for (const id of required) expect(run.errors.some((message) => message.includes(`Input "${id}"`))).toBe(true);
    expect(run.errors.every((message) => !message.includes('\n'))).toBe(true);
    expect(run.outputs).toEqual({});
  });

  // The run above proves that the entry checks its inputs first and exits 1 on a refusal; these go through that
  // same input check in this process.
  for (const id of booleans)
    test(`a malformed boolean in "${id}" is refused`, () => {
      const errors = inputErrors(name, { inputs: { [id]: 'yes' } });
      expect(errors.some((message) => message.startsWith(`Input "${id}": "yes" is not a boolean`))).toBe(true);
    });

  for (const id of ENUM_INPUTS[name] ?? [])
    test(`a value outside the choices of "${id}" is refused`, () => {
      const errors = inputErrors(name, { inputs: { [id]: 'no-such-choice' } });
      expect(errors.some((message) => message.startsWith(`Input "${id}": "no-such-choice" is not one of`))).toBe(true);
    });

  test('node on the bundle with no environment at all exits 1 with an ::error::', () => {
    const result = spawnSync(nodeRuntime().path, [bundlePath(name)], {
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^::error::Input "/m);
  });
});
