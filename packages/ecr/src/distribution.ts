// A client for the OCI distribution API (`/v2/...`), the registry side of ECR: blobs, uploads and manifests.
// It authenticates with HTTP basic auth from the ECR token, and follows a Bearer challenge when a registry asks for
// one. It counts what it sends, so that a repeated push can show it uploaded nothing. Requests go through the suite's
// HTTP policy (proxy variables, timeouts); a redirect to another origin (a blob served from storage) loses the
// registry credentials, as the Fetch standard requires.
import { UserError } from '@ecs-ship/action-kit';
import { httpFetch } from '@ecs-ship/action-kit/http';

export interface RegistryAuth {
  username: string;
  password: string;
}

export interface TransferStats {
  blobsUploaded: number;
  bytesUploaded: number;
  blobsSkipped: number;
  blobsMounted: number;
  manifestsPut: number;
  requests: number;
}

export const ACCEPT_MANIFESTS = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH';

/** A registry answer, its body read in full (every body here is small: manifests, configs, errors). */
interface Answer {
  status: number;
  headers: Headers;
  body: Buffer;
}

export class RegistryClient {
  readonly stats: TransferStats = {
    blobsUploaded: 0,
    bytesUploaded: 0,
    blobsSkipped: 0,
    blobsMounted: 0,
    manifestsPut: 0,
    requests: 0,
  };
  private bearer = new Map<string, string>();

