/**
 * workflows-examples/preview.yml, run with the local workflow runner against the sandbox under the permissions its
 * jobs declare: a pull request opened gets its preview (built, created from the staging service, reachable at its own
 * host, smoke-tested there, announced in one comment); a push deploys it in place and updates that comment; closing
 * the pull request removes it; a fork's pull request gets a notice and nothing in AWS. The preview's host resolves
 * nowhere here: the steps reach it through a forward proxy (HTTP_PROXY, as a runner's network would have one) that
 * hands every request to the sandbox, which answers as the load balancer for the host's listener rule.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import { runWorkflow, type WorkflowRun, type WorkflowRunOptions } from '../workflow-runner/runner.js';
import { GOOD, example, options, results, sandbox, step, useExamplesSandbox } from './examples-world.js';

jest.setTimeout(120_000);

const PREVIEW = 'shop-pr-7';
const URL_OF_PREVIEW = 'http://shop-pr-7.preview.shop.test/';

let proxy: http.Server;
let proxied: string[];

useExamplesSandbox();
beforeAll(async () => {
  const upstream = new URL(sandbox.url);
  proxy = http.createServer((req, res) => {
    proxied.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '/');
    const forwarded = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: target.pathname + target.search,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.writeHead(502).end());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise((resolve) => proxy.close(resolve)));
beforeEach(() => {
  proxied = [];
});

function run(overrides: Partial<WorkflowRunOptions>): Promise<WorkflowRun> {
  const start = options({ event: 'pull_request', sha: GOOD, ...overrides });
  const port = (proxy.address() as AddressInfo).port;
  start.env = { ...start.env, HTTP_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: '127.0.0.1,localhost' };
  return runWorkflow(example('preview.yml'), start);
}

const previewComments = () =>
  sandbox.state('github').comments.filter((c) => c.issue === 7 && c.body.includes(`### Preview \`${PREVIEW}\``));
const preview = () => sandbox.state('ecs').service('us-east-1', 'shop-staging', PREVIEW);
const creates = () => sandbox.recorder.calls({ operation: 'CreateService' }).filter((c) => c.status < 300);

test('opened: built, created from staging, reachable at its host, smoke-tested there and announced; a push updates it in place', async () => {
  const opened = await run({ pullRequestAction: 'opened' });
  expect(results(opened)).toEqual({ deploy: 'success', remove: 'skipped', 'preview-skipped': 'skipped' });
  const deploy = step(opened, 'deploy', 'deploy');
  expect(deploy.outputs).toMatchObject({ result: 'succeeded', 'preview-url': URL_OF_PREVIEW });
  expect(step(opened, 'deploy', 'smoke').outputs.result).toBe('passed');
  // The smoke test reached the preview by its host, through the proxy, and saw the pull request's commit.
  expect(proxied).toContainEqual(`GET ${URL_OF_PREVIEW}health`);
  expect(step(opened, 'deploy', 'smoke').outputs['version-seen']).toBe(GOOD);
  expect(preview()!.extra.tags).toContainEqual({ key: 'ecs-ship:preview', value: PREVIEW });
  expect(creates()).toHaveLength(1);
  const [comment] = previewComments();
  expect(previewComments()).toHaveLength(1);
  expect(comment!.body).toContain(`**${URL_OF_PREVIEW}**`);
  expect(comment!.body).toContain('`8f2b6c4` | succeeded');

  const pushed = await run({ pullRequestAction: 'synchronize' });
  expect(results(pushed)).toEqual({ deploy: 'success', remove: 'skipped', 'preview-skipped': 'skipped' });
  expect(creates()).toHaveLength(1);
  expect(previewComments()).toHaveLength(1);
  expect(previewComments()[0]!.id).toBe(comment!.id);
});

test('closed: the preview, its rule and its target group are removed, and the comment says so', async () => {
  await run({ pullRequestAction: 'opened' });
  const closed = await run({ pullRequestAction: 'closed' });
  expect(results(closed)).toEqual({ deploy: 'skipped', remove: 'success', 'preview-skipped': 'skipped' });
  expect(step(closed, 'remove', 'remove').outputs).toMatchObject({ result: 'deleted', changed: 'true' });
  expect(preview()!.status).toBe('INACTIVE');
  const elbv2 = sandbox.state('elbv2');
  expect([...elbv2.rules.values()].filter((rule) => rule.hostHeader)).toEqual([]);
  expect(elbv2.targetGroup('us-east-1', PREVIEW)).toBeUndefined();
  expect(previewComments()).toHaveLength(1);
  expect(previewComments()[0]!.body).toMatch(
    /Removed \(\[run\]\(.*\)\): service shop-pr-7, listener rule \(priority 1\), target group shop-pr-7\./,
  );
});

test('a fork’s pull request gets a notice, and nothing in AWS', async () => {
  const forked = await run({ pullRequestAction: 'opened', fromFork: true });
  expect(results(forked)).toEqual({ deploy: 'skipped', remove: 'skipped', 'preview-skipped': 'success' });
  expect(forked.jobs['preview-skipped']!.steps[0]!.stdout).toMatch(/^::notice title=Preview skipped::.*fork/m);
  expect(sandbox.recorder.calls().filter((call) => call.service === 'ecs' || call.service === 'elbv2')).toEqual([]);
});
