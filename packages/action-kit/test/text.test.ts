import { cutAtWord, truncate } from '@ecs-ship/action-kit';

describe('truncate', () => {
  test('keeps text that fits', () => {
    expect(truncate('deploy web', 10)).toBe('deploy web');
  });

  test('cuts at the last word boundary and ends with an ellipsis', () => {
    const text = 'ECS deployment circuit breaker: tasks failed to start.';
    const cut = truncate(text, 30);
    expect(cut).toBe('ECS deployment circuit…');
    expect(cut.length).toBeLessThanOrEqual(30);
    // Never half a word read as a whole one.
    expect(text.split(' ')).toEqual(expect.arrayContaining(cut.replace('…', '').split(' ')));
  });

  test('a cut right before a space keeps the whole last word, without the punctuation before the cut', () => {
    expect(truncate('one two, three', 9)).toBe('one two…');
  });

  test('a single long token (an ARN, a digest) is cut where the room ends', () => {
    const arn = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:12';
    expect(truncate(`see ${arn}`, 30)).toBe(`see ${arn.slice(0, 25)}…`);
  });

  test('never splits a surrogate pair', () => {
    const cut = truncate(`${'x'.repeat(8)}😀😀😀`, 10);
    expect(cut).toBe(`${'x'.repeat(8)}…`);
  });

  test('cutAtWord gives the head for callers with their own mark', () => {
    expect(cutAtWord('Slack accepted the message', 16)).toBe('Slack accepted');
  });
});
