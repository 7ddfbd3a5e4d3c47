// The /_sandbox control endpoints: the recorder, faults, scenario and environment over HTTP, for the CLI and for
// tests in other processes.
import type { WireAnswer } from './dispatch.js';
import type { CallFilter } from './recorder.js';
import type { SandboxServer } from './server.js';

export function control(server: SandboxServer, method: string, url: URL, body: Buffer): WireAnswer {
  const reply = (status: number, value: unknown): WireAnswer => ({
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(value),
  });
  try {
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/_sandbox/health' && method === 'GET') return reply(200, { ok: true, modules: server.keys() });
    if (path === '/_sandbox/env' && method === 'GET') return reply(200, server.env());
    if (path === '/_sandbox/secrets' && method === 'GET') return reply(200, { secrets: server.secrets() });
    if (path === '/_sandbox/calls' && method === 'GET') {
      const filter: CallFilter = {};
      const q = url.searchParams;
      if (q.has('service')) filter.service = q.get('service') ?? undefined;
      if (q.has('operation')) filter.operation = q.get('operation') ?? undefined;
      if (q.has('mutating')) filter.mutating = q.get('mutating') === 'true';
      if (q.has('failed')) filter.failed = q.get('failed') === 'true';
      return reply(200, { calls: server.recorder.calls(filter) });
    }
    if (path === '/_sandbox/calls' && method === 'DELETE') {
      server.recorder.clear();
      return reply(200, { ok: true });
    }
    if (path === '/_sandbox/violations' && method === 'GET') return reply(200, { violations: server.violations() });
    if (path === '/_sandbox/faults' && method === 'GET') return reply(200, { faults: server.faults.list() });
    if (path === '/_sandbox/faults' && method === 'POST') {
      const parsed = JSON.parse(body.toString('utf8') || 'null') as unknown;
      server.faults.inject(...(Array.isArray(parsed) ? parsed : [parsed]));
      return reply(200, { faults: server.faults.list() });
    }
    if (path === '/_sandbox/faults' && method === 'DELETE') {
      server.faults.clear();
      return reply(200, { faults: [] });
    }
    if (path === '/_sandbox/scenario' && method === 'POST') {
      const text = body.toString('utf8');
      if (!text.trim()) return reply(400, { message: 'Send the scenario (YAML or JSON) as the request body' });
      server.load(text.includes('\n') ? text : `${text}\n`);
      return reply(200, { ok: true, modules: server.keys() });
    }
    return reply(404, { message: `No control endpoint ${method} ${url.pathname}` });
  } catch (error) {
    return reply(400, { message: (error as Error).message });
  }
}
