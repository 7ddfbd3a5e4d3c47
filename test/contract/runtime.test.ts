/**
 * The harness runs what the test run asks for: the bundles built from the sources (`npm test`) or the committed
 * dist/ (`npm run test:dist`), on the pinned Node 24 (the runner's `node24`) or on the tests' own Node.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION_NAMES, bundlePath, nodeChoice, nodeRuntime, repoRoot, runAction } from '@ecs-ship/testing';

const fromDist = (globalThis as { ECS_SHIP_ACTIONS_FROM?: string }).ECS_SHIP_ACTIONS_FROM === 'dist';

test(`every action runs from ${fromDist ? 'the committed dist/' : 'the bundles built from the sources'}`, () => {
  const folder = fromDist ? join(repoRoot, 'dist') : process.env.ECS_SHIP_TEST_BUNDLES;
  expect(folder).toEqual(expect.any(String));
  for (const name of ACTION_NAMES) {
    expect([name, bundlePath(name).startsWith(`${folder}/`)]).toEqual([name, true]);
    expect([name, existsSync(bundlePath(name))]).toEqual([name, true]);
  }
});

test(`actions run on ${nodeChoice() === '24' ? 'Node 24' : `the tests' own Node, ${process.version}`}`, async () => {
  const run = await runAction(join(repoRoot, 'test', 'contract', 'fixtures', 'node-version'));
  expect(run.exitCode).toBe(0);
  expect(run.outputs.version).toBe(nodeRuntime().version);
  expect(run.outputs.version).toMatch(nodeChoice() === '24' ? /^v24\./ : new RegExp(`^${process.version}$`));
});
