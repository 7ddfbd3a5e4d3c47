/**
 * Sandbox figures: how long startSandbox takes on the demo scenario, the round trip of one AWS call through the real
 * SDK (sequential and 20 in parallel), the cost of the recorder on a long run, and GitHub/Slack round trips.
 * Usage: npx tsx bench/sandbox.ts
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { getOctokit } from '@actions/github';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { IncomingWebhook } from '@slack/webhook';
import { startSandbox } from '@ecs-ship/sandbox';

const demo = fileURLToPath(new URL('../packages/sandbox/scenarios/demo.yaml', import.meta.url));

function summary(label: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  console.log(
    `${label.padEnd(44)} n=${String(samples.length).padStart(4)}  median ${at(0.5).toFixed(2)} ms  p95 ${at(0.95).toFixed(2)} ms`,
  );
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const starts: number[] = [];
for (let i = 0; i < 5; i++) {
  let stop = async () => {};
  starts.push(
    await timed(async () => {
      const s = await startSandbox({ scenario: demo });
      stop = () => s.stop();
    }),
  );
  await stop();
}
summary('startSandbox(demo.yaml)', starts);

const sandbox = await startSandbox({ scenario: demo });
const env = sandbox.env();
const ecs = new ECSClient({
  region: env.AWS_REGION,
  endpoint: env.AWS_ENDPOINT_URL,
  credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '' },
});
const describe = () => ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: ['web'] }));
for (let i = 0; i < 50; i++) await describe(); // warm-up: connections, SDK middleware

const sequential: number[] = [];
for (let i = 0; i < 500; i++) sequential.push(await timed(describe));
summary('ECS DescribeServices, sequential', sequential);

const parallelStart = performance.now();
const parallel: number[] = [];
for (let round = 0; round < 25; round++) {
  parallel.push(...(await Promise.all(Array.from({ length: 20 }, () => timed(describe)))));
}
const seconds = (performance.now() - parallelStart) / 1000;
summary('ECS DescribeServices, 20 in parallel', parallel);
console.log(`${'  throughput'.padEnd(44)} ${(parallel.length / seconds).toFixed(0)} calls/s`);
console.log(`${'recorder entries after the run'.padEnd(44)} ${sandbox.recorder.calls().length}`);

const octokit = getOctokit(env.GITHUB_TOKEN ?? '', { baseUrl: env.GITHUB_API_URL });
const github: number[] = [];
for (let i = 0; i < 100; i++) {
  github.push(await timed(() => octokit.rest.repos.listDeployments({ owner: 'acme', repo: 'shop' })));
}
summary('GitHub listDeployments (Octokit)', github);

const hook = new IncomingWebhook(env.SLACK_WEBHOOK_URL ?? '');
const slack: number[] = [];
for (let i = 0; i < 100; i++) slack.push(await timed(() => hook.send({ text: `message ${i}` })));
summary('Slack webhook post (@slack/webhook)', slack);

ecs.destroy();
await sandbox.stop();
