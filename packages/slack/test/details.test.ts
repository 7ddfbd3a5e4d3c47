import { parseDetails, type DetailSection } from '../src/index.js';

function sections(value: unknown): DetailSection[] {
  const parsed = parseDetails(value);
  if (!('value' in parsed)) throw new Error(parsed.problem);
  return parsed.value;
}

const arn = (family: string, revision: number) =>
  `arn:aws:ecs:eu-west-1:123456789012:task-definition/${family}:${revision}`;

test("one step's outputs (toJSON(steps.deploy.outputs)), with the ARNs as the JSON strings steps produce", () => {
  expect(
    sections({
      result: 'succeeded',
      'task-definition-arns': JSON.stringify({ api: arn('api', 3) }),
      'previous-task-definition-arns': JSON.stringify({ api: arn('api', 2) }),
      'deployment-ids': JSON.stringify({ api: 'ecs-svc/1234567890123456789' }),
      changed: 'true',
    }),
  ).toEqual([
    {
      kind: 'deploy',
      title: 'Deployment',
      result: 'succeeded',
      failureReason: undefined,
      changed: 'true',
      services: [
        {
          service: 'api',
          taskDefinition: arn('api', 3),
          previousTaskDefinition: arn('api', 2),
          deploymentId: 'ecs-svc/1234567890123456789',
        },
      ],
    },
  ]);
});

test('several steps keyed by any name, each recognised by its outputs, in the given order', () => {
  const result = sections({
    publish: {
      image: 'repo',
      'image-ref': 'repo@sha256:abc',
      digest: 'sha256:abc',
      tags: '["v1","latest"]',
      pushed: 'true',
    },
    rollout: { result: 'failed', 'task-definition-arns': { web: arn('web', 9) } },
    checks: { result: 'passed', report: '[{"url":"https://x/health","ok":true}]', 'failed-checks': '' },
    migrate: { 'exit-code': '3', 'stop-code': 'EssentialContainerExited' },
    release: { tag: 'v1', 'release-url': 'https://github.com/acme/shop/releases/tag/v1' },
    misc: { anything: 'goes', count: 3 },
  });
  expect(result.map((s) => [s.kind, s.title])).toEqual([
    ['image', 'Publish'],
    ['deploy', 'Rollout'],
    ['smoke', 'Checks'],
    ['migration', 'Migrate'],
    ['release', 'Release'],
    ['other', 'Misc'],
  ]);
  expect(result[0]).toMatchObject({ tags: ['v1', 'latest'] });
  expect(result[1]).toMatchObject({ services: [{ service: 'web', taskDefinition: arn('web', 9) }] });
  expect(result[2]).toMatchObject({
    checks: [{ name: 'https://x/health', passed: true, statusCodes: [] }],
    failedChecks: [],
  });
  expect(result[5]).toMatchObject({
    entries: [
      ['anything', 'goes'],
      ['count', '3'],
    ],
  });
});

test('smoke reports are read loosely: result words, status-code counts, latency at the top', () => {
  const [smoke] = sections({
    report: {
      checks: [
        {
          name: 'a',
          result: 'failed',
          statusCodes: { '200': 3, '503': 1 },
          p50Ms: 5,
          p95Ms: 9,
          maxMs: 12,
          error: 'timeout',
        },
        { name: 'b', status: 'PASSED' },
      ],
    },
  });
  expect(smoke).toMatchObject({
    kind: 'smoke',
    checks: [
      { name: 'a', passed: false, statusCodes: ['200×3', '503×1'], p50: 5, p95: 9, max: 12, detail: 'timeout' },
      { name: 'b', passed: true },
    ],
  });
});

test('a single task-definition ARN names its service by family', () => {
  const [deploy] = sections({ result: 'succeeded', 'task-definition-arns': arn('shop-api', 4) });
  expect(deploy).toMatchObject({ services: [{ service: 'shop-api', taskDefinition: arn('shop-api', 4) }] });
});

test.each([[[1, 2]], ['"text"'], [42], [null]])('%j is refused with a fix', (value) => {
  const parsed = parseDetails(value);
  expect(parsed).toEqual({
    problem: 'it is not a JSON object',
    fix: expect.stringContaining('toJSON(steps.<id>.outputs)'),
  });
});
