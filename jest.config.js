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
  // Every sandbox a test starts checks its AWS answers against AWS's API models; a violation fails that test.
  setupFilesAfterEnv: ['<rootDir>/packages/sandbox/jest/model-check.ts'],
  // A guard against a hang, not a speed goal: with the workers side by side on a busy machine, a test that runs the
  // example workflows (ten steps, the actions' default poll intervals) takes well over the 20-odd seconds it takes alone.
  testTimeout: 90_000,
};

/**
 * Each suite runs on its own ports, so suites run side by side; the suites whose runs mostly wait (the fault suites)
 * run their own tests side by side too. Four workers on the two cores: most of a test's time is spent waiting on an
 * action's polls, retries and GitHub's write spacing, so with two workers the cores sat half idle (808 s for the
 * suite); with four the suite is bound by CPU instead (2,647 tests in 516 s, 906 s of CPU, all passing). Tests that
 * must see a rollout at each instant run on the sandbox's manual clock rather than racing a scaled one.
 */
export const workers = { maxWorkers: 4 };

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
