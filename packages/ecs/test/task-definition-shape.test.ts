// What a template may hold comes from AWS's own model: the generated shapes match botocore's ECS model, the bundled
// SDK sends every key they accept (none would be dropped silently), and a template breaking them is refused with the
// line and column of the offending key or value.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { taskDefinitionShapes } from '../../../scripts/task-definition-shape.js';
import { readTaskDefinitionFile } from '../src/taskdef/file.js';
import { checkTemplateShape } from '../src/taskdef/shape-check.js';
import { READ_ONLY_MEMBERS, SHAPES, TEMPLATE_SHAPE } from '../src/taskdef/shapes.js';
import type { ShapeSpec } from '../src/taskdef/shape-types.js';
import { locate } from '../src/taskdef/source.js';

test('the committed shapes are what botocore’s ECS model says (regenerate: npx tsx scripts/task-definition-shape.ts)', () => {
  const model = taskDefinitionShapes();
  expect(SHAPES).toEqual(model.shapes);
  expect([...READ_ONLY_MEMBERS]).toEqual(model.readOnlyMembers);
});

/** A value of every member, all the way down. */
function sample(name: string, depth = 0): unknown {
  const shape: ShapeSpec = SHAPES[name]!;
  if (depth > 12) throw new Error(`shape ${name} nests too deeply`);
  switch (shape.type) {
    case 'structure':
      return Object.fromEntries(Object.entries(shape.members).map(([key, inner]) => [key, sample(inner, depth + 1)]));
    case 'list':
      return [sample(shape.member, depth + 1)];
    case 'map':
      return { key: sample(shape.value, depth + 1) };
    case 'integer':
    case 'long':
      return 1;
    case 'double':
    case 'float':
      return 1.5;
    case 'boolean':
      return true;
    case 'timestamp':
      return new Date(0);
    default:
      return 'x';
  }
}

/** Places of `expected` that `actual` lacks. */
function missingIn(actual: unknown, expected: unknown, path = ''): string[] {
  if (Array.isArray(expected)) return missingIn((actual as unknown[])?.[0], expected[0], `${path}[0]`);
  if (expected && typeof expected === 'object' && !(expected instanceof Date)) {
    return Object.entries(expected).flatMap(([key, inner]) => {
      const here = path ? `${path}.${key}` : key;
      const other = (actual as Record<string, unknown> | undefined)?.[key];
      return other === undefined ? [here] : missingIn(other, inner, here);
    });
  }
  return [];
}

test('the SDK this suite bundles sends every key the check accepts: none is dropped on the way to ECS', async () => {
  const template = sample(TEMPLATE_SHAPE) as Record<string, unknown>;
  for (const field of READ_ONLY_MEMBERS) delete template[field];
  const ecs = new ECSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
  let sent: unknown;
  ecs.middlewareStack.add(
    (_next) => async (args) => {
      // The SDK hands the body over as bytes or as text, depending on its version.
      const body = (args.request as { body: string | Uint8Array }).body;
      sent = JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body));
      throw new Error('captured');
    },
    { step: 'build' },
  );
  await expect(ecs.send(new RegisterTaskDefinitionCommand(template as never))).rejects.toThrow('captured');
  expect(missingIn(sent, template)).toEqual([]);
  expect(Object.keys(template).length).toBeGreaterThanOrEqual(18);
});

