import { tagNameProblem } from '../src/ref-name.js';

describe('tagNameProblem (git check-ref-format for refs/tags/<name>)', () => {
  it.each(['v1.2.3', 'production-2026-11-23-4f6a0e1', 'releases/v1.0.0', 'a_b.c-d', 'v1.0.0+build.5', 'ünicode'])(
    'accepts %s',
    (name) => {
      expect(tagNameProblem(name)).toBeUndefined();
    },
  );

  it.each([
    ['', /empty/],
    ['@', /"@"/],
    ['-v1', /starts with "-"/],
    ['/v1', /"\/"/],
    ['v1/', /"\/"/],
    ['a//b', /"\/\/"/],
    ['v1.', /ends with "."/],
    ['v1..2', /"\.\."/],
    ['v@{1}', /"@\{"/],
    ['release 1', /a space/],
    ['v1~1', /"~"/],
    ['v1^', /"\^"/],
    ['a:b', /":"/],
    ['what?', /"\?"/],
    ['v*', /"\*"/],
    ['v[1]', /"\["/],
    ['a\\b', /"\\"/],
    ['tab\there', /control character U\+0009/],
    ['.hidden', /starts with "."/],
    ['a/.b', /"\.b" starts with "."/],
    ['v1.lock', /ends with "\.lock"/],
    ['x.lock/y', /ends with "\.lock"/],
  ])('refuses %j', (name, reason) => {
    expect(tagNameProblem(name)).toMatch(reason);
  });
});
