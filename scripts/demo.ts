/**
 * `npm run demo`: a whole release story against the built-in sandbox, with nothing but `npm ci` before it.
 * It starts the sandbox with demo/scenario.yaml, then runs the root action's bundle exactly as the runner would
 * (inputs in INPUT_*, outputs read back from GITHUB_OUTPUT) three times: a staging release of one commit, the
 * production release of that same commit, and a production release of a newer commit whose image fails its health
 * checks. It prints what happens as it happens and each job summary as a terminal rendering, and writes each summary
 * to demo/out/ as Markdown and as a web page rendered the way GitHub renders it (tables, details, the timeline
 * charts drawn), whose paths it prints.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { repoRoot, startAction, type ActionRun } from '@ecs-ship/testing';
import { writeSummaryPages } from './summary-page.js';
import { renderMarkdown } from './terminal-markdown.js';
import { bold, cyan, dim, eachLine, green, narrate, red } from './terminal-log.js';

const GOOD = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';
const BAD = 'd4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3';

const started = Date.now();
/** Where the job summaries go, as Markdown and as web pages (git ignores the folder). */
const OUT = join(repoRoot, 'demo', 'out');
let releases = 0;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function say(text = ''): void {
  process.stdout.write(`${text}\n`);
}

async function release(
  sandbox: Sandbox,
  workspace: string,
  title: string,
  environment: string,
  sha: string,
): Promise<ActionRun> {
  say();
  say(bold(cyan(`━━ ${title} ━━`)));
  const t0 = Date.now();
  const handle = startAction('release', {
    inputs: { environment, sha },
    env: { ...sandbox.env(), GITHUB_SHA: sha, RUNNER_DEBUG: '0' },
    cwd: workspace,
    timeoutMs: 180_000,
  });
  eachLine(handle.child.stdout!, (line) => {
    const shown = narrate(line);
    if (shown !== undefined) say(`${dim(`[${seconds(Date.now() - t0).padStart(6)}]`)} ${shown}`);
  });
  const run = await handle.result;
  const took = seconds(Date.now() - t0);
  const result = run.outputs.result;
  if (result === 'succeeded') say(bold(green(`✔ ${environment} release of ${sha.slice(0, 7)} succeeded in ${took}`)));
  else
    say(
      bold(
        red(
          `✖ ${environment} release of ${sha.slice(0, 7)} ${result} at the ${run.outputs['failed-stage']} stage after ${took}`,
        ),
      ),
    );
  releases += 1;
  const name = `${releases}-${environment}-${sha.slice(0, 7)}`;
  const page = writeSummaryPages(OUT, name, run.summary, `Job summary: ${title.replace(/^\d+\. /, '')}`);
  say();
  say(dim('Job summary:'));
  say(renderMarkdown(run.summary, { bold, dim }, relative(process.cwd(), page.html)).replace(/^/gm, '  '));
  say(`  ${bold('As GitHub shows it:')} ${page.html}`);
  say(`  ${dim(`Markdown: ${page.markdown}`)}`);
  return run;
}

function afterwards(sandbox: Sandbox): void {
  const slack = sandbox.state('slack');
  const messages = slack.delivered();
  say(bold('Slack (#shop-deploys) received:'));
  for (const message of messages) say(`  • ${String(message.text ?? '').split('\n')[0]}`);
  say();
}

async function main(): Promise<void> {
  say(bold('ecs-ship demo: three releases of a shop on ECS, against the built-in sandbox (no AWS account)'));
  const sandbox = await startSandbox({ scenario: join(repoRoot, 'demo', 'scenario.yaml') });
  const workspace = mkdtempSync(join(tmpdir(), 'ecs-ship-demo-'));
  try {
    mkdirSync(join(workspace, '.github'));
    const config = readFileSync(join(repoRoot, 'demo', 'ecs-release.yml'), 'utf8').replaceAll(
      '${SANDBOX_URL}',
      sandbox.url,
    );
    writeFileSync(join(workspace, '.github', 'ecs-release.yml'), config);
    say(dim(`Sandbox (ECS, ECR, CloudWatch Logs, RDS, GitHub, Slack) at ${sandbox.url}; config: demo/ecs-release.yml`));
    say(
      dim(
        'Staging runs web and worker, production web, worker and api, all on 3c1d9e7. CI pushed images of 8f2b6c4 and d4e5f6a.',
      ),
    );

    await release(
      sandbox,
      workspace,
      `1. Staging release of ${GOOD.slice(0, 7)} ("feat: faster checkout totals")`,
      'staging',
      GOOD,
    );
    await release(
      sandbox,
      workspace,
      `2. Production release of ${GOOD.slice(0, 7)}: the image staging tested, promoted`,
      'production',
      GOOD,
    );
    const bad = await release(
      sandbox,
      workspace,
      `3. Production release of ${BAD.slice(0, 7)} ("refactor: new health endpoint"): its tasks fail their health checks`,
      'production',
      BAD,
    );
    if (bad.outputs.result === 'succeeded') throw new Error('The failing release was reported as a success.');

    afterwards(sandbox);
    say(bold(`Demo finished in ${seconds(Date.now() - started)}.`));
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    await sandbox.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
