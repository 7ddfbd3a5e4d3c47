import { jest } from '@jest/globals';
import { runnerLogger } from '@ecs-ship/action-kit';

/** What runnerLogger writes to stdout while `act` runs. */
function printed(act: () => void): string[] {
  const out: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  try {
    act();
  } finally {
    write.mockRestore();
  }
  return out.join('').split('\n').slice(0, -1);
}

describe('runnerLogger groups', () => {
  test('a section started inside another is an indented sub-section, never a nested ::group::', () => {
    const lines = printed(() => {
      runnerLogger.startGroup('Snapshot and migration (production)');
      runnerLogger.info('Started task 0123');
      runnerLogger.startGroup('Logs of app (migrate/app/0123)');
      runnerLogger.info('migrating 1 of 2\nmigrating 2 of 2');
      runnerLogger.endGroup();
      runnerLogger.info('Task 0123 is STOPPED');
      runnerLogger.endGroup();
      runnerLogger.startGroup('Deploy (production)');
      runnerLogger.endGroup();
    });
    expect(lines).toEqual([
      '::group::Snapshot and migration (production)',
      'Started task 0123',
      '▸ Logs of app (migrate/app/0123)',
      '  migrating 1 of 2',
      '  migrating 2 of 2',
      'Task 0123 is STOPPED',
      '::endgroup::',
      '::group::Deploy (production)',
      '::endgroup::',
    ]);
  });

  test('an end without a start writes nothing', () => {
    expect(printed(() => runnerLogger.endGroup())).toEqual([]);
  });
});
