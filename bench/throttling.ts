/**
 * A 12-service deploy (ecs-deploy-with-circuit-breaker, run as the runner runs it) against the sandbox in real time,
 * clean and then under a 20 s storm in which ECS throttles every call from the moment the deploy starts. Throttling
 * is retried until the step's deadline with capped, jittered backoff, so the storm should cost about its own length
 * and no more: goal ≤ 2 × the clean deploy + 20 s. Medians over the runs.
 * Usage: npx tsx bench/throttling.ts [runs]
 */
import { pathToFileURL } from 'node:url';
import { startSandbox, type FaultInput } from '@ecs-ship/sandbox';
import { runAction } from '@ecs-ship/testing';
import { failedFigure, type Figure } from './lib/figures.js';
import { formatMs, median } from './lib/stats.js';

const SERVICES = Array.from({ length: 12 }, (_, i) => `svc-${i + 1}`);
const STORM_SECONDS = 20;

function scenario() {
  return {
    region: 'eu-west-1',
    timeScale: 1,
    ecs: {
      clusters: [{ name: 'bench', containerInstances: 100 }],
      timings: { provisioning: 0.2, activating: 0.2, deactivating: 0.1, stopping: 0.1, deprovisioning: 0.1 },
      images: { 'bench/web:good': { behaviour: 'healthy', startDelay: 1.3, healthyAfter: 0.4 } },
      taskDefinitions: [{ family: 'web', containerDefinitions: [{ name: 'web', image: 'bench/web:1' }] }],
      services: SERVICES.map((serviceName) => ({
        cluster: 'bench',
        serviceName,
        taskDefinition: 'web',
        desiredCount: 1,
      })),
    },
  };
}

/** Wall time of one deploy, from the step's start to its exit; throws unless it succeeded. */
async function deployOnce(storm: FaultInput | undefined): Promise<{ wallMs: number; throttled: number }> {
  const sandbox = await startSandbox({ scenario: scenario() });
  try {
    // The storm's window counts from the scenario's load, which is now: it covers the deploy's first 20 s.
    sandbox.load(scenario());
    if (storm) sandbox.faults.inject(storm);
    const started = performance.now();
    const run = await runAction('ecs-deploy-with-circuit-breaker', {
      inputs: { cluster: 'bench', services: SERVICES.join(','), image: 'bench/web:good', 'poll-interval-seconds': '1' },
      env: sandbox.env(),
      timeoutMs: 300_000,
    });
    const wallMs = performance.now() - started;
    if (run.outputs.result !== 'succeeded') {
      throw new Error(`the deploy ended ${run.outputs.result}: ${run.outputs['failure-reason'] ?? run.stderr}`);
    }
    const throttled = sandbox.recorder.calls().filter((call) => call.errorCode === 'ThrottlingException').length;
    return { wallMs, throttled };
  } finally {
    await sandbox.stop();
  }
}

export async function measureThrottlingStorm(runs: number): Promise<Figure[]> {
  const figure = `12-service deploy under a ${STORM_SECONDS} s throttling storm`;
  const how = `every ECS call throttled for the deploy's first ${STORM_SECONDS} s, vs the same deploy clean (medians of ${runs})`;
  try {
    const clean: number[] = [];
    const stormed: number[] = [];
    const throttled: number[] = [];
    for (let i = 0; i < runs; i++) {
      clean.push((await deployOnce(undefined)).wallMs);
      const storm = await deployOnce({ kind: 'throttle', service: 'ecs', every: 1, until: STORM_SECONDS });
      stormed.push(storm.wallMs);
      throttled.push(storm.throttled);
    }
    const cleanMs = median(clean);
    const stormMs = median(stormed);
    const goalMs = 2 * cleanMs + STORM_SECONDS * 1000;
    return [
      {
        figure,
        how,
        goal: `≤ 2 × clean + ${STORM_SECONDS} s (${formatMs(goalMs)})`,
        measured: `${formatMs(stormMs)} (clean ${formatMs(cleanMs)}; ${median(throttled)} throttled answers)`,
        pass: stormMs <= goalMs,
        values: { cleanMs: clean, stormMs: stormed, throttled },
      },
    ];
  } catch (error) {
    return [failedFigure(figure, how, `≤ 2 × clean + ${STORM_SECONDS} s`, error)];
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const figure of await measureThrottlingStorm(Number(process.argv[2] ?? 1))) {
    console.log(`${figure.figure}: ${figure.measured}; goal ${figure.goal}: ${figure.pass ? 'met' : 'MISSED'}`);
    if (figure.error) console.log(figure.error);
  }
}
