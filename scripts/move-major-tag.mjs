// Run by .github/workflows/release.yml when a release is published: moves the major tag (`v1`) to the commit of the
// release `vX.Y.Z`, the way actions are consumed (`uses: ecs-ship/ecs-ship/actions/<name>@v1`). Only a release that is
// the newest of its major line moves the tag (a v1.2.4 fix published after v1.3.0 leaves v1 on v1.3.0); pre-releases
// never do. Plain Node (no dependencies) over the GitHub REST API:
//   TAG (the release's tag), PRERELEASE (true/false), GITHUB_TOKEN (contents: write), GITHUB_API_URL, GITHUB_REPOSITORY.
import { appendFileSync } from 'node:fs';

const {
  TAG = '',
  PRERELEASE = 'false',
  GITHUB_TOKEN,
  GITHUB_API_URL,
  GITHUB_REPOSITORY,
  GITHUB_STEP_SUMMARY,
} = process.env;

const RELEASE = /^v(\d+)\.(\d+)\.(\d+)$/;

function say(kind, message) {
  console.log(kind ? `::${kind}::${message}` : message);
  if (GITHUB_STEP_SUMMARY) appendFileSync(GITHUB_STEP_SUMMARY, `${message}\n`);
}

async function api(method, path, body) {
  const response = await fetch(`${GITHUB_API_URL}/repos/${GITHUB_REPOSITORY}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${GITHUB_TOKEN}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = response.status === 204 ? undefined : await response.json().catch(() => undefined);
  if (response.status === 404 && method === 'GET') return undefined;
  if (!response.ok) {
    throw new Error(`${method} ${path}: GitHub answered ${response.status} ${data?.message ?? response.statusText}`);
  }
  return data;
}

/** The commit a tag ref points at, through an annotated tag object if there is one. */
async function commitOf(tag) {
  const ref = await api('GET', `/git/ref/tags/${encodeURIComponent(tag)}`);
  if (!ref) throw new Error(`The release's tag ${tag} does not exist`);
  let object = ref.object;
  while (object.type === 'tag') object = (await api('GET', `/git/tags/${object.sha}`)).object;
  return object.sha;
}

const compare = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

async function main() {
  const version = RELEASE.exec(TAG);
  if (PRERELEASE === 'true' || /^v\d+\.\d+\.\d+-/.test(TAG)) {
    return say('notice', `${TAG} is a pre-release: no major tag moves.`);
  }
  if (!version) {
    say('error', `The release's tag "${TAG}" is not vX.Y.Z. Publish releases with tags such as v1.4.0.`);
    return 1;
  }
  const numbers = version.slice(1).map(Number);
  const major = `v${numbers[0]}`;
  const line = (await api('GET', `/git/matching-refs/tags/${major}.`)) ?? [];
  const newer = line
    .map((ref) => ref.ref.replace(/^refs\/tags\//, ''))
    .filter((name) => RELEASE.test(name) && compare(RELEASE.exec(name).slice(1).map(Number), numbers) > 0);
  if (newer.length > 0) {
    return say('notice', `${newer.join(', ')} is newer than ${TAG}: ${major} stays where it is.`);
  }
  const sha = await commitOf(TAG);
  const current = await api('GET', `/git/ref/tags/${major}`);
  if (current?.object.sha === sha) return say('', `${major} already points at ${TAG} (${sha}).`);
  if (current) await api('PATCH', `/git/refs/tags/${major}`, { sha, force: true });
  else await api('POST', '/git/refs', { ref: `refs/tags/${major}`, sha });
  say('', `${major} now points at ${TAG} (${sha})${current ? `, moved from ${current.object.sha}` : ', created'}.`);
}

main().then(
  (code) => process.exit(code ?? 0),
  (error) => {
    say('error', error.message);
    process.exit(1);
  },
);
