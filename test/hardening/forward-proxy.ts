/**
 * A forward proxy on loopback, as a self-hosted runner's network would have one, and a TLS front for the sandbox.
 *
 * The proxy logs every request it forwards (`GET http://host:port/path`) and every tunnel it opens
 * (`CONNECT host:port`), asks for Proxy-Authorization, and is the only thing that can resolve the tests' host names
 * (`*.proxy.test`, FACTS: "HTTP clients, proxies and redirects"): a client that reached such a host came through it,
 * and a client that bypasses it fails its DNS lookup.
 */
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';

export interface ProxyEntry {
  method: string;
  /** `host:port` for a tunnel, the absolute URL for a forwarded request. */
  target: string;
}

export interface ForwardProxy {
  /** The proxy's URL with its credentials, as HTTPS_PROXY / HTTP_PROXY carry them. */
  url: string;
  entries: ProxyEntry[];
  close(): Promise<void>;
}

export async function startForwardProxy(options: {
  /** Host name → the loopback address it stands for. */
  hosts: Record<string, string>;
  user: string;
  password: string;
}): Promise<ForwardProxy> {
  const entries: ProxyEntry[] = [];
  const sockets = new Set<net.Socket>();
  const expected = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`;
  const resolveHost = (host: string) => options.hosts[host.toLowerCase()];

  const server = http.createServer((req, res) => {
    // Forward form: the request line names the absolute URL.
    entries.push({ method: req.method ?? '', target: req.url ?? '' });
    if (req.headers['proxy-authorization'] !== expected) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const target = new URL(req.url ?? '');
    const address = resolveHost(target.hostname);
    if (!address || target.protocol !== 'http:') {
      res.writeHead(502).end(`cannot resolve ${target.hostname}`);
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request(
      {
        host: address,
        port: target.port || 80,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    entries.push({ method: 'CONNECT', target: req.url ?? '' });
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (req.headers['proxy-authorization'] !== expected) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const address = host ? resolveHost(host) : undefined;
    if (!address) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = net.connect(Number(port), address, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => (sockets.delete(upstream), client.destroy()));
    upstream.on('error', () => client.destroy());
  });
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.user}:${options.password}@127.0.0.1:${port}`,
    entries,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Terminates TLS (with `cert`) on a loopback port and passes the plain bytes to `targetPort`. */
export async function startTlsFront(
  targetPort: number,
  cert: { key: string; cert: string },
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ key: cert.key, cert: cert.cert }, (socket) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [socket, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => (socket.destroy(), upstream.destroy()));
    }
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
