// Jest setup (setupFilesAfterEnv): every sandbox a test starts checks each AWS exchange against AWS's own API models
// (botocore), and a violation fails the test whose requests caused it, naming the operation and the path.
import { afterAll, afterEach } from '@jest/globals';
import { assertNoModelViolations, CHECK_VARIABLE, writeLiveCoverage } from '../src/index.js';

process.env[CHECK_VARIABLE] ??= 'models';

afterEach(assertNoModelViolations);
// Calls made in beforeAll/afterAll hooks, or after the last test.
afterAll(() => {
  writeLiveCoverage();
  assertNoModelViolations();
});
