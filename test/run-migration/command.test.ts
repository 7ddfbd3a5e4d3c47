// Commands given as text are split into words without any shell.
import { splitWords } from '../../actions/run-migration-task/src/command.js';

test.each([
  ['bundle exec rails db:migrate', ['bundle', 'exec', 'rails', 'db:migrate']],
  ['  npm   run\tmigrate \n', ['npm', 'run', 'migrate']],
  [`sh -c "echo 'a b'; exit 3"`, ['sh', '-c', "echo 'a b'; exit 3"]],
  [`psql -c 'SELECT "id" FROM t'`, ['psql', '-c', 'SELECT "id" FROM t']],
  ['echo $HOME `id` *', ['echo', '$HOME', '`id`', '*']],
  ['say "" done', ['say', '', 'done']],
  ['a\\ b "c \\" d"', ['a b', 'c " d']],
])('%s', (text, words) => {
  expect(splitWords(text)).toEqual(words);
});

test('an unclosed quote is refused', () => {
  expect(splitWords('rails "db:migrate')).toBeUndefined();
  expect(splitWords("it's")).toBeUndefined();
});
