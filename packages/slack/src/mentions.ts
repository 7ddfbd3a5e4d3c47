/**
 * Who to call when a deployment fails, as Slack wants it written: `<@U…>` for a user, `<!subteam^S…>` for a user
 * group, `<!here>`/`<!channel>` for the channel. Plain `@name` does not notify anyone from a webhook, which is why
 * IDs are asked for.
 */
export function formatMention(id: string): string | undefined {
  const text = id.trim().replace(/^<|>$/g, '');
  const special = /^[@!]?(here|channel|everyone)$/i.exec(text);
  if (special) return `<!${special[1]!.toLowerCase()}>`;
  const user = /^@?([UW][A-Z0-9]{2,})$/.exec(text);
  if (user) return `<@${user[1]}>`;
  const group = /^(?:!subteam\^)?(S[A-Z0-9]{2,})$/.exec(text);
  if (group) return `<!subteam^${group[1]}>`;
  return undefined;
}
