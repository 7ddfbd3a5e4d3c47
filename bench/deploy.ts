/**
 * Speed of ecs-deploy-with-circuit-breaker, measured on the committed bundle as the runner starts it, against the
 * sandbox in real time (timeScale 1):
 * - detection latency: from ECS recording COMPLETED or FAILED (the sandbox's transition log) to the step's exit,
 *   at poll intervals of 1 s and 5 s; target ≤ one poll interval + 0.2 s;
 * - DescribeServices calls per poll for 1, 10 and 50 services (target ⌈services / 10⌉), and in total per deploy;
 * The cold start of every action, this one included, is measured on Node 24 by cold-start.ts.
 * Usage: npx tsx bench/deploy.ts [runs] [--json]   (--json: the figures as one JSON object on stdout, see lib/report.ts)
 */
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { startAction } from '@ecs-ship/testing';
import {
  oneLine,
  scriptOutput,
  type DeployReport,
  type DescribeServicesEntry,
  type DetectionEntry,
  deployReportSchema,
} from './lib/report.js';

const { args, say, report } = scriptOutput();
const runs = Number(args[0] ?? 2);

interface Transition {
  at: number;
  service: string;
  deploymentId: string;
  kind: string;
  value: string;
}

function scenario(services: number) {
  return {
    region: 'eu-west-1',
    timeScale: 1,
    ecs: {
      // An EC2 task definition: its tasks need container instances.
      clusters: [{ name: 'bench', containerInstances: 100 }],
      timings: { provisioning: 0.2, activating: 0.2, deactivating: 0.1, stopping: 0.1, deprovisioning: 0.1 },
      images: {
        'bench/web:good': { behaviour: 'healthy', startDelay: 1.3, healthyAfter: 0.4 },
        'bench/web:bad': {
          behaviour: 'fails-to-start',
          startDelay: 0.7,
          reason: 'CannotPullContainerError: not found',
        },
      },
      taskDefinitions: [{ family: 'web', containerDefinitions: [{ name: 'web', image: 'bench/web:1' }] }],
      services: Array.from({ length: services }, (_, i) => ({
        cluster: 'bench',
        serviceName: `svc-${i + 1}`,
        taskDefinition: 'web',
        desiredCount: 1,
      })),
    },
  };
}

function transitions(sandbox: Sandbox): Transition[] {
  return sandbox.state('ecs').transitions;
}

async function deployOnce(sandbox: Sandbox, services: number, image: string, pollSeconds: number) {
  const names = Array.from({ length: services }, (_, i) => `svc-${i + 1}`);
  const handle = startAction('ecs-deploy-with-circuit-breaker', {
    inputs: {
      cluster: 'bench',
      services: names.join(','),
      image,
      'poll-interval-seconds': String(pollSeconds),
      'wait-for-rollback': 'false',
    },
    env: sandbox.env(),
    timeoutMs: 120_000,
  });
  let exitedAt = 0;
  handle.child.once('exit', () => (exitedAt = Date.now()));
  const run = await handle.result;
  return { run, exitedAt };
}

async function detection(pollSeconds: number, outcome: 'COMPLETED' | 'FAILED'): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < runs; i++) {
    const sandbox = await startSandbox({ scenario: scenario(1) });
    try {
      const image = outcome === 'COMPLETED' ? 'bench/web:good' : 'bench/web:bad';
      const { run, exitedAt } = await deployOnce(sandbox, 1, image, pollSeconds);
      const ids = JSON.parse(run.outputs['deployment-ids'] ?? '{}') as Record<string, string>;
      const recorded = transitions(sandbox).find(
        (t) => t.kind === 'rolloutState' && t.deploymentId === ids['svc-1'] && t.value === outcome,
      );
      if (!recorded) throw new Error(`no ${outcome} transition recorded; the step said: ${run.outputs.result}`);
      latencies.push(exitedAt - recorded.at);
    } finally {
      await sandbox.stop();
    }
  }
  return latencies;
}

async function describeServicesCalls(
  services: number,
): Promise<{ first: number; max: number; expected: number; polls: number; total: number }> {
  const sandbox = await startSandbox({ scenario: scenario(services) });
  try {
    const { run } = await deployOnce(sandbox, services, 'bench/web:good', 1);
    if (run.outputs.result !== 'succeeded') throw new Error(`deploy of ${services} services: ${run.outputs.result}`);
    // A fresh sandbox per deploy: every DescribeServices it recorded belongs to this deploy.
    const all = sandbox.recorder.calls().filter((c) => c.operation === 'DescribeServices');
    // The watch's calls come in bursts, one burst per poll; the two checks before any change come first.
    const firstUpdate = sandbox.recorder.calls().find((c) => c.operation === 'UpdateService')!.at;
    const describes = all.filter((c) => c.at > firstUpdate);
    const bursts: number[][] = [];
    for (const call of describes) {
      const last = bursts.at(-1);
      if (last && call.at - last[0]! < 300) last.push(call.at);
      else bursts.push([call.at]);
    }
    return {
      first: bursts[0]?.length ?? 0,
      max: Math.max(...bursts.map((b) => b.length)),
      expected: Math.ceil(services / 10),
      polls: bursts.length,
      total: all.length,
    };
  } finally {
    await sandbox.stop();
  }
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

say(`ecs-deploy-with-circuit-breaker (${runs} run(s) per figure)`);
const detectionEntries: DetectionEntry[] = [];
for (const pollSeconds of [1, 5]) {
  const entry: DetectionEntry = { pollSeconds };
  try {
    for (const outcome of ['COMPLETED', 'FAILED'] as const) {
      const latencies = await detection(pollSeconds, outcome);
      entry[outcome === 'COMPLETED' ? 'completedMs' : 'failedMs'] = latencies;
      const worst = Math.max(...latencies);
      const target = pollSeconds * 1000 + 200;
      say(
        `detection of ${outcome.padEnd(9)} at poll ${pollSeconds} s: ${latencies.map(fmt).join(', ')} (worst ${fmt(worst)}; target ≤ ${fmt(target)}: ${worst <= target ? 'met' : 'MISSED'})`,
      );
    }
    detectionEntries.push(entry);
  } catch (error) {
    // The other figures are still worth measuring; this one says why it is missing.
    detectionEntries.push({ pollSeconds, error: oneLine(error) });
    say(`detection at poll ${pollSeconds} s: not measured: ${oneLine(error)}`);
    process.exitCode = 1;
  }
}
const callEntries: DescribeServicesEntry[] = [];
for (const services of [1, 10, 50]) {
  try {
    const { first, max, expected, polls, total } = await describeServicesCalls(services);
    callEntries.push({ services, firstPoll: first, maxPerPoll: max, polls, total });
    say(
      `DescribeServices per poll with ${String(services).padStart(2)} service(s): ${first} on the first poll, at most ${max} over ${polls} poll(s), ${total} in the whole deploy (target ${expected} per poll: ${max <= expected && first === expected ? 'met' : 'MISSED'})`,
    );
  } catch (error) {
    callEntries.push({ services, error: oneLine(error) });
    say(`DescribeServices with ${services} service(s): not measured: ${oneLine(error)}`);
    process.exitCode = 1;
  }
}

const deployReport: DeployReport = {
  runs,
  detection: detectionEntries,
  describeServices: callEntries,
};
report(deployReportSchema, deployReport);
