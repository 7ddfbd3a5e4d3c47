/**
 * `npm test`: every suite, with the actions bundled from the sources once per run (the global setup) and run on
 * Node 24 as the runner runs them. jest.dist.config.js runs the suites under test/ against the committed dist/ on
 * Node 24 and on the Node running the tests; jest.interop.config.js runs the interop suite.
 * To add a step to every run, add it to the global setup (packages/testing/jest/global-setup.mjs) or list a file in
 * `setupFiles` below; each config spreads this one.
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
  setupFiles: [],
  testTimeout: 30000,
};

export default {
  ...typescript,
  testMatch: [
    '<rootDir>/test/**/*.test.ts',
    '<rootDir>/packages/*/test/**/*.test.ts',
    '<rootDir>/actions/*/test/**/*.test.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/interop/'],
};
