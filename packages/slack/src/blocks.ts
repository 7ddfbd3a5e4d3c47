/** The small part of Block Kit this package writes and checks. */

export interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

export interface HeaderBlock {
  type: 'header';
  text: TextObject & { type: 'plain_text' };
}

export interface SectionBlock {
  type: 'section';
  text?: TextObject;
  fields?: TextObject[];
}

export interface ContextBlock {
  type: 'context';
  elements: TextObject[];
}

export interface DividerBlock {
  type: 'divider';
}

export type Block = HeaderBlock | SectionBlock | ContextBlock | DividerBlock;

/** What an incoming webhook takes. `text` is the notification fallback; custom payloads may hold any block. */
export interface SlackPayload {
  text: string;
  blocks?: Block[] | Record<string, unknown>[];
  [key: string]: unknown;
}

export const header = (text: string): HeaderBlock => ({
  type: 'header',
  text: { type: 'plain_text', text, emoji: true },
});
export const section = (text: string): SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
export const fieldsSection = (fields: string[]): SectionBlock => ({
  type: 'section',
  fields: fields.map((text) => ({ type: 'mrkdwn', text })),
});
export const context = (elements: string[]): ContextBlock => ({
  type: 'context',
  elements: elements.map((text) => ({ type: 'mrkdwn', text })),
});
export const divider = (): DividerBlock => ({ type: 'divider' });
