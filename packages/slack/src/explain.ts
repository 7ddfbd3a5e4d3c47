/**
 * Slack's webhook errors in words a person can act on. The body of an error answer is a short code such as
 * `channel_not_found`; anything else it holds is left out, so that no echo of the request reaches the log.
 */
const EXPLANATIONS: Record<string, string> = {
  invalid_payload: 'Slack could not read the message (invalid_payload): it is not JSON, or has neither text nor blocks',
  missing_text_or_fallback_or_attachments:
    'Slack refused an empty message (missing_text_or_fallback_or_attachments): give it text, blocks or attachments',
  invalid_blocks:
    'Slack refused the blocks (invalid_blocks): a block breaks a Block Kit rule; check the custom payload',
  invalid_blocks_format: 'Slack refused the blocks (invalid_blocks_format): "blocks" must be an array of block objects',
  too_many_attachments: 'Slack refused the message (too_many_attachments): send at most 100 attachments',
  action_prohibited:
    "Slack refused the message (action_prohibited): the workspace's admins restricted this webhook; ask them, or use another webhook",
  posting_to_general_channel_denied:
    'Slack refused the message (posting_to_general_channel_denied): only admins may post to this channel; use a webhook for another channel',
  no_service:
    'Slack does not know this webhook (no_service): it was revoked or mistyped; create a new incoming webhook and update the secret',
  no_team:
    'Slack does not know the workspace of this webhook (no_team): create a new incoming webhook and update the secret',
  team_disabled: "Slack refused the message (team_disabled): the webhook's workspace is disabled",
  channel_not_found:
    "Slack cannot find the webhook's channel (channel_not_found): it was deleted or made private; create a webhook for an existing channel",
  channel_is_archived:
    "The webhook's channel is archived (channel_is_archived): unarchive it, or create a webhook for another channel",
  user_not_found: 'Slack cannot find the user this webhook posts to (user_not_found): create a new webhook',
};

/** A Slack error code from a response body, when the body is one; never the body itself otherwise. */
export function errorCode(body: string): string | undefined {
  const text = body.trim();
  return /^[a-z][a-z0-9_]{1,63}$/.test(text) ? text : undefined;
}

export function explainHttpError(status: number, body: string): string {
  const code = errorCode(body);
  if (code && EXPLANATIONS[code]) return `${EXPLANATIONS[code]} (HTTP ${status})`;
  const suffix = code ? ` (${code})` : '';
  if (status === 429) return `Slack is rate limiting this webhook (HTTP 429)${suffix}`;
  if (status >= 500) return `Slack had a server error (HTTP ${status})${suffix}`;
  if (status === 404) return `Slack does not know this webhook (HTTP 404)${suffix}: check the webhook URL secret`;
  if (status === 410) return `The webhook's channel is gone or archived (HTTP 410)${suffix}`;
  if (status === 401 || status === 403)
    return `Slack refused this webhook (HTTP ${status})${suffix}: check the webhook URL secret`;
  return `Slack refused the message (HTTP ${status})${suffix}`;
}

/**
 * A connection failure in plain words, from the error's code: fetch errors mention the address they tried, and
 * the webhook's path is a secret, so nothing of the original message is used.
 */
export function explainRequestError(error: unknown, host: string, timeoutMs: number): string {
  const code = findCode(error);
  switch (code) {
    case 'ECONNREFUSED':
      return `the connection to ${host} was refused`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `the connection to ${host} was reset`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${host} could not be resolved (DNS ${code})`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `connecting to ${host} timed out`;
    case 'TimeoutError':
      return `${host} did not answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`;
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the TLS certificate of ${host} was not accepted (${code})`;
    default:
      return `the request to ${host} failed${code ? ` (${code})` : ''}`;
  }
}

/** The first error code along the cause chain (fetch wraps the socket's error in `cause`). */
function findCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 6; depth++) {
    const e = current as { code?: unknown; name?: unknown; cause?: unknown; original?: unknown };
    if (e.name === 'TimeoutError') return 'TimeoutError';
    if (typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code)) return e.code;
    current = e.original ?? e.cause;
  }
  return undefined;
}