  constructor(
    /** `https://host[:port]` as ECR's proxyEndpoint names it. */
    readonly endpoint: string,
    private readonly auth: RegistryAuth,
    private readonly signal?: AbortSignal,
  ) {}

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const response = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`, repository);
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw await this.failure(response, `check blob ${digest}`);
  }

  /** Mounts a blob from another repository of the same registry; false when the registry started an upload instead. */
  async mountBlob(repository: string, digest: string, from: string): Promise<{ mounted: boolean; location?: string }> {
    const response = await this.request(
      'POST',
      `/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`,
      repository,
      { scope: `repository:${repository}:pull,push repository:${from}:pull` },
    );
    if (response.status === 201) {
      this.stats.blobsMounted += 1;
      return { mounted: true };
    }
    if (response.status === 202) return { mounted: false, location: response.headers.get('location') ?? undefined };
    throw await this.failure(response, `mount blob ${digest} from ${from}`);
  }

  async startUpload(repository: string): Promise<string> {
    const response = await this.request('POST', `/v2/${repository}/blobs/uploads/`, repository);
    const location = response.headers.get('location');
    if (response.status !== 202 || !location) throw await this.failure(response, 'start a blob upload');
    return location;
  }

  /**
   * Uploads a blob in one PUT, or in chunks of `chunkSize` (PATCH with Content-Range, then a closing PUT).
   * `read(offset, length)` supplies the bytes.
   */
  async uploadBlob(
    repository: string,
    digest: string,
    size: number,
    read: (offset: number, length: number) => Promise<Buffer>,
    chunkSize: number,
    location?: string,
  ): Promise<void> {
    let url = location ?? (await this.startUpload(repository));
    if (size <= chunkSize) {
      const body = await read(0, size);
      const response = await this.request('PUT', withDigest(url, digest), repository, {
        body,
        headers: { 'content-type': 'application/octet-stream' },
      });
      if (response.status !== 201) throw await this.failure(response, `upload blob ${digest}`);
      this.stats.bytesUploaded += body.length;
    } else {
      for (let offset = 0; offset < size; offset += chunkSize) {
        const body = await read(offset, Math.min(chunkSize, size - offset));
        const response = await this.request('PATCH', url, repository, {
          body,
          headers: {
            'content-type': 'application/octet-stream',
            'content-range': `${offset}-${offset + body.length - 1}`,
          },
        });
        if (response.status !== 202) throw await this.failure(response, `upload a chunk of blob ${digest}`);
        this.stats.bytesUploaded += body.length;
        url = response.headers.get('location') ?? url;
      }
      const response = await this.request('PUT', withDigest(url, digest), repository);
      if (response.status !== 201) throw await this.failure(response, `finish the upload of blob ${digest}`);
    }
    this.stats.blobsUploaded += 1;
  }

  /** The digest a tag or digest reference resolves to, or undefined when the registry has no such manifest. */
  async manifestDigest(repository: string, reference: string): Promise<string | undefined> {
    const response = await this.request('HEAD', `/v2/${repository}/manifests/${reference}`, repository, {
      headers: { accept: ACCEPT_MANIFESTS },
    });
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw await this.failure(response, `look up ${repository}:${reference}`);
    return response.headers.get('docker-content-digest') ?? undefined;
  }

  async getManifest(repository: string, reference: string): Promise<{ bytes: Buffer; mediaType: string } | undefined> {
    const response = await this.request('GET', `/v2/${repository}/manifests/${reference}`, repository, {
      headers: { accept: ACCEPT_MANIFESTS },
    });
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw await this.failure(response, `read ${repository}:${reference}`);
    return {
      bytes: response.body,
      mediaType: response.headers.get('content-type') ?? '',
    };
  }

  async getBlob(repository: string, digest: string): Promise<Buffer> {
    const response = await this.request('GET', `/v2/${repository}/blobs/${digest}`, repository);
    if (response.status !== 200) throw await this.failure(response, `read blob ${digest}`);
    return response.body;
  }

  /** Puts a manifest under a tag or its digest; returns the digest the registry computed. */
  async putManifest(repository: string, reference: string, bytes: Buffer, mediaType: string): Promise<string> {
    const response = await this.request('PUT', `/v2/${repository}/manifests/${reference}`, repository, {
      body: bytes,
      headers: { 'content-type': mediaType },
    });
    if (response.status !== 201) throw await this.failure(response, `put manifest ${repository}:${reference}`);
    this.stats.manifestsPut += 1;
    return response.headers.get('docker-content-digest') ?? '';
  }

  private async request(
    method: Method,
    pathOrUrl: string,
    repository: string,
    options: { body?: Buffer; headers?: Record<string, string>; scope?: string } = {},
  ): Promise<Answer> {
    const url = new URL(pathOrUrl, this.endpoint);
    const scope = options.scope ?? `repository:${repository}:pull,push`;
    const send = async (authorization: string): Promise<Answer> => {
      this.stats.requests += 1;
      const response = await httpFetch(url, {
        method,
        headers: { ...options.headers, authorization },
        ...(options.body ? { body: options.body } : {}),
        redirect: 'follow',
        signal: this.signal,
      });
      return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
    };
    const token = this.bearer.get(scope);
    let response = await send(token ? `Bearer ${token}` : this.basic());
    if (response.status === 401) {
      const challenge = response.headers.get('www-authenticate') ?? '';
      if (/^bearer /i.test(challenge)) {
        const fresh = await this.fetchBearer(challenge, scope);
        this.bearer.set(scope, fresh);
        response = await send(`Bearer ${fresh}`);
      }
    }
    if (response.status === 401) {
      throw new UserError(
        `The registry ${url.host} refused the ECR credentials (HTTP 401). Check that the role may push to "${repository}".`,
        { title: 'Registry' },
      );
    }
    return response;
  }

  /** The token flow a registry asks for with `WWW-Authenticate: Bearer realm=...,service=...,scope=...`. */
  private async fetchBearer(challenge: string, scope: string): Promise<string> {
    const params = Object.fromEntries(
      [...challenge.slice(7).matchAll(/([a-zA-Z]+)="([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), m[2]!]),
    );
    if (!params.realm)
      throw new UserError('The registry asked for a Bearer token without naming a realm.', { title: 'Registry' });
    const realm = new URL(params.realm);
    if (params.service) realm.searchParams.set('service', params.service);
    for (const part of (params.scope ?? scope).split(' ')) realm.searchParams.append('scope', part);
    this.stats.requests += 1;
    const response = await httpFetch(realm, { headers: { authorization: this.basic() }, signal: this.signal });
    if (!response.ok) {
      throw new UserError(`The registry's token service refused the ECR credentials (HTTP ${response.status}).`, {
        title: 'Registry',
      });
    }
    const body = (await response.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new UserError('The registry token service answered without a token.', { title: 'Registry' });
    return token;
  }

  private basic(): string {
    return `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString('base64')}`;
  }

  /** A failure with the registry's own error code and message (`{"errors":[{"code","message"}]}`) when it gave one. */
  private async failure(response: Answer, what: string): Promise<UserError> {
    let detail = '';
    try {
      const body = JSON.parse(response.body.toString('utf8')) as { errors?: { code?: string; message?: string }[] };
      const first = body.errors?.[0];
      if (first) detail = `: ${[first.code, first.message].filter(Boolean).join(' ')}`;
    } catch {
      // No JSON body (HEAD answers have none).
    }
    return new UserError(`The registry could not ${what} (HTTP ${response.status}${detail}).`, { title: 'Registry' });
  }
}

function withDigest(location: string, digest: string): string {
  return `${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`;
}
