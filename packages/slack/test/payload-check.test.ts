import { payloadProblems, validatePayload } from '../src/index.js';

const header = (text: string) => ({ type: 'header', text: { type: 'plain_text', text } });
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

test('a payload within the rules passes', () => {
  const payload = {
    text: 'fallback',
    blocks: [
      header('Deploy'),
      section('hello'),
      { type: 'divider' },
      {
        type: 'context',
        elements: [
          { type: 'image', image_url: 'https://x/i.png', alt_text: 'i' },
          { type: 'mrkdwn', text: 'x' },
        ],
      },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open' }, url: 'https://x' }] },
      { type: 'image', image_url: 'https://x/i.png', alt_text: 'chart' },
    ],
  };
  expect(payloadProblems(payload)).toEqual([]);
  expect(validatePayload(payload)).toEqual({ value: payload });
});

test('text alone is enough, and blocks alone too', () => {
  expect(payloadProblems({ text: 'hi' })).toEqual([]);
  expect(payloadProblems({ blocks: [section('hi')] })).toEqual([]);
});

test.each([
  [[], 'the payload is not a JSON object'],
  [{}, 'it has neither "text" nor "blocks"'],
  [{ text: 5 }, '"text" is not a string'],
  [{ text: 'x', blocks: {} }, '"blocks" is not an array'],
  [
    { text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) },
    '"blocks" has 51 blocks; Slack allows 50',
  ],
  [{ blocks: [{ text: 'x' }] }, 'blocks[0] has no "type"'],
  [{ blocks: [{ type: 'banner' }] }, 'blocks[0] has an unknown type "banner"'],
  [{ blocks: [header('h'.repeat(151))] }, 'blocks[0].text.text has 151 characters; Slack allows 150'],
  [{ blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }] }, 'blocks[0].text.type must be plain_text'],
  [{ blocks: [section('s'.repeat(3001))] }, 'blocks[0].text.text has 3001 characters; Slack allows 3000'],
  [{ blocks: [{ type: 'section' }] }, 'blocks[0] needs "text" or "fields"'],
  [
    { blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }] },
    'blocks[0].fields has 11 fields; Slack allows 10',
  ],
  [
    { blocks: [{ type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] }] },
    'blocks[0].fields[0].text has 2001 characters; Slack allows 2000',
  ],
  [
    { blocks: [{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) }] },
    'blocks[0].elements has 11 elements; Slack allows 10',
  ],
  [{ blocks: [{ type: 'context', elements: [] }] }, 'blocks[0].elements must be a non-empty array'],
  [{ blocks: [section('')] }, 'blocks[0].text.text must be a non-empty string'],
  [{ blocks: [{ type: 'actions', elements: [] }] }, 'blocks[0].elements must be a non-empty array'],
  [
    { blocks: [{ type: 'actions', elements: Array.from({ length: 26 }, () => ({ type: 'button' })) }] },
    'blocks[0].elements has 26 elements; Slack allows 25',
  ],
  [
    { blocks: [{ type: 'image', image_url: 'https://x/i.png' }] },
    'blocks[0] needs "image_url" (or "slack_file") and "alt_text"',
  ],
])('%j → %s', (payload, problem) => {
  expect(payloadProblems(payload)).toContain(problem);
  const result = validatePayload(payload);
  expect('problem' in result && result.problem).toContain(problem);
});

test('many problems are summed up in one line', () => {
  const result = validatePayload({ blocks: Array.from({ length: 5 }, () => ({ type: 'nope' })) });
  expect('problem' in result && result.problem).toBe(
    'Slack would refuse this payload: blocks[0] has an unknown type "nope"; blocks[1] has an unknown type "nope"; blocks[2] has an unknown type "nope" (and 2 more)',
  );
});
