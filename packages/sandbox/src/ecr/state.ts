// The ECR module's state: repositories, images (manifests named by digest) and tags, with the rules ECR enforces.
// Every rule here raises the error code and message ECR itself raises, so that code that handles the real
// service handles the sandbox the same way.
import { AwsError } from '../core/module.js';
import {
  MANIFEST_MEDIA_TYPES,
  imageSize,
  isIndex,
  manifestDigest,
  parseManifest,
  referencedBlobs,
  type ParsedManifest,
} from './manifest.js';

export type TagMutability = 'MUTABLE' | 'IMMUTABLE';
export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL' | 'UNDEFINED';
export const SEVERITIES: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'];

export interface ScanPlan {
  /** Severity counts the scan finds. */
  findings: Partial<Record<Severity, number>>;
  /** Scenario seconds (scaled) between the push and the scan's completion. */
  seconds: number;
  /** A scan that fails instead of completing. */
  fails: boolean;
}

export interface Image {
  digest: string;
  manifest: string;
  mediaType: string;
  pushedAt: Date;
  sizeInBytes: number;
  blobs: string[];
  scan?: { plan: ScanPlan; completesAt: number; startedAt: Date };
}

export interface Repository {
  name: string;
  region: string;
  registryId: string;
  arn: string;
  uri: string;
  createdAt: Date;
  imageTagMutability: TagMutability;
  scanOnPush: boolean;
  encryption: { encryptionType: 'AES256' | 'KMS'; kmsKey?: string };
  /** How scans of images added later (PutImage) turn out. */
  pushScan: ScanPlan;
  images: Map<string, Image>;
  tags: Map<string, string>;
}

export interface ImageId {
  imageTag?: string;
  imageDigest?: string;
}

export interface RegistrySettings {
  accountId: string;
  defaultRegion: string;
  /** The registry endpoint GetAuthorizationToken names (`proxyEndpoint`); undefined means the AWS host name. */
  registry?: string;
  password: string;
  now(): number;
  /** Real milliseconds for a scenario duration in seconds (the scenario's time scale applied). */
  scaled(seconds: number): number;
}

const REPOSITORY_NAME = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,299}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TWELVE_HOURS = 12 * 60 * 60 * 1000;

export class EcrState {
  private readonly repositories = new Map<string, Repository>();

  constructor(readonly settings: RegistrySettings) {}

  /** The host name of the registry, as it appears in repository URIs. */
  registryHost(region: string): string {
    if (this.settings.registry) return new URL(this.settings.registry).host;
    return `${this.settings.accountId}.dkr.ecr.${region}.amazonaws.com`;
  }

  proxyEndpoint(region: string): string {
    return this.settings.registry?.replace(/\/+$/, '') ?? `https://${this.registryHost(region)}`;
  }

  authorizationToken(region: string): { authorizationToken: string; expiresAt: Date; proxyEndpoint: string } {
    return {
      authorizationToken: Buffer.from(`AWS:${this.settings.password}`).toString('base64'),
      expiresAt: new Date(this.settings.now() + TWELVE_HOURS),
      proxyEndpoint: this.proxyEndpoint(region),
    };
  }

  createRepository(
    region: string,
    input: {
      repositoryName?: unknown;
      imageTagMutability?: unknown;
      imageScanningConfiguration?: { scanOnPush?: unknown };
      encryptionConfiguration?: { encryptionType?: unknown; kmsKey?: unknown };
    },
    pushScan: ScanPlan = { findings: {}, seconds: 0, fails: false },
  ): Repository {
    const name = this.validName(input.repositoryName);
    if (this.repositories.has(key(region, name))) {
      throw new AwsError(
        'RepositoryAlreadyExistsException',
        `The repository with name '${name}' already exists in the registry with id '${this.settings.accountId}'`,
      );
    }
    const mutability = input.imageTagMutability ?? 'MUTABLE';
    if (mutability !== 'MUTABLE' && mutability !== 'IMMUTABLE') {
      throw validation('imageTagMutability', 'Member must satisfy enum value set: [MUTABLE, IMMUTABLE]');
    }
    const encryptionType = input.encryptionConfiguration?.encryptionType ?? 'AES256';
    if (encryptionType !== 'AES256' && encryptionType !== 'KMS') {
      throw validation('encryptionConfiguration.encryptionType', 'Member must satisfy enum value set: [AES256, KMS]');
    }
    if (encryptionType === 'AES256' && input.encryptionConfiguration?.kmsKey !== undefined) {
      throw new AwsError(
        'InvalidParameterException',
        'Invalid parameter: kmsKey can only be specified with KMS encryption',
      );
    }
    const kmsKey =
      encryptionType === 'KMS'
        ? typeof input.encryptionConfiguration?.kmsKey === 'string'
          ? input.encryptionConfiguration.kmsKey
          : `arn:aws:kms:${region}:${this.settings.accountId}:alias/aws/ecr`
        : undefined;
    const repository: Repository = {
      name,
      region,
      registryId: this.settings.accountId,
      arn: `arn:aws:ecr:${region}:${this.settings.accountId}:repository/${name}`,
      uri: `${this.registryHost(region)}/${name}`,
      createdAt: new Date(this.settings.now()),
      imageTagMutability: mutability,
      scanOnPush: input.imageScanningConfiguration?.scanOnPush === true,
      encryption: { encryptionType, ...(kmsKey ? { kmsKey } : {}) },
      pushScan,
      images: new Map(),
      tags: new Map(),
    };
    this.repositories.set(key(region, name), repository);
    return repository;
  }

