import { mockClient } from 'aws-sdk-client-mock';
import {
  DBInstanceNotFoundFault,
  DescribeDBInstancesCommand,
  InvalidDBInstanceStateFault,
  ModifyDBInstanceCommand,
  RDSClient,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { MemoryLogger } from '@ecs-ship/action-kit';
import type { DatabaseView } from '../src/databases.js';
import { swapDatabases } from '../src/swap.js';
import { Deadline } from '../src/wait.js';
import { steppingClock } from '@ecs-ship/testing/clock';

const rds = mockClient(RDSClient);
const client = new RDSClient({ region: 'eu-west-1' });

/**
 * Instances by identifier. A rename takes effect as RDS's does: pending for one look, `renaming` for one, then gone
 * under both names for one look, then `rebooting` under the new name, then `available`.
 */
let instances: Map<string, DBInstance>;
let renames: { from: string; to: string; looks: number }[];

function view(id: string, resourceId: string): DatabaseView {
  return {
    kind: 'instance',
    identifier: id,
    status: 'available',
    resourceId,
    securityGroups: [],
    tags: {},
    members: [],
  };
}

function tick(): void {
  for (const rename of renames) {
    rename.looks++;
    const db = instances.get(rename.from) ?? instances.get(`(moving) ${rename.to}`) ?? instances.get(rename.to);
    if (!db) continue;
    if (rename.looks === 1) db.DBInstanceStatus = 'renaming';
    if (rename.looks === 2) {
      instances.delete(rename.from);
      instances.set(`(moving) ${rename.to}`, db);
    }
    if (rename.looks === 3) {
      instances.delete(`(moving) ${rename.to}`);
      instances.set(rename.to, {
        ...db,
        DBInstanceIdentifier: rename.to,
        DBInstanceStatus: 'rebooting',
        PendingModifiedValues: {},
      });
    }
    if (rename.looks === 4) instances.get(rename.to)!.DBInstanceStatus = 'available';
  }
}

beforeEach(() => {
  rds.reset();
  renames = [];
  instances = new Map([
    ['shop-db', { DBInstanceIdentifier: 'shop-db', DBInstanceStatus: 'available', DbiResourceId: 'db-ORIGINAL' }],
    [
      'shop-db-restored',
      { DBInstanceIdentifier: 'shop-db-restored', DBInstanceStatus: 'available', DbiResourceId: 'db-RESTORED' },
    ],
  ]);
  rds.on(DescribeDBInstancesCommand).callsFake((input: { DBInstanceIdentifier: string }) => {
    tick();
    const found = instances.get(input.DBInstanceIdentifier);
    if (!found)
      throw new DBInstanceNotFoundFault({
        message: `DBInstance ${input.DBInstanceIdentifier} not found.`,
        $metadata: {},
      });
    return { DBInstances: [found] };
  });
  rds
    .on(ModifyDBInstanceCommand)
    .callsFake((input: { DBInstanceIdentifier: string; NewDBInstanceIdentifier: string }) => {
      const db = instances.get(input.DBInstanceIdentifier)!;
      db.PendingModifiedValues = { DBInstanceIdentifier: input.NewDBInstanceIdentifier };
      renames.push({ from: input.DBInstanceIdentifier, to: input.NewDBInstanceIdentifier, looks: 0 });
      return { DBInstance: db };
    });
});

function tools() {
  const clock = steppingClock();
  return {
    logger: new MemoryLogger(),
    clock,
    deadline: new Deadline(clock, 3_600_000, 'timeout-minutes'),
    pollIntervalMs: 10_000,
  };
}

test('renames the original to <id>-old, then the restored one to <id>, each confirmed by its resource id', async () => {
  const t = tools();
  const result = await swapDatabases(
    client,
    { kind: 'instance', original: view('shop-db', 'db-ORIGINAL'), restored: view('shop-db-restored', 'db-RESTORED') },
    t,
  );
  expect(rds.commandCalls(ModifyDBInstanceCommand).map((call) => call.args[0].input)).toEqual([
    { DBInstanceIdentifier: 'shop-db', NewDBInstanceIdentifier: 'shop-db-old', ApplyImmediately: true },
    { DBInstanceIdentifier: 'shop-db-restored', NewDBInstanceIdentifier: 'shop-db', ApplyImmediately: true },
  ]);
  expect(result.previousIdentifier).toBe('shop-db-old');
  expect(result.current).toMatchObject({ identifier: 'shop-db', resourceId: 'db-RESTORED', status: 'available' });
  expect(instances.get('shop-db-old')?.DbiResourceId).toBe('db-ORIGINAL');
  // While neither name answered, the wait went on.
  expect(t.logger.lines).toContain(
    'Waiting for DB instance shop-db-old (was shop-db) to be available: renaming (shop-db-old not in effect yet)',
  );
  expect(t.logger.lines).toContain('Waiting for DB instance shop-db-old (was shop-db) to be available: rebooting');
});

test('a lost answer to a rename: the retry is refused, but RDS shows the rename under way, so the swap goes on', async () => {
  let first = true;
  const takeEffect = rds.on(ModifyDBInstanceCommand);
  takeEffect.callsFake((input: { DBInstanceIdentifier: string; NewDBInstanceIdentifier: string }) => {
    const db = instances.get(input.DBInstanceIdentifier)!;
    if (first) {
      first = false;
      db.PendingModifiedValues = { DBInstanceIdentifier: input.NewDBInstanceIdentifier };
      renames.push({ from: input.DBInstanceIdentifier, to: input.NewDBInstanceIdentifier, looks: 0 });
      throw new InvalidDBInstanceStateFault({ message: 'Database instance is not in available state.', $metadata: {} });
    }
    db.PendingModifiedValues = { DBInstanceIdentifier: input.NewDBInstanceIdentifier };
    renames.push({ from: input.DBInstanceIdentifier, to: input.NewDBInstanceIdentifier, looks: 0 });
    return { DBInstance: db };
  });
  const t = tools();
  const result = await swapDatabases(
    client,
    { kind: 'instance', original: view('shop-db', 'db-ORIGINAL'), restored: view('shop-db-restored', 'db-RESTORED') },
    t,
  );
  expect(result.current.resourceId).toBe('db-RESTORED');
  expect(t.logger.lines).toContain('The answer to the rename was lost; RDS is renaming shop-db to shop-db-old.');
});

test('when the second rename fails, the error says what state the databases are in and how to finish or undo', async () => {
  let calls = 0;
  rds
    .on(ModifyDBInstanceCommand)
    .callsFake((input: { DBInstanceIdentifier: string; NewDBInstanceIdentifier: string }) => {
      if (++calls === 2)
        throw new InvalidDBInstanceStateFault({
          message: 'Database instance is not in available state.',
          $metadata: {},
        });
      renames.push({ from: input.DBInstanceIdentifier, to: input.NewDBInstanceIdentifier, looks: 0 });
      return {};
    });
  const error = await swapDatabases(
    client,
    { kind: 'instance', original: view('shop-db', 'db-ORIGINAL'), restored: view('shop-db-restored', 'db-RESTORED') },
    tools(),
  ).catch((e: unknown) => e as Error);
  expect(error.message).toBe(
    'The swap stopped half way: the original is now shop-db-old and the restored database is still shop-db-restored, so nothing may answer as shop-db. ' +
      'Finish it with `aws rds modify-db-instance --db-instance-identifier shop-db-restored --new-db-instance-identifier shop-db --apply-immediately`, ' +
      'or undo it with `aws rds modify-db-instance --db-instance-identifier shop-db-old --new-db-instance-identifier shop-db --apply-immediately`. ' +
      'Cause: Could not rename DB instance shop-db-restored to shop-db: InvalidDBInstanceStateFault: Database instance is not in available state.',
  );
});

test('another database answering under the new name is a failure, not a success', async () => {
  rds.on(ModifyDBInstanceCommand).callsFake(() => {
    instances.set('shop-db-old', {
      DBInstanceIdentifier: 'shop-db-old',
      DBInstanceStatus: 'available',
      DbiResourceId: 'db-SOMEONE-ELSE',
    });
    return {};
  });
  await expect(
    swapDatabases(
      client,
      { kind: 'instance', original: view('shop-db', 'db-ORIGINAL'), restored: view('shop-db-restored', 'db-RESTORED') },
      tools(),
    ),
  ).rejects.toThrow(
    /^Another database \(db-SOMEONE-ELSE\) answers as shop-db-old, not shop-db; DB instance shop-db-restored is available;/,
  );
});
