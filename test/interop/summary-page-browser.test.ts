/**
 * The job summary as a person sees it. A release of the demo's world runs as the runner runs it; its summary is
 * written as the web page `npm run demo` writes (scripts/summary-page.ts), and headless Chromium (Debian's `chromium`,
 * which .ci/run installs, or CHROMIUM_PATH) opens it from disk with every request off the file system refused: the
 * timeline must be drawn by mermaid as a gantt chart in SVG, and the tables, links and collapsible details must be
 * there.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { repoRoot, runAction, type ActionRun } from '@ecs-ship/testing';
import { writeSummaryPages } from '../../scripts/summary-page.js';

const SHA = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';
/** CHROMIUM_PATH, else Debian's chromium, else the Google Chrome that GitHub's Ubuntu runners come with. */
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/google-chrome'].find(
  (path) => path && existsSync(path),
);

let sandbox: Sandbox;
let workspace: string;
let browser: Browser;
let run: ActionRun;

beforeAll(async () => {
  if (!CHROMIUM) {
    throw new Error(
      "No Chromium: install Debian's chromium (.ci/run does) or set CHROMIUM_PATH to a Chromium or Chrome.",
    );
  }
  sandbox = await startSandbox({ scenario: join(repoRoot, 'demo', 'scenario.yaml') });
  workspace = mkdtempSync(join(tmpdir(), 'summary-page-test-'));
  mkdirSync(join(workspace, '.github'));
  const config = readFileSync(join(repoRoot, 'demo', 'ecs-release.yml'), 'utf8');
  writeFileSync(join(workspace, '.github', 'ecs-release.yml'), config.replaceAll('${SANDBOX_URL}', sandbox.url));
  run = await runAction('release', {
    inputs: { environment: 'staging', sha: SHA },
    env: { ...sandbox.env(), GITHUB_SHA: SHA },
    cwd: workspace,
    timeoutMs: 120_000,
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test('the page shows the timeline drawn as a gantt chart, the tables, the links and the details', async () => {
  expect(run.outputs.result).toBe('succeeded');
  const pages = writeSummaryPages(join(workspace, 'out'), 'staging', run.summary, 'Job summary: staging release');
  expect(readFileSync(pages.markdown, 'utf8')).toBe(run.summary);

  const page = await browser.newPage();
  const offDisk: string[] = [];
  const errors: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    offDisk.push(url);
    return route.abort();
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(pathToFileURL(pages.html).href);
  await page.waitForSelector('body[data-rendered="true"]', { timeout: 30_000 });

  // mermaid replaced every chart's source with its drawing: gantt charts, the release's first, with a bar per stage.
  const charts = [...run.summary.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((match) => match[1]!);
  const bars = (source: string) =>
    source
      .split('\n')
      .filter((line) => line.trim() !== '' && !/^(gantt|dateFormat|axisFormat|section)\b/.test(line.trim())).length;
  expect(charts.length).toBeGreaterThan(0);
  expect(await page.locator('pre.mermaid svg[aria-roledescription="gantt"]').count()).toBe(charts.length);
  const timeline = page.locator('pre.mermaid svg').first();
  expect(bars(charts[0]!)).toBeGreaterThan(0);
  expect(await timeline.locator('rect.task').count()).toBe(bars(charts[0]!));
  const labels = await timeline
    .locator('text.taskText, text.taskTextOutsideRight, text.taskTextOutsideLeft')
    .allTextContents();
  expect(labels.map((label) => label.trim())).toEqual(expect.arrayContaining(['Image', 'Deploy']));
  expect(await page.locator('pre.mermaid').first().innerText()).not.toContain('dateFormat');

  // The tables rendered as tables (not as text with pipes), the stage table first with a row per stage.
  const tables = page.locator('article table');
  const headersOf = async (index: number) =>
    (await tables.nth(index).locator('thead th').allTextContents()).map((text) => text.trim());
  expect(await tables.count()).toBeGreaterThanOrEqual(2);
  expect(await headersOf(0)).toEqual(['Stage', 'Result', 'Duration', 'What happened']);
  const stages = await tables.nth(0).locator('tbody tr > td:first-child').allTextContents();
  expect(stages.map((text) => text.trim())).toEqual(expect.arrayContaining(['Image', 'Deploy', 'Smoke tests']));
  const serviceTables = await Promise.all(
    Array.from({ length: await tables.count() }, async (_, index) => (await headersOf(index)).includes('Service')),
  );
  expect(serviceTables).toContain(true);
  expect(await page.locator('article').innerText()).not.toContain('| ---');

  // Collapsible details stay collapsible; console links are links.
  expect(await page.locator('article details > summary').first().innerText()).toBe('Deployment details');
  const consoleLinks = await page.locator('article a[href^="https://eu-west-1.console.aws.amazon.com/"]').count();
  expect(consoleLinks).toBeGreaterThan(0);

  expect(offDisk).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});