describe('checkTemplateShape', () => {
  const valid = {
    family: 'web',
    cpu: '256',
    containerDefinitions: [
      {
        name: 'web',
        image: 'registry.example/web:1',
        essential: true,
        portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
        environment: [{ name: 'A', value: '1' }],
        dockerLabels: { team: 'shop' },
        healthCheck: { command: ['CMD-SHELL', 'true'], interval: 30 },
      },
    ],
  };

  test('a template as RegisterTaskDefinition takes it, or as describe-task-definition prints it, passes', () => {
    expect(checkTemplateShape(valid)).toEqual([]);
    const described = {
      taskDefinition: {
        ...valid,
        taskDefinitionArn: 'arn:x',
        revision: 3,
        status: 'ACTIVE',
        registeredAt: '2026-01-01T00:00:00Z',
      },
      tags: [{ key: 'team', value: 'shop' }],
    };
    expect(checkTemplateShape(described)).toEqual([]);
  });

  test.each([
    [
      'an unknown key, with the likely one',
      { memoryReservaton: 1 },
      ['containerDefinitions', 0, 'memoryReservaton'],
      /^"memoryReservaton" in containerDefinitions\[0\] is not a key RegisterTaskDefinition takes \(did you mean "memoryReservation"\?\)$/,
    ],
    ['a key in the wrong case', { Image: 'x' }, ['containerDefinitions', 0, 'Image'], /did you mean "image"\?/],
    [
      'a number given as a string',
      { portMappings: [{ containerPort: '8080' }] },
      ['containerDefinitions', 0, 'portMappings', 0, 'containerPort'],
      /^containerDefinitions\[0\]\.portMappings\[0\]\.containerPort is a string \("8080"\), not a whole number$/,
    ],
    [
      'a boolean given as a string',
      { essential: 'true' },
      ['containerDefinitions', 0, 'essential'],
      /is a string \("true"\), not true or false$/,
    ],
    [
      'a map value that is not a string',
      { dockerLabels: { team: 1 } },
      ['containerDefinitions', 0, 'dockerLabels', 'team'],
      /is a number \(1\), not a string$/,
    ],
    [
      'a list given as an object',
      { environment: { A: '1' } },
      ['containerDefinitions', 0, 'environment'],
      /is an object, not a list$/,
    ],
    [
      'a required key left out',
      { healthCheck: { interval: 30 } },
      ['containerDefinitions', 0, 'healthCheck'],
      /^containerDefinitions\[0\]\.healthCheck has no "command"$/,
    ],
  ])('%s', (_, container, path, problem) => {
    const template = { ...valid, containerDefinitions: [{ ...valid.containerDefinitions[0], ...container }] };
    expect(checkTemplateShape(template)).toEqual([
      expect.objectContaining({ path, problem: expect.stringMatching(problem) }),
    ]);
  });

  test('task-level CPU and memory are strings in the API', () => {
    expect(checkTemplateShape({ ...valid, cpu: 256 })).toEqual([
      expect.objectContaining({ path: ['cpu'], problem: 'cpu is a number (256), not a string' }),
    ]);
  });
});

describe('reading a template file', () => {
  const folder = mkdtempSync(join(tmpdir(), 'template-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(folder, name), text);
    return join(folder, name);
  };

  test('each problem carries the line and column of the key or value at fault', () => {
    const text = [
      '{',
      '  "family": "web",',
      '  "containerDefinitions": [',
      '    {',
      '      "name": "web",',
      '      "memoryReservaton": 128,',
      '      "portMappings": [{ "containerPort": "8080" }]',
      '    }',
      '  ]',
      '}',
    ].join('\n');
    const read = readTaskDefinitionFile(write('web.json', text), '.aws/web.json');
    expect(read).toEqual({
      problems: [
        {
          problem: expect.stringMatching(
            /^the file "\.aws\/web\.json", line 6: "memoryReservaton" in containerDefinitions\[0\]/,
          ),
          fix: expect.any(String),
          position: { line: 6, col: 7 },
        },
        {
          problem: expect.stringMatching(
            /^the file "\.aws\/web\.json", line 7: containerDefinitions\[0\]\.portMappings\[0\]\.containerPort is a string/,
          ),
          fix: expect.any(String),
          position: { line: 7, col: 43 },
        },
      ],
    });
  });

  test('JSON that does not parse is placed where the parser stopped', () => {
    const read = readTaskDefinitionFile(write('broken.json', '{\n  "family": "web"\n  "cpu": "256"\n}'), 'broken.json');
    expect(read).toEqual({
      problems: [
        {
          problem: 'the file "broken.json" is not valid JSON (comma expected at line 3, column 3)',
          fix: 'Correct the JSON',
          position: { line: 3, col: 3 },
        },
      ],
    });
  });

  test('locate falls back to the nearest enclosing value, and counts columns from 1', () => {
    const text = '{"a": {"b": [1, 2]}}';
    expect(locate(text, ['a', 'b', 1])).toEqual({ line: 1, col: 17 });
    expect(locate(text, ['a', 'missing'])).toEqual({ line: 1, col: 7 });
    expect(locate(text, ['a'], true)).toEqual({ line: 1, col: 2 });
  });
});
