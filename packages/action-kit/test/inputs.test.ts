import {
  ENVIRONMENT_VARIABLE,
  FULL_SHA,
  InputErrors,
  InputReader,
  inputVariableName,
  parseDuration,
  splitList,
} from '@ecs-ship/action-kit';

function reader(values: Record<string, string>): InputReader {
  return new InputReader((name) => values[name] ?? '');
}

describe('inputVariableName', () => {
  test.each([
    ['cluster', 'INPUT_CLUSTER'],
    ['task-definition', 'INPUT_TASK-DEFINITION'],
    ['my input', 'INPUT_MY_INPUT'],
  ])('%s → %s', (name, variable) => expect(inputVariableName(name)).toBe(variable));
});

describe('InputReader', () => {
  test('a required input that is empty is reported with the input named and advice', () => {
    const inputs = reader({});
    expect(inputs.string('cluster', { required: true, hint: 'Set it to the cluster name' })).toBeUndefined();
    expect(inputs.errors.map((e) => e.message)).toEqual([
      'Input "cluster": it is required but was not given. Set it to the cluster name.',
    ]);
  });

  test('values are trimmed', () => {
    expect(reader({ a: '  x  ' }).string('a')).toBe('x');
  });

  test.each([
    ['true', true],
    ['TRUE', true],
    ['False', false],
  ])('boolean %s', (text, value) => {
    expect(reader({ flag: text }).boolean('flag')).toBe(value);
  });

  test.each(['yes', '1', 'on', 'ture'])('boolean refuses %s', (text) => {
    const inputs = reader({ flag: text });
    expect(inputs.boolean('flag', { default: true })).toBeUndefined();
    expect(inputs.errors[0]!.message).toBe(`Input "flag": "${text}" is not a boolean. Use true or false.`);
  });

  test('a boolean falls back to its default when empty', () => {
    expect(reader({}).boolean('flag', { default: true })).toBe(true);
  });

  test('integers are bounded', () => {
    const inputs = reader({ a: '5', b: '-1', c: '2.5', d: '12' });
    expect(inputs.integer('a', { min: 0 })).toBe(5);
    expect(inputs.integer('b', { min: 0 })).toBeUndefined();
    expect(inputs.integer('c')).toBeUndefined();
    expect(inputs.integer('d', { max: 10 })).toBeUndefined();
    expect(inputs.errors.map((e) => e.message)).toEqual([
      'Input "b": -1 is below the minimum 0. Use at least 0.',
      'Input "c": "2.5" is not a whole number. Use a whole number.',
      'Input "d": 12 is above the maximum 10. Use at most 10.',
    ]);
  });

  test('decimals accept fractions', () => {
    expect(reader({ rate: '0.05' }).decimal('rate', { min: 0, max: 1 })).toBe(0.05);
    expect(reader({ rate: 'five' }).decimal('rate')).toBeUndefined();
  });

  test('durations take units or a bare number in the default unit', () => {
    const inputs = reader({ a: '90s', b: '5', c: '1h30m', d: 'soon' });
    expect(inputs.duration('a')).toBe(90_000);
    expect(inputs.duration('b', { unit: 'm' })).toBe(300_000);
    expect(inputs.duration('c')).toBe(5_400_000);
    expect(inputs.duration('d')).toBeUndefined();
    expect(inputs.errors[0]!.message).toContain('Input "d": "soon" is not a duration.');
  });

  test('enumerations match case-insensitively and return the listed spelling', () => {
    const inputs = reader({ mode: 'PLAN', other: 'sideways' });
    expect(inputs.enumeration('mode', ['deploy', 'plan'] as const)).toBe('plan');
    expect(inputs.enumeration('other', ['deploy', 'plan'] as const)).toBeUndefined();
    expect(inputs.errors[0]!.message).toBe(
      'Input "other": "sideways" is not one of deploy, plan. Use one of deploy, plan.',
    );
  });

  test('lists split on lines and commas and drop blanks and comments', () => {
    expect(reader({ s: 'a, b\n\n# note\nc\n' }).list('s')).toEqual(['a', 'b', 'c']);
    expect(reader({ s: 'a, b\nc' }).list('s', { separator: 'lines' })).toEqual(['a, b', 'c']);
    expect(splitList('', 'lines')).toEqual([]);
  });

  test('maps read key=value lines and refuse malformed or repeated keys', () => {
    expect([...reader({ m: 'web=repo:1\napi = repo@x=y' }).map('m')]).toEqual([
      ['web', 'repo:1'],
      ['api', 'repo@x=y'],
    ]);
    const inputs = reader({ a: 'novalue', b: 'k=1\nk=2' });
    inputs.map('a');
    inputs.map('b');
    expect(inputs.errors.map((e) => e.message)).toEqual([
      'Input "a": line "novalue" is not key=value. Write one key=value pair per line.',
      'Input "b": "k" is given twice. Give each key once.',
    ]);
  });

  test('json is parsed and validated', () => {
    const inputs = reader({ ok: '{"a":1}', bad: '{a:1}', wrong: '[]' });
    const isObject = (value: unknown) =>
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? { value: value as Record<string, unknown> }
        : { problem: 'it is not a JSON object', fix: 'Pass an object' };
    expect(inputs.json('ok', isObject)).toEqual({ a: 1 });
    expect(inputs.json('bad', isObject)).toBeUndefined();
    expect(inputs.json('wrong', isObject)).toBeUndefined();
    expect(inputs.errors[0]!.message).toMatch(/^Input "bad": it is not valid JSON \(/);
    expect(inputs.errors[1]!.message).toBe('Input "wrong": it is not a JSON object. Pass an object.');
  });

  test('every input read is remembered, bad or not, and finish() reports all problems together', () => {
    const inputs = reader({ a: 'x', b: 'maybe' });
    inputs.integer('a');
    inputs.boolean('b');
    inputs.string('c', { required: true });
    expect(inputs.names).toEqual(['a', 'b', 'c']);
    expect(() => inputs.finish()).toThrow(InputErrors);
    try {
      inputs.finish();
    } catch (error) {
      expect((error as InputErrors).errors).toHaveLength(3);
    }
  });

  test('a rule says what was expected and how to fix it, for a value and for each item of a list', () => {
    const inputs = reader({ sha: 'abc', shas: `${'a'.repeat(40)}\nmain`, keys: 'GOOD=1\n1BAD=2' });
    inputs.string('sha', { rule: FULL_SHA, hint: 'only for a missing value' });
    inputs.list('shas', { rule: FULL_SHA });
    inputs.map('keys', { keyRule: ENVIRONMENT_VARIABLE });
    expect(inputs.errors.map((e) => e.message)).toEqual([
      'Input "sha": "abc" is not a full commit SHA. Give all 40 lowercase hexadecimal characters, not a short SHA or a branch.',
      'Input "shas": "main" is not a full commit SHA. Give all 40 lowercase hexadecimal characters, not a short SHA or a branch.',
      'Input "keys": "1BAD" is not an environment variable name. Use letters, digits and _, not starting with a digit.',
    ]);
  });
});

describe('parseDuration', () => {
  test.each([
    ['250ms', 's', 250],
    ['1.5m', 's', 90_000],
    ['2h', 's', 7_200_000],
    ['10', 'ms', 10],
    ['', 's', undefined],
    ['5 m', 's', undefined],
    ['m', 's', undefined],
  ] as const)('%s (default unit %s) = %s', (text, unit, ms) => {
    expect(parseDuration(text, unit)).toBe(ms);
  });
});
