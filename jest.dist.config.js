/**
 * `npm run test:dist`: the suites under test/ (each runs actions the way the runner does) against the committed
 * dist/ on the pinned Node 24, the runtime `runs.using: node24` gets on hosted runners; and the contract suites
 * (every bundle started as the runner starts it, its inputs, outputs, log groups and local run) on the Node running
 * the tests (Node 20 on the project's machines), which proves the bundles still load and speak the runner's protocol
 * there without running every scenario a second time. check-dist proves that dist/ is what the sources build to;
 * this proves dist/ itself works. One runtime alone: `npm run test:dist -- --selectProjects "dist on Node 24"`.
 */
import { typescript, workers } from './jest.config.js';

// The order of test files is the run's, not a project's: Jest takes the sequencer from the top level only.
const { testSequencer, ...project } = typescript;

const runtimes = [
  { node: '24', name: 'dist on Node 24', suites: '<rootDir>/test/**/*.test.ts' },
  {
    node: 'host',
    name: `dist on Node ${process.versions.node.split('.')[0]} (host)`,
    suites: '<rootDir>/test/contract/**/*.test.ts',
  },
];

export default {
  ...workers,
  // With projects, Jest takes the test timeout from the top level only.
  testTimeout: typescript.testTimeout,
  testSequencer,
  projects: runtimes.map(({ node, name, suites }) => ({
    ...project,
    displayName: name,
    testMatch: [suites],
    testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/interop/'],
    globals: { ECS_SHIP_ACTIONS_FROM: 'dist', ECS_SHIP_TEST_NODE: node },
  })),
};