  repository(region: string, name: unknown): Repository {
    const valid = this.validName(name);
    const repository = this.repositories.get(key(region, valid));
    if (!repository) {
      throw new AwsError(
        'RepositoryNotFoundException',
        `The repository with name '${valid}' does not exist in the registry with id '${this.settings.accountId}'`,
      );
    }
    return repository;
  }

  listRepositories(region: string): Repository[] {
    return [...this.repositories.values()].filter((r) => r.region === region);
  }

  /** The image an id names, or undefined. A tag and a digest together must name the same image. */
  findImage(repository: Repository, id: ImageId): Image | undefined {
    const byTag = id.imageTag !== undefined ? repository.tags.get(id.imageTag) : undefined;
    if (id.imageTag !== undefined && id.imageDigest !== undefined) {
      return byTag === id.imageDigest ? repository.images.get(byTag) : undefined;
    }
    const digest = id.imageTag !== undefined ? byTag : id.imageDigest;
    return digest ? repository.images.get(digest) : undefined;
  }

  tagsOf(repository: Repository, digest: string): string[] {
    return [...repository.tags].filter(([, d]) => d === digest).map(([tag]) => tag);
  }

  /**
   * PutImage: adds a manifest (and optionally a tag) to a repository. ECR stores no layers here, so a
   * single-platform manifest must only reference blobs that images in the repository already have, and an index
   * must only reference manifests the repository holds, as ECR requires.
   */
  putImage(
    repository: Repository,
    input: { imageManifest?: unknown; imageManifestMediaType?: unknown; imageTag?: unknown; imageDigest?: unknown },
  ): { image: Image; tag?: string } {
    if (typeof input.imageManifest !== 'string' || input.imageManifest === '') {
      throw validation('imageManifest', 'Member must not be null');
    }
    const text = input.imageManifest;
    const manifest = parseManifest(text);
    if (!manifest)
      throw new AwsError(
        'InvalidParameterException',
        "Invalid parameter at 'imageManifest' failed to satisfy constraint: 'Invalid JSON syntax'",
      );
    const mediaType = this.manifestMediaType(manifest, input.imageManifestMediaType);
    const digest = manifestDigest(text);
    if (input.imageDigest !== undefined && input.imageDigest !== digest) {
      throw new AwsError(
        'InvalidParameterException',
        `Invalid parameter at 'imageDigest' failed to satisfy constraint: 'The digest of the manifest (${digest}) does not match the provided digest (${String(input.imageDigest)})'`,
      );
    }
    const tag = input.imageTag === undefined || input.imageTag === null ? undefined : String(input.imageTag);
    if (tag !== undefined && !TAG.test(tag)) {
      throw new AwsError(
        'InvalidParameterException',
        `Invalid parameter at 'imageTag' failed to satisfy constraint: 'Invalid tag: ${tag}'`,
      );
    }

    const existing = repository.images.get(digest);
    if (existing) {
      if (tag === undefined || repository.tags.get(tag) === digest) {
        throw new AwsError(
          'ImageAlreadyExistsException',
          `Image with digest '${digest}'${tag === undefined ? '' : ` and tag '${tag}'`} already exists in the repository with name '${repository.name}' in the registry with id '${repository.registryId}'`,
        );
      }
    } else {
      this.checkReferences(repository, manifest, mediaType);
    }
    if (tag !== undefined) this.checkTagMayMove(repository, tag, digest);

    const image = existing ?? this.addImage(repository, text, mediaType, manifest);
    if (tag !== undefined) repository.tags.set(tag, digest);
    return { image, tag };
  }

