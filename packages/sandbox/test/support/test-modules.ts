// Tiny modules that exist only in tests, so the core can be tested through the real AWS SDK clients
// independently of the real ECS and RDS modules.
import * as z from 'zod';
import { AwsError, type AwsJsonModule, type AwsQueryModule, type ServiceDefinition } from '../../src/index.js';

const echoSection = z.object({ clusters: z.array(z.string()).default(['default']) });

interface FakeEcsState {
  clusters: string[];
  registered: unknown[];
}

/** Answers a few ECS operations through the ECS wire format. */
export const fakeEcs: ServiceDefinition<
  z.output<typeof echoSection>,
  AwsJsonModule & { state: FakeEcsState },
  'ecs'
> = {
  key: 'ecs',
  schema: echoSection,
  create(section) {
    const state: FakeEcsState = { clusters: [...section.clusters], registered: [] };
    return {
      protocol: 'json',
      signingName: 'ecs',
      targetPrefix: 'AmazonEC2ContainerServiceV20141113',
      mutating: new Set(['RegisterTaskDefinition']),
      state,
      handlers: {
        ListClusters: (_input, ctx) => ({
          clusterArns: state.clusters.map((name) => `arn:aws:ecs:${ctx.region}:${ctx.accountId}:cluster/${name}`),
        }),
        RegisterTaskDefinition: (input: { family: string }, ctx) => {
          state.registered.push(input);
          return {
            taskDefinition: {
              family: input.family,
              revision: state.registered.length,
              taskDefinitionArn: `arn:aws:ecs:${ctx.region}:${ctx.accountId}:task-definition/${input.family}:${state.registered.length}`,
              registeredAt: new Date(1_700_000_000_500),
            },
          };
        },
        DescribeTaskDefinition: (input: { taskDefinition: string }) => {
          throw new AwsError('ClientException', `Unable to describe task definition ${input.taskDefinition}.`);
        },
      },
    };
  },
};

/** Answers DescribeDBSnapshots through the RDS query wire format. */
export const fakeRds: ServiceDefinition<unknown, AwsQueryModule, 'rds'> = {
  key: 'rds',
  schema: z.object({}),
  create() {
    return {
      protocol: 'query',
      signingName: 'rds',
      xmlListItemName: { DBSnapshots: 'DBSnapshot' },
      mutating: new Set(['CreateDBSnapshot']),
      handlers: {
        DescribeDBSnapshots: (params) => {
          if (params.DBSnapshotIdentifier === 'missing') {
            throw new AwsError('DBSnapshotNotFound', 'DBSnapshot missing not found.', 404);
          }
          return {
            DBSnapshots: [
              {
                DBSnapshotIdentifier: 'before-migration',
                DBInstanceIdentifier: 'shop-db',
                Status: 'available',
                SnapshotCreateTime: new Date('2026-01-02T03:04:05.000Z'),
                AllocatedStorage: 20,
                Encrypted: true,
              },
            ],
          };
        },
        CreateDBSnapshot: (params) => ({ DBSnapshot: { DBSnapshotIdentifier: params.DBSnapshotIdentifier } }),
      },
    };
  },
};
