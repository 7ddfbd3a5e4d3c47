/**
 * `npm run test:dist`: the suites under test/ (each runs actions the way the runner does) against the committed
 * dist/, once on the pinned Node 24 (the runner's `node24`) and once on the Node running the tests (Node 20 on the
 * project's machines). check-dist proves that dist/ is what the sources build to; this proves dist/ itself works.
 * One runtime alone: `npm run test:dist -- --selectProjects "dist on Node 24"`.
 */
import { typescript, workers } from './jest.config.js';

const runtimes = [
  { node: '24', name: 'dist on Node 24' },
  { node: 'host', name: `dist on Node ${process.versions.node.split('.')[0]} (host)` },
];

export default {
  ...workers,
  // With projects, Jest takes the test timeout from the top level only.
  testTimeout: typescript.testTimeout,
  projects: runtimes.map(({ node, name }) => ({
    ...typescript,
    displayName: name,
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/interop/'],
    globals: { ECS_SHIP_ACTIONS_FROM: 'dist', ECS_SHIP_TEST_NODE: node },
  })),
};