  /** Adds a manifest as the scenario declares it, skipping the reference checks a push would make. */
  seedImage(repository: Repository, text: string, tags: string[], scan?: ScanPlan, mediaType?: string): Image {
    const manifest = parseManifest(text);
    if (!manifest) throw new Error(`A scenario image manifest in ${repository.name} is not JSON`);
    const digest = manifestDigest(text);
    const image =
      repository.images.get(digest) ??
      this.addImage(repository, text, this.manifestMediaType(manifest, mediaType), manifest, scan);
    for (const tag of tags) repository.tags.set(tag, digest);
    return image;
  }

  scanStatus(image: Image): 'COMPLETE' | 'IN_PROGRESS' | 'FAILED' | undefined {
    if (!image.scan) return undefined;
    if (this.settings.now() < image.scan.completesAt) return 'IN_PROGRESS';
    return image.scan.plan.fails ? 'FAILED' : 'COMPLETE';
  }

  private addImage(
    repository: Repository,
    text: string,
    mediaType: string,
    manifest: ParsedManifest,
    scan: ScanPlan | undefined = repository.scanOnPush ? repository.pushScan : undefined,
  ): Image {
    const now = this.settings.now();
    const image: Image = {
      digest: manifestDigest(text),
      manifest: text,
      mediaType,
      pushedAt: new Date(now),
      sizeInBytes: imageSize(manifest, text),
      blobs: referencedBlobs(manifest),
      // An index is not scanned itself; its platform images are.
      ...(scan && !isIndex(manifest, mediaType)
        ? { scan: { plan: scan, completesAt: now + this.settings.scaled(scan.seconds), startedAt: new Date(now) } }
        : {}),
    };
    repository.images.set(image.digest, image);
    return image;
  }

  private manifestMediaType(manifest: ParsedManifest, given: unknown): string {
    const declared = typeof manifest.mediaType === 'string' ? manifest.mediaType : undefined;
    const mediaType = typeof given === 'string' && given !== '' ? given : declared;
    if (!mediaType) {
      throw new AwsError(
        'InvalidParameterException',
        "Invalid parameter at 'imageManifestMediaType' failed to satisfy constraint: 'Manifest media type could not be determined; provide imageManifestMediaType'",
      );
    }
    if (!(MANIFEST_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
      throw new AwsError('UnsupportedImageTypeException', `The manifest media type '${mediaType}' is not supported`);
    }
    if (declared && declared !== mediaType) {
      throw new AwsError(
        'InvalidParameterException',
        `Invalid parameter at 'imageManifestMediaType' failed to satisfy constraint: 'The media type in the manifest (${declared}) does not match the provided media type (${mediaType})'`,
      );
    }
    return mediaType;
  }

  private checkReferences(repository: Repository, manifest: ParsedManifest, mediaType: string): void {
    if (isIndex(manifest, mediaType)) {
      const missing = (manifest.manifests ?? []).map((m) => m.digest).filter((d) => !repository.images.has(d));
      if (missing.length > 0) {
        throw new AwsError(
          'ReferencedImagesNotFoundException',
          `The following images referenced in the manifest list are missing from the repository: ${missing.join(', ')}`,
        );
      }
      return;
    }
    const known = new Set([...repository.images.values()].flatMap((image) => image.blobs));
    const missing = referencedBlobs(manifest).filter((d) => !known.has(d));
    if (missing.length > 0) {
      throw new AwsError(
        'LayersNotFoundException',
        `Layers with digests '[${missing.join(', ')}]' required for pushing image into repository with name '${repository.name}' in the registry with id '${repository.registryId}' do not exist`,
      );
    }
  }

  private checkTagMayMove(repository: Repository, tag: string, digest: string): void {
    const current = repository.tags.get(tag);
    if (current !== undefined && current !== digest && repository.imageTagMutability === 'IMMUTABLE') {
      throw new AwsError(
        'ImageTagAlreadyExistsException',
        `The image tag '${tag}' already exists in the '${repository.name}' repository and cannot be overwritten because the repository is immutable.`,
      );
    }
  }

  private validName(name: unknown): string {
    if (typeof name !== 'string' || name === '') {
      throw validation('repositoryName', 'Member must not be null');
    }
    if (!REPOSITORY_NAME.test(name)) {
      throw new AwsError(
        'InvalidParameterException',
        `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''`,
      );
    }
    return name;
  }
}

export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST.test(value);
}

function key(region: string, name: string): string {
  return `${region}/${name}`;
}

/** How ECR refuses a member that breaks its model's constraints (an error its operations declare). */
export function validation(member: string, constraint: string): AwsError {
  return new AwsError(
    'InvalidParameterException',
    `Invalid parameter at '${member}' failed to satisfy constraint: '${constraint}'`,
  );
}
