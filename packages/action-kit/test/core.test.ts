import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addMask } from '@ecs-ship/action-kit';
import { appendSummary, exportVariable, getState, saveState, setOutputs } from '@ecs-ship/action-kit/core';
import { parseEnvironmentFile } from '@ecs-ship/testing';

const RUNNER_FILES = ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_STEP_SUMMARY'] as const;
let dir: string;
const saved: Record<string, string | undefined> = {};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kit-core-'));
  for (const name of RUNNER_FILES) {
    saved[name] = process.env[name];
    process.env[name] = join(dir, name.toLowerCase());
    writeFileSync(process.env[name]!, '');
  }
});
afterEach(() => {
  for (const name of RUNNER_FILES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  rmSync(dir, { recursive: true, force: true });
});

const read = (name: (typeof RUNNER_FILES)[number]) => readFileSync(process.env[name]!, 'utf8');

test('outputs reach GITHUB_OUTPUT as the runner reads them: multi-line, JSON and empty values intact', () => {
  setOutputs({ tag: 'v1.2.0', notes: 'line one\nline two', services: ['web', 'worker'], missing: undefined });
  expect(parseEnvironmentFile(read('GITHUB_OUTPUT'))).toEqual({
    tag: 'v1.2.0',
    notes: 'line one\nline two',
    services: '["web","worker"]',
    missing: '',
  });
});

test('a value cannot close its entry early and add another output', () => {
  setOutputs({ reason: 'x\nEOF\nresult=succeeded\nghadelimiter_\n' });
  const outputs = parseEnvironmentFile(read('GITHUB_OUTPUT'));
  expect(Object.keys(outputs)).toEqual(['reason']);
  expect(outputs.reason).toBe('x\nEOF\nresult=succeeded\nghadelimiter_\n');
});

/** addMask announces the value to the runner on stdout; kept out of the test's own output. */
function quietMask(value: string): void {
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    addMask(value);
  } finally {
    spy.mockRestore();
  }
}

test('a masked value is redacted from outputs', () => {
  quietMask('s3cr3t-output-value');
  setOutputs({ url: 'https://user:s3cr3t-output-value@example.com' });
  expect(parseEnvironmentFile(read('GITHUB_OUTPUT')).url).toBe('https://user:***@example.com');
});

test('state goes to GITHUB_STATE and is read back from STATE_<name> in the post step', () => {
  saveState('task-arn', 'arn:aws:ecs:eu-west-1:123456789012:task/shop/abc');
  expect(parseEnvironmentFile(read('GITHUB_STATE'))).toEqual({
    'task-arn': 'arn:aws:ecs:eu-west-1:123456789012:task/shop/abc',
  });
  process.env.STATE_probe = 'kept';
  expect(getState('probe')).toBe('kept');
  expect(getState('never-saved')).toBe('');
  delete process.env.STATE_probe;
});

test('an exported variable is set for this step and written to GITHUB_ENV for the next ones', () => {
  exportVariable('ECS_SHIP_PROBE', 'on');
  expect(process.env.ECS_SHIP_PROBE).toBe('on');
  expect(parseEnvironmentFile(read('GITHUB_ENV'))).toEqual({ ECS_SHIP_PROBE: 'on' });
  delete process.env.ECS_SHIP_PROBE;
});

test('the summary is appended, redacted, and cut at the 1 MiB limit with a visible note', async () => {
  quietMask('summary-secret-42');
  await appendSummary('## Deploy\nkey summary-secret-42\n');
  await appendSummary('second part');
  expect(read('GITHUB_STEP_SUMMARY')).toMatch(/^## Deploy\nkey \*\*\*\n\nsecond part\n$/);

  writeFileSync(process.env.GITHUB_STEP_SUMMARY!, '');
  await appendSummary('x'.repeat(2 * 1024 * 1024));
  const text = read('GITHUB_STEP_SUMMARY');
  expect(Buffer.byteLength(text)).toBeLessThan(1024 * 1024);
  expect(text).toContain('_(summary truncated to the 1 MiB limit)_');
});

test('without the runner files, outputs and state fall back to workflow commands and no summary is written', async () => {
  for (const name of RUNNER_FILES) delete process.env[name];
  let written = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  });
  try {
    setOutputs({ 'result:x': 'a\nb%' });
    saveState('task', 'arn');
    await appendSummary('nowhere to go');
  } finally {
    spy.mockRestore();
  }
  expect(written).toContain('::set-output name=result%3Ax::a%0Ab%25');
  expect(written).toContain('::save-state name=task::arn');
  expect(written).not.toContain('nowhere to go');
});
