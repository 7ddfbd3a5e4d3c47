/** The interop suite: drives the sandbox with clients nobody here wrote (AWS CLI, skopeo, a real registry). */
import { typescript } from './jest.config.js';

export default {
  ...typescript,
  testMatch: ['<rootDir>/test/interop/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120000,
};
