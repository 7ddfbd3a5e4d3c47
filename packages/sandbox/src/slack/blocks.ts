// Block Kit limits Slack enforces on incoming webhook messages (a message that breaks one is refused: invalid_blocks).

export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  actionsElements: 25,
  blockId: 255,
} as const;

const KNOWN_BLOCKS = new Set([
  'section',
  'header',
  'context',
  'divider',
  'actions',
  'image',
  'rich_text',
  'input',
  'file',
  'video',
  'markdown',
]);

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function textProblem(value: unknown, where: string, max: number, plainOnly = false): string | undefined {
  if (!isObject(value)) return `${where} must be a text object`;
  if (value.type !== 'plain_text' && value.type !== 'mrkdwn') return `${where}.type must be plain_text or mrkdwn`;
  if (plainOnly && value.type !== 'plain_text') return `${where}.type must be plain_text`;
  if (typeof value.text !== 'string' || value.text.length === 0) return `${where}.text must be more than 0 characters`;
  if (value.text.length > max) return `${where}.text must be less than ${max + 1} characters`;
  return undefined;
}

/** The first Block Kit rule the blocks break, or undefined when Slack would accept them. */
export function blocksProblem(blocks: unknown): string | undefined {
  if (!Array.isArray(blocks)) return 'blocks must be an array';
  if (blocks.length > LIMITS.blocks) return `no more than ${LIMITS.blocks} blocks allowed`;
  for (const [i, block] of blocks.entries()) {
    const at = `blocks[${i}]`;
    if (!isObject(block) || typeof block.type !== 'string') return `${at} must be an object with a type`;
    if (!KNOWN_BLOCKS.has(block.type)) return `${at}.type "${block.type}" is not a block type`;
    if (
      block.block_id !== undefined &&
      (typeof block.block_id !== 'string' || block.block_id.length > LIMITS.blockId)
    ) {
      return `${at}.block_id must be a string of at most ${LIMITS.blockId} characters`;
    }
    const problem = blockProblem(block, at);
    if (problem) return problem;
  }
  return undefined;
}

function blockProblem(block: Obj, at: string): string | undefined {
  switch (block.type) {
    case 'section': {
      if (block.text === undefined && block.fields === undefined) return `${at} must have text or fields`;
      if (block.text !== undefined) {
        const problem = textProblem(block.text, `${at}.text`, LIMITS.sectionText);
        if (problem) return problem;
      }
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields)) return `${at}.fields must be an array`;
        if (block.fields.length > LIMITS.sectionFields)
          return `${at}.fields must have at most ${LIMITS.sectionFields} items`;
        for (const [j, field] of block.fields.entries()) {
          const problem = textProblem(field, `${at}.fields[${j}]`, LIMITS.fieldText);
          if (problem) return problem;
        }
      }
      return undefined;
    }
    case 'header':
      return textProblem(block.text, `${at}.text`, LIMITS.headerText, true);
    case 'context':
      if (!Array.isArray(block.elements) || block.elements.length === 0)
        return `${at}.elements must be a non-empty array`;
      if (block.elements.length > LIMITS.contextElements) {
        return `${at}.elements must have at most ${LIMITS.contextElements} items`;
      }
      return undefined;
    case 'actions':
      if (!Array.isArray(block.elements) || block.elements.length === 0)
        return `${at}.elements must be a non-empty array`;
      if (block.elements.length > LIMITS.actionsElements) {
        return `${at}.elements must have at most ${LIMITS.actionsElements} items`;
      }
      return undefined;
    case 'image':
      if (typeof block.alt_text !== 'string' || (typeof block.image_url !== 'string' && !isObject(block.slack_file))) {
        return `${at} needs image_url and alt_text`;
      }
      return undefined;
    default:
      return undefined;
  }
}
