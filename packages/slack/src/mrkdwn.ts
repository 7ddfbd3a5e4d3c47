/** Slack's mrkdwn: only `&`, `<` and `>` need escaping; `<url|text>` makes a link. */
export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A link, or the plain escaped text when there is no URL. The `|` in a label would end it early. */
export function link(text: string, url: string | undefined): string {
  if (!url) return escape(text);
  return `<${url.replace(/[<>|]/g, encodeURIComponent)}|${escape(text).replace(/\|/g, '¦')}>`;
}

export function bold(text: string): string {
  return `*${text}*`;
}

/** Inline code. Backticks inside would end it, so they become quotes. */
export function code(text: string): string {
  return `\`${escape(text).replace(/`/g, "'")}\``;
}

/** A code block for text that keeps its lines, such as a failure reason or a log excerpt. */
export function codeBlock(text: string): string {
  return `\`\`\`${escape(text).replace(/```/g, "'''")}\`\`\``;
}
