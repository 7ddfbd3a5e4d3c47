// The registry client against a registry that asks for the Bearer token flow (as Docker Hub-style registries do):
// a small HTTP server standing in for that external service.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RegistryClient } from '../src/distribution.js';

let server: Server;
let endpoint: string;
const seen: { path: string; authorization?: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/token') {
      const basic = `Basic ${Buffer.from('AWS:pw-for-token').toString('base64')}`;
      if (req.headers.authorization !== basic) return void res.writeHead(401).end();
      const scope = url.searchParams.getAll('scope').join(' ');
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ token: `token-for:${scope}` }));
    }
    if (req.headers.authorization !== 'Bearer token-for:repository:shop/web:pull,push') {
      res.writeHead(401, {
        'www-authenticate': `Bearer realm="${endpoint}/token",service="registry.test",scope="repository:shop/web:pull,push"`,
        'content-type': 'application/json',
      });
      return void res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
    }
    if (req.method === 'HEAD' && url.pathname.startsWith('/v2/shop/web/blobs/')) {
      return void res.writeHead(url.pathname.endsWith('a'.repeat(64)) ? 200 : 404).end();
    }
    if (req.method === 'PUT' && url.pathname.startsWith('/v2/shop/web/manifests/')) {
      res.writeHead(400, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_INVALID', message: 'manifest invalid' }] }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('RegistryClient', () => {
  it('follows a Bearer challenge with the basic credentials, then reuses the token', async () => {
    const client = new RegistryClient(endpoint, { username: 'AWS', password: 'pw-for-token' });
    expect(await client.hasBlob('shop/web', `sha256:${'a'.repeat(64)}`)).toBe(true);
    expect(await client.hasBlob('shop/web', `sha256:${'b'.repeat(64)}`)).toBe(false);
    const tokenRequests = seen.filter((s) => s.path.startsWith('/token'));
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]!.path).toContain('service=registry.test');
    // The second HEAD went straight out with the token.
    expect(seen.slice(-1)[0]!.authorization).toBe('Bearer token-for:repository:shop/web:pull,push');
  });

  it("reports the registry's own error code", async () => {
    const client = new RegistryClient(endpoint, { username: 'AWS', password: 'pw-for-token' });
    await expect(
      client.putManifest('shop/web', 'v1', Buffer.from('{}'), 'application/vnd.oci.image.manifest.v1+json'),
    ).rejects.toThrow('The registry could not put manifest shop/web:v1 (HTTP 400: MANIFEST_INVALID manifest invalid).');
  });

  it('says the credentials were refused when the token service refuses them', async () => {
    const client = new RegistryClient(endpoint, { username: 'AWS', password: 'wrong' });
    await expect(client.hasBlob('shop/web', `sha256:${'a'.repeat(64)}`)).rejects.toThrow(
      "The registry's token service refused the ECR credentials (HTTP 401).",
    );
  });
});
