// Names the action accepts for repositories, tags and digests, checked before anything is sent.

/** An ECR repository name: lower-case path components separated by `/`, 2 to 256 characters. */
const REPOSITORY_NAME = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
/** An ECR registry host: `<account>.dkr.ecr.<region>.amazonaws.com` (also `.com.cn`). */
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
/** A registry host with an optional port, as in `localhost:5000` or `registry.example.com`. */
const HOST = /^(?:[a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+(?::\d{1,5})?$/;
/** Docker's tag grammar: a word character, then up to 127 word characters, dots and hyphens. */
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

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
    if (!REPOSITORY_NAME.test(name)) return { problem: repositoryNameProblem(name) };
    const ecr = ECR_HOST.exec(first);
    return { name, host: first, ...(ecr ? { registryId: ecr[1], region: ecr[2] } : {}) };
  }
  if (!REPOSITORY_NAME.test(value)) return { problem: repositoryNameProblem(value) };
  return { name: value };
}

function repositoryNameProblem(name: string): string {
  return `"${name}" is not a valid ECR repository name (lower-case letters, digits, and . _ - / between them, 2 to 256 characters)`;
}

export function isTag(value: string): boolean {
  return TAG.test(value);
}

export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

/** `uri@sha256:...`: the reference a deployment should pin to, since tags can move. */
export function imageReference(repositoryUri: string, digest: string): string {
  return `${repositoryUri}@${digest}`;
}
