/**
 * Speed of run-migration-task, measured on the committed bundle as the runner starts it, against the sandbox:
 * - log lag: from a line reaching CloudWatch Logs (its ingestion time) to the step printing it; target ≤ one poll
 *   interval;
 * - STOPPED detection: from the task stopping (ECS's stoppedAt) to the step printing that it stopped; target
 *   ≤ one poll interval + 0.2 s;
 * - cancellation: from SIGTERM to the StopTask call reaching ECS; target ≤ 2 s.
 * Usage: npx tsx bench/migration.ts [runs] [poll-interval-seconds] [--json]
 *   (--json: the figures as one JSON object on stdout, see lib/report.ts)
 */
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { startAction } from '@ecs-ship/testing';
import { scriptOutput, type MigrationReport, migrationReportSchema } from './lib/report.js';

const { args, say, report } = scriptOutput();
const runs = Number(args[0] ?? 3);
const pollSeconds = Number(args[1] ?? 1);
const POLL_MS = pollSeconds * 1000;
const CLUSTER = 'bench';

const scenario = {
  region: 'eu-west-1',
  timeScale: 1,
  ecs: {
    // RunTask without a launch type runs on EC2: the cluster needs a container instance.
    clusters: [{ name: CLUSTER, containerInstances: 2 }],
    timings: { provisioning: 0.3, activating: 0.3, deactivating: 0.2, stopping: 0.2, deprovisioning: 0.2 },
    images: {
      // 400 lines in 20 batches over 8 s: a batch every 0.4 s, so lines arrive at every phase of a poll.
      'bench/migrate:paced': { startDelay: 0.5, duration: 8, exitCode: 0, generatedLines: 400 },
      'bench/migrate:forever': { startDelay: 0.5, duration: 100_000, logLines: ['waiting'] },
    },
    taskDefinitions: [
      {
        family: 'bench-migrate',
        containerDefinitions: [
          {
            name: 'app',
            image: 'bench/migrate:paced',
            logConfiguration: {
              logDriver: 'awslogs',
              options: { 'awslogs-group': '/ecs/bench', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'm' },
            },
          },
        ],
      },
    ],
  },
};

interface Timed {
  line: string;
  at: number;
}

function start(sandbox: Sandbox, image: string) {
  const handle = startAction('run-migration-task', {
    timeoutMs: 120_000,
    env: sandbox.env(),
    inputs: {
      cluster: CLUSTER,
      'task-definition': 'bench-migrate',
      image,
      'poll-interval-seconds': String(pollSeconds),
      'timeout-minutes': '5',
    },
  });
  // Our own timestamps, taken as the chunks arrive.
  const timed: Timed[] = [];
  let partial = '';
  handle.child.stdout!.on('data', (chunk: Buffer | string) => {
    const at = Date.now();
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) timed.push({ line, at });
  });
  return { handle, timed };
}

async function measureRun(sandbox: Sandbox): Promise<{ lags: number[]; stoppedLag: number }> {
  sandbox.load(scenario);
  const { handle, timed } = start(sandbox, 'bench/migrate:paced');
  const run = await handle.result;
  if (run.exitCode !== 0) throw new Error(`The run failed:\n${run.stdout}`);
  const taskArn = run.outputs['task-arn']!;
  const taskId = taskArn.split('/').at(-1)!;

  const env = sandbox.env();
  const logs = new CloudWatchLogsClient({
    region: 'eu-west-1',
    endpoint: sandbox.url,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
  });
  const ingested = new Map<string, number>();
  let token: string | undefined;
  for (;;) {
    const page = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/bench',
        logStreamName: `m/app/${taskId}`,
        startFromHead: true,
        nextToken: token,
      }),
    );
    for (const event of page.events ?? []) ingested.set(event.message!, event.ingestionTime!);
    if (!page.nextForwardToken || page.nextForwardToken === token) break;
    token = page.nextForwardToken;
  }
  const lags = timed.filter((t) => ingested.has(t.line)).map((t) => t.at - ingested.get(t.line)!);
  if (lags.length !== ingested.size) throw new Error(`Printed ${lags.length} of ${ingested.size} lines`);

  const { ECSClient, DescribeTasksCommand } = await import('@aws-sdk/client-ecs');
  const ecs = new ECSClient({
    region: 'eu-west-1',
    endpoint: sandbox.url,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
  });
  const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [taskArn] }));
  const stoppedAt = tasks![0]!.stoppedAt!.getTime();
  const printed = timed.find((t) => t.line === `Task ${taskId} is STOPPED`)!.at;
  return { lags, stoppedLag: printed - stoppedAt };
}

async function measureCancel(sandbox: Sandbox): Promise<number> {
  sandbox.load(scenario);
  const { handle } = start(sandbox, 'bench/migrate:forever');
  await handle.waitForLine(/ is RUNNING$/, 30_000);
  const killedAt = Date.now();
  handle.kill('SIGTERM');
  await handle.result;
  const stop = sandbox.recorder.calls({ operation: 'StopTask' })[0];
  if (!stop) throw new Error('No StopTask after SIGTERM');
  return stop.at - killedAt;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({ scenario });
  const lags: number[] = [];
  const stopped: number[] = [];
  const cancels: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const run = await measureRun(sandbox);
      lags.push(...run.lags);
      stopped.push(run.stoppedLag);
      cancels.push(await measureCancel(sandbox));
    }
  } finally {
    await sandbox.stop();
  }
  const lagMax = Math.max(...lags);
  const stoppedMax = Math.max(...stopped);
  const cancelMax = Math.max(...cancels);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');
  const migrationReport: MigrationReport = {
    runs,
    pollSeconds,
    logLag: {
      lines: lags.length,
      p50Ms: Math.round(percentile(lags, 50)),
      p95Ms: Math.round(percentile(lags, 95)),
      maxMs: Math.round(lagMax),
    },
    stopped: { samplesMs: stopped.map(Math.round) },
    cancellation: { samplesMs: cancels.map(Math.round) },
  };
  const { logLag } = migrationReport;
  const listed = (samples: number[]) => samples.map((ms) => `${ms} ms`).join(', ');
  say(`run-migration-task: ${runs} runs, poll interval ${pollSeconds} s, bundle against the sandbox`);
  say(
    `  log lag (ingested → printed), ${logLag.lines} lines: p50 ${logLag.p50Ms} ms, p95 ${logLag.p95Ms} ms, max ${logLag.maxMs} ms; target ≤ ${POLL_MS} ms: ${verdict(lagMax <= POLL_MS)}`,
  );
  say(
    `  STOPPED detection (stoppedAt → printed): ${listed(migrationReport.stopped.samplesMs)}; target ≤ ${POLL_MS + 200} ms: ${verdict(stoppedMax <= POLL_MS + 200)}`,
  );
  say(
    `  SIGTERM → StopTask: ${listed(migrationReport.cancellation.samplesMs)}; target ≤ 2000 ms: ${verdict(cancelMax <= 2000)}`,
  );
  report(migrationReportSchema, migrationReport);
  if (lagMax > POLL_MS || stoppedMax > POLL_MS + 200 || cancelMax > 2000) process.exitCode = 1;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

await main();
