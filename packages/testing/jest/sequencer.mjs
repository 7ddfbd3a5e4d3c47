// Jest's own order of test files, with one addition for a fresh clone, as CI has. Jest runs the files that failed
// last time first, then the longest first, by the times of earlier runs; a file it has not timed yet it places by
// size. A short file whose tests mostly wait (a soak loop, retries under faults, whole example workflows) would so
// start among the last and keep the run going long after the rest. Such a file says so with `@runs-long` in its
// header comment, and starts first until Jest has timed it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const { default: Sequencer } = createRequire(import.meta.url)('@jest/test-sequencer');

export const RUNS_LONG = '@runs-long';

/** Whether the file's header comment (before its first import) carries the mark. */
function markedLong(path) {
  const text = readFileSync(path, 'utf8');
  const header = text.slice(0, Math.max(0, text.indexOf('\nimport ')));
  return header.includes(RUNS_LONG);
}

export default class LongRunsFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const first = sorted.filter((test) => test.duration == null && markedLong(test.path));
    return [...first, ...sorted.filter((test) => !first.includes(test))];
  }
}
