/**
 * The order of test files: on a fresh clone a file marked `@runs-long` starts first, however small it is; once Jest
 * has timed the files, Jest's own order (longest first) holds, mark or not.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import LongRunsFirst, { RUNS_LONG } from '../jest/sequencer.mjs';

const folder = mkdtempSync(join(tmpdir(), 'sequencer-'));
const file = (name: string, text: string) => {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
};
const big = file('big.test.ts', `/** Many tests. */\nimport x from 'y';\n${'test("a", () => {});\n'.repeat(200)}`);
const soak = file('soak.test.ts', `/**\n * A loop.\n *\n * ${RUNS_LONG}: a hundred runs.\n */\nimport x from 'y';\n`);
const plain = file('plain.test.ts', `/** One test. */\nimport x from 'y';\ntest("b", () => {});\n`);
// The mark counts only in the header comment, not in a test's text.
const body = file('body.test.ts', `/** Two. */\nimport x from 'y';\n// ${RUNS_LONG}\ntest("c", () => {});\n`);

function tests(cache: boolean) {
  const context = {
    config: { cache, cacheDirectory: folder, id: 'sequencer-test', rootDir: folder, haste: {} },
    hasteFS: { getSize: (path: string) => statSync(path).size },
  };
  return [plain, body, soak, big].map((path) => ({ path, context, duration: undefined as number | undefined }));
}
const names = (sorted: { path: string }[]) => sorted.map((test) => test.path.slice(folder.length + 1));

test('untimed: the marked file first, then by size as Jest orders them', () => {
  const sequencer = new LongRunsFirst({ contexts: [], globalConfig: {} });
  expect(names(sequencer.sort(tests(false)))).toEqual(['soak.test.ts', 'big.test.ts', 'body.test.ts', 'plain.test.ts']);
});

test("timed: Jest's order by the times it recorded, the mark no longer counts", () => {
  const sequencer = new LongRunsFirst({ contexts: [], globalConfig: {} });
  const timed = tests(true);
  // Jest's record of the last run, where it keeps it: [1 = passed, milliseconds] per file.
  const cachePath = (sequencer as unknown as { _getCachePath(context: unknown): string })._getCachePath(
    timed[0]!.context,
  );
  writeFileSync(cachePath, JSON.stringify({ [plain]: [1, 9000], [body]: [1, 50], [soak]: [1, 100], [big]: [1, 4000] }));
  expect(names(sequencer.sort(timed))).toEqual(['plain.test.ts', 'big.test.ts', 'soak.test.ts', 'body.test.ts']);
});
