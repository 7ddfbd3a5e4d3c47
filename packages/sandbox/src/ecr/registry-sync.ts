// In ECR the API and the registry are two views of one store: an image pushed over `/v2/...` is in DescribeImages,
// and a tag added with PutImage can be pulled. With `syncWithRegistry`, the module keeps the scenario's registry
// (a real OCI registry such as Debian's docker-registry) and its own state in step the same way: reads look the
// image up in the registry and import it, and PutImage writes the tag through to the registry.
import { AwsError } from '../core/module.js';
import { MANIFEST_MEDIA_TYPES } from './manifest.js';
import type { EcrState, ImageId, Repository } from './state.js';

const ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');

export class RegistrySync {
  private readonly authorization: string;

  constructor(
    private readonly state: EcrState,
    private readonly registry: string,
    password: string,
  ) {
    this.authorization = `Basic ${Buffer.from(`AWS:${password}`).toString('base64')}`;
  }

  /** Brings the images these ids name up to date from the registry (a tag the registry moved moves here too). */
  async refresh(repository: Repository, ids: ImageId[]): Promise<void> {
    for (const id of ids) {
      const reference = id.imageTag ?? id.imageDigest;
      if (reference === undefined) continue;
      if (id.imageTag === undefined && repository.images.has(reference)) continue;
      const found = await this.fetchManifest(repository.name, reference);
      if (found) {
        this.state.seedImage(
          repository,
          found.text,
          id.imageTag !== undefined ? [id.imageTag] : [],
          undefined,
          found.mediaType,
        );
      }
    }
  }

  /** Imports every tag the registry lists for the repository. */
  async refreshAll(repository: Repository): Promise<void> {
    const response = await this.request('GET', `/v2/${repository.name}/tags/list`);
    if (response?.status !== 200) return;
    const { tags } = (await response.json()) as { tags?: string[] | null };
    await this.refresh(
      repository,
      (tags ?? []).map((imageTag) => ({ imageTag })),
    );
  }

  /** Writes a tag through to the registry, as ECR's PutImage makes it pullable. */
  async putTag(repository: Repository, tag: string, manifest: string, mediaType: string): Promise<void> {
    const response = await this.request('PUT', `/v2/${repository.name}/manifests/${tag}`, {
      body: manifest,
      headers: { 'content-type': mediaType },
    });
    if (!response || response.status !== 201) {
      throw new AwsError(
        'ServerException',
        `The registry refused the manifest for ${repository.name}:${tag} (HTTP ${response?.status ?? 'unreachable'})`,
        500,
      );
    }
  }

  private async fetchManifest(
    name: string,
    reference: string,
  ): Promise<{ text: string; mediaType: string } | undefined> {
    const response = await this.request('GET', `/v2/${name}/manifests/${reference}`, { headers: { accept: ACCEPT } });
    if (response?.status !== 200) return undefined;
    return {
      // The exact bytes: the digest is computed from them.
      text: Buffer.from(await response.arrayBuffer()).toString('utf8'),
      mediaType: (response.headers.get('content-type') ?? '').split(';')[0]!.trim(),
    };
  }

  private async request(
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<Response | undefined> {
    try {
      return await fetch(new URL(path, this.registry), {
        method,
        headers: { ...init.headers, authorization: this.authorization },
        ...(init.body !== undefined ? { body: init.body } : {}),
      });
    } catch {
      // An unreachable registry leaves the module's own state as the answer.
      return undefined;
    }
  }
}
