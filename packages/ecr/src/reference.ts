// Names of repositories, tags, digests and images, checked before anything is sent. The build-push-ecr action, the
// deploy and migration actions (image inputs) and the release config all use these rules. Light on purpose.
import { brokenNamePart, follows, problemWith, type Rule } from '@ecs-ship/action-kit';

const COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';

/** An ECR repository name, as ECR's API model gives it: lower-case path components, 2 to 256 characters. */
export const REPOSITORY_NAME: Rule = {
  what: 'a valid ECR repository name',
  fix: 'Use lower-case letters and digits, with . _ - between them and / between path parts, 2 to 256 characters (for example shop/web)',
  pattern: new RegExp(`^(?=.{2,256}$)${COMPONENT}(?:/${COMPONENT})*$`),
  explain: (value) => {
    if (/[A-Z]/.test(value)) return 'it has upper-case letters, and ECR takes lower-case only';
    return (
      brokenNamePart(value, {
        allowed: /[a-z0-9._/-]/,
        allowedWords: 'lower-case letters, digits, ".", "_", "-" and "/"',
        min: 2,
        max: 256,
        separators: './',
      }) ?? 'a path part starts or ends with a separator, or has separators in a row'
    );
  },
};

/** Docker's tag grammar: a word character, then up to 127 word characters, dots and hyphens. */
export const IMAGE_TAG: Rule = {
  what: 'a valid image tag',
  fix: 'Use up to 128 letters, digits, underscores, dots and hyphens, not starting with a dot or hyphen',
  pattern: /^[\w][\w.-]{0,127}$/,
  explain: (value) =>
    brokenNamePart(value, {
      allowed: /[\w.-]/,
      allowedWords: 'letters, digits, underscores, dots and hyphens',
      max: 128,
      first: { test: /\w/, words: 'a letter, a digit or an underscore' },
    }),
};

export const IMAGE_DIGEST: Rule = {
  what: 'a digest',
  fix: 'Use sha256: followed by 64 lower-case hex digits',
  pattern: /^sha256:[a-f0-9]{64}$/,
};

/** An image by tag or digest: `[registry[:port]/]path[:tag][@sha256:<64 hex>]`, at most 1024 characters. */
export const IMAGE_REFERENCE: Rule = {
  what: 'an image reference',
  fix: 'Use repository:tag or repository@sha256:<64 hex digits>',
  pattern:
    /^(?=.{1,1024}$)(?:(?:[a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
};

/** An ECR registry host: `<account>.dkr.ecr.<region>.amazonaws.com` (also `.com.cn`). */
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
/** A registry host with an optional port, as in `localhost:5000` or `registry.example.com`. */
const HOST = /^(?:[a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+(?::\d{1,5})?$/;

export interface RepositoryReference {
  name: string;
  /** The registry (account) id when a URI names it; API calls then target that registry. */
  registryId?: string;
  /** The region when a URI names it. */
  region?: string;
  /** The host a URI names, for checking it against the registry ECR hands out. */
  host?: string;
}

/** Parses `name` or `host/name` (an ECR repository URI), or says what is wrong. */
export function parseRepository(text: string): RepositoryReference | { problem: string } {
  const value = text.trim().replace(/^(?:https?|oci):\/\//, '');
  if (value.includes('@') || /:[\w][\w.-]*$/.test(value.split('/').pop() ?? '')) {
    return { problem: `"${text}" names an image, not a repository (drop the :tag or @digest; tags go in "tags")` };
  }
  const slash = value.indexOf('/');
  const first = slash === -1 ? value : value.slice(0, slash);
  const looksLikeHost = slash !== -1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (looksLikeHost) {
    const name = value.slice(slash + 1);
    if (!HOST.test(first)) return { problem: `"${first}" is not a registry host name` };
    const problem = problemWith(REPOSITORY_NAME, name);
    if (problem) return { problem };
    const ecr = ECR_HOST.exec(first);
    return { name, host: first, ...(ecr ? { registryId: ecr[1], region: ecr[2] } : {}) };
  }
  const problem = problemWith(REPOSITORY_NAME, value);
  return problem ? { problem } : { name: value };
}

export function isTag(value: string): boolean {
  return follows(IMAGE_TAG, value);
}

export function isDigest(value: string): boolean {
  return follows(IMAGE_DIGEST, value);
}

/** `uri@sha256:...`: the reference a deployment should pin to, since tags can move. */
export function imageReference(repositoryUri: string, digest: string): string {
  return `${repositoryUri}@${digest}`;
}
