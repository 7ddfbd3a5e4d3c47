// Reading an OCI image layout (a directory, or a tar of one as `docker buildx build --output type=oci` writes).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { createWriteStream } from 'node:fs';
import { UserError } from '@ecs-ship/action-kit';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

export interface Manifest {
  schemaVersion?: number;
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
  annotations?: Record<string, string>;
}

export const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);
export const MANIFEST_TYPES = new Set([
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
]);

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** An opened layout: blobs are read from disk by digest. */
export class OciLayout {
  private constructor(
    readonly root: string,
    readonly index: Manifest,
    readonly indexBytes: Buffer,
    private readonly cleanup?: () => Promise<void>,
  ) {}

  /** Opens a layout directory, or extracts a layout tar (optionally gzipped) into a temporary directory first. */
  static async open(path: string, scratch: string = tmpdir()): Promise<OciLayout> {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new UserError(`The OCI archive "${path}" does not exist.`, { title: 'OCI layout' });
    }
    let root = path;
    let cleanup: (() => Promise<void>) | undefined;
    if (!info.isDirectory()) {
      root = await mkdtemp(join(scratch, 'oci-layout-'));
      cleanup = () => rm(root, { recursive: true, force: true });
      try {
        await extractLayout(path, root);
      } catch (error) {
        await cleanup();
        throw error instanceof UserError
          ? error
          : new UserError(`"${path}" is not a readable tar of an OCI image layout (${(error as Error).message}).`, {
              title: 'OCI layout',
            });
      }
    }
    let marker: { imageLayoutVersion?: string };
    let indexBytes: Buffer;
    let index: Manifest;
    try {
      marker = JSON.parse(await readFile(join(root, 'oci-layout'), 'utf8')) as typeof marker;
      indexBytes = await readFile(join(root, 'index.json'));
      index = JSON.parse(indexBytes.toString('utf8')) as Manifest;
    } catch {
      await cleanup?.();
      throw new UserError(
        `"${path}" is not an OCI image layout (it needs an oci-layout file and an index.json). Write one with docker buildx build --output type=oci,dest=<file>.`,
        { title: 'OCI layout' },
      );
    }
    if (marker.imageLayoutVersion !== '1.0.0' || !Array.isArray(index.manifests) || index.manifests.length === 0) {
      await cleanup?.();
      throw new UserError(`"${path}" is not an OCI image layout 1.0.0 with at least one manifest.`, {
        title: 'OCI layout',
      });
    }
    return new OciLayout(root, index, indexBytes, cleanup);
  }

  blobPath(digest: string): string {
    const [algorithm, hex] = digest.split(':');
    if (algorithm !== 'sha256' || !hex || !/^[a-f0-9]{64}$/.test(hex)) {
      throw new UserError(`The OCI layout names an unsupported digest "${digest}".`, { title: 'OCI layout' });
    }
    return join(this.root, 'blobs', algorithm, hex);
  }

  /** A small blob (a manifest or config), checked against its digest and size. */
  async readVerified(descriptor: Descriptor): Promise<Buffer> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.blobPath(descriptor.digest));
    } catch {
      throw new UserError(`The OCI layout is missing blob ${descriptor.digest}.`, { title: 'OCI layout' });
    }
    if (sha256(bytes) !== descriptor.digest || bytes.length !== descriptor.size) {
      throw new UserError(`Blob ${descriptor.digest} in the OCI layout does not match its digest or size.`, {
        title: 'OCI layout',
      });
    }
    return bytes;
  }

  /** Checks a (possibly large) blob on disk against its descriptor by streaming it. */
  async verifyBlob(descriptor: Descriptor): Promise<void> {
    const path = this.blobPath(descriptor.digest);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      throw new UserError(`The OCI layout is missing blob ${descriptor.digest}.`, { title: 'OCI layout' });
    }
    const hash = createHash('sha256');
    await pipeline(createReadStream(path), hash);
    if (`sha256:${hash.digest('hex')}` !== descriptor.digest || size !== descriptor.size) {
      throw new UserError(`Blob ${descriptor.digest} in the OCI layout does not match its digest or size.`, {
        title: 'OCI layout',
      });
    }
  }

  /** Reads `length` bytes of a blob from `offset`. */
  async readRange(digest: string, offset: number, length: number): Promise<Buffer> {
    const handle = await open(this.blobPath(digest), 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  /**
   * The image to push: the layout's single top-level manifest, or, when the layout lists several, index.json
   * itself as the image index that ties them together.
   */
  rootImage(): { descriptor: Descriptor; bytes?: Buffer } {
    const manifests = this.index.manifests!;
    if (manifests.length === 1) return { descriptor: manifests[0]! };
    return {
      descriptor: {
        mediaType: this.index.mediaType ?? 'application/vnd.oci.image.index.v1+json',
        digest: sha256(this.indexBytes),
        size: this.indexBytes.length,
      },
      bytes: this.indexBytes,
    };
  }

  async close(): Promise<void> {
    await this.cleanup?.();
  }
}

/** Extracts only the layout's own files (oci-layout, index.json, blobs/<algorithm>/<hex>) from a tar. */
async function extractLayout(file: string, into: string): Promise<void> {
  const tar = await import('tar-stream');
  const head = Buffer.alloc(2);
  const handle = await open(file, 'r');
  await handle.read(head, 0, 2, 0);
  await handle.close();
  const gzipped = head[0] === 0x1f && head[1] === 0x8b;
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const name = header.name.replace(/^\.\//, '');
      const wanted =
        header.type === 'file' &&
        (name === 'oci-layout' || name === 'index.json' || /^blobs\/[a-z0-9]+\/[a-f0-9]{32,128}$/.test(name));
      if (!wanted) {
        stream.on('end', next);
        stream.resume();
        return;
      }
      const target = join(into, name);
      mkdir(dirname(target), { recursive: true })
        .then(() => pipeline(stream, createWriteStream(target)))
        .then(() => next(), reject);
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  const source = createReadStream(file);
  if (gzipped) await Promise.all([pipeline(source, createGunzip(), extract), done]);
  else await Promise.all([pipeline(source, extract), done]);
}
