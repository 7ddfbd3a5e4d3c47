import { LIMITS } from './limits.js';
import type { SlackPayload } from './blocks.js';

/** Block types Slack accepts in messages. */
const MESSAGE_BLOCK_TYPES = new Set([
  'actions',
  'context',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'video',
]);

/**
 * The problems Slack would refuse a payload for (`invalid_payload` / `invalid_blocks`), as readable lines with
 * the path of each: checked before anything is sent, so a bad custom payload fails the step at once instead of
 * being retried against Slack.
 */
export function payloadProblems(value: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(value)) return ['the payload is not a JSON object'];
  const { text, blocks, attachments } = value;
  if (text !== undefined && typeof text !== 'string') problems.push('"text" is not a string');
  const hasText = typeof text === 'string' && text.trim() !== '';
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
  if (!hasText && !hasBlocks && !hasAttachments) problems.push('it has neither "text" nor "blocks"');
  if (attachments !== undefined && !Array.isArray(attachments)) problems.push('"attachments" is not an array');
  if (blocks !== undefined) {
    if (!Array.isArray(blocks)) {
      problems.push('"blocks" is not an array');
    } else {
      if (blocks.length > LIMITS.blocks)
        problems.push(`"blocks" has ${blocks.length} blocks; Slack allows ${LIMITS.blocks}`);
      blocks.forEach((block, i) => problems.push(...blockProblems(block, `blocks[${i}]`)));
    }
  }
  return problems;
}

function blockProblems(block: unknown, path: string): string[] {
  if (!isObject(block)) return [`${path} is not an object`];
  const type = block.type;
  if (typeof type !== 'string') return [`${path} has no "type"`];
  if (!MESSAGE_BLOCK_TYPES.has(type)) return [`${path} has an unknown type "${type}"`];
  const problems: string[] = [];
  if (block.block_id !== undefined && (typeof block.block_id !== 'string' || block.block_id.length > 255)) {
    problems.push(`${path}.block_id must be a string of at most 255 characters`);
  }
  switch (type) {
    case 'header':
      problems.push(...textProblems(block.text, `${path}.text`, LIMITS.headerText, ['plain_text']));
      break;
    case 'section':
      if (block.text === undefined && block.fields === undefined) {
        problems.push(`${path} needs "text" or "fields"`);
      }
      if (block.text !== undefined) problems.push(...textProblems(block.text, `${path}.text`, LIMITS.sectionText));
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields) || block.fields.length === 0) {
          problems.push(`${path}.fields must be a non-empty array`);
        } else {
          if (block.fields.length > LIMITS.fieldsPerSection) {
            problems.push(`${path}.fields has ${block.fields.length} fields; Slack allows ${LIMITS.fieldsPerSection}`);
          }
          block.fields.forEach((field, i) =>
            problems.push(...textProblems(field, `${path}.fields[${i}]`, LIMITS.fieldText)),
          );
        }
      }
      break;
    case 'context':
      if (!Array.isArray(block.elements) || block.elements.length === 0) {
        problems.push(`${path}.elements must be a non-empty array`);
      } else if (block.elements.length > LIMITS.contextElements) {
        problems.push(`${path}.elements has ${block.elements.length} elements; Slack allows ${LIMITS.contextElements}`);
      } else {
        block.elements.forEach((element, i) => {
          // Images are context elements too; only text elements carry text to check.
          if (isObject(element) && element.type === 'image') return;
          problems.push(...textProblems(element, `${path}.elements[${i}]`, LIMITS.contextElementText));
        });
      }
      break;
    case 'actions':
      if (!Array.isArray(block.elements) || block.elements.length === 0) {
        problems.push(`${path}.elements must be a non-empty array`);
      } else if (block.elements.length > LIMITS.actionsElements) {
        problems.push(`${path}.elements has ${block.elements.length} elements; Slack allows ${LIMITS.actionsElements}`);
      }
      break;
    case 'image':
      if (typeof block.alt_text !== 'string' || (typeof block.image_url !== 'string' && !isObject(block.slack_file))) {
        problems.push(`${path} needs "image_url" (or "slack_file") and "alt_text"`);
      }
      break;
  }
  return problems;
}

function textProblems(value: unknown, path: string, max: number, types: string[] = ['plain_text', 'mrkdwn']): string[] {
  if (!isObject(value)) return [`${path} is not a text object`];
  if (typeof value.type !== 'string' || !types.includes(value.type)) {
    return [`${path}.type must be ${types.join(' or ')}`];
  }
  if (typeof value.text !== 'string' || value.text.length === 0) return [`${path}.text must be a non-empty string`];
  if (value.text.length > max) return [`${path}.text has ${value.text.length} characters; Slack allows ${max}`];
  return [];
}

function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The input reader's validator for a custom payload: the first problems, named, or the payload. */
export function validatePayload(value: unknown): { value: SlackPayload } | { problem: string; fix: string } {
  const problems = payloadProblems(value);
  if (problems.length === 0) {
    const payload = value as SlackPayload;
    return { value: { ...payload, text: typeof payload.text === 'string' ? payload.text : '' } };
  }
  const shown = problems.slice(0, 3).join('; ');
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
  return {
    problem: `Slack would refuse this payload: ${shown}${more}`,
    fix: 'Fix the Block Kit payload (Block Kit Builder shows the errors), or leave "payload" empty to send the generated message',
  };
}
