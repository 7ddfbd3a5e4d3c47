import { rmSync } from 'node:fs';
import { json, makeCertificates, type TestCertificates } from '@ecs-ship/testing/servers';
import { closeServers, server, smoke } from './helpers.js';

/**
 * TLS is verified: a certificate from a private CA is refused, and accepted once that CA is given through
 * NODE_EXTRA_CA_CERTS (which Node reads only at start, hence a bundle run as a child process per case).
 */

let certs: TestCertificates;
beforeAll(() => {
  certs = makeCertificates();
});
afterAll(() => rmSync(certs.dir, { recursive: true, force: true }));
afterEach(closeServers);

describe('smoke-test over TLS with a private CA', () => {
  it('refuses the certificate when the CA is unknown, and says how to trust it', async () => {
    const s = await server((_, res) => json(res, 200, { ok: true }), { key: certs.key, cert: certs.cert });
    const run = await smoke(
      { checks: `- name: secure\n  url: ${s.url}/health` },
      { env: { NODE_EXTRA_CA_CERTS: undefined } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^secure: TLS certificate of 127\.0\.0\.1 is not trusted \([A-Z_]+\): it is signed by an unknown certificate authority; if the service uses a private CA, give its certificate file in NODE_EXTRA_CA_CERTS$/,
      ),
    ]);
    // The handshake failed: no request reached the application.
    expect(s.requests).toHaveLength(0);
  });

  it('accepts the certificate when the CA is given in NODE_EXTRA_CA_CERTS', async () => {
    const s = await server((_, res) => json(res, 200, { ok: true }), { key: certs.key, cert: certs.cert });
    const run = await smoke(
      { checks: `- name: secure\n  url: ${s.url}/health\n  expect: { json: { ok: true } }` },
      { env: { NODE_EXTRA_CA_CERTS: certs.caFile } },
    );
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(s.requests.map((r) => r.url)).toEqual(['/health']);
  });

  it('refuses a trusted certificate that does not cover the host name', async () => {
    // The certificate names 127.0.0.1 and localhost; serve it from another loopback address.
    const s = await server((_, res) => json(res, 200, {}), { key: certs.key, cert: certs.cert }, '127.0.0.2');
    const run = await smoke(
      { checks: `- name: wrong-host\n  url: ${s.url}/` },
      { env: { NODE_EXTRA_CA_CERTS: certs.caFile } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^wrong-host: TLS certificate does not cover the host name 127\.0\.0\.2/);
    expect(s.requests).toHaveLength(0);
  });
});
