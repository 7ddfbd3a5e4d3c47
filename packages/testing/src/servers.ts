/**
 * Local HTTP(S) servers for the probe's tests: each counts its requests and the most it served at once, and answers
 * through a handler the test writes. A throwaway CA and server certificate are made with openssl for TLS tests.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Handler = (
  request: http.IncomingMessage,
  response: http.ServerResponse,
  index: number,
) => void | Promise<void>;

export interface TestServer {
  url: string;
  port: number;
  /** Requests received so far. */
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  /** The most requests in progress at the same time. */
  maxInFlight: number;
  close(): Promise<void>;
}

export async function startServer(
  handler: Handler,
  tls?: { key: string; cert: string },
  host = '127.0.0.1',
): Promise<TestServer> {
  let inFlight = 0;
  const state: TestServer = { url: '', port: 0, requests: [], maxInFlight: 0, close: async () => undefined };
  const listener = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = state.requests.length;
      state.requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      response.on('close', () => inFlight--);
      Promise.resolve(handler(request, response, index)).catch((error: unknown) => {
        response.writeHead(500);
        response.end(String(error));
      });
    });
  };
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  state.port = port;
  state.url = `${tls ? 'https' : 'http'}://${host}:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** Answers JSON with a status and optional headers. */
export function json(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A port with nothing listening: bound, read and closed again. */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface TestCertificates {
  dir: string;
  caFile: string;
  key: string;
  cert: string;
}

/**
 * A private CA and a certificate signed by it for `names` (subjectAltName entries; 127.0.0.1 and localhost by
 * default), made with openssl (argument arrays).
 */
export function makeCertificates(names: string[] = ['IP:127.0.0.1', 'DNS:localhost']): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'probe-tls-'));
  const file = (name: string) => join(dir, name);
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=ecs-ship test CA',
  ]);
  openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  writeFileSync(file('ext.cnf'), `subjectAltName=${names.join(',')}\nbasicConstraints=CA:FALSE\n`);
  openssl([
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.pem'),
    '-days',
    '2',
    '-extfile',
    file('ext.cnf'),
  ]);
  return {
    dir,
    caFile: file('ca.pem'),
    key: readFileSync(file('server.key'), 'utf8'),
    cert: readFileSync(file('server.pem'), 'utf8'),
  };
}
