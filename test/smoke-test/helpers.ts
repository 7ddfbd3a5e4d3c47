import { runAction, readActionMetadata, DEFAULT_SHA, type ActionRun, type RunOptions } from '@ecs-ship/testing';
import { startServer, type Handler, type TestServer } from '@ecs-ship/testing/servers';

export { DEFAULT_SHA };
export type { ActionRun };

const servers: TestServer[] = [];

/** A local server closed after each test. */
export async function server(
  handler: Handler,
  tls?: { key: string; cert: string },
  host?: string,
): Promise<TestServer> {
  const started = await startServer(handler, tls, host);
  servers.push(started);
  return started;
}

export async function closeServers(): Promise<void> {
  await Promise.all(servers.splice(0).map((s) => s.close()));
}

/** Runs the smoke-test bundle as the runner does; the warm-up is off unless a test turns it on. */
/** The inputs every smoke run here starts from: no warm-up wait. */
export const SMOKE_DEFAULTS = { 'wait-for-healthy-seconds': '0' };

export function smoke(inputs: Record<string, string>, options: Omit<RunOptions, 'inputs'> = {}): Promise<ActionRun> {
  return runAction('smoke-test', {
    timeoutMs: 60_000,
    ...options,
    inputs: { ...SMOKE_DEFAULTS, ...inputs },
  });
}

export function inputIds(): string[] {
  return Object.keys(readActionMetadata('smoke-test').inputs ?? {});
}

export interface ReportShape {
  result: string;
  expectedVersion?: string;
  versionsSeen: string[];
  checks: {
    name: string;
    result: string;
    attempts: number;
    statusCodes: Record<string, number>;
    latencyMs?: { p50: number; p95: number; max: number };
    samples?: { count: number; failed: number };
    versionSeen?: string;
    failure?: string;
    failedBeforeHealthy?: { failure: string; count: number }[];
  }[];
}

export function report(run: ActionRun): ReportShape {
  return JSON.parse(run.outputs.report ?? 'null') as ReportShape;
}
