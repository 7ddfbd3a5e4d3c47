/** The interop suite: drives the sandbox and what it serves with tools nobody here wrote (AWS CLI, skopeo, a real registry, Chromium). */
import { typescript, workerExit } from './jest.config.js';

export default {
  ...typescript,
  ...workerExit,
  testMatch: ['<rootDir>/test/interop/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120000,
};
