// Writes a real multi-platform OCI image layout (a directory and a tar of it) for push-archive tests:
// an image index over linux/amd64 and linux/arm64, each with its own config and a layer of its own, both sharing a
// base layer, and a large layer on amd64 so that it goes up in chunks.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

export interface OciFixture {
  dir: string;
  tar: string;
  indexDigest: string;
  indexBytes: Buffer;
  platformDigests: string[];
  /** Every distinct blob (configs and layers). */
  blobs: { digest: string; size: number }[];
  totalBlobBytes: number;
}

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** A gzipped tar holding one file, as a real image layer would. */
async function layer(name: string, content: Buffer): Promise<Buffer> {
  const tar = await import('tar-stream');
  const pack = tar.pack();
  pack.entry({ name, size: content.length, mode: 0o644, mtime: new Date(0) }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  return gzipSync(Buffer.concat(chunks), { level: 1 });
}

export async function writeOciFixture(
  root: string,
  revision: string,
  bigLayerBytes = 6 * 1024 * 1024,
): Promise<OciFixture> {
  const dir = join(root, 'layout');
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const blobs = new Map<string, Buffer>();
  const put = (data: Buffer) => {
    const digest = sha256(data);
    blobs.set(digest, data);
    writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), data);
    return { digest, size: data.length };
  };
  const layerType = 'application/vnd.oci.image.layer.v1.tar+gzip';
  const base = put(await layer('etc/os-release', Buffer.from('NAME="fixture"\n')));
  const platformDigests: string[] = [];
  const platforms = [
    { os: 'linux', architecture: 'amd64', extra: await layer('app/big.bin', randomBytes(bigLayerBytes)) },
    { os: 'linux', architecture: 'arm64', extra: await layer('app/arm.bin', randomBytes(4096)) },
  ];
  const descriptors = [];
  for (const platform of platforms) {
    const own = put(platform.extra);
    const config = put(
      Buffer.from(
        JSON.stringify({
          architecture: platform.architecture,
          os: platform.os,
          config: { Labels: { 'org.opencontainers.image.revision': revision } },
          rootfs: {
            type: 'layers',
            diff_ids: [sha256(Buffer.from('base')), sha256(Buffer.from(platform.architecture))],
          },
        }),
      ),
    );
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [
          { mediaType: layerType, ...base },
          { mediaType: layerType, ...own },
        ],
      }),
    );
    const written = put(manifest);
    blobs.delete(written.digest); // manifests are not blobs the registry stores as layers
    platformDigests.push(written.digest);
    descriptors.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      ...written,
      platform: { os: platform.os, architecture: platform.architecture },
    });
  }
  const indexBytes = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: descriptors }),
  );
  const index = put(indexBytes);
  blobs.delete(index.digest);
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.index.v1+json',
          ...index,
          annotations: { 'org.opencontainers.image.ref.name': 'latest' },
        },
      ],
    }),
  );

  const tarPath = join(root, 'image.tar');
  const tar = await import('tar-stream');
  const pack = tar.pack();
  pack.entry({ name: 'oci-layout' }, JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  pack.entry({ name: 'index.json' }, readFileSync(join(dir, 'index.json')));
  for (const digest of [...blobs.keys(), ...platformDigests, index.digest]) {
    pack.entry(
      { name: `blobs/sha256/${digest.slice(7)}` },
      readFileSync(join(dir, 'blobs', 'sha256', digest.slice(7))),
    );
  }
  pack.finalize();
  await pipeline(pack as unknown as Readable, createWriteStream(tarPath));

  const blobList = [...blobs.entries()].map(([digest, data]) => ({ digest, size: data.length }));
  return {
    dir,
    tar: tarPath,
    indexDigest: index.digest,
    indexBytes,
    platformDigests,
    blobs: blobList,
    totalBlobBytes: blobList.reduce((sum, b) => sum + b.size, 0),
  };
}
