/**
 * Groups never nest. The harness reads the log of every run of every action in the suite and fails a run that opens
 * a `::group::` before the previous `::endgroup::` (packages/testing/src/log-groups.ts); this file shows the check at
 * work and runs the places that used to nest: the release's migration stage (its task's log inside the stage's group)
 * and a dry run (the plan's per-service diff inside the deploy stage's group).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { repoRoot, runAction } from '@ecs-ship/testing';
import { nestedGroups } from '@ecs-ship/testing/log-groups';

describe('the check', () => {
  test('finds a group opened inside another, read as the runner reads commands', () => {
    expect(nestedGroups(['::group::Deploy', 'a', '  ::group::Logs of app', '::endgroup::', '::endgroup::'])).toEqual([
      'line 3: "Logs of app" inside "Deploy"',
    ]);
  });

  test('accepts groups one after another, and command-shaped lines fenced off with stop-commands', () => {
    const token = '0123456789abcdef0123456789abcdef';
    expect(
      nestedGroups([
        '::group::Image (production)',
        '::endgroup::',
        '::group::Migration (production)',
        `::stop-commands::${token}`,
        '::group::printed by the migration itself',
        `::${token}::`,
        '::endgroup::',
      ]),
    ).toEqual([]);
  });
});

describe('the release pipeline', () => {
  let sandbox: Sandbox;
  let workspace: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: join(repoRoot, 'demo', 'scenario.yaml') });
    workspace = mkdtempSync(join(tmpdir(), 'log-groups-'));
    mkdirSync(join(workspace, '.github'));
    const config = readFileSync(join(repoRoot, 'demo', 'ecs-release.yml'), 'utf8').replaceAll(
      '${SANDBOX_URL}',
      sandbox.url,
    );
    writeFileSync(join(workspace, '.github', 'ecs-release.yml'), config);
  });
  afterAll(async () => {
    rmSync(workspace, { recursive: true, force: true });
    await sandbox.stop();
  });

  const release = (inputs: Record<string, string>) =>
    runAction('release', {
      inputs: { environment: 'production', sha: '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2', ...inputs },
      env: { ...sandbox.env(), GITHUB_SHA: '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2' },
      cwd: workspace,
      timeoutMs: 120_000,
    });

  test("one group per stage; the migration's log is an indented sub-section of its stage", async () => {
    const run = await release({});
    expect(run.exitCode).toBe(0);
    expect(nestedGroups(run.lines)).toEqual([]);
    const groups = run.lines.filter((line) => line.startsWith('::group::'));
    expect(groups).toEqual(expect.arrayContaining(['::group::Migration (production)']));
    const stage = run.lines.indexOf('::group::Migration (production)');
    const logs = run.lines.findIndex((line, i) => i > stage && /^▸ Logs of \S+ \(/.test(line));
    const end = run.lines.indexOf('::endgroup::', stage);
    expect(logs).toBeGreaterThan(stage);
    expect(logs).toBeLessThan(end);
    // The task's own lines sit under the sub-heading, indented.
    expect(run.lines[logs + 1]).toMatch(/^ {2}\S/);
  });

  test("a dry run's per-service plan stays inside the deploy stage's one group", async () => {
    const run = await release({ 'dry-run': 'true' });
    expect(run.exitCode).toBe(0);
    expect(nestedGroups(run.lines)).toEqual([]);
    expect(run.lines).toContainEqual(expect.stringMatching(/^▸ web: (would register a new revision of|no change to) /));
  });
});
