/**
 * GitHub writes that GitHub would happily repeat: a deployment record and a deployment status. When the answer to one
 * is lost after it took effect (a dropped connection or a 5xx after the write), tag-release looks for what its first
 * attempt made before sending it again, so the environment shows one deployment with one status, not two.
 */
import { createHash } from 'node:crypto';
import { jest } from '@jest/globals';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { runAction } from '@ecs-ship/testing';

jest.setTimeout(120_000);

const SHA = createHash('sha1').update('write-once').digest('hex');
const WORLD = {
  github: {
    repository: 'acme/shop',
    tokens: [
      { token: 'ghs_writeOnce00000000000000000000000000', permissions: { contents: 'write', deployments: 'write' } },
    ],
    commits: [{ sha: SHA, message: 'fix: totals', author: 'bob' }],
  },
};

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: WORLD });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(WORLD));

describe.each([
  ['a dropped connection', 'reset'],
  ['a 5xx', 'error'],
] as const)('after %s that lost the answer', (_label, kind) => {
  test.each(['repos.createDeployment', 'repos.createDeploymentStatus'])(
    '%s: one deployment record, one status',
    async (operation) => {
      sandbox.faults.inject({ kind, service: 'github', operation, after: true, count: 1 });
      const run = await runAction('tag-release', {
        inputs: { sha: SHA, tag: 'v2.0.0', 'deployment-environment': 'production' },
        env: sandbox.env(),
        timeoutMs: 90_000,
      });
      if (run.exitCode !== 0) throw new Error(`tag-release failed:\n${run.stdout}\n${run.stderr}`);
      const lost = sandbox.recorder.calls().filter((call) => call.fault === `${kind} after`);
      expect(lost.map((call) => call.operation)).toEqual([operation]);
      const deployments = sandbox.state('github').deployments;
      expect(deployments).toHaveLength(1);
      expect(deployments[0]!.statuses.map((status) => status.state)).toEqual(['success']);
      expect(run.outputs['deployment-id']).toBe(String(deployments[0]!.id));
      expect(run.lines.some((line) => /was lost \(\d{3}\), but it took effect: not sending it again/.test(line))).toBe(
        true,
      );
    },
  );
});
