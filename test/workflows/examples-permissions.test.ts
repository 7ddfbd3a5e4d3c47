/**
 * Every permission an example job declares is needed (examples-permissions.ts): the table covers every example, and
 * this file tests the permissions of the examples whose whole runs no other file makes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { repoRoot } from '@ecs-ship/testing';
import {
  PERMISSIONS_TESTED_IN,
  declaredPermissions,
  isKnownScope,
  permissionsOf,
  testEveryPermission,
} from './examples-permissions.js';
import { STARTS, useExamplesSandbox } from './examples-world.js';

jest.setTimeout(120_000);
useExamplesSandbox();

test('the permission table covers every example, and every job that declares something', () => {
  expect(Object.keys(PERMISSIONS_TESTED_IN).sort()).toEqual(Object.keys(STARTS).sort());
  const declared = declaredPermissions(Object.keys(STARTS));
  expect(declared.length).toBeGreaterThanOrEqual(10);
  expect(new Set(declared.map(([, , scope]) => scope))).toEqual(
    new Set(['contents', 'deployments', 'id-token', 'pull-requests']),
  );
  expect(declared.every(([, , scope]) => isKnownScope(scope))).toBe(true);
  // Each file the table names does test the permissions it is given, so none is left untested by a missing call.
  for (const file of new Set(Object.values(PERMISSIONS_TESTED_IN))) {
    const text = readFileSync(join(repoRoot, 'test', 'workflows', `${file}.test.ts`), 'utf8');
    expect({ file, calls: text.includes(`testEveryPermission(permissionsOf('${file}'))`) }).toEqual({
      file,
      calls: true,
    });
  }
});

testEveryPermission(permissionsOf('examples-permissions'));
