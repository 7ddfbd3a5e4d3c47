import { jest } from '@jest/globals';
import {
  addMask,
  cell,
  details,
  errorAnnotation,
  escapeData,
  escapeProperty,
  formatDuration,
  redact,
  table,
  UserError,
  InputError,
  oneLine,
} from '@ecs-ship/action-kit';

function captureStdout(fn: () => void): string {
  let written = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return written;
}

describe('workflow commands', () => {
  test('messages and properties are escaped by the runner rules', () => {
    expect(escapeData('50%\r\nnext')).toBe('50%25%0D%0Anext');
    expect(escapeProperty('a:b,c')).toBe('a%3Ab%2Cc');
  });

  test('an error annotation carries its title and stays on one line', () => {
    const out = captureStdout(() => errorAnnotation('first\nsecond', { title: 'svc: web' }));
    expect(out).toBe('::error title=svc%3A web::first%0Asecond\n');
  });

  test('a masked value is announced once and redacted from later annotations', () => {
    const secret = 'hunter2-very-secret';
    const out = captureStdout(() => {
      addMask(secret);
      addMask(secret);
      errorAnnotation(`login failed for ${secret}`);
    });
    expect(out).toBe(`::add-mask::${secret}\n::error::login failed for ***\n`);
    expect(redact(`x ${secret} y`)).toBe('x *** y');
  });
});

describe('errors', () => {
  test('a user error is one line', () => {
    expect(new UserError('a\n  b').message).toBe('a b');
    expect(oneLine(' x \r\n y ')).toBe('x y');
  });

  test('an input error names the input and ends each part as a sentence', () => {
    expect(new InputError('tags', 'it is empty', 'Give at least one tag').message).toBe(
      'Input "tags": it is empty. Give at least one tag.',
    );
  });
});

describe('markdown', () => {
  test('tables escape pipes and line breaks and show a dash for empty cells', () => {
    expect(
      table(
        ['a', 'b'],
        [
          ['x|y', ''],
          ['1\n2', undefined],
        ],
      ),
    ).toBe('| a | b |\n| --- | --- |\n| x\\|y | — |\n| 1<br>2 | — |');
    expect(cell(0)).toBe('0');
  });

  test('details fold a body, as code when asked', () => {
    expect(details('Logs <last 50>', 'line', true)).toBe(
      '<details><summary>Logs &lt;last 50&gt;</summary>\n\n```text\nline\n```\n\n</details>',
    );
  });

  test.each([
    [850, '850 ms'],
    [12_340, '12.3 s'],
    [245_000, '4 min 05 s'],
  ])('formatDuration(%s) = %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
