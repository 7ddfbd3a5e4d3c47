/**
 * The three Jest configurations (`npm test`, `npm run test:dist`, `npm run test:interop`) as Jest itself reads them:
 * every run orders its files with the long runs first, waits long enough for six large workers to end before calling
 * one leaked, and none carries an option Jest ignores where it stands (Jest only warns, and the option is lost).
 */
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { readConfigs } from 'jest-config';
import { repoRoot } from '@ecs-ship/testing';

const CONFIGS = ['jest.config.js', 'jest.dist.config.js', 'jest.interop.config.js'];

test.each(CONFIGS)('%s: long runs first, time for workers to end, no option Jest ignores', async (file) => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    const { globalConfig } = await readConfigs({ $0: 'jest', _: [], config: join(repoRoot, file) }, [repoRoot]);
    expect(globalConfig.testSequencer).toBe(join(repoRoot, 'packages', 'testing', 'jest', 'sequencer.mjs'));
    expect(globalConfig.workerGracefulExitTimeout).toBe(5_000);
    expect(warn.mock.calls.map((call) => String(call[0]))).toEqual([]);
  } finally {
    warn.mockRestore();
  }
});
