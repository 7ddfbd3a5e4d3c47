import { diffTaskDefinitions, formatDiff, sameTaskDefinition } from '../src/taskdef/compare.js';
import { imagesOf, renderTaskDefinition } from '../src/taskdef/render.js';

/** A task definition as DescribeTaskDefinition returns it: read-only fields and the defaults ECS fills in. */
const described = {
  taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7',
  family: 'web',
  revision: 7,
  status: 'ACTIVE',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  compatibilities: ['EC2', 'FARGATE'],
  requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
  registeredAt: '2026-11-01T10:00:00Z',
  registeredBy: 'arn:aws:iam::123456789012:role/deployer',
  cpu: '256',
  memory: '512',
  executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
  containerDefinitions: [
    {
      name: 'web',
      image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.0.0',
      cpu: 0,
      essential: true,
      portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
      environment: [
        { name: 'B', value: '2' },
        { name: 'A', value: '1' },
      ],
      mountPoints: [],
      volumesFrom: [],
      systemControls: [],
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/ecs/web', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'ecs' },
      },
    },
    { name: 'log-router', image: 'fluent-bit:3', essential: false, cpu: 0, environment: [] },
  ],
  volumes: [],
  placementConstraints: [],
};

/** The same definition as a person writes it in a template file. */
const handWritten = {
  family: 'web',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: 256,
  memory: 512,
  executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
  containerDefinitions: [
    { name: 'log-router', image: 'fluent-bit:3', essential: false },
    {
      name: 'web',
      image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.0.0',
      portMappings: [{ containerPort: 8080 }],
      environment: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-region': 'eu-west-1', 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs' },
      },
    },
  ],
};

describe('renderTaskDefinition', () => {
  test('drops every read-only field and keeps tags', () => {
    const { definition, errors } = renderTaskDefinition({
      taskDefinition: described,
      tags: [{ key: 'team', value: 'shop' }],
    });
    expect(errors).toEqual([]);
    for (const field of [
      'taskDefinitionArn',
      'revision',
      'status',
      'requiresAttributes',
      'compatibilities',
      'registeredAt',
      'registeredBy',
    ]) {
      expect(definition).not.toHaveProperty(field);
    }
    expect(definition.tags).toEqual([{ key: 'team', value: 'shop' }]);
    expect(definition.family).toBe('web');
  });

  test('tags given separately are used when the template has none', () => {
    const { definition } = renderTaskDefinition(described, { tags: [{ key: 'env', value: 'prod' }] });
    expect(definition.tags).toEqual([{ key: 'env', value: 'prod' }]);
  });

  test('applies images by container and does not change the template object', () => {
    const digest = `web@sha256:${'a'.repeat(64)}`;
    const { definition, errors } = renderTaskDefinition(described, {
      images: new Map([
        ['log-router', 'fluent-bit:4'],
        ['web', digest],
      ]),
    });
    expect(errors).toEqual([]);
    expect(imagesOf(definition)).toEqual({ web: digest, 'log-router': 'fluent-bit:4' });
    expect(described.containerDefinitions[0]!.image).toMatch(/web:1\.0\.0$/);
  });

  test('image without container goes to the only essential container', () => {
    const { definition, errors } = renderTaskDefinition(described, { imageForEssentialContainer: 'web:2.0.0' });
    expect(errors).toEqual([]);
    expect(imagesOf(definition)).toEqual({ web: 'web:2.0.0', 'log-router': 'fluent-bit:3' });
  });

  test('image without container is refused when several containers are essential', () => {
    const twoEssential = {
      ...handWritten,
      containerDefinitions: handWritten.containerDefinitions.map((c) => ({ ...c, essential: true })),
    };
    const { errors } = renderTaskDefinition(twoEssential, { imageForEssentialContainer: 'web:2' });
    expect(errors).toEqual([expect.stringMatching(/2 essential containers .*"log-router".*needs "container"/)]);
  });

  test('reports an unknown container of a service line, naming the ones that exist', () => {
    // environment (like sharedImages and secrets) applies where the container exists; the deploy checks it is in at
    // least one service.
    const { errors } = renderTaskDefinition(described, {
      images: new Map([['api', 'api:1']]),
      environment: new Map([['worker', new Map([['X', '1']])]]),
    });
    expect(errors).toEqual([
      expect.stringMatching(
        /container "api" \(in images\) is not in task definition "web"; it has "web", "log-router"/,
      ),
    ]);
  });

  test('merges environment: replaces existing names, appends new ones', () => {
    const { definition } = renderTaskDefinition(described, {
      environment: new Map([
        [
          'web',
          new Map([
            ['A', 'one'],
            ['LOG_LEVEL', 'debug'],
          ]),
        ],
      ]),
    });
    expect(definition.containerDefinitions.find((c) => c.name === 'web')!.environment).toEqual([
      { name: 'B', value: '2' },
      { name: 'A', value: 'one' },
      { name: 'LOG_LEVEL', value: 'debug' },
    ]);
  });

  test('a template without family is an error', () => {
    expect(renderTaskDefinition({ containerDefinitions: [{ name: 'x' }] }).errors).toEqual([
      expect.stringMatching(/no "family"/),
    ]);
  });
});

describe('comparing task definitions', () => {
  test('the defaults and ordering ECS adds make no difference', () => {
    expect(sameTaskDefinition(described, handWritten)).toBe(true);
    expect(diffTaskDefinitions(described, handWritten)).toEqual([]);
  });

  test('a re-rendered unchanged definition equals the registered one', () => {
    const { definition } = renderTaskDefinition(described, {
      images: new Map([['web', described.containerDefinitions[0]!.image]]),
    });
    expect(sameTaskDefinition(described, definition)).toBe(true);
  });

  test('a new image is a difference, shown by container name', () => {
    const { definition } = renderTaskDefinition(described, { images: new Map([['web', 'web:2.0.0']]) });
    expect(sameTaskDefinition(described, definition)).toBe(false);
    const changes = diffTaskDefinitions(described, definition);
    expect(changes).toEqual([
      {
        path: 'containerDefinitions[web].image',
        before: '"123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.0.0"',
        after: '"web:2.0.0"',
      },
    ]);
    expect(formatDiff(changes)).toBe(
      '- containerDefinitions[web].image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.0.0"\n+ containerDefinitions[web].image: "web:2.0.0"',
    );
  });

  test('added environment, changed memory and tags are differences', () => {
    const { definition } = renderTaskDefinition(
      { ...handWritten, memory: 1024, tags: [{ key: 'team', value: 'shop' }] },
      { environment: new Map([['web', new Map([['NEW', 'x']])]]) },
    );
    const paths = diffTaskDefinitions(described, definition).map((change) => change.path);
    expect(paths).toEqual(
      expect.arrayContaining(['memory', 'containerDefinitions[web].environment[NEW].value', 'tags[team].value']),
    );
  });

  test('hostPort differing from containerPort outside awsvpc is kept', () => {
    const bridge = (hostPort: number) => ({
      family: 'x',
      networkMode: 'bridge',
      containerDefinitions: [{ name: 'a', portMappings: [{ containerPort: 80, hostPort }] }],
    });
    expect(sameTaskDefinition(bridge(0), bridge(80))).toBe(false);
  });
});
