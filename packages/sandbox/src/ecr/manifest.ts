// What the ECR module needs to know about image manifests: their digest, media type, size and what they reference.
import { createHash } from 'node:crypto';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

export const MANIFEST_MEDIA_TYPES = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST] as const;

/** A registry names a manifest by the sha256 of its exact bytes: re-serialising it would change the digest. */
export function manifestDigest(manifest: string): string {
  return `sha256:${createHash('sha256').update(manifest, 'utf8').digest('hex')}`;
}

export interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string };
}

export interface ParsedManifest {
  schemaVersion?: number;
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
  annotations?: Record<string, string>;
}

/** Parses a manifest, or says what is wrong with it in the words ECR uses. */
export function parseManifest(text: string): ParsedManifest | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return value as ParsedManifest;
  } catch {
    return undefined;
  }
}

export function isIndex(manifest: ParsedManifest, mediaType?: string): boolean {
  const type = mediaType ?? manifest.mediaType;
  return type === OCI_INDEX || type === DOCKER_MANIFEST_LIST || (!type && Array.isArray(manifest.manifests));
}

/** The size ECR reports for an image: its config and layers (an index reports the size of the index itself). */
export function imageSize(manifest: ParsedManifest, text: string): number {
  if (Array.isArray(manifest.layers)) {
    return (manifest.config?.size ?? 0) + manifest.layers.reduce((sum, layer) => sum + (layer.size ?? 0), 0);
  }
  return Buffer.byteLength(text);
}

/** Blobs a single-platform manifest needs in the repository (config and layers). */
export function referencedBlobs(manifest: ParsedManifest): string[] {
  return [manifest.config?.digest, ...(manifest.layers ?? []).map((l) => l.digest)].filter(
    (d): d is string => typeof d === 'string',
  );
}

/**
 * A small but well-formed OCI manifest for scenario images declared without one. The seed makes each image's
 * config and layer digests distinct and stable, so the same scenario always yields the same image digests.
 */
export function syntheticManifest(seed: string, annotations?: Record<string, string>): string {
  const blob = (kind: string) => `sha256:${createHash('sha256').update(`${kind}:${seed}`).digest('hex')}`;
  const manifest: ParsedManifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: blob('config'), size: 1469 },
    layers: [
      { mediaType: OCI_LAYER, digest: blob('base'), size: 3_623_807 },
      { mediaType: OCI_LAYER, digest: blob('app'), size: 18_342_112 },
    ],
    ...(annotations && Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
  return JSON.stringify(manifest, null, 2);
}
