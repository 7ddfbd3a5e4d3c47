/**
 * `npm test`: every suite, with the actions bundled from the sources once per run (the global setup) and run on
 * Node 24 as the runner runs them. jest.dist.config.js runs the suites under test/ against the committed dist/ on
 * Node 24 and on the Node running the tests; jest.interop.config.js runs the interop suite.
 * Each config spreads `typescript`: a step for every test run goes there (`setupFilesAfterEnv`), or into the global
 * setup (packages/testing/jest/global-setup.mjs) when it is once per run.
 */
export const typescript = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  globalSetup: '<rootDir>/packages/testing/jest/global-setup.mjs',
  globalTeardown: '<rootDir>/packages/testing/jest/global-teardown.mjs',
  // Files marked `@runs-long` start first on a fresh clone, before Jest has timed them (see the file).
  testSequencer: '<rootDir>/packages/testing/jest/sequencer.mjs',
  // Every sandbox a test starts checks its AWS answers against AWS's API models; a violation fails that test.
  setupFilesAfterEnv: ['<rootDir>/packages/sandbox/jest/model-check.ts'],
  // A guard against a hang, not a speed goal: with the workers side by side on a busy machine, a test that runs the
  // example workflows (ten steps, the actions' default poll intervals) takes well over the 20-odd seconds it takes alone.
  testTimeout: 90_000,
};

/**
 * Jest calls a worker that has not exited 500 ms after being told to "failed to exit gracefully", a sign of a test
 * leaving a timer or socket open. Ours stop at once: their listeners are gone and they exit with code 0 within a few
 * milliseconds. But six workers of 300 to 500 MB ending together on two cores take 0.5 to 0.8 s for the system to
 * free their memory, so the warning came up in most runs with nothing leaked. Five seconds is past that, and a worker
 * that really is held open is still reported: a test that leaves an interval running gets the warning.
 */
export const workerExit = { workerGracefulExitTimeout: 5_000 };

/**
 * Each suite runs on its own ports, so suites run side by side; the suites whose runs mostly wait (the fault suites)
 * run their own tests side by side too. Six workers on the two cores: a test's time is part waiting (an action's
 * polls, retries, GitHub's write spacing) and part CPU (each action a Node process of its own). With four workers the
 * cores sat idle while workers waited (2,706 tests in 501 s, 859 s of CPU); with six, 2,712 tests take 354 s (618 s
 * of CPU, 87 % of both cores). Eight are faster still (324 to 341 s) but load the machine so that a test on a scaled
 * clock (a blue/green stage passing between two polls) failed in one of four whole runs. Tests that must see a
 * rollout at each instant run on the sandbox's manual clock rather than racing a scaled one.
 */
export const workers = { maxWorkers: 6, ...workerExit };

export default {
  ...typescript,
  ...workers,
  testMatch: [
    '<rootDir>/test/**/*.test.ts',
    '<rootDir>/packages/*/test/**/*.test.ts',
    '<rootDir>/actions/*/test/**/*.test.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/interop/'],
};
