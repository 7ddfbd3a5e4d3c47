// Which source revision an image was built from: the OCI revision annotation of its manifest, or the revision
// label of its image config.
import type { Manifest } from './oci-layout.js';

export const REVISION_KEY = 'org.opencontainers.image.revision';

export interface RevisionSources {
  /** A manifest by digest (for the platform images of an index). */
  manifest(digest: string): Promise<string | undefined>;
  /** An image config blob by digest. */
  blob(digest: string): Promise<Buffer | undefined>;
}

/** The revision the image records, or undefined when it records none (or it cannot be read). */
export async function imageRevision(manifestText: string, sources: RevisionSources): Promise<string | undefined> {
  try {
    let manifest = JSON.parse(manifestText) as Manifest;
    if (manifest.annotations?.[REVISION_KEY]) return manifest.annotations[REVISION_KEY];
    if (Array.isArray(manifest.manifests)) {
      const platform = manifest.manifests.find((m) => m.platform?.os !== 'unknown');
      if (platform?.annotations?.[REVISION_KEY]) return platform.annotations[REVISION_KEY];
      const text = platform && (await sources.manifest(platform.digest));
      if (!text) return undefined;
      manifest = JSON.parse(text) as Manifest;
      if (manifest.annotations?.[REVISION_KEY]) return manifest.annotations[REVISION_KEY];
    }
    if (!manifest.config) return undefined;
    const config = await sources.blob(manifest.config.digest);
    if (!config) return undefined;
    const parsed = JSON.parse(config.toString('utf8')) as { config?: { Labels?: Record<string, string> } };
    return parsed.config?.Labels?.[REVISION_KEY];
  } catch {
    return undefined;
  }
}
