/** A Slack incoming-webhook endpoint for the bundle to post to, with recorded messages and scripted answers. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Answer = { status: number; body: string; retryAfter?: number };

export interface SlackEndpoint {
  /** The webhook URL, with a secret-looking path. */
  url: string;
  messages(): any[];
  /** Answers for the next posts, in order; after them, 200 ok. */
  answer(...answers: Answer[]): void;
  reset(): void;
  stop(): Promise<void>;
}

export const WEBHOOK_TOKEN = 'xoxWebhookSecretToken123';

export async function startSlackEndpoint(): Promise<SlackEndpoint> {
  let messages: any[] = [];
  let answers: Answer[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      messages.push(JSON.parse(body));
      const next = answers.shift() ?? { status: 200, body: 'ok' };
      const headers: Record<string, string> = { 'content-type': 'text/plain' };
      if (next.retryAfter !== undefined) headers['retry-after'] = String(next.retryAfter);
      res.writeHead(next.status, headers);
      res.end(next.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/services/T0ACME/B0OPS/${WEBHOOK_TOKEN}`,
    messages: () => messages,
    answer: (...next) => void answers.push(...next),
    reset: () => {
      messages = [];
      answers = [];
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
