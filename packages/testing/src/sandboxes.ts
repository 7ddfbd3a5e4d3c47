/**
 * Sandboxes for tests that run at the same time (`test.concurrent`): each test starts its own, on a port of its own,
 * so that one test's scenario, faults and recorder are never another's. Every sandbox a file started stops after
 * the file (Jest runs no `afterEach` around concurrent tests).
 */
import { startSandbox, type Sandbox, type ScenarioSource } from '@ecs-ship/sandbox';

export interface SandboxPerTest {
  /** Starts a sandbox with this scenario, for one test. */
  start(scenario?: ScenarioSource): Promise<Sandbox>;
}

/** Call once at the top of a test file. */
export function sandboxPerTest(): SandboxPerTest {
  const started: Sandbox[] = [];
  afterAll(async () => {
    await Promise.all(started.splice(0).map((sandbox) => sandbox.stop()));
  });
  return {
    async start(scenario) {
      const sandbox = await startSandbox({ scenario });
      started.push(sandbox);
      return sandbox;
    },
  };
}
