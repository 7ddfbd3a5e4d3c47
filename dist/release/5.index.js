export const id = 5;
export const ids = [5];
export const modules = {

/***/ 8005:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 22 modules
var lib_github = __webpack_require__(2413);
// EXTERNAL MODULE: ./packages/action-kit/src/index.ts + 9 modules
var src = __webpack_require__(8300);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var lib_core = __webpack_require__(6421);
// EXTERNAL MODULE: ./packages/action-kit/src/commands.ts
var commands = __webpack_require__(2595);
;// CONCATENATED MODULE: ./packages/action-kit/src/core.ts
/**
 * The runner's file protocol through @actions/core: outputs, job summary and state for `post:` steps.
 * Imported after the inputs are valid (`@ecs-ship/action-kit/core`), so that rejecting bad input stays fast.
 */


/**
 * Writes outputs. Objects and arrays become JSON; undefined and null become empty strings. Any masked value is
 * redacted, so a secret cannot leave through an output.
 */
function setOutputs(outputs) {
    for (const [name, value] of Object.entries(outputs)) {
        lib_core/* setOutput */.uH(name, (0,commands/* redact */.E$)(stringify(value)));
    }
}
function stringify(value) {
    if (value === undefined || value === null)
        return '';
    if (typeof value === 'object')
        return JSON.stringify(value);
    return String(value);
}
/** The runner takes at most 1 MiB of summary per step. */
const SUMMARY_LIMIT = 1024 * 1024 - 1024;
/** Appends Markdown to the job summary (redacted, and cut to the runner's limit with a visible note). */
async function appendSummary(markdown) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    let text = (0,commands/* redact */.E$)(markdown);
    if (Buffer.byteLength(text) > SUMMARY_LIMIT) {
        text = `${Buffer.from(text).subarray(0, SUMMARY_LIMIT).toString('utf8')}\n\n_(summary truncated to the 1 MiB limit)_\n`;
    }
    await lib_core/* summary */.z.addRaw(text, true).write();
}
function saveState(name, value) {
    core.saveState(name, value);
}
function getState(name) {
    return core.getState(name);
}
function exportVariable(name, value) {
    core.exportVariable(name, value);
}

;// CONCATENATED MODULE: ./packages/github-release/src/github.ts

/** `owner/name` (GITHUB_REPOSITORY) → its parts, or undefined when it is not of that form. */
function parseRepository(fullName) {
    const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(fullName.trim());
    return match ? { owner: match[1], repo: match[2] } : undefined;
}
function httpFailure(error) {
    if (typeof error !== 'object' || error === null || typeof error.status !== 'number') {
        return undefined;
    }
    const { status, message, response } = error;
    return { status, message: message ?? '', headers: response?.headers ?? {}, data: response?.data };
}
function statusOf(error) {
    return httpFailure(error)?.status;
}
/** GitHub's own error text, without the documentation link it appends. */
function gitHubMessage(failure) {
    const data = failure.data;
    const text = typeof data?.message === 'string' ? data.message : failure.message;
    return text.replace(/\s*-\s*https:\/\/docs\.github\.com\S*/g, '').trim() || `HTTP ${failure.status}`;
}
/**
 * Turns a failed GitHub call into a message a person can act on. A 403 or 404 on a write almost always means the
 * workflow's token lacks a permission (GitHub hides private repositories behind 404), so the message names it.
 * A rate limit is a 403 too, and says so instead. Anything else keeps GitHub's status and text.
 */
function gitHubError(error, doing, permission, repository) {
    const failure = httpFailure(error);
    if (!failure)
        return error instanceof Error ? error : new Error(String(error));
    const said = gitHubMessage(failure);
    const fullName = `${repository.owner}/${repository.repo}`;
    const grant = `Give the job "permissions: ${permission}" (or use a token that has it)`;
    if (failure.status === 429 || (failure.status === 403 && isRateLimit(failure))) {
        const reset = Number(failure.headers['x-ratelimit-reset']);
        const when = Number.isFinite(reset) && reset > 0 ? ` after ${new Date(reset * 1000).toISOString()}` : ' later';
        return new src/* UserError */.yo(`GitHub's API rate limit was reached while trying to ${doing} (${said}). Run the job again${when}.`, {
            title: 'GitHub rate limit',
            cause: error,
        });
    }
    if (failure.status === 403) {
        return new src/* UserError */.yo(`GitHub refused to ${doing} in ${fullName} (403: ${said}). ${grant}.`, {
            title: `Missing permission: ${permission}`,
            cause: error,
        });
    }
    if (failure.status === 404) {
        return new src/* UserError */.yo(`GitHub answered 404 when asked to ${doing} in ${fullName} (${said}): the repository does not exist or the token may not ${permission.endsWith('read') ? 'read' : 'write to'} it. ${grant}.`, { title: `Missing permission: ${permission}`, cause: error });
    }
    if (failure.status === 401) {
        return new src/* UserError */.yo(`GitHub did not accept the token while trying to ${doing} (401: ${said}). Check the "token" input.`, {
            title: 'Bad credentials',
            cause: error,
        });
    }
    return new src/* UserError */.yo(`GitHub could not ${doing} in ${fullName} (${failure.status}: ${said}).`, { cause: error });
}
function isRateLimit(failure) {
    return failure.headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(gitHubMessage(failure));
}

// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __webpack_require__(2088);
var semver_default = /*#__PURE__*/__webpack_require__.n(semver);
;// CONCATENATED MODULE: ./packages/github-release/src/semver-bump.ts

/** Strict SemVer 2.0.0 (no leading zeros, no `v`, no loose forms such as `1.2`). */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
/**
 * The version a tag carries in the series of `prefix`, or undefined when the tag is not part of that series.
 * A `v` right before the version is optional on either side, as git users write both `v1.2.3` and `1.2.3` for
 * the same release: with prefix `v` (or none) both count, with prefix `api-v` both `api-v1.2.3` and `api-1.2.3`
 * count, while `api-v2.0.0` is not part of the series of prefix `v`.
 */
function versionInSeries(tag, prefix) {
    const base = prefix.endsWith('v') ? prefix.slice(0, -1) : prefix;
    if (!tag.startsWith(base))
        return undefined;
    let rest = tag.slice(base.length);
    if (rest.startsWith('v'))
        rest = rest.slice(1);
    return SEMVER.test(rest) ? rest : undefined;
}
/**
 * The next version after the highest semver tag of the series. Tags that are not semver, belong to another prefix,
 * or are pre-releases (unless asked for) are ignored. Build metadata does not order versions (SemVer §10).
 * With no tag in the series the count starts from 0.0.0 (patch → 0.0.1, minor → 0.1.0, major → 1.0.0).
 */
function nextVersion(tags, options) {
    let highest;
    for (const tag of tags) {
        const version = versionInSeries(tag, options.prefix);
        if (version === undefined)
            continue;
        if (!options.includePrereleases && semver_default().prerelease(version) !== null)
            continue;
        if (highest === undefined || semver_default().gt(version, highest.version))
            highest = { tag, version };
    }
    const version = semver_default().inc(highest?.version ?? '0.0.0', options.level);
    if (version === null)
        throw new Error(`Cannot bump ${highest?.version ?? '0.0.0'} by ${options.level}`);
    return {
        tag: `${options.prefix}${version}`,
        version,
        previousTag: highest?.tag,
        previousVersion: highest?.version,
    };
}

;// CONCATENATED MODULE: ./packages/github-release/src/commits.ts


/**
 * Checks that the commit exists in the repository before anything is tagged. GitHub answers 422 for a SHA it does
 * not know and 404 both for that and for a repository the token cannot see; a second read tells the two apart so
 * that the message points at the right fix.
 */
async function verifyCommit(client, repository, sha) {
    try {
        await client.rest.repos.getCommit({ ...repository, ref: sha, per_page: 1 });
        return;
    }
    catch (error) {
        const status = statusOf(error);
        if (status === 422)
            throw unknownCommit(repository, sha, error);
        if (status !== 404)
            throw gitHubError(error, `read commit ${sha}`, 'contents: read', repository);
        try {
            await client.rest.repos.get({ ...repository });
        }
        catch (repoError) {
            throw gitHubError(repoError, 'read the repository', 'contents: read', repository);
        }
        throw unknownCommit(repository, sha, error);
    }
}
function unknownCommit(repository, sha, cause) {
    return new src/* UserError */.yo(`Input "sha": commit ${sha} does not exist in ${repository.owner}/${repository.repo}. Pass the full SHA of a commit that was pushed to this repository.`, { title: 'Unknown commit', cause });
}

;// CONCATENATED MODULE: ./packages/github-release/src/tags.ts


/** Annotated tags can point at other tags; real repositories never nest deeply. */
const MAX_TAG_DEPTH = 5;
/** Reads `refs/tags/<tag>` and follows it to its commit; undefined when there is no such tag. */
async function readTag(client, repository, tag) {
    let object;
    try {
        const { data } = await client.rest.git.getRef({ ...repository, ref: `tags/${tag}` });
        // Older API versions answered a prefix match with a list; only the exact name counts.
        const refs = (Array.isArray(data) ? data : [data]);
        const exact = refs.find((ref) => ref.ref === `refs/tags/${tag}`);
        if (!exact)
            return undefined;
        object = exact.object;
    }
    catch (error) {
        if (statusOf(error) === 404)
            return undefined;
        throw gitHubError(error, `read tag "${tag}"`, 'contents: read', repository);
    }
    const refSha = object.sha;
    const annotated = object.type === 'tag';
    for (let depth = 0; object.type === 'tag' && depth < MAX_TAG_DEPTH; depth++) {
        try {
            const { data } = await client.rest.git.getTag({ ...repository, tag_sha: object.sha });
            object = data.object;
        }
        catch (error) {
            throw gitHubError(error, `read tag object ${object.sha}`, 'contents: read', repository);
        }
    }
    if (object.type !== 'commit') {
        throw new src/* UserError */.yo(`Tag "${tag}" points at a ${object.type} (${object.sha}), not at a commit. Choose another tag name.`);
    }
    return { refSha, annotated, commitSha: object.sha };
}
/**
 * Makes an annotated tag on `sha`: the tag object first, then the ref that publishes it. Idempotent: a tag already
 * on this commit is success (a re-run of the same release); a tag on another commit is refused, naming both.
 */
async function ensureAnnotatedTag(client, repository, request) {
    const { tag, sha, message } = request;
    const existing = await readTag(client, repository, tag);
    if (existing)
        return sameCommitOrConflict(tag, sha, existing);
    let tagObjectSha;
    try {
        const { data } = await client.rest.git.createTag({ ...repository, tag, message, object: sha, type: 'commit' });
        tagObjectSha = data.sha;
    }
    catch (error) {
        throw gitHubError(error, `create tag "${tag}"`, 'contents: write', repository);
    }
    try {
        await client.rest.git.createRef({ ...repository, ref: `refs/tags/${tag}`, sha: tagObjectSha });
    }
    catch (error) {
        // Another run made the tag between our read and this write: its commit decides, as above.
        if (statusOf(error) === 422) {
            const raced = await readTag(client, repository, tag);
            if (raced)
                return sameCommitOrConflict(tag, sha, raced);
        }
        throw gitHubError(error, `publish tag "${tag}" (refs/tags/${tag})`, 'contents: write', repository);
    }
    return { tag, tagSha: tagObjectSha, commitSha: sha, created: true };
}
function sameCommitOrConflict(tag, sha, existing) {
    if (existing.commitSha.toLowerCase() === sha.toLowerCase()) {
        return { tag, tagSha: existing.refSha, commitSha: existing.commitSha, created: false };
    }
    throw new src/* UserError */.yo(`Tag "${tag}" already exists on commit ${existing.commitSha}, not on ${sha}. A release tag never moves: choose another tag name (or bump), or delete the tag in the repository if it was made by mistake.`, { title: 'Tag conflict' });
}
/** Every tag in the repository with the commit it points at (annotated tags peeled), for the semver bump. */
async function listTags(client, repository) {
    try {
        const tags = await client.paginate(client.rest.repos.listTags, { ...repository, per_page: 100 });
        return tags.map((tag) => ({ name: tag.name, commitSha: tag.commit.sha }));
    }
    catch (error) {
        throw gitHubError(error, 'list tags', 'contents: read', repository);
    }
}

;// CONCATENATED MODULE: ./packages/github-release/src/releases.ts

/** Publishes a release for an existing tag, or finds the one an earlier run of the same release published. */
async function ensureRelease(client, repository, request) {
    const existing = await findRelease(client, repository, request.tag);
    if (existing)
        return { ...existing, created: false };
    try {
        const { data } = await client.rest.repos.createRelease({
            ...repository,
            tag_name: request.tag,
            name: request.name,
            body: request.body,
            generate_release_notes: request.generateNotes,
            prerelease: request.prerelease,
            make_latest: request.makeLatest,
            draft: false,
        });
        return { id: data.id, url: data.html_url, created: true };
    }
    catch (error) {
        // 422 "already_exists": a concurrent run published it first; theirs is the release of this tag.
        if (statusOf(error) === 422) {
            const raced = await findRelease(client, repository, request.tag);
            if (raced)
                return { ...raced, created: false };
        }
        throw gitHubError(error, `create the release of tag "${request.tag}"`, 'contents: write', repository);
    }
}
async function findRelease(client, repository, tag) {
    try {
        const { data } = await client.rest.repos.getReleaseByTag({ ...repository, tag });
        return { id: data.id, url: data.html_url };
    }
    catch (error) {
        if (statusOf(error) === 404)
            return undefined;
        throw gitHubError(error, `read the release of tag "${tag}"`, 'contents: read', repository);
    }
}

;// CONCATENATED MODULE: ./packages/github-release/src/deployments.ts


/** Latest states of a deployment that still claims to run (or to be about to run) in its environment. */
const LIVE_STATES = new Set(['success', 'in_progress', 'queued', 'pending']);
/** How many of the environment's newest deployments are looked at. */
const EARLIER_LIMIT = 100;
const PERMISSION = 'deployments: write';
/**
 * Records a deployment of `sha` in `environment` with a status. When it succeeded, earlier deployments of the same
 * environment that still look live are marked inactive, so the Environments page shows one thing running there.
 * GitHub does this by itself only for non-production environments (`auto_inactive`), hence the explicit pass.
 * A failed deployment leaves the earlier ones alone: what ran before is what still runs.
 * A re-run whose deployment is already the environment's newest (same commit, same tag) reuses it, adding a status
 * only when the state changed.
 */
async function recordDeployment(client, repository, request, logger) {
    const { environment } = request;
    const earlier = await listDeployments(client, repository, environment);
    const newest = earlier[0];
    const rerun = newest !== undefined && newest.sha === request.sha && payloadTag(newest.payload) === request.tag;
    let id;
    let statusNeeded = true;
    if (rerun) {
        id = newest.id;
        statusNeeded = (await latestState(client, repository, id)) !== request.state;
        logger.info(`Deployment ${id} of ${request.tag} to "${environment}" already exists: reusing it.`);
    }
    else {
        id = await createDeployment(client, repository, request);
        logger.info(`Deployment ${id} recorded for environment "${environment}".`);
    }
    if (statusNeeded) {
        try {
            await client.rest.repos.createDeploymentStatus({
                ...repository,
                deployment_id: id,
                state: request.state,
                description: request.description,
                ...(request.environmentUrl ? { environment_url: request.environmentUrl } : {}),
                ...(request.logUrl ? { log_url: request.logUrl } : {}),
            });
        }
        catch (error) {
            throw gitHubError(error, `set the status of deployment ${id}`, PERMISSION, repository);
        }
        logger.info(`Deployment ${id} is ${request.state}.`);
    }
    else {
        logger.info(`Deployment ${id} is already ${request.state}.`);
    }
    const others = earlier.filter((deployment) => deployment.id !== id);
    const deactivated = request.state === 'success' ? await deactivate(client, repository, request, others) : [];
    if (deactivated.length > 0) {
        logger.info(`Marked ${deactivated.length} earlier deployment(s) of "${environment}" inactive: ${deactivated.join(', ')}.`);
    }
    return { id, state: request.state, environment, created: !rerun, deactivated };
}
function payloadTag(payload) {
    return typeof payload === 'object' && payload !== null ? payload.tag : undefined;
}
async function listDeployments(client, repository, environment) {
    try {
        // Newest first, as GitHub lists them.
        const { data } = await client.rest.repos.listDeployments({ ...repository, environment, per_page: EARLIER_LIMIT });
        return data.map((deployment) => ({ id: deployment.id, sha: deployment.sha, payload: deployment.payload }));
    }
    catch (error) {
        throw gitHubError(error, `list the deployments of environment "${environment}"`, PERMISSION, repository);
    }
}
async function createDeployment(client, repository, request) {
    const doing = `create a deployment for environment "${request.environment}"`;
    let answer;
    try {
        answer = await client.rest.repos.createDeployment({
            ...repository,
            ref: request.sha,
            environment: request.environment,
            auto_merge: false,
            required_contexts: [],
            description: request.description,
            payload: request.payload,
        });
    }
    catch (error) {
        throw gitHubError(error, doing, PERMISSION, repository);
    }
    // 202 means GitHub merged the default branch instead; auto_merge: false should rule that out.
    if (answer.status !== 201 || !('id' in answer.data)) {
        throw new src/* UserError */.yo(`GitHub did not ${doing} (HTTP ${answer.status}: ${JSON.stringify(answer.data)}).`);
    }
    return answer.data.id;
}
async function latestState(client, repository, id) {
    try {
        const { data } = await client.rest.repos.listDeploymentStatuses({ ...repository, deployment_id: id, per_page: 1 });
        return data[0]?.state;
    }
    catch (error) {
        throw gitHubError(error, `read the statuses of deployment ${id}`, PERMISSION, repository);
    }
}
/**
 * Marks the earlier deployments that still look live inactive, newest first. It stops at the first one that is
 * already inactive: whatever came before it was dealt with when that one was superseded, which keeps a long
 * deployment history from costing one call per record on every release.
 */
async function deactivate(client, repository, request, earlier) {
    const deactivated = [];
    for (const deployment of earlier) {
        const latest = await latestState(client, repository, deployment.id);
        if (latest === 'inactive')
            break;
        if (latest === undefined || !LIVE_STATES.has(latest))
            continue;
        try {
            await client.rest.repos.createDeploymentStatus({
                ...repository,
                deployment_id: deployment.id,
                state: 'inactive',
                description: request.tag
                    ? `Superseded by ${request.tag} (${request.sha.slice(0, 7)}).`
                    : `Superseded by ${request.sha.slice(0, 7)}.`,
            });
        }
        catch (error) {
            throw gitHubError(error, `mark deployment ${deployment.id} inactive`, PERMISSION, repository);
        }
        deactivated.push(deployment.id);
    }
    return deactivated;
}

;// CONCATENATED MODULE: ./packages/github-release/src/release-body.ts

/**
 * The release body: which commit went where, and the facts earlier steps handed over (image digest, task-definition
 * revisions, ...). GitHub puts generated notes after it when `generate_release_notes` is set.
 */
function releaseBody(input) {
    const where = input.environment ? ` to **${input.environment}**` : '';
    const by = input.runUrl ? ` by ${(0,src/* link */.nf)('this workflow run', input.runUrl)}` : '';
    const parts = [`Commit ${(0,src/* code */.aY)(input.sha)} released${where}${by}.`];
    const entries = Object.entries(input.details);
    if (entries.length > 0) {
        const rows = [];
        let size = parts[0].length;
        for (const [key, value] of entries) {
            const row = [key, detailValue(value)];
            size += row[0].length + row[1].length + 8;
            if (size > DETAILS_LIMIT) {
                rows.push(['…', `${entries.length - rows.length} more left out (the release body has a size limit)`]);
                break;
            }
            rows.push(row);
        }
        parts.push((0,src/* table */.tp)(['Detail', 'Value'], rows));
    }
    return parts.join('\n\n');
}
/**
 * GitHub refuses a release body over 125,000 characters, and generated notes come on top of ours: the details
 * table stops well before that.
 */
const DETAILS_LIMIT = 60_000;
/** Strings as code (digests, ARNs), anything else as compact JSON. */
function detailValue(value) {
    return (0,src/* code */.aY)(typeof value === 'string' ? value : JSON.stringify(value));
}

;// CONCATENATED MODULE: ./packages/github-release/src/retry.ts


const DEFAULT_RETRY_POLICY = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 };
/**
 * How long to wait before trying a failed GitHub call again, or undefined to give up. Server errors and dropped
 * connections (Octokit reports both as 5xx) back off exponentially; a rate limit waits for the time GitHub names
 * (`retry-after`, or `x-ratelimit-reset` when the quota is spent), when that is short enough. Anything else (4xx)
 * is an answer, not an accident, and is not retried.
 */
function retryDelay(error, attempt, policy, now) {
    if (attempt >= policy.attempts)
        return undefined;
    const failure = httpFailure(error);
    if (!failure)
        return undefined;
    const { status, headers } = failure;
    if (status === 429 || status === 403) {
        const retryAfter = Number(headers['retry-after']);
        let wait;
        if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter))
            wait = retryAfter * 1000;
        else if (headers['x-ratelimit-remaining'] === '0')
            wait = Number(headers['x-ratelimit-reset']) * 1000 - now;
        else if (status === 429)
            wait = policy.baseDelayMs * 2 ** (attempt - 1);
        if (wait === undefined || !Number.isFinite(wait))
            return undefined;
        return wait <= policy.maxDelayMs ? Math.max(0, wait) : undefined;
    }
    if (status >= 500)
        return policy.baseDelayMs * 2 ** (attempt - 1);
    return undefined;
}
/**
 * Makes every request of `client` survive transient failures. Retrying is safe for this package's writes: a
 * repeated ref, release or status is detected and read back as "already there" (422), so the release converges.
 */
function retryTransientFailures(client, options) {
    const policy = options.policy ?? DEFAULT_RETRY_POLICY;
    client.hook.wrap('request', async (request, requestOptions) => {
        // A cancelled job aborts the request in flight too, instead of waiting for GitHub's answer. The options object
        // is changed in place: the hook chain hands the inner request the object it was registered with.
        if (options.signal)
            requestOptions.request = { ...requestOptions.request, signal: options.signal };
        for (let attempt = 1;; attempt++) {
            try {
                return await request(requestOptions);
            }
            catch (error) {
                if (options.signal?.aborted)
                    throw (0,src/* abortReason */.Js)(options.signal);
                const wait = retryDelay(error, attempt, policy, options.clock.now());
                if (wait === undefined)
                    throw error;
                const status = httpFailure(error)?.status;
                const path = String(requestOptions.url).replace(/^https?:\/\/[^/]+/, '');
                options.logger.info(`GitHub answered ${status} to ${requestOptions.method} ${path}; trying again in ${Math.ceil(wait / 1000)} s (attempt ${attempt + 1} of ${policy.attempts}).`);
                await options.clock.sleep(wait, options.signal);
            }
        }
    });
}

;// CONCATENATED MODULE: ./packages/github-release/src/ref-name.ts
/**
 * Git's rules for reference names (`git check-ref-format`), applied to a tag name before anything is written, so
 * that a bad name is refused as bad input instead of surfacing as a 422 halfway through a release.
 * Returns the first rule the name breaks, or undefined when git would accept `refs/tags/<name>`.
 */
function tagNameProblem(name) {
    if (name === '')
        return 'it is empty';
    if (name === '@')
        return 'it is the single character "@"';
    if (name.startsWith('-'))
        return 'it starts with "-"';
    if (name.startsWith('/') || name.endsWith('/'))
        return 'it starts or ends with "/"';
    if (name.includes('//'))
        return 'it contains "//"';
    if (name.endsWith('.'))
        return 'it ends with "."';
    if (name.includes('..'))
        return 'it contains ".."';
    if (name.includes('@{'))
        return 'it contains "@{"';
    const forbidden = [...name].find((char) => isControl(char) || ' ~^:?*[\\'.includes(char));
    if (forbidden !== undefined)
        return `it contains ${describeChar(forbidden)}`;
    for (const component of name.split('/')) {
        if (component.startsWith('.'))
            return `the part "${component}" starts with "."`;
        if (component.endsWith('.lock'))
            return `the part "${component}" ends with ".lock"`;
    }
    return undefined;
}
function isControl(char) {
    const code = char.codePointAt(0);
    return code < 0x20 || code === 0x7f;
}
function describeChar(char) {
    if (char === ' ')
        return 'a space';
    if (isControl(char))
        return `the control character U+${char.codePointAt(0).toString(16).padStart(4, '0')}`;
    return `"${char}"`;
}
/** What a tag may contain, for error messages. */
const TAG_NAME_RULES = 'Use letters, digits, ".", "-", "_" and "/" (no spaces, "..", "~", "^", ":", "?", "*", "[", "\\" or "@{", no part starting with "." or ending with ".lock")';

;// CONCATENATED MODULE: ./packages/github-release/src/publish.ts








/**
 * The whole release step: check the commit, choose the tag, tag it (annotated), publish the release and record
 * the deployment. Every part is idempotent, so re-running a release reports what is already there.
 */
async function publishRelease(client, plan, logger, 
/** Filled in as each part is done, so that a caller can report what exists when a later part fails. */
progress = {}) {
    const { repository, sha } = plan;
    await verifyCommit(client, repository, sha);
    logger.info(`Commit ${sha} exists in ${repository.owner}/${repository.repo}.`);
    const chosen = await chooseTag(client, plan, logger);
    const problem = tagNameProblem(chosen.tag);
    if (problem)
        throw new src/* UserError */.yo(`The tag "${chosen.tag}" is not a valid git tag name: ${problem}.`);
    const environment = plan.deployment?.environment;
    const message = plan.message ?? `Release ${chosen.tag} of ${sha.slice(0, 7)}${environment ? ` to ${environment}` : ''}.`;
    const tag = await ensureAnnotatedTag(client, repository, { tag: chosen.tag, sha, message });
    progress.tag = tag;
    progress.previousTag = chosen.previousTag;
    logger.info(tag.created
        ? `Created annotated tag ${tag.tag} (${tag.tagSha}) on ${sha}.`
        : `Tag ${tag.tag} is already on ${sha}: nothing to do.`);
    let release;
    if (plan.release) {
        const { name, generateNotes, prerelease, makeLatest } = plan.release;
        release = await ensureRelease(client, repository, {
            tag: tag.tag,
            name: name ?? tag.tag,
            body: releaseBody({ sha, environment, details: plan.details, runUrl: plan.runUrl }),
            generateNotes,
            prerelease,
            makeLatest: makeLatest === 'auto' ? (prerelease ? 'false' : 'true') : makeLatest,
        });
        progress.release = release;
        logger.info(release.created ? `Published release ${release.url}.` : `Release of ${tag.tag} already exists: ${release.url}.`);
    }
    let deployment;
    if (plan.deployment) {
        deployment = await recordDeployment(client, repository, {
            environment: plan.deployment.environment,
            sha,
            tag: tag.tag,
            state: plan.deployment.state,
            environmentUrl: plan.deployment.environmentUrl,
            logUrl: plan.runUrl,
            description: `${tag.tag} (${sha.slice(0, 7)})`,
            payload: { ...plan.details, tag: tag.tag, sha },
        }, logger);
        progress.deployment = deployment;
    }
    return { tag, previousTag: chosen.previousTag, release, deployment };
}
async function chooseTag(client, plan, logger) {
    if (plan.tag.kind === 'name')
        return { tag: plan.tag.name };
    const { level, prefix, includePrereleases } = plan.tag;
    const tags = await listTags(client, plan.repository);
    const bump = nextVersion(tags.map((tag) => tag.name), { level, prefix, includePrereleases });
    // A re-run after a successful bump must not bump again: the highest tag already marks this commit.
    const previous = tags.find((tag) => tag.name === bump.previousTag);
    if (previous && previous.commitSha.toLowerCase() === plan.sha.toLowerCase()) {
        logger.info(`The highest version tag ${previous.name} is already on this commit: keeping it.`);
        return { tag: previous.name };
    }
    logger.info(bump.previousTag === undefined
        ? `No semver tag${prefix ? ` with prefix "${prefix}"` : ''} yet: starting the series at ${bump.tag}.`
        : `Highest version tag is ${bump.previousTag}: the ${level} bump gives ${bump.tag}.`);
    return { tag: bump.tag, previousTag: bump.previousTag };
}

;// CONCATENATED MODULE: ./packages/github-release/src/summary.ts

/** The job summary: the tag, links to the release and the commit, and the deployment record. */
function releaseSummary(outcome, repository, serverUrl, 
/** Why the step stopped after the parts in `outcome`; the parts it did not reach say so. */
failure) {
    const base = `${serverUrl.replace(/\/+$/, '')}/${repository.owner}/${repository.repo}`;
    const { tag, release, deployment } = outcome;
    const missing = failure ? 'not done' : 'not requested';
    const rows = [
        ['Tag', `${link(tag.tag, `${base}/tree/${refPath(tag.tag)}`)} ${tag.created ? '(created)' : '(already there)'}`],
        ['Commit', link(code(tag.commitSha.slice(0, 7)), `${base}/commit/${tag.commitSha}`)],
        ['Tag object', code(tag.tagSha)],
    ];
    if (outcome.previousTag)
        rows.push(['Previous version', code(outcome.previousTag)]);
    rows.push([
        'Release',
        release
            ? `${link(`release ${tag.tag}`, release.url)} ${release.created ? '(published)' : '(already there)'}`
            : missing,
    ]);
    rows.push([
        'Deployment',
        deployment
            ? `${link(`#${deployment.id}`, `${base}/deployments/${encodeURIComponent(deployment.environment)}`)} to ${code(deployment.environment)}: ${deployment.state}` +
                (deployment.created ? '' : ' (already recorded)') +
                (deployment.deactivated.length > 0 ? `; ${deployment.deactivated.length} earlier marked inactive` : '')
            : missing,
    ]);
    const title = heading(`Release ${code(tag.tag)}${failure ? ' (incomplete)' : ''}`);
    const failed = failure ? `\n**Failed:** ${failure}\n` : '';
    return `${title}\n\n${table([' ', ' '], rows)}\n${failed}`;
}
/** A ref name in a URL path: each part encoded, the slashes kept (`releases/v1.0.0`). */
function refPath(name) {
    return name.split('/').map(encodeURIComponent).join('/');
}

;// CONCATENATED MODULE: ./packages/github-release/src/index.ts














// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 17 modules
var schemas = __webpack_require__(8816);
;// CONCATENATED MODULE: ./packages/pipeline/src/config.ts
/**
 * The release config file (`.github/ecs-release.yml` by default): one entry per environment saying where it runs and
 * how each stage behaves. Validated with zod; `npm run schema` publishes the same schema as JSON Schema for editors.
 */



const config_name = schemas/* string */.YjP().regex(/^[A-Za-z0-9_-]{1,255}$/, 'use letters, digits, hyphens and underscores');
const template = schemas/* string */.YjP()
    .min(1)
    .refine((text) => [...text.matchAll(/\{([^{}]*)\}/g)].every((m) => PLACEHOLDERS.includes(m[1])), {
    message: 'use only the placeholders {env}, {date}, {time}, {sha}, {sha7} and {run}',
});
const minutes = schemas/* number */.aig()
    .positive()
    .max(24 * 60);
const seconds = schemas/* number */.aig().positive().max(3600);
const PLACEHOLDERS = ['env', 'date', 'time', 'sha', 'sha7', 'run'];
const service = schemas/* union */.KCZ([
    config_name.transform((serviceName) => ({ name: serviceName, containers: undefined })),
    schemas/* object */.Ikc({
        name: config_name,
        containers: schemas/* array */.YOg(config_name).min(1).optional().describe('Containers that get the image; default: the essential one'),
    })
        .strict(),
]);
// The same rules as the build-push-ecr action's inputs, so a config means what the action's inputs would mean.
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
const BUILD_ARG = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_ID = /^[A-Za-z0-9_.-]{1,128}$/;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const REPOSITORY = /^[a-z0-9]+(?:[._/-][a-z0-9]+)*$/;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SEVERITY = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'];
/** ECR refuses upload parts smaller than 5 MiB (except the last). */
const MIN_CHUNK_MIB = 5;
/** The image keys that only some sources use. */
const SOURCE_KEYS = {
    context: ['build'],
    file: ['build'],
    platforms: ['build'],
    'build-args': ['build'],
    target: ['build'],
    labels: ['build'],
    'secret-env': ['build'],
    'cache-from': ['build'],
    'cache-to': ['build'],
    provenance: ['build'],
    archive: ['push-archive'],
    'mount-from': ['push-archive'],
    'chunk-size-mib': ['push-archive'],
    'skip-existing': ['build', 'push-archive'],
    'fail-on-severity': ['build', 'push-archive'],
    'scan-timeout-minutes': ['build', 'push-archive'],
};
/** A string map whose keys must match `pattern`; a bad key is named in the message (the path ends with it). */
const recordKeys = (pattern, what) => schemas/* record */.g1P(schemas/* string */.YjP().regex(pattern), schemas/* string */.YjP(), {
    error: (issue) => (issue.code === 'invalid_key' ? `use ${what}` : undefined),
});
const config_image = schemas/* object */.Ikc({
    repository: schemas/* string */.YjP().regex(REPOSITORY, 'use an ECR repository name such as "shop"'),
    source: schemas/* enum */.k5n(['build', 'push-archive', 'promote'])
        .describe('build: docker buildx; push-archive: an OCI layout; promote: retag an image staging already tested'),
    tags: schemas/* array */.YOg(template)
        .min(1)
        .default(['{sha}'])
        .describe('Tags to give the image; with build, skip-existing looks for the first one'),
    context: schemas/* string */.YjP().min(1).optional().describe('build: the build context, relative to the workspace'),
    file: schemas/* string */.YjP().min(1).optional().describe('build: the Dockerfile, relative to the workspace'),
    platforms: schemas/* array */.YOg(schemas/* string */.YjP().regex(PLATFORM, 'use os/architecture[/variant], e.g. linux/arm64'))
        .optional()
        .describe("build: target platforms; default: the builder's own"),
    'build-args': recordKeys(BUILD_ARG, 'build argument names').optional().describe('build: --build-arg values'),
    target: schemas/* string */.YjP()
        .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use a build stage name')
        .optional()
        .describe('build: the Dockerfile stage to build'),
    labels: recordKeys(LABEL, 'label keys')
        .optional()
        .describe('build: image labels, besides org.opencontainers.image.revision and source'),
    'secret-env': recordKeys(SECRET_ID, 'secret ids (letters, digits, ".", "_", "-")')
        .refine((value) => Object.values(value).every((variable) => VARIABLE.test(variable)), {
        message: 'give the name of an environment variable for each secret',
    })
        .optional()
        .describe('build: build secrets, each id mapped to the environment variable that holds its value'),
    'cache-from': schemas/* array */.YOg(schemas/* string */.YjP().min(1))
        .optional()
        .describe('build: cache sources; [] for none; default: <repository>:buildcache'),
    'cache-to': schemas/* array */.YOg(schemas/* string */.YjP().min(1))
        .optional()
        .describe('build: cache destinations; [] for none; default: <repository>:buildcache'),
    provenance: schemas/* union */.KCZ([schemas/* boolean */.zMY(), schemas/* enum */.k5n(['mode=min', 'mode=max'])])
        .optional()
        .describe("build: provenance attestation; default: buildx's own"),
    archive: schemas/* string */.YjP()
        .min(1)
        .optional()
        .describe('push-archive: an OCI image layout directory or tar, relative to the workspace'),
    'mount-from': schemas/* array */.YOg(schemas/* string */.YjP().regex(REPOSITORY, 'use ECR repository names of the same registry'))
        .optional()
        .describe('push-archive: repositories to mount blobs from before uploading them'),
    'chunk-size-mib': schemas/* number */.aig()
        .int()
        .min(MIN_CHUNK_MIB)
        .max(1024)
        .optional()
        .describe('push-archive: blobs larger than this go up in chunks of this size; default 16'),
    'skip-existing': schemas/* boolean */.zMY()
        .optional()
        .describe('build, push-archive: reuse the image already under the first tag instead of building; default true'),
    'fail-on-severity': schemas/* enum */.k5n(SEVERITY)
        .optional()
        .describe('build, push-archive: wait for the ECR scan and fail on findings at or above this severity'),
    'scan-timeout-minutes': minutes
        .optional()
        .describe('build, push-archive: how long to wait for the scan; default 10'),
    from: template.default('{sha}').describe('promote: the tag of the image to promote'),
})
    .strict()
    .superRefine((value, context) => {
    if (value.source === 'build' && !value.context) {
        context.addIssue({ code: 'custom', path: ['context'], message: 'a build needs a context' });
    }
    if (value.source === 'push-archive' && !value.archive) {
        context.addIssue({ code: 'custom', path: ['archive'], message: 'push-archive needs an archive' });
    }
    // A key of another source is a mistake, not something to ignore silently.
    for (const [key, owners] of Object.entries(SOURCE_KEYS)) {
        if (value[key] !== undefined && !owners.includes(value.source)) {
            context.addIssue({
                code: 'custom',
                path: [key],
                message: `applies to source ${owners.join(' or ')}, not ${value.source}`,
            });
        }
    }
});
const migration = schemas/* object */.Ikc({
    'task-definition': schemas/* string */.YjP().min(1),
    container: config_name.optional(),
    command: schemas/* array */.YOg(schemas/* string */.YjP()).min(1).optional(),
    environment: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* string */.YjP()).default({}),
    'launch-type': schemas/* enum */.k5n(['FARGATE', 'EC2', 'EXTERNAL']).optional(),
    subnets: schemas/* array */.YOg(schemas/* string */.YjP().regex(/^subnet-[0-9a-f]+$/)).default([]),
    'security-groups': schemas/* array */.YOg(schemas/* string */.YjP().regex(/^sg-[0-9a-f]+$/)).default([]),
    'assign-public-ip': schemas/* boolean */.zMY().default(false),
    'timeout-minutes': minutes.default(30),
    'poll-interval-seconds': seconds.default(5),
    snapshot: schemas/* object */.Ikc({
        'db-instance': schemas/* string */.YjP().optional(),
        'db-cluster': schemas/* string */.YjP().optional(),
        id: template.default('pre-migration-{env}-{date}-{time}-{sha7}'),
        'timeout-minutes': minutes.default(60),
    })
        .strict()
        .refine((value) => Boolean(value['db-instance']) !== Boolean(value['db-cluster']), {
        message: 'name exactly one of db-instance and db-cluster',
    })
        .optional(),
})
    .strict();
const deploy = schemas/* object */.Ikc({
    'circuit-breaker': schemas/* enum */.k5n(['rollback', 'fail-only']).default('rollback'),
    alarms: schemas/* array */.YOg(schemas/* string */.YjP().min(1)).default([]),
    'timeout-minutes': minutes.default(30),
    'poll-interval-seconds': seconds.default(5),
})
    .strict();
const smoke = schemas/* object */.Ikc({
    'base-url': schemas/* url */.OZ5().optional(),
    'version-header': schemas/* string */.YjP().optional(),
    'version-json-path': schemas/* string */.YjP().optional(),
    'expect-version': schemas/* boolean */.zMY().default(true).describe('Require the released SHA in every answer'),
    'wait-for-healthy-seconds': schemas/* number */.aig().min(0).max(3600).default(60),
    'consecutive-successes': schemas/* number */.aig().int().min(1).max(100).default(1),
    'request-timeout-seconds': seconds.default(10),
    checks: schemas/* array */.YOg(schemas/* unknown */.L5J()).min(1).describe('The same checks as the smoke-test action'),
})
    .strict();
const tag = schemas/* object */.Ikc({
    template: template.describe('For example production-{date}-{sha7}'),
    release: schemas/* boolean */.zMY().default(false).describe('Also publish a GitHub release'),
})
    .strict();
const environment = schemas/* object */.Ikc({
    region: schemas/* string */.YjP()
        .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'use an AWS region such as us-east-1')
        .optional(),
    cluster: config_name,
    services: schemas/* array */.YOg(service).min(1),
    image: config_image,
    migration: migration.optional(),
    deploy: deploy.default({
        'circuit-breaker': 'rollback',
        alarms: [],
        'timeout-minutes': 30,
        'poll-interval-seconds': 5,
    }),
    smoke: smoke.optional(),
    tag: tag.optional(),
    'deployment-record': schemas/* object */.Ikc({ url: schemas/* url */.OZ5().optional() })
        .strict()
        .optional()
        .describe('Record a GitHub deployment for this environment'),
    slack: schemas/* object */.Ikc({
        'webhook-env': schemas/* string */.YjP()
            .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
            .describe('Variable holding the webhook URL'),
    })
        .strict()
        .optional(),
})
    .strict();
const releaseConfigSchema = schemas/* object */.Ikc({
    $schema: schemas/* string */.YjP().optional(),
    environments: schemas/* record */.g1P(schemas/* string */.YjP().regex(/^[A-Za-z0-9_.-]{1,64}$/), environment),
})
    .strict();
class ConfigError extends Error {
}
/** Reads and validates the config file; every problem names the file and the key, in one line. */
function loadConfig(path, text = (0,external_node_fs_.readFileSync)(path, 'utf8')) {
    let raw;
    try {
        raw = (0,dist/* parse */.qg)(text);
    }
    catch (error) {
        const first = error.message.split('\n')[0].replace(/:\s*$/, '');
        throw new ConfigError(`${path} is not valid YAML: ${first}. Fix the YAML syntax there.`);
    }
    const result = releaseConfigSchema.safeParse(raw);
    if (!result.success) {
        const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
        throw new ConfigError(`${path} is not a valid release config: ${problems.join('; ')}. Fix ${problems.length === 1 ? 'that key' : 'those keys'}; schemas/ecs-release.schema.json describes every key.`);
    }
    return result.data;
}
function releaseConfigJsonSchema() {
    return {
        $id: 'https://github.com/ecs-ship/ecs-ship/schemas/ecs-release.schema.json',
        title: 'ecs-ship release config',
        ...z.toJSONSchema(releaseConfigSchema, { io: 'input' }),
    };
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./packages/ecs/src/taskdef/render.ts
/**
 * Turns a task-definition template (a file, or the service's current definition as DescribeTaskDefinition returns
 * it) into a RegisterTaskDefinition request: read-only fields dropped, tags kept, images and environment applied.
 */
/** Fields ECS adds to a registered definition and refuses on registration. */
const READ_ONLY_FIELDS = [
    'taskDefinitionArn',
    'revision',
    'status',
    'requiresAttributes',
    'compatibilities',
    'registeredAt',
    'registeredBy',
    'deregisteredAt',
];
/**
 * Accepts a bare definition, or the `{ taskDefinition, tags }` shape that `aws ecs describe-task-definition`
 * prints, so that users can save that output as their template.
 */
function unwrapTemplate(template) {
    const inner = template.taskDefinition;
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
        const tags = Array.isArray(template.tags) ? template.tags : undefined;
        return { definition: inner, tags };
    }
    return { definition: template };
}
function renderTaskDefinition(template, options = {}) {
    const errors = [];
    const { definition: source, tags: wrappedTags } = unwrapTemplate(template);
    const definition = structuredClone(source);
    for (const field of READ_ONLY_FIELDS)
        delete definition[field];
    const tags = definition.tags ?? wrappedTags ?? options.tags;
    if (tags && tags.length > 0)
        definition.tags = tags.map((tag) => ({ key: tag.key, value: tag.value }));
    else
        delete definition.tags;
    if (typeof definition.family !== 'string' || definition.family === '') {
        errors.push('the task definition has no "family"');
    }
    const containers = Array.isArray(definition.containerDefinitions)
        ? definition.containerDefinitions
        : [];
    if (containers.length === 0)
        errors.push('the task definition has no containerDefinitions');
    const byName = new Map(containers.map((container) => [container.name, container]));
    const known = () => [...byName.keys()].map((name) => `"${name}"`).join(', ');
    for (const [name, image] of options.images ?? []) {
        const container = byName.get(name);
        if (container)
            container.image = image;
        else
            errors.push(`container "${name}" (in images) is not in task definition "${definition.family}"; it has ${known()}`);
    }
    if (options.imageForEssentialContainer !== undefined) {
        // ECS treats a container without `essential` as essential.
        const essential = containers.filter((container) => container.essential !== false);
        if (essential.length === 1)
            essential[0].image = options.imageForEssentialContainer;
        else {
            errors.push(`task definition "${definition.family}" has ${essential.length} essential containers (${known()}), so "image" needs "container" to say which one`);
        }
    }
    for (const [name, variables] of options.environment ?? []) {
        const container = byName.get(name);
        if (!container) {
            errors.push(`container "${name}" (in environment) is not in task definition "${definition.family}"; it has ${known()}`);
            continue;
        }
        const merged = new Map((container.environment ?? []).map((entry) => [entry.name, entry.value]));
        for (const [key, value] of variables)
            merged.set(key, value);
        container.environment = [...merged].map(([key, value]) => ({ name: key, value }));
    }
    return { definition: definition, errors };
}
/** The images a definition runs, `container=image`, for reports. */
function imagesOf(definition) {
    const result = {};
    for (const container of definition.containerDefinitions ?? []) {
        if (container.image)
            result[container.name] = container.image;
    }
    return result;
}

;// CONCATENATED MODULE: ./packages/ecs/src/taskdef/compare.ts
/**
 * Tells whether a rendered task definition differs from the registered one, and how. ECS fills in defaults and
 * keeps lists in its own order, so both sides are normalised first: otherwise every deploy would register a new
 * revision for a definition that did not change.
 */

/** Lists whose order carries no meaning, and the field that identifies their items. */
const KEYED_LISTS = {
    containerDefinitions: 'name',
    environment: 'name',
    secrets: 'name',
    tags: 'key',
    volumes: 'name',
    ulimits: 'name',
    systemControls: 'namespace',
    placementConstraints: 'expression',
    dependsOn: 'containerName',
    extraHosts: 'hostname',
};
/** Lists of plain values whose order carries no meaning. */
const SET_LISTS = new Set(['requiresCompatibilities']);
/** Task-level numbers that ECS returns as strings. */
const STRING_NUMBERS = new Set(['cpu', 'memory']);
/** Returns a canonical form: read-only fields gone, defaults removed, unordered lists sorted, keys sorted. */
function normaliseTaskDefinition(definition) {
    const copy = { ...definition };
    for (const field of READ_ONLY_FIELDS)
        delete copy[field];
    for (const field of STRING_NUMBERS)
        if (typeof copy[field] === 'number')
            copy[field] = String(copy[field]);
    if (Array.isArray(copy.containerDefinitions)) {
        copy.containerDefinitions = copy.containerDefinitions.map((container) => normaliseContainer(container, copy.networkMode));
    }
    return canonical(copy) ?? {};
}
function normaliseContainer(container, networkMode) {
    const copy = { ...container };
    // Defaults ECS writes into every container it returns.
    if (copy.essential === true)
        delete copy.essential;
    if (copy.cpu === 0)
        delete copy.cpu;
    if (Array.isArray(copy.portMappings)) {
        copy.portMappings = copy.portMappings.map((mapping) => {
            const port = { ...mapping };
            if (port.protocol === 'tcp')
                delete port.protocol;
            // In awsvpc mode ECS sets hostPort to containerPort.
            if (networkMode === 'awsvpc' && port.hostPort === port.containerPort)
                delete port.hostPort;
            return port;
        });
    }
    return copy;
}
/** Drops null, undefined, empty lists and empty objects; sorts keys and unordered lists. */
function canonical(value, key) {
    if (value === null || value === undefined)
        return undefined;
    if (Array.isArray(value)) {
        const items = value.map((item) => canonical(item)).filter((item) => item !== undefined);
        if (items.length === 0)
            return undefined;
        const id = key === undefined ? undefined : KEYED_LISTS[key];
        if (id)
            return [...items].sort((a, b) => compareText(identify(a, id), identify(b, id)));
        if (key !== undefined && SET_LISTS.has(key))
            return [...items].sort((a, b) => compareText(JSON.stringify(a), JSON.stringify(b)));
        return items;
    }
    if (typeof value === 'object') {
        const result = {};
        for (const name of Object.keys(value).sort()) {
            const inner = canonical(value[name], name);
            if (inner !== undefined)
                result[name] = inner;
        }
        return Object.keys(result).length === 0 ? undefined : result;
    }
    if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string')
        return value;
    return String(value);
}
function identify(item, field) {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
        const id = item[field];
        if (typeof id === 'string')
            return id;
    }
    return JSON.stringify(item);
}
function compareText(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
function sameTaskDefinition(a, b) {
    return JSON.stringify(normaliseTaskDefinition(a)) === JSON.stringify(normaliseTaskDefinition(b));
}
/** The differences between two definitions, after normalisation, leaf by leaf. */
function diffTaskDefinitions(before, after) {
    const left = flatten(normaliseTaskDefinition(before));
    const right = flatten(normaliseTaskDefinition(after));
    const changes = [];
    for (const path of [...new Set([...left.keys(), ...right.keys()])].sort()) {
        const a = left.get(path);
        const b = right.get(path);
        if (a !== b)
            changes.push({ path, before: a, after: b });
    }
    return changes;
}
function flatten(value, path = '', out = new Map(), key) {
    if (Array.isArray(value)) {
        const id = key === undefined ? undefined : KEYED_LISTS[key];
        value.forEach((item, index) => {
            const label = id ? identify(item, id) : String(index);
            flatten(item, `${path}[${label}]`, out);
        });
    }
    else if (value !== null && typeof value === 'object') {
        for (const [name, inner] of Object.entries(value))
            flatten(inner, path ? `${path}.${name}` : name, out, name);
    }
    else {
        out.set(path, JSON.stringify(value));
    }
    return out;
}
/** A diff as text lines, `-`/`+` per changed value, for the plan summary and log. */
function formatDiff(changes) {
    if (changes.length === 0)
        return '(no change)';
    return changes
        .flatMap((change) => [
        ...(change.before !== undefined ? [`- ${change.path}: ${change.before}`] : []),
        ...(change.after !== undefined ? [`+ ${change.path}: ${change.after}`] : []),
    ])
        .join('\n');
}

;// CONCATENATED MODULE: ./packages/ecs/src/taskdef/index.ts



// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(212);
;// CONCATENATED MODULE: ./packages/ecs/src/deploy/assess.ts
/** States that end the watch of a service. */
function isFinal(assessment) {
    return assessment.state !== 'progressing' && assessment.state !== 'rolling-back';
}
function assess(target, snapshot, now) {
    const gone = goneReason(snapshot);
    if (gone)
        return { state: 'gone', reason: gone };
    const verdict = target.phase === 'rollout' ? assessRollout(target, snapshot) : assessRollback(target, snapshot);
    if ((verdict.state === 'progressing' || verdict.state === 'rolling-back') && now >= target.deadline) {
        const what = verdict.state === 'progressing' ? 'deployment' : 'rollback';
        return { state: 'timed-out', reason: `the ${what} did not finish in time (${verdict.summary})` };
    }
    return verdict;
}
function goneReason(snapshot) {
    if (snapshot.missing)
        return 'the service no longer exists (DescribeServices reports it MISSING)';
    if (snapshot.status && snapshot.status !== 'ACTIVE')
        return `the service is ${snapshot.status}, it is being deleted`;
    return undefined;
}
function assessRollout(target, snapshot) {
    const ours = snapshot.deployments.find((deployment) => deployment.id === target.deploymentId);
    const primary = snapshot.deployments.find((deployment) => deployment.status === 'PRIMARY');
    const record = ownRecord(target, snapshot);
    if (record) {
        switch (record.status) {
            case 'SUCCESSFUL':
                return { state: 'succeeded', summary: progress(ours ?? primary, snapshot) };
            case 'ROLLBACK_REQUESTED':
            case 'ROLLBACK_IN_PROGRESS':
            case 'ROLLBACK_SUCCESSFUL':
                return { state: 'failed', reason: failureReason(target, snapshot, ours), rollingBack: true };
            case 'ROLLBACK_FAILED':
                return { state: 'failed', reason: failureReason(target, snapshot, ours), rollingBack: false };
            case 'STOP_REQUESTED':
            case 'STOPPED':
                if (ours?.rolloutState !== 'FAILED' &&
                    primary &&
                    primary.id !== target.deploymentId &&
                    !rollbackEvent(target, snapshot)) {
                    return superseded(primary, record.statusReason);
                }
                return { state: 'failed', reason: failureReason(target, snapshot, ours), rollingBack: target.rollbackEnabled };
            default:
                break; // PENDING / IN_PROGRESS: the deployments list may already say more.
        }
    }
    if (ours?.rolloutState === 'FAILED') {
        return { state: 'failed', reason: failureReason(target, snapshot, ours), rollingBack: target.rollbackEnabled };
    }
    if (ours && ours.status === 'PRIMARY') {
        // COMPLETED stays set while a later scale change runs, so the counts must agree too.
        if (ours.rolloutState === 'COMPLETED' && ours.runningCount === ours.desiredCount) {
            return { state: 'succeeded', summary: progress(ours, snapshot) };
        }
        // Without rolloutState (older API answers), the classic steady-state rule on OUR deployment.
        if (ours.rolloutState === undefined &&
            snapshot.deployments.length === 1 &&
            ours.runningCount === ours.desiredCount &&
            ours.pendingCount === 0) {
            return { state: 'succeeded', summary: progress(ours, snapshot) };
        }
        return { state: 'progressing', summary: progress(ours, snapshot) };
    }
    if (primary && primary.id !== target.deploymentId) {
        // Our deployment lost PRIMARY (or is gone): ECS rolled it back, or someone else updated the service.
        if (rollbackEvent(target, snapshot)) {
            return { state: 'failed', reason: failureReason(target, snapshot, ours), rollingBack: true };
        }
        return superseded(primary, undefined);
    }
    // Not yet visible in this answer (eventual consistency right after UpdateService).
    return { state: 'progressing', summary: progress(ours, snapshot) };
}
function assessRollback(target, snapshot) {
    const primary = snapshot.deployments.find((deployment) => deployment.status === 'PRIMARY');
    const record = ownRecord(target, snapshot);
    const restored = primary && primary.id !== target.deploymentId ? primary : undefined;
    if (record?.status === 'ROLLBACK_FAILED') {
        return {
            state: 'rolled-back',
            healthy: false,
            taskDefinition: restored?.taskDefinition,
            reason: `the rollback failed: ${record.statusReason ?? 'ECS gave no reason'}`,
        };
    }
    if (restored?.rolloutState === 'FAILED') {
        return {
            state: 'rolled-back',
            healthy: false,
            taskDefinition: restored.taskDefinition,
            reason: `the rollback failed: ${restored.rolloutStateReason ?? 'ECS gave no reason'}`,
        };
    }
    const steady = restored !== undefined &&
        snapshot.deployments.length === 1 &&
        restored.runningCount >= restored.desiredCount &&
        restored.pendingCount === 0 &&
        (restored.rolloutState === undefined || restored.rolloutState === 'COMPLETED');
    if (steady || (record?.status === 'ROLLBACK_SUCCESSFUL' && restored)) {
        const revision = restored.taskDefinition;
        const onPrevious = revision === target.previousTaskDefinition;
        return {
            state: 'rolled-back',
            healthy: true,
            taskDefinition: revision,
            reason: onPrevious
                ? `rolled back: ${restored.runningCount}/${restored.desiredCount} tasks healthy on the previous revision ${revisionName(revision)}`
                : `rolled back to ${revisionName(revision)}: ${restored.runningCount}/${restored.desiredCount} tasks healthy`,
        };
    }
    return { state: 'rolling-back', summary: progress(restored, snapshot) };
}
/** The service-deployment record, when it is the one our update created. */
function ownRecord(target, snapshot) {
    const record = snapshot.serviceDeployment;
    return record && target.serviceDeploymentArn && record.arn === target.serviceDeploymentArn ? record : undefined;
}
function superseded(primary, statusReason) {
    return {
        state: 'superseded',
        by: primary.id,
        reason: `superseded by deployment ${primary.id} of ${revisionName(primary.taskDefinition)}${statusReason ? ` (${statusReason})` : ''}; another update replaced this one`,
    };
}
/** Events since our deployment started that say ECS is rolling it back. */
function rollbackEvent(target, snapshot) {
    return recentEvents(target, snapshot).find((event) => /rolling back|rolled back|rollback/i.test(event.message));
}
function recentEvents(target, snapshot) {
    // A second of slack: ECS timestamps and ours come from different clocks.
    return snapshot.events.filter((event) => event.createdAt >= target.startedAt - 1000);
}
/** ECS's own words for the failure: the service-deployment record, the rollout reason, then the events. */
function failureReason(target, snapshot, ours) {
    const record = ownRecord(target, snapshot);
    const events = recentEvents(target, snapshot);
    // The deployment's own rollout reason is the most specific ("circuit breaker: tasks failed to start").
    const reason = (ours?.rolloutState === 'FAILED' ? ours.rolloutStateReason : undefined) ??
        record?.rollbackReason ??
        record?.statusReason ??
        ours?.rolloutStateReason ??
        events.find((event) => /circuit breaker|alarm|deployment failed|rolling back/i.test(event.message))?.message ??
        'ECS reports the deployment failed without a reason';
    const parts = [sentence(reason)];
    const alarms = record?.triggeredAlarms ?? [];
    if (alarms.length > 0 && !alarms.every((alarm) => reason.includes(alarm)))
        parts.push(`Alarms in ALARM: ${alarms.join(', ')}.`);
    // Why the tasks failed, in ECS's words (events are newest first).
    const taskFailure = events.find((event) => /\(task [^)]+\)/.test(event.message) && TASK_FAILURE.test(event.message));
    if (taskFailure)
        parts.push(`Latest task failure: ${sentence(withoutServicePrefix(taskFailure.message))}`);
    return parts.join(' ');
}
const TASK_FAILURE = /failed to start|failed container health checks|failed (?:ELB|load balancer) health checks|is unhealthy|essential container .* exited/i;
function withoutServicePrefix(message) {
    return message.replace(/^\(service [^)]+\)\s*/, '');
}
function sentence(text) {
    const trimmed = text.trim();
    return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
function progress(deployment, snapshot) {
    if (!deployment)
        return `${snapshot.runningCount}/${snapshot.desiredCount} running`;
    const parts = [
        `${deployment.rolloutState ?? deployment.status}`,
        `${deployment.runningCount}/${deployment.desiredCount} running`,
    ];
    if (deployment.pendingCount > 0)
        parts.push(`${deployment.pendingCount} pending`);
    if (deployment.failedTasks > 0)
        parts.push(`${deployment.failedTasks} failed`);
    const others = snapshot.deployments.filter((other) => other.id !== deployment.id);
    if (others.length > 0)
        parts.push(`${others.reduce((n, other) => n + other.runningCount, 0)} old running`);
    return parts.join(', ');
}
/** `family:rev` from an ARN, for people. */
function revisionName(taskDefinition) {
    if (!taskDefinition)
        return '?';
    const slash = taskDefinition.lastIndexOf('/');
    return slash >= 0 ? taskDefinition.slice(slash + 1) : taskDefinition;
}

;// CONCATENATED MODULE: ./packages/ecs/src/deploy/snapshot.ts
const time = (value) => (value ? value.getTime() : undefined);
function deploymentView(deployment) {
    return {
        id: deployment.id ?? '',
        status: deployment.status ?? '',
        taskDefinition: deployment.taskDefinition ?? '',
        desiredCount: deployment.desiredCount ?? 0,
        runningCount: deployment.runningCount ?? 0,
        pendingCount: deployment.pendingCount ?? 0,
        failedTasks: deployment.failedTasks ?? 0,
        rolloutState: deployment.rolloutState,
        rolloutStateReason: deployment.rolloutStateReason,
        createdAt: time(deployment.createdAt),
        updatedAt: time(deployment.updatedAt),
    };
}
function eventView(event) {
    return { id: event.id ?? '', createdAt: time(event.createdAt) ?? 0, message: event.message ?? '' };
}
function serviceDeploymentView(record) {
    return {
        arn: record.serviceDeploymentArn ?? '',
        status: record.status ?? '',
        statusReason: record.statusReason,
        rollbackReason: record.rollback?.reason,
        circuitBreaker: record.deploymentCircuitBreaker
            ? {
                status: record.deploymentCircuitBreaker.status,
                failureCount: record.deploymentCircuitBreaker.failureCount,
                threshold: record.deploymentCircuitBreaker.threshold,
            }
            : undefined,
        triggeredAlarms: record.alarms?.triggeredAlarmNames,
        createdAt: time(record.createdAt),
        finishedAt: time(record.finishedAt),
    };
}
function serviceSnapshot(name, service, record) {
    if (!service) {
        return {
            service: name,
            missing: true,
            desiredCount: 0,
            runningCount: 0,
            pendingCount: 0,
            deployments: [],
            events: [],
        };
    }
    return {
        service: name,
        missing: false,
        status: service.status,
        desiredCount: service.desiredCount ?? 0,
        runningCount: service.runningCount ?? 0,
        pendingCount: service.pendingCount ?? 0,
        taskDefinition: service.taskDefinition,
        currentServiceDeployment: service.currentServiceDeployment,
        deployments: (service.deployments ?? []).map(deploymentView),
        events: (service.events ?? []).map(eventView),
        serviceDeployment: record ? serviceDeploymentView(record) : undefined,
    };
}

;// CONCATENATED MODULE: ./packages/ecs/src/deploy/observe.ts
/**
 * One look at many services: one DescribeServices per 10 services (the API's limit) and one
 * DescribeServiceDeployments per 20 service-deployment ARNs. Where the newer API is not available the watcher
 * carries on with `deployments[].rolloutState` alone.
 */


const DESCRIBE_SERVICES_LIMIT = 10;
const DESCRIBE_SERVICE_DEPLOYMENTS_LIMIT = 20;
function chunk(items, size) {
    const chunks = [];
    for (let i = 0; i < items.length; i += size)
        chunks.push(items.slice(i, i + size));
    return chunks;
}
/** DescribeServices for any number of services; the ones ECS does not know come back as undefined. */
async function describeServices(ecs, cluster, services, signal) {
    const found = new Map();
    const answers = await Promise.all(chunk(services, DESCRIBE_SERVICES_LIMIT).map((names) => ecs.send(new dist_cjs/* DescribeServicesCommand */.H7c({ cluster, services: names }), { abortSignal: signal })));
    for (const answer of answers) {
        for (const service of answer.services ?? []) {
            const name = services.find((wanted) => wanted === service.serviceName || wanted === service.serviceArn);
            if (name)
                found.set(name, service);
        }
    }
    for (const name of services)
        if (!found.has(name))
            found.set(name, undefined);
    return found;
}
/** Errors that say the account or endpoint does not offer DescribeServiceDeployments. */
function isUnsupported(error) {
    const name = error?.name ?? '';
    return /UnknownOperation|UnsupportedOperation|AccessDenied|InvalidAction|NotImplemented|UnrecognizedClient/i.test(name);
}
class Observer {
    ecs;
    cluster;
    onFallback;
    /** Cleared the first time the API turns out to be unavailable, so later polls do not ask again. */
    recordsAvailable = true;
    /** DescribeServices calls made, for the bench and the report. */
    describeServicesCalls = 0;
    polls = 0;
    constructor(ecs, cluster, onFallback = () => undefined) {
        this.ecs = ecs;
        this.cluster = cluster;
        this.onFallback = onFallback;
    }
    get usesServiceDeployments() {
        return this.recordsAvailable;
    }
    /** Snapshots of `services`; `arns` are the service-deployment ARNs to read alongside, per service. */
    async look(services, arns, signal) {
        this.polls += 1;
        this.describeServicesCalls += Math.ceil(services.length / DESCRIBE_SERVICES_LIMIT);
        const wanted = services.map((service) => arns.get(service)).filter((arn) => Boolean(arn));
        const [described, records] = await Promise.all([
            describeServices(this.ecs, this.cluster, services, signal),
            this.records(wanted, signal),
        ]);
        const snapshots = new Map();
        for (const name of services) {
            const arn = arns.get(name);
            snapshots.set(name, serviceSnapshot(name, described.get(name), arn ? records.get(arn) : undefined));
        }
        return snapshots;
    }
    async records(arns, signal) {
        const result = new Map();
        if (!this.recordsAvailable || arns.length === 0)
            return result;
        try {
            const answers = await Promise.all(chunk(arns, DESCRIBE_SERVICE_DEPLOYMENTS_LIMIT).map((serviceDeploymentArns) => this.ecs.send(new dist_cjs/* DescribeServiceDeploymentsCommand */.A6p({ serviceDeploymentArns }), { abortSignal: signal })));
            for (const answer of answers) {
                for (const record of answer.serviceDeployments ?? []) {
                    if (record.serviceDeploymentArn)
                        result.set(record.serviceDeploymentArn, record);
                }
            }
        }
        catch (error) {
            // A throttled or failed read of the records leaves this poll to deployments[] alone.
            if (isTransient(error))
                return result;
            if (!isUnsupported(error))
                throw error;
            this.recordsAvailable = false;
            this.onFallback(`${error.name}: ${error.message}`);
        }
        return result;
    }
}
/** Errors worth another poll rather than a failed step: throttling, server trouble, a dropped connection. */
function isTransient(error) {
    const e = error;
    if (e?.$retryable)
        return true;
    if ((e?.$metadata?.httpStatusCode ?? 0) >= 500 && !isUnsupported(error))
        return true;
    return /Throttl|TooManyRequests|ServerException|ServiceUnavailable|TimeoutError|RequestTimeout|ECONNRESET|ECONNREFUSED|EPIPE|socket hang up/i.test(`${e?.name ?? ''} ${e?.code ?? ''} ${error?.message ?? ''}`);
}

;// CONCATENATED MODULE: ./packages/ecs/src/deploy/prepare.ts
/**
 * Everything checked and computed before the first change: the cluster and services exist and can be deployed
 * this way, every container named exists, and each service's new definition is rendered and compared with the one
 * it runs. Only read calls happen here, so a mistake found here changes nothing in AWS.
 */






const SUPPORTED_CONTROLLER = 'this action rolls out services that use the ECS (rolling update) deployment controller; deploy CODE_DEPLOY services with CodeDeploy and EXTERNAL ones with their own tool';
async function prepare(ecs, options, signal) {
    await checkCluster(ecs, options.cluster, signal);
    const described = await describeServices(ecs, options.cluster, options.services, signal);
    const problems = [];
    for (const [name, service] of described) {
        if (!service)
            problems.push(`service "${name}" does not exist in cluster "${options.cluster}"`);
        else if (service.status !== 'ACTIVE')
            problems.push(`service "${name}" is ${service.status}, not ACTIVE`);
        else if ((service.deploymentController?.type ?? 'ECS') !== 'ECS') {
            problems.push(`service "${name}" uses the ${service.deploymentController?.type} deployment controller: ${SUPPORTED_CONTROLLER}`);
        }
    }
    fail(problems, 'Check "cluster" and "services"');
    const definitions = new Map();
    const describe = async (reference) => {
        const cached = definitions.get(reference);
        if (cached)
            return cached;
        const answer = await ecs.send(new dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: reference, include: ['TAGS'] }), {
            abortSignal: signal,
        });
        const found = { definition: answer.taskDefinition, tags: answer.tags ?? [] };
        definitions.set(reference, found);
        if (found.definition.taskDefinitionArn)
            definitions.set(found.definition.taskDefinitionArn, found);
        return found;
    };
    const prepared = [];
    for (const name of options.services) {
        const service = described.get(name);
        const currentTaskDefinition = primaryTaskDefinition(service);
        const current = await describe(currentTaskDefinition);
        const currentBody = withTags(current.definition, current.tags);
        const countChanges = options.desiredCount !== undefined && options.desiredCount !== service.desiredCount;
        if (options.mode === 'rollback') {
            const reference = options.rollbackTo.get(name) ?? (await lastCompletedRevision(ecs, options.cluster, service, signal));
            if (!reference) {
                problems.push(`service "${name}" has no earlier completed revision that differs from ${revisionName(currentTaskDefinition)}; name one in "rollback-to"`);
                continue;
            }
            let target;
            try {
                target = await describe(reference);
            }
            catch (error) {
                problems.push(`task definition "${reference}" for service "${name}" cannot be read (${error.message})`);
                continue;
            }
            const targetArn = target.definition.taskDefinitionArn;
            prepared.push({
                service: name,
                described: service,
                currentTaskDefinition,
                rollbackTarget: targetArn,
                deploy: targetArn !== currentTaskDefinition || options.forceNewDeployment || countChanges,
                changed: targetArn !== currentTaskDefinition,
                diff: diffTaskDefinitions(currentBody, withTags(target.definition, target.tags)),
                images: imagesOf(target.definition),
            });
            continue;
        }
        const template = options.template ?? currentBody;
        const rendered = renderTaskDefinition(template, {
            images: options.images,
            imageForEssentialContainer: options.imageForEssentialContainer,
            environment: options.environment,
            tags: current.tags.map((tag) => ({ key: tag.key ?? '', value: tag.value ?? '' })),
        });
        for (const error of rendered.errors)
            problems.push(`service "${name}": ${error}`);
        const changed = !sameTaskDefinition(currentBody, rendered.definition);
        prepared.push({
            service: name,
            described: service,
            currentTaskDefinition,
            definition: changed ? rendered.definition : undefined,
            deploy: changed || options.forceNewDeployment || countChanges,
            changed,
            diff: diffTaskDefinitions(currentBody, rendered.definition),
            images: imagesOf(rendered.definition),
        });
    }
    fail(problems, options.mode === 'rollback'
        ? 'Fix "rollback-to"'
        : 'Fix "images", "image"/"container", "environment" or "task-definition"');
    return prepared;
}
async function checkCluster(ecs, cluster, signal) {
    const answer = await ecs.send(new dist_cjs/* DescribeClustersCommand */._2_({ clusters: [cluster] }), { abortSignal: signal });
    const found = answer.clusters?.find((c) => c.clusterName === cluster || c.clusterArn === cluster);
    if (!found || found.status === 'INACTIVE') {
        const region = await ecs.config.region();
        throw new src/* UserError */.yo(`Input "cluster": cluster "${cluster}" does not exist in ${region}${found ? ' (it is INACTIVE)' : ''}. Check the name and the AWS region.`);
    }
}
function primaryTaskDefinition(service) {
    return service.deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition ?? service.taskDefinition ?? '';
}
/** A described definition with its tags, in the shape a template has. */
function withTags(definition, tags) {
    return { ...definition, ...(tags.length > 0 ? { tags } : {}) };
}
/**
 * The revision to go back to: a COMPLETED deployment still listed next to a newer one, or else the newest
 * successful service deployment whose revision differs from the current one.
 */
async function lastCompletedRevision(ecs, cluster, service, signal) {
    const current = primaryTaskDefinition(service);
    const listed = service.deployments?.find((d) => d.status !== 'PRIMARY' && d.rolloutState === 'COMPLETED' && d.taskDefinition !== current);
    if (listed?.taskDefinition)
        return listed.taskDefinition;
    const history = await ecs.send(new dist_cjs/* ListServiceDeploymentsCommand */.jz8({ cluster, service: service.serviceName, status: ['SUCCESSFUL'] }), { abortSignal: signal });
    const revisionArns = (history.serviceDeployments ?? [])
        .map((brief) => brief.targetServiceRevisionArn)
        .filter((arn) => Boolean(arn));
    if (revisionArns.length === 0)
        return undefined;
    const revisions = await ecs.send(new dist_cjs/* DescribeServiceRevisionsCommand */.oF5({ serviceRevisionArns: revisionArns.slice(0, 20) }), {
        abortSignal: signal,
    });
    const byArn = new Map((revisions.serviceRevisions ?? []).map((r) => [r.serviceRevisionArn, r.taskDefinition]));
    // Newest first, as ListServiceDeployments returns them.
    return revisionArns
        .map((arn) => byArn.get(arn))
        .find((taskDefinition) => taskDefinition && taskDefinition !== current);
}
function fail(problems, fix) {
    if (problems.length === 0)
        return;
    throw new src/* UserError */.yo(`${problems.map((p) => p[0].toUpperCase() + p.slice(1)).join('; ')}. ${fix}; nothing was changed.`);
}

;// CONCATENATED MODULE: ./packages/ecs/src/taskdef/register.ts
/**
 * RegisterTaskDefinition without duplicates. The call takes no client token, so when ECS registers a revision and
 * its answer is then lost (a dropped connection, a 5xx), the SDK's retry registers a second, identical revision and
 * the first is left unused. Before each retry this looks at the family's newest revision: if it already holds
 * exactly what is being registered, that revision is the answer and nothing is registered again.
 */


/** Runs inside the SDK's retry loop, once per attempt (the retry middleware wraps it). */
const PER_ATTEMPT = {
    name: 'findRegisteredTwinBeforeRetry',
    relation: 'after',
    toMiddleware: 'retryMiddleware',
};
async function registerTaskDefinition(ecs, input, signal) {
    const command = new dist_cjs/* RegisterTaskDefinitionCommand */.$Hl(input);
    let attempts = 0;
    let twin;
    const findTwinBeforeRetry = (next) => async (args) => {
        attempts += 1;
        if (attempts > 1)
            twin = await registeredTwin(ecs, input, signal);
        if (!twin)
            return next(args);
        return {
            response: { statusCode: 200, headers: {} },
            output: { taskDefinition: twin.taskDefinition, tags: twin.tags, $metadata: {} },
        };
    };
    command.middlewareStack.addRelativeTo(findTwinBeforeRetry, PER_ATTEMPT);
    const answer = await ecs.send(command, { abortSignal: signal });
    if (!answer.taskDefinition?.taskDefinitionArn)
        throw new Error('no task definition in the answer');
    return { taskDefinition: answer.taskDefinition, tags: answer.tags, foundEarlierAttempt: twin !== undefined };
}
/**
 * The family's newest ACTIVE revision when it holds exactly the definition being registered (tags included).
 * A look that fails is no twin: the retry then goes ahead as the SDK meant it to.
 */
async function registeredTwin(ecs, input, signal) {
    if (!input.family)
        return undefined;
    try {
        const { taskDefinition, tags } = await ecs.send(new dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: input.family, include: ['TAGS'] }), { abortSignal: signal });
        if (!taskDefinition)
            return undefined;
        const registered = { ...taskDefinition, ...(tags?.length ? { tags } : {}) };
        return sameTaskDefinition(registered, input)
            ? { taskDefinition, tags }
            : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./packages/ecs/src/deploy/progress.ts

class ProgressLog {
    logger;
    seenEvents = new Map();
    lastLine = new Map();
    /** Events since each deployment started, oldest first, for the report. */
    events = new Map();
    constructor(logger) {
        this.logger = logger;
    }
    /** Marks events that happened before the deployment, so they are never printed as news. */
    remember(service, eventIds) {
        const seen = this.seen(service);
        for (const id of eventIds)
            seen.add(id);
    }
    /** Prints what is new in this snapshot; returns true when anything was printed. */
    update(snapshot, startedAt, assessment) {
        const service = snapshot.service;
        const seen = this.seen(service);
        const fresh = recentEvents({ startedAt }, snapshot)
            .filter((event) => !seen.has(event.id))
            .reverse(); // ECS lists newest first; people read oldest first.
        for (const event of fresh) {
            seen.add(event.id);
            this.logger.info(`${service}: ${event.message}`);
        }
        if (fresh.length > 0)
            this.events.set(service, [...(this.events.get(service) ?? []), ...fresh]);
        const line = progressLine(service, assessment);
        if (line !== undefined && line !== this.lastLine.get(service)) {
            this.lastLine.set(service, line);
            this.logger.info(line);
            return true;
        }
        return fresh.length > 0;
    }
    seen(service) {
        let seen = this.seenEvents.get(service);
        if (!seen)
            this.seenEvents.set(service, (seen = new Set()));
        return seen;
    }
}
function progressLine(service, assessment) {
    switch (assessment.state) {
        case 'progressing':
            return `${service}: deploying: ${assessment.summary}`;
        case 'rolling-back':
            return `${service}: rolling back: ${assessment.summary}`;
        default:
            return undefined; // final states are reported by the engine, once.
    }
}

;// CONCATENATED MODULE: ./packages/ecs/src/deploy/engine.ts
/**
 * The deployment engine: prepare (read only), register, update, then watch every service in one loop until each
 * one succeeded, failed (and, when asked, until ECS's rollback finished), or the time ran out.
 */








async function deployServices(options, context) {
    const { ecs, logger, clock, signal } = context;
    const startedAt = clock.now();
    const observer = new Observer(ecs, options.cluster, (why) => logger.info(`DescribeServiceDeployments is not available (${why}); following deployments[].rolloutState instead.`));
    const finish = (result, services) => ({
        mode: options.mode,
        cluster: options.cluster,
        result,
        failureReason: engine_failureReason(services),
        services,
        startedAt,
        finishedAt: clock.now(),
        usedServiceDeployments: observer.usesServiceDeployments,
        polls: observer.polls,
        describeServicesCalls: observer.describeServicesCalls,
    });
    const prepared = await prepare(ecs, options, signal);
    const reports = prepared.map((p) => initialReport(p, options));
    if (options.mode === 'plan') {
        for (const p of prepared) {
            logger.startGroup(`${p.service}: ${p.changed ? 'would register a new revision of' : 'no change to'} ${revisionName(p.currentTaskDefinition)}`);
            logger.info(formatDiff(p.diff));
            logger.endGroup();
        }
        return finish('planned', reports);
    }
    const toDeploy = prepared.filter((p) => p.deploy);
    for (const p of prepared.filter((q) => !q.deploy)) {
        logger.info(`${p.service}: ${revisionName(p.currentTaskDefinition)} already runs this definition; nothing to deploy.`);
    }
    if (toDeploy.length === 0)
        return finish('unchanged', reports);
    if (signal.aborted)
        throw new src/* CancelledError */.cc('The job was cancelled before anything was changed.');
    // Register every revision first, so that a refused registration leaves no service half-updated.
    const newRevision = new Map();
    for (const p of toDeploy) {
        if (!p.definition)
            continue;
        const answer = await registerTaskDefinition(ecs, p.definition);
        const arn = answer.taskDefinition.taskDefinitionArn ?? '';
        newRevision.set(p.service, arn);
        const how = answer.foundEarlierAttempt
            ? ' (its first answer was lost; the retry found it rather than register twice)'
            : '';
        logger.info(`${p.service}: registered ${revisionName(arn)}${how} (was ${revisionName(p.currentTaskDefinition)}).`);
    }
    const watched = new Map();
    for (const p of toDeploy) {
        const report = reports.find((r) => r.service === p.service);
        const taskDefinition = newRevision.get(p.service) ?? p.rollbackTarget ?? p.currentTaskDefinition;
        const updatedAt = clock.now();
        const answer = await ecs.send(new dist_cjs/* UpdateServiceCommand */.kZr({
            cluster: options.cluster,
            service: p.service,
            taskDefinition,
            desiredCount: options.desiredCount,
            forceNewDeployment: options.forceNewDeployment || undefined,
            deploymentConfiguration: deploymentConfiguration(p.described, options),
        }));
        const before = {
            primaryId: p.described.deployments?.find((d) => d.status === 'PRIMARY')?.id,
            serviceDeploymentArn: p.described.currentServiceDeployment,
        };
        const expectsNew = p.changed || options.forceNewDeployment;
        const started = startedDeployment(before, answer.service, taskDefinition, expectsNew);
        Object.assign(report, {
            result: options.wait ? 'in-progress' : 'started',
            taskDefinition,
            deploymentId: started.id,
            serviceDeploymentArn: started.arn,
            startedAt: updatedAt,
        });
        report.phases.push({ label: `deploy ${revisionName(taskDefinition)}`, start: updatedAt, outcome: 'active' });
        logger.info(`${p.service}: deployment ${started.id ?? '(id not reported)'} started with ${revisionName(taskDefinition)}${options.desiredCount !== undefined ? `, desired count ${options.desiredCount}` : ''}.`);
        watched.set(p.service, {
            kind: 'deploy',
            report,
            before,
            expectsNew,
            target: {
                service: p.service,
                phase: 'rollout',
                deploymentId: started.id ?? '',
                serviceDeploymentArn: started.arn,
                taskDefinition,
                previousTaskDefinition: p.currentTaskDefinition,
                rollbackEnabled: options.circuitBreaker === 'rollback',
                startedAt: updatedAt,
                deadline: updatedAt + options.timeoutMs,
            },
        });
    }
    if (!options.wait)
        return finish('started', reports);
    const progress = new ProgressLog(logger);
    for (const p of toDeploy)
        progress.remember(p.service, (p.described.events ?? []).map((e) => e.id ?? ''));
    const cancelled = await watch(watched, options, context, observer, progress);
    for (const report of reports)
        report.events = progress.events.get(report.service) ?? [];
    return finish(cancelled ? 'cancelled' : overallResult(reports), reports);
}
/** The watch loop. Returns true when the job was cancelled. */
async function watch(watched, options, context, observer, progress) {
    const { logger, clock, signal } = context;
    const active = new Map(watched);
    const transientSeen = new Set();
    let failed = false;
    while (active.size > 0) {
        const pollStarted = clock.now();
        let snapshots;
        try {
            const arns = new Map([...active].map(([service, w]) => [service, w.target.serviceDeploymentArn]));
            snapshots = await observer.look([...active.keys()], arns, signal);
        }
        catch (error) {
            if (signal.aborted)
                return cancel(active, logger, clock.now());
            if (!isTransient(error))
                throw error;
            // The SDK already retried; the next poll is the next try. Say so once per kind of trouble.
            const kind = error.name;
            if (!transientSeen.has(kind)) {
                transientSeen.add(kind);
                logger.warning(`Could not read the services (${kind}: ${error.message}); trying again at the next poll.`);
            }
        }
        const now = clock.now();
        if (!snapshots) {
            // Nothing could be read this time; the deadline still holds.
            for (const [service, w] of active) {
                if (now < w.target.deadline)
                    continue;
                const assessment = {
                    state: 'timed-out',
                    reason: `ECS did not answer in time (${[...transientSeen].join(', ')})`,
                };
                if (!(await settle(w, assessment, now, options, context)))
                    active.delete(service);
                failed = true;
            }
        }
        for (const [service, w] of snapshots ? active : []) {
            const snapshot = snapshots.get(service);
            const assessment = engine_identify(w, snapshot)
                ? assess(w.target, snapshot, now)
                : now >= w.target.deadline
                    ? { state: 'timed-out', reason: 'ECS never showed the deployment this update started' }
                    : { state: 'progressing', summary: 'waiting for ECS to list the new deployment' };
            w.last = assessment;
            progress.update(snapshot, w.target.startedAt, assessment);
            if ('summary' in assessment)
                w.report.stand = assessment.summary;
            const keepWatching = await settle(w, assessment, now, options, context);
            if (!keepWatching)
                active.delete(service);
            if (['failed', 'rolled-back', 'timed-out', 'superseded', 'gone'].includes(w.report.result))
                failed = true;
        }
        // After a failure only rollbacks are followed; the job's outcome is already known.
        if (failed) {
            for (const [service, w] of active) {
                if (w.target.phase === 'rollout' && w.kind === 'deploy') {
                    active.delete(service);
                    logger.info(`${service}: not waiting for this deployment after the failure above; it stands at ${w.report.stand ?? 'unknown'}.`);
                    closePhase(w.report, clock.now(), 'active');
                }
            }
        }
        if (active.size === 0)
            break;
        try {
            await clock.sleep(Math.max(0, pollStarted + options.pollIntervalMs - clock.now()), signal);
        }
        catch (error) {
            if (signal.aborted)
                return cancel(active, logger, clock.now());
            throw error;
        }
    }
    return false;
}
/** Applies one assessment to a watched service. Returns whether to keep watching it. */
async function settle(w, assessment, now, options, context) {
    const { logger } = context;
    const { report, target } = w;
    const service = target.service;
    const took = (0,src/* formatDuration */.a3)(now - target.startedAt);
    switch (assessment.state) {
        case 'progressing':
        case 'rolling-back':
            return true;
        case 'succeeded':
            closePhase(report, now, 'ok');
            if (w.kind === 'restore') {
                report.rollback = {
                    healthy: true,
                    taskDefinition: target.taskDefinition,
                    reason: `${revisionName(target.taskDefinition)} is back: ${assessment.summary}`,
                };
                logger.info(`${service}: ${revisionName(target.taskDefinition)} is back and healthy (${assessment.summary}).`);
                return false;
            }
            report.result = 'succeeded';
            report.finishedAt = now;
            report.reason =
                report.taskDefinition && report.previousTaskDefinition !== report.taskDefinition
                    ? undefined
                    : 'redeployed the same revision';
            if (assessment.summary.includes('/0 running'))
                report.reason = 'desired count is 0: no task runs';
            logger.info(`${service}: deployed ${revisionName(target.taskDefinition)} in ${took} (${assessment.summary}).`);
            return false;
        case 'failed': {
            closePhase(report, now, 'failed');
            report.result = assessment.rollingBack ? 'rolled-back' : 'failed';
            report.reason = assessment.reason;
            report.finishedAt = now;
            logger.error(assessment.reason, service);
            if (!assessment.rollingBack)
                return false;
            if (!options.waitForRollback) {
                logger.info(`${service}: ECS is rolling back to ${revisionName(target.previousTaskDefinition)}; not waiting for it (wait-for-rollback is false).`);
                return false;
            }
            logger.info(`${service}: following ECS's rollback to ${revisionName(target.previousTaskDefinition)}...`);
            report.phases.push({ label: 'ECS rollback', start: now, outcome: 'active' });
            w.target = { ...target, phase: 'rollback', deadline: now + options.timeoutMs };
            return true;
        }
        case 'superseded':
        case 'gone':
            closePhase(report, now, 'failed');
            report.result = assessment.state;
            report.reason = assessment.reason;
            report.finishedAt = now;
            logger.error(assessment.reason, service);
            return false;
        case 'rolled-back':
            closePhase(report, now, assessment.healthy ? 'ok' : 'failed');
            report.rollback = {
                healthy: assessment.healthy,
                taskDefinition: assessment.taskDefinition,
                reason: assessment.reason,
            };
            if (assessment.healthy)
                logger.info(`${service}: ${assessment.reason}.`);
            else
                logger.error(assessment.reason, service);
            return false;
        case 'timed-out': {
            closePhase(report, now, 'failed');
            if (w.kind === 'restore' || target.phase === 'rollback') {
                report.rollback = { healthy: false, reason: assessment.reason };
                logger.error(assessment.reason, service);
                return false;
            }
            report.result = 'timed-out';
            report.finishedAt = now;
            report.reason = `not finished after ${(0,src/* formatDuration */.a3)(options.timeoutMs)}: ${assessment.reason}`;
            logger.error(report.reason, service);
            if (options.onTimeout !== 'rollback')
                return false;
            try {
                return await restorePrevious(w, now, options, context);
            }
            catch (error) {
                if (context.signal.aborted)
                    throw error;
                // The step fails anyway; say that the previous revision could not be put back, and why.
                const reason = `could not put ${revisionName(target.previousTaskDefinition)} back: ${error.message}`;
                report.rollback = { healthy: false, reason };
                logger.error(reason, service);
                return false;
            }
        }
    }
}
/** on-timeout rollback: put the previous revision back ourselves and, when asked, watch it come back. */
async function restorePrevious(w, now, options, context) {
    const { ecs, logger, clock } = context;
    const { target, report } = w;
    const answer = await ecs.send(new dist_cjs/* UpdateServiceCommand */.kZr({
        cluster: options.cluster,
        service: target.service,
        taskDefinition: target.previousTaskDefinition,
    }));
    const before = { primaryId: target.deploymentId, serviceDeploymentArn: target.serviceDeploymentArn };
    const started = startedDeployment(before, answer.service, target.previousTaskDefinition, true);
    logger.info(`${target.service}: put ${revisionName(target.previousTaskDefinition)} back (deployment ${started.id ?? '?'}).`);
    if (!options.waitForRollback) {
        report.rollback = {
            healthy: false,
            taskDefinition: target.previousTaskDefinition,
            reason: `${revisionName(target.previousTaskDefinition)} put back; not waited for`,
        };
        return false;
    }
    const restartedAt = clock.now();
    report.phases.push({
        label: `restore ${revisionName(target.previousTaskDefinition)}`,
        start: now,
        outcome: 'active',
    });
    w.kind = 'restore';
    w.before = before;
    w.expectsNew = true;
    w.target = {
        ...target,
        phase: 'rollout',
        deploymentId: started.id ?? '',
        serviceDeploymentArn: started.arn,
        taskDefinition: target.previousTaskDefinition,
        startedAt: restartedAt,
        deadline: restartedAt + options.timeoutMs,
    };
    return true;
}
/** On SIGINT/SIGTERM: say where each deployment stands and what ECS does next without us. */
function cancel(active, logger, now) {
    logger.info('Cancelled: no longer watching. ECS carries on without this job:');
    for (const [service, w] of active) {
        const stand = w.report.stand ? ` (${w.report.stand})` : '';
        const previous = revisionName(w.target.previousTaskDefinition);
        let next;
        if (w.kind === 'restore')
            next = `ECS keeps putting ${revisionName(w.target.taskDefinition)} back.`;
        else if (w.target.phase === 'rollback')
            next = `ECS keeps rolling back to ${previous}.`;
        else if (w.target.rollbackEnabled) {
            next = `ECS keeps rolling out ${revisionName(w.target.taskDefinition)}; if tasks keep failing the circuit breaker rolls back to ${previous}.`;
        }
        else {
            next = `ECS keeps rolling out ${revisionName(w.target.taskDefinition)}; if tasks keep failing the circuit breaker stops it without rolling back.`;
        }
        logger.info(`${service}: deployment ${w.target.deploymentId}${stand}. ${next}`);
        w.report.result = 'cancelled';
        w.report.reason = `cancelled while ${w.target.phase === 'rollback' ? 'rolling back' : 'deploying'}${stand}. ${next}`;
        closePhase(w.report, now, 'active');
    }
    return true;
}
function initialReport(p, options) {
    return {
        service: p.service,
        result: options.mode === 'plan' ? 'planned' : 'unchanged',
        previousTaskDefinition: p.currentTaskDefinition,
        taskDefinition: p.currentTaskDefinition,
        images: p.images,
        diff: p.diff,
        events: [],
        phases: [],
    };
}
function closePhase(report, end, outcome) {
    const phase = report.phases.at(-1);
    if (phase && phase.end === undefined)
        Object.assign(phase, { end, outcome });
}
/** The breaker is switched on every time, keeping the service's other deployment settings. */
function deploymentConfiguration(service, options) {
    const current = service.deploymentConfiguration ?? {};
    const rollback = options.circuitBreaker === 'rollback';
    return {
        ...current,
        deploymentCircuitBreaker: { ...current.deploymentCircuitBreaker, enable: true, rollback },
        ...(options.alarms.length > 0 ? { alarms: { alarmNames: options.alarms, enable: true, rollback } } : {}),
    };
}
/**
 * The deployment our UpdateService created, from its answer: the new PRIMARY and its service-deployment ARN. Either
 * is left unknown when the answer still shows the old one, so that the old deployment is never taken for ours.
 */
function startedDeployment(before, after, taskDefinition, expectsNew) {
    const primary = after?.deployments?.find((d) => d.status === 'PRIMARY' && d.taskDefinition === taskDefinition) ??
        after?.deployments?.find((d) => d.status === 'PRIMARY');
    const isNew = primary !== undefined && primary.id !== before.primaryId;
    const id = isNew || !expectsNew ? primary?.id : undefined;
    // A count change alone creates no deployment: the ARN is then the old one and says nothing about this change.
    const arn = after?.currentServiceDeployment;
    return { id, arn: isNew && arn !== before.serviceDeploymentArn ? arn : undefined };
}
/**
 * Completes what the UpdateService answer left unknown from a later poll: the new PRIMARY's id, and the
 * service-deployment ARN once the service lists it. Returns false while our deployment is not visible yet.
 */
function engine_identify(w, snapshot) {
    const primary = snapshot.deployments.find((d) => d.status === 'PRIMARY');
    if (!w.target.deploymentId) {
        if (!primary || primary.id === w.before.primaryId)
            return snapshot.missing;
        w.target = { ...w.target, deploymentId: primary.id };
        w.report.deploymentId = primary.id;
    }
    const arn = snapshot.currentServiceDeployment;
    if (!w.target.serviceDeploymentArn &&
        w.expectsNew &&
        arn &&
        arn !== w.before.serviceDeploymentArn &&
        primary?.id === w.target.deploymentId) {
        w.target = { ...w.target, serviceDeploymentArn: arn };
        w.report.serviceDeploymentArn = arn;
    }
    return true;
}
function overallResult(reports) {
    const results = new Set(reports.map((r) => r.result));
    if (results.has('cancelled'))
        return 'cancelled';
    if (results.has('failed') || results.has('superseded') || results.has('gone'))
        return 'failed';
    if (results.has('timed-out'))
        return 'timed-out';
    if (results.has('rolled-back'))
        return 'rolled-back';
    if (results.has('started') || results.has('in-progress'))
        return 'started';
    if (results.has('succeeded'))
        return 'succeeded';
    return 'unchanged';
}
function engine_failureReason(reports) {
    const failed = reports.filter((r) => ['failed', 'rolled-back', 'timed-out', 'superseded', 'gone', 'cancelled'].includes(r.result));
    if (failed.length === 0)
        return undefined;
    return failed
        .map((r) => {
        const after = r.rollback ? ` Then: ${r.rollback.reason}.` : '';
        return `${r.service}: ${r.reason ?? r.result}${after}`;
    })
        .join(' | ');
}

;// CONCATENATED MODULE: ./packages/ecs/src/deploy/summary.ts
/**
 * The job summary: where a person looks first. A table per service, the events that matter, a timeline
 * (Mermaid gantt, which GitHub renders) and, in plan mode, the task-definition diff per service.
 */



const RESULT_ICON = {
    succeeded: '✅',
    unchanged: '➖',
    planned: '📝',
    started: '🚀',
    'in-progress': '⏳',
    failed: '❌',
    'rolled-back': '⏪',
    'timed-out': '⌛',
    superseded: '🔀',
    gone: '❌',
    cancelled: '🚫',
};
function deploySummary(report) {
    const parts = [];
    const verb = report.mode === 'rollback' ? 'rollback' : report.mode === 'plan' ? 'plan' : 'deployment';
    parts.push((0,src/* heading */.R_)(`ECS ${verb} to ${(0,src/* code */.aY)(report.cluster)}: ${RESULT_ICON[report.result] ?? ''} ${report.result}`));
    if (report.failureReason)
        parts.push(`> ${report.failureReason.replace(/\n/g, ' ')}`);
    if (report.mode === 'plan') {
        parts.push((0,src/* table */.tp)(['Service', 'Running', 'Would change', 'Images'], report.services.map((s) => [
            s.service,
            revisionName(s.previousTaskDefinition),
            s.diff?.length ? `${s.diff.length} value(s)` : 'nothing',
            summary_images(s),
        ])));
        for (const s of report.services) {
            const diff = s.diff?.length ? formatDiff(s.diff) : '(no change)';
            parts.push(`${(0,src/* heading */.R_)(`${s.service}: task-definition diff against ${revisionName(s.previousTaskDefinition)}`, 3)}\n\n\`\`\`diff\n${diff.replace(/```/g, "'''")}\n\`\`\``);
        }
        return `${parts.join('\n\n')}\n`;
    }
    parts.push((0,src/* table */.tp)(['Service', 'Revision before', 'Revision after', 'Images', 'Result', 'Duration', 'Reason'], report.services.map((s) => [
        s.service,
        revisionName(s.previousTaskDefinition),
        revisionName(s.taskDefinition),
        summary_images(s),
        `${RESULT_ICON[s.result] ?? ''} ${s.result}`,
        s.startedAt !== undefined && s.finishedAt !== undefined ? (0,src/* formatDuration */.a3)(s.finishedAt - s.startedAt) : '',
        [s.reason, s.rollback ? `Rollback: ${s.rollback.reason}` : undefined].filter(Boolean).join(' — '),
    ])));
    const withEvents = report.services.filter((s) => s.events.length > 0);
    if (withEvents.length > 0) {
        parts.push((0,src/* heading */.R_)('Service events', 3));
        for (const s of withEvents) {
            const lines = s.events.map((e) => `${new Date(e.createdAt).toISOString().slice(11, 19)}  ${e.message}`);
            parts.push((0,src/* details */.zH)(`${s.service}: ${s.events.length} event(s)`, lines.join('\n'), true));
        }
    }
    const timeline = gantt(report);
    if (timeline)
        parts.push((0,src/* heading */.R_)('Timeline', 3), timeline);
    parts.push(`<sub>${report.polls} poll(s), ${report.describeServicesCalls} DescribeServices call(s); status from ${report.usedServiceDeployments ? 'DescribeServiceDeployments' : 'deployments[].rolloutState'}.</sub>`);
    return `${parts.join('\n\n')}\n`;
}
function summary_images(s) {
    return Object.entries(s.images)
        .map(([container, image]) => `${container}: ${image}`)
        .join('\n');
}
/** A Mermaid gantt of each service's deployment and rollback phases, in wall-clock time. */
function gantt(report) {
    const rows = report.services.filter((s) => s.phases.length > 0);
    if (rows.length === 0)
        return undefined;
    const lines = ['```mermaid', 'gantt', '  dateFormat x', '  axisFormat %H:%M:%S'];
    for (const s of rows) {
        lines.push(`  section ${mermaidText(s.service)}`);
        s.phases.forEach((phase, i) => {
            const end = Math.max(phase.end ?? report.finishedAt, phase.start + 1);
            const tag = phase.outcome === 'failed' ? 'crit, ' : phase.outcome === 'active' ? 'active, ' : '';
            lines.push(`  ${mermaidText(phase.label)} :${tag}p${rows.indexOf(s)}_${i}, ${Math.round(phase.start)}, ${Math.round(end)}`);
        });
    }
    lines.push('```');
    return lines.join('\n');
}
/** Mermaid treats `:`, `#` and `;` specially in task names; a ratio sign looks like the colon of `web:2`. */
function mermaidText(text) {
    return text.replace(/:/g, '\u2236').replace(/[#;]/g, ' ');
}

;// CONCATENATED MODULE: ./packages/ecs/src/deploy/index.ts









;// CONCATENATED MODULE: ./packages/ecs/src/task/container.ts

/** The container named by the user, or the only essential container (ECS counts a container essential by default). */
function chooseContainer(containers, requested, family) {
    const names = containers.map((c) => c.name ?? '');
    if (requested !== undefined) {
        if (names.includes(requested))
            return requested;
        throw new src/* UserError */.yo(`Input "container": task definition ${family} has no container "${requested}". Use one of: ${names.join(', ')}.`);
    }
    const essential = containers.filter((c) => c.essential !== false).map((c) => c.name ?? '');
    if (essential.length === 1)
        return essential[0];
    throw new src/* UserError */.yo(`Input "container": task definition ${family} has ${essential.length} essential containers (${essential.join(', ') || 'none'}), so the one whose exit code decides is not clear. Set "container" to one of: ${names.join(', ')}.`);
}
/**
 * The CloudWatch stream the `awslogs` driver writes a task's container to: `<prefix>/<container>/<task id>`.
 * Without a stream prefix the stream is named after the Docker container id, which cannot be known in advance.
 */
function logLocation(container, taskId) {
    const config = container?.logConfiguration;
    if (!config || config.logDriver !== 'awslogs' || !container?.name)
        return undefined;
    const group = config.options?.['awslogs-group'];
    const prefix = config.options?.['awslogs-stream-prefix'];
    if (!group || !prefix)
        return undefined;
    return { group, stream: `${prefix}/${container.name}/${taskId}`, region: config.options?.['awslogs-region'] };
}
/** The CloudWatch console's link to one log stream (the console encodes path parts twice, `%` as `$25`). */
function logConsoleUrl(region, group, stream) {
    const part = (text) => encodeURIComponent(text).replace(/%/g, '$25');
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${part(group)}/log-events/${part(stream)}`;
}
/** The 32-hex id at the end of a task ARN (`arn:aws:ecs:<region>:<account>:task/<cluster>/<id>`). */
function taskIdOf(taskArn) {
    return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}

;// CONCATENATED MODULE: ./packages/ecs/src/task/task-definition.ts
// The revision the task runs: as referenced, or registered anew from a file or with the migration's image.





/** A described (or exported) task definition turned into RegisterTaskDefinition input, with the image applied. */
function registrationInput(definition, tags, change) {
    const input = structuredClone(definition);
    for (const field of READ_ONLY_FIELDS)
        delete input[field];
    if (change) {
        const containers = input.containerDefinitions ?? [];
        input.containerDefinitions = containers.map((c) => c.name === change.container ? { ...c, image: change.image } : c);
    }
    if (tags && tags.length > 0)
        input.tags = tags;
    else
        delete input.tags;
    return input;
}
/** A file may hold the definition itself or DescribeTaskDefinition's output (`{ taskDefinition, tags }`). */
function unwrapDefinitionFile(content) {
    const inner = content.taskDefinition;
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
        return { definition: inner, tags: content.tags };
    }
    return { definition: content, tags: content.tags };
}
async function prepareTaskDefinition(ecs, spec, logger) {
    if (spec.taskDefinition.kind === 'file') {
        const { definition, tags } = unwrapDefinitionFile(spec.taskDefinition.definition);
        const family = String(definition.family ?? '');
        const containers = definition.containerDefinitions ?? [];
        const container = chooseContainer(containers, spec.container, family || spec.taskDefinition.path);
        const input = registrationInput(definition, tags, spec.image ? { container, image: spec.image } : undefined);
        const registered = await register(ecs, input, `the task definition in ${spec.taskDefinition.path}`, logger);
        logger.info(`Registered ${registered.family}:${registered.revision} from ${spec.taskDefinition.path}`);
        return described(registered, container, true);
    }
    const reference = spec.taskDefinition.reference;
    let current;
    let tags;
    try {
        const answer = await ecs.send(new dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: reference, include: ['TAGS'] }));
        if (!answer.taskDefinition)
            throw new Error('no task definition in the answer');
        current = answer.taskDefinition;
        tags = answer.tags;
    }
    catch (error) {
        throw new src/* UserError */.yo(`Input "task-definition": cannot read task definition ${reference}: ${describeAwsError(error)}. Check the family or ARN and the region.`, { cause: error });
    }
    const family = current.family ?? reference;
    const container = chooseContainer(current.containerDefinitions ?? [], spec.container, `${family}:${current.revision}`);
    const currentImage = current.containerDefinitions?.find((c) => c.name === container)?.image;
    if (!spec.image || spec.image === currentImage) {
        // Nothing to change: no new revision, so repeated runs of one release do not pile up identical revisions.
        logger.info(`Using task definition ${family}:${current.revision}${spec.image ? ` (already runs ${spec.image})` : ''}`);
        return described(current, container, false);
    }
    const input = registrationInput(current, tags, { container, image: spec.image });
    const registered = await register(ecs, input, `a revision of ${family}`, logger);
    logger.info(`Registered ${registered.family}:${registered.revision} from ${family}:${current.revision} with image ${spec.image} for container ${container} (was ${currentImage ?? 'unset'})`);
    return described(registered, container, true);
}
async function register(ecs, input, what, logger) {
    try {
        const { taskDefinition, foundEarlierAttempt } = await registerTaskDefinition(ecs, input);
        if (foundEarlierAttempt) {
            logger.info(`The answer to the first registration was lost; ECS had registered it, so it was not repeated.`);
        }
        return taskDefinition;
    }
    catch (error) {
        throw new src/* UserError */.yo(`Could not register ${what}: ${describeAwsError(error)}`, { cause: error });
    }
}
function described(definition, container, registered) {
    return {
        arn: definition.taskDefinitionArn,
        family: definition.family ?? '',
        containers: definition.containerDefinitions ?? [],
        container,
        registered,
    };
}
/** An AWS error as one line: its code and message. */
function describeAwsError(error) {
    if (error instanceof Error) {
        const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
        return `${name}${error.message}`;
    }
    return String(error);
}

;// CONCATENATED MODULE: ./packages/ecs/src/task/run-task.ts
// Starting the task: RunTask with the overrides and network settings. A non-empty failures[] means no task started.



/**
 * RunTask input for one task. `clientToken` makes the call idempotent: RunTask is not, and the SDK retries a call
 * whose answer was lost, which without a token could start the migration twice.
 */
function runTaskInput(spec, taskDefinitionArn, container, clientToken) {
    const input = {
        cluster: spec.cluster,
        taskDefinition: taskDefinitionArn,
        count: 1,
        startedBy: spec.startedBy,
        ...(clientToken ? { clientToken } : {}),
    };
    if (spec.capacityProviderStrategy.length > 0)
        input.capacityProviderStrategy = spec.capacityProviderStrategy;
    else if (spec.launchType)
        input.launchType = spec.launchType;
    if (spec.platformVersion)
        input.platformVersion = spec.platformVersion;
    if (spec.network && spec.network.subnets.length > 0) {
        input.networkConfiguration = {
            awsvpcConfiguration: {
                subnets: spec.network.subnets,
                ...(spec.network.securityGroups.length > 0 ? { securityGroups: spec.network.securityGroups } : {}),
                assignPublicIp: spec.network.assignPublicIp ? 'ENABLED' : 'DISABLED',
            },
        };
    }
    if (spec.command || spec.environment.size > 0) {
        input.overrides = {
            containerOverrides: [
                {
                    name: container,
                    ...(spec.command ? { command: spec.command } : {}),
                    ...(spec.environment.size > 0
                        ? { environment: [...spec.environment].map(([name, value]) => ({ name, value })) }
                        : {}),
                },
            ],
        };
    }
    return input;
}
/** Calls RunTask and returns the one task it started, or fails with ECS's reasons. */
async function startTask(ecs, input) {
    let answer;
    try {
        answer = await ecs.send(new dist_cjs/* RunTaskCommand */._eD(input));
    }
    catch (error) {
        throw new src/* UserError */.yo(`RunTask failed: ${describeAwsError(error)}`, { title: 'Migration not started', cause: error });
    }
    const failures = answer.failures ?? [];
    if (failures.length > 0) {
        const reasons = failures
            .map((f) => [f.reason, f.detail].filter(Boolean).join(' ') + (f.arn ? ` (${f.arn})` : ''))
            .join('; ');
        throw new src/* UserError */.yo(`ECS did not start the migration task: ${reasons}`, { title: 'Migration not started' });
    }
    const task = answer.tasks?.[0];
    if (!task?.taskArn)
        throw new src/* UserError */.yo('ECS did not start the migration task and gave no reason.');
    return task;
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-cloudwatch-logs/dist-cjs/index.js
var client_cloudwatch_logs_dist_cjs = __webpack_require__(2684);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./packages/ecs/src/task/log-follower.ts
// Follows one CloudWatch log stream from its head. The stream does not exist until the container writes
// (ResourceNotFoundException until then); each poll reads every new page, following nextForwardToken until it comes
// back unchanged, so that no line is lost or printed twice.



/** A safety stop for one poll; the next poll carries on from the same token. */
const MAX_PAGES_PER_POLL = 500;
class LogFollower {
    client;
    location;
    logger;
    token;
    streamSeen = false;
    warnedError = false;
    tail = [];
    keep;
    print;
    /** Lines read so far. */
    count = 0;
    constructor(client, location, logger, options = {}) {
        this.client = client;
        this.location = location;
        this.logger = logger;
        this.keep = options.keep ?? 50;
        this.print = options.print ?? true;
    }
    /** The last lines read, oldest first. */
    lastLines() {
        return [...this.tail];
    }
    /** Reads everything new since the last poll; returns how many lines arrived. Never throws for a missing stream. */
    async poll() {
        let arrived = 0;
        for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
            let answer;
            try {
                answer = await this.client.send(new client_cloudwatch_logs_dist_cjs/* GetLogEventsCommand */.h7S({
                    logGroupName: this.location.group,
                    logStreamName: this.location.stream,
                    startFromHead: true,
                    ...(this.token ? { nextToken: this.token } : {}),
                }));
            }
            catch (error) {
                if (error.name === 'ResourceNotFoundException' && !this.streamSeen)
                    return arrived;
                // The SDK has already retried; the next poll carries on from the same token, so nothing is lost.
                if (!this.warnedError) {
                    this.logger.warning(`Could not read the task's logs (${describeAwsError(error)}); retrying on the next poll.`);
                    this.warnedError = true;
                }
                return arrived;
            }
            this.streamSeen = true;
            const lines = (answer.events ?? []).map((event) => (event.message ?? '').replace(/\r?\n$/, ''));
            this.emit(lines);
            arrived += lines.length;
            const next = answer.nextForwardToken;
            if (!next || next === this.token)
                break;
            this.token = next;
        }
        return arrived;
    }
    emit(lines) {
        if (lines.length === 0)
            return;
        this.count += lines.length;
        this.tail.push(...lines);
        if (this.tail.length > this.keep)
            this.tail.splice(0, this.tail.length - this.keep);
        if (!this.print)
            return;
        // A line from the container must not act as a workflow command (`::add-mask::`, `::error::`, `::stop-commands::`...).
        const guard = lines.some((line) => line.includes('::')) ? (0,external_node_crypto_.randomBytes)(16).toString('hex') : undefined;
        if (guard)
            this.logger.info(`::stop-commands::${guard}`);
        for (const line of lines)
            this.logger.info(line);
        if (guard)
            this.logger.info(`::${guard}::`);
    }
}

;// CONCATENATED MODULE: ./packages/ecs/src/task/outcome.ts
function decideOutcome(task, container) {
    const stopCode = task.stopCode ?? 'unknown stop code';
    const stoppedReason = task.stoppedReason ? `: ${task.stoppedReason}` : '';
    const state = task.containers?.find((c) => c.name === container);
    const containerReason = state?.reason ? ` (container reason: ${state.reason})` : '';
    if (task.stopCode === 'TaskFailedToStart') {
        return {
            passed: false,
            exitCode: state?.exitCode,
            summary: `The migration task failed to start (TaskFailedToStart${stoppedReason})${containerReason}.`,
        };
    }
    if (state?.exitCode === undefined || state.exitCode === null) {
        return {
            passed: false,
            summary: `Container ${container} has no exit code, so it never ran to completion (${stopCode}${stoppedReason})${containerReason}.`,
        };
    }
    if (state.exitCode === 0)
        return { passed: true, exitCode: 0, summary: `Container ${container} exited with code 0.` };
    return {
        passed: false,
        exitCode: state.exitCode,
        summary: `The migration failed: container ${container} exited with code ${state.exitCode} (${stopCode}${stoppedReason})${containerReason}.`,
    };
}
/** How long the task ran: from start (or creation) to stop, as ECS recorded it. */
function taskDurationMs(task, fallbackStart, fallbackEnd) {
    const start = (task.startedAt ?? task.createdAt)?.getTime() ?? fallbackStart;
    const end = task.stoppedAt?.getTime() ?? fallbackEnd;
    return Math.max(0, end - start);
}

;// CONCATENATED MODULE: ./packages/ecs/src/task/runner.ts
// The one-off task runner: register the revision, RunTask, then poll DescribeTasks until STOPPED (never waiting for
// RUNNING first: a short task can go from PENDING straight to STOPPED) while following the container's log stream.
// On timeout or cancellation it stops the task with a reason before giving up, so that no task is left behind.








const STOP_REASON_TIMEOUT = 'Stopped by run-migration-task: the migration did not finish within its timeout';
const STOP_REASON_CANCELLED = 'Stopped by run-migration-task: the GitHub Actions job was cancelled';
/** The longest pause between two reads of the log after the task stopped, and how many such reads at most. */
const DRAIN_PAUSE_MS = 1000;
const DRAIN_ROUNDS = 5;
/** Consecutive DescribeTasks answers without the task before giving up (it can lag right after RunTask). */
const MISSING_LIMIT = 5;
async function runOneOffTask(clients, spec, context) {
    const { logger, clock, signal } = context;
    const prepared = await prepareTaskDefinition(clients.ecs, spec, logger);
    if (signal?.aborted)
        throw (0,src/* abortReason */.Js)(signal);
    // RunTask gets no abort signal: once sent, the task may exist, and it must be known so it can be stopped.
    const started = await startTask(clients.ecs, runTaskInput(spec, prepared.arn, prepared.container, (0,external_node_crypto_.randomUUID)()));
    const startedAt = clock.now();
    const taskArn = started.taskArn;
    const taskId = taskIdOf(taskArn);
    context.onTaskStarted?.(taskArn, spec.cluster);
    logger.info(`Started task ${taskId} (${prepared.family}, container ${prepared.container}) on cluster ${spec.cluster}`);
    const location = logLocation(prepared.containers.find((c) => c.name === prepared.container), taskId);
    const logUrl = location
        ? logConsoleUrl(location.region ?? clients.region, location.group, location.stream)
        : undefined;
    if (logUrl)
        logger.info(`Logs: ${logUrl}`);
    else
        logger.warning(`Container ${prepared.container} has no awslogs group and stream prefix, so its logs cannot be shown.`);
    const follower = location
        ? new LogFollower(clients.logs(location.region), location, logger, { print: spec.streamLogs })
        : undefined;
    const stop = async (reason) => {
        try {
            await clients.ecs.send(new dist_cjs/* StopTaskCommand */.PP1({ cluster: spec.cluster, task: taskArn, reason }));
            logger.info(`Asked ECS to stop task ${taskId}: ${reason}`);
            context.onTaskStopped?.(taskArn);
        }
        catch (error) {
            logger.error(`Could not stop task ${taskId}: ${describeAwsError(error)}. Stop it by hand: ${taskArn}`);
        }
    };
    /**
     * Reads the last lines once the task has stopped. The awslogs driver flushes before the container exits, but
     * CloudWatch may make the last batch readable a moment later: read again after a short pause while lines keep
     * arriving, so that the end of the log is not cut off.
     */
    const drainLogs = async () => {
        if (!follower)
            return;
        await follower.poll();
        const pause = Math.min(spec.pollIntervalMs / 2, DRAIN_PAUSE_MS);
        for (let round = 0; round < DRAIN_ROUNDS; round++) {
            try {
                await clock.sleep(pause, signal);
            }
            catch {
                return; // Cancelled after the task stopped: nothing is left to stop, and the lines so far are printed.
            }
            if ((await follower.poll()) === 0)
                return;
        }
    };
    if (spec.streamLogs && follower)
        logger.startGroup(`Logs of ${prepared.container} (${location.stream})`);
    let task = started;
    let lastStatus = started.lastStatus ?? 'PROVISIONING';
    let timedOut = false;
    let missing = 0;
    let warnedDescribe = false;
    const timeline = [{ status: lastStatus, afterMs: 0 }];
    logger.info(`Task ${taskId} is ${lastStatus}`);
    try {
        const deadline = startedAt + spec.timeoutMs;
        // Ticks at a fixed rate (time spent in calls does not stretch the period). The logs are read every half
        // interval and the task every interval, so that a line shows within one interval of reaching CloudWatch and
        // a stop is seen within one interval plus the time of one call.
        const tickMs = spec.pollIntervalMs / 2;
        let nextTick = clock.now() + tickMs;
        for (let tick = 1;; tick++) {
            const remaining = deadline - clock.now();
            if (remaining <= 0) {
                timedOut = true;
                await follower?.poll();
                logger.info(`The task has not stopped after ${(0,src/* formatDuration */.a3)(spec.timeoutMs)}; stopping it.`);
                await stop(STOP_REASON_TIMEOUT);
                task = (await describeTask(clients.ecs, spec.cluster, taskArn).catch(() => undefined)) ?? task;
                await drainLogs();
                break;
            }
            try {
                await clock.sleep(Math.max(0, Math.min(nextTick - clock.now(), remaining)), signal);
            }
            catch (error) {
                if (!(error instanceof src/* CancelledError */.cc) && !signal?.aborted)
                    throw error;
                await stop(STOP_REASON_CANCELLED);
                throw error instanceof src/* CancelledError */.cc ? error : (0,src/* abortReason */.Js)(signal);
            }
            // After a stall (a slow call, a suspended runner) carry on from now rather than firing a burst of polls.
            nextTick = Math.max(nextTick + tickMs, clock.now() + tickMs / 2);
            const lookAtTask = tick % 2 === 0 || clock.now() >= deadline;
            const [described] = await Promise.all([
                lookAtTask
                    ? describeTask(clients.ecs, spec.cluster, taskArn).catch((error) => {
                        // The SDK has retried already; the next poll is the next try.
                        if (!warnedDescribe)
                            logger.warning(`DescribeTasks failed (${describeAwsError(error)}); retrying on the next poll.`);
                        warnedDescribe = true;
                        return null;
                    })
                    : Promise.resolve(null),
                follower?.poll(),
            ]);
            if (described === null)
                continue;
            if (described === undefined) {
                if (++missing >= MISSING_LIMIT) {
                    throw new src/* UserError */.yo(`ECS no longer reports task ${taskArn}; its outcome is unknown.`);
                }
                continue;
            }
            missing = 0;
            task = described;
            if (task.lastStatus && task.lastStatus !== lastStatus) {
                lastStatus = task.lastStatus;
                timeline.push({ status: lastStatus, afterMs: clock.now() - startedAt });
                logger.info(`Task ${taskId} is ${lastStatus}`);
            }
            if (lastStatus === 'STOPPED') {
                context.onTaskStopped?.(taskArn);
                await drainLogs();
                break;
            }
        }
    }
    finally {
        if (spec.streamLogs && follower)
            logger.endGroup();
    }
    const outcome = timedOut
        ? {
            passed: false,
            exitCode: task.containers?.find((c) => c.name === prepared.container)?.exitCode,
            summary: `The migration did not finish within ${(0,src/* formatDuration */.a3)(spec.timeoutMs)}; task ${taskId} was stopped. Raise "timeout-minutes" if it needs longer.`,
        }
        : decideOutcome(task, prepared.container);
    const containerState = task.containers?.find((c) => c.name === prepared.container);
    return {
        taskArn,
        taskId,
        taskDefinitionArn: prepared.arn,
        container: prepared.container,
        lastStatus: task.lastStatus ?? lastStatus,
        stopCode: task.stopCode,
        stoppedReason: task.stoppedReason,
        exitCode: containerState?.exitCode ?? undefined,
        durationMs: taskDurationMs(task, startedAt, clock.now()),
        logUrl,
        lastLines: follower?.lastLines() ?? [],
        linesRead: follower?.count ?? 0,
        outcome,
        timedOut,
        timeline,
    };
}
/** The task as ECS sees it now; undefined when ECS does not (yet) report it. */
async function describeTask(ecs, cluster, taskArn) {
    const { tasks } = await ecs.send(new dist_cjs/* DescribeTasksCommand */.z8X({ cluster, tasks: [taskArn] }));
    return tasks?.find((t) => t.taskArn === taskArn);
}
/** Stops a task left running (the `post:` safety net). Returns what it did. */
async function stopTaskIfRunning(ecs, cluster, taskArn, reason) {
    const task = await describeTask(ecs, cluster, taskArn);
    if (!task)
        return 'not-found';
    if (task.lastStatus === 'STOPPED' || task.desiredStatus === 'STOPPED')
        return 'already-stopped';
    await ecs.send(new StopTaskCommand({ cluster, task: taskArn, reason }));
    return 'stopped';
}

;// CONCATENATED MODULE: ./packages/ecs/src/task/index.ts
// The one-off task runner (run-migration-task and the release pipeline's migration step).








;// CONCATENATED MODULE: ./packages/ecs/src/index.ts
// Task-definition rendering, the service-deployment engine and the one-off task runner.




;// CONCATENATED MODULE: ./packages/ecr/src/reference.ts
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
/** Parses `name` or `host/name` (an ECR repository URI), or says what is wrong. */
function reference_parseRepository(text) {
    const value = text.trim().replace(/^(?:https?|oci):\/\//, '');
    if (value.includes('@') || /:[\w][\w.-]*$/.test(value.split('/').pop() ?? '')) {
        return { problem: `"${text}" names an image, not a repository (drop the :tag or @digest; tags go in "tags")` };
    }
    const slash = value.indexOf('/');
    const first = slash === -1 ? value : value.slice(0, slash);
    const looksLikeHost = slash !== -1 && (first.includes('.') || first.includes(':') || first === 'localhost');
    if (looksLikeHost) {
        const name = value.slice(slash + 1);
        if (!HOST.test(first))
            return { problem: `"${first}" is not a registry host name` };
        if (!REPOSITORY_NAME.test(name))
            return { problem: repositoryNameProblem(name) };
        const ecr = ECR_HOST.exec(first);
        return { name, host: first, ...(ecr ? { registryId: ecr[1], region: ecr[2] } : {}) };
    }
    if (!REPOSITORY_NAME.test(value))
        return { problem: repositoryNameProblem(value) };
    return { name: value };
}
function repositoryNameProblem(name) {
    return `"${name}" is not a valid ECR repository name (lower-case letters, digits, and . _ - / between them, 2 to 256 characters)`;
}
function isTag(value) {
    return TAG.test(value);
}
function isDigest(value) {
    return DIGEST.test(value);
}
/** `uri@sha256:...`: the reference a deployment should pin to, since tags can move. */
function imageReference(repositoryUri, digest) {
    return `${repositoryUri}@${digest}`;
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecr/dist-cjs/index.js
var client_ecr_dist_cjs = __webpack_require__(8249);
;// CONCATENATED MODULE: ./packages/ecr/src/errors.ts
// Recognising AWS errors by name without importing the SDK's error classes into light code.
function awsErrorName(error) {
    if (typeof error === 'object' && error !== null && 'name' in error) {
        const name = error.name;
        return typeof name === 'string' ? name : undefined;
    }
    return undefined;
}
function isAwsError(error, ...names) {
    const name = awsErrorName(error);
    return name !== undefined && names.includes(name);
}
/** A one-line description of an AWS failure for a message, without stack or request metadata. */
function errors_describeAwsError(error) {
    const name = awsErrorName(error) ?? 'Error';
    const message = error instanceof Error ? error.message : String(error);
    return message && message !== name ? `${name}: ${message}` : name;
}

;// CONCATENATED MODULE: ./packages/ecr/src/auth.ts
// Registry credentials from ECR's GetAuthorizationToken.



/**
 * Asks ECR for registry credentials. `protect` is called with the password the moment it is decoded, before
 * anything else happens, so the caller can mask it in the log.
 */
async function getRegistryCredentials(client, options) {
    let data;
    try {
        const answer = await client.send(new client_ecr_dist_cjs/* GetAuthorizationTokenCommand */.Eu6(options.registryId ? { registryIds: [options.registryId] } : {}), { abortSignal: options.signal });
        data = answer.authorizationData?.[0];
    }
    catch (error) {
        throw new src/* UserError */.yo(`Could not get ECR registry credentials (${errors_describeAwsError(error)}). Check that the role may call ecr:GetAuthorizationToken.`, { title: 'ECR', cause: error });
    }
    if (!data?.authorizationToken || !data.proxyEndpoint) {
        throw new src/* UserError */.yo('ECR returned no authorization data. Check the region and the registry id.', { title: 'ECR' });
    }
    // Mask both forms before decoding anything further: the token itself is as good as the password.
    options.protect(data.authorizationToken);
    const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0)
        throw new src/* UserError */.yo('ECR returned an authorization token in an unknown format.', { title: 'ECR' });
    const password = decoded.slice(colon + 1);
    options.protect(password);
    const endpoint = data.proxyEndpoint.replace(/\/+$/, '');
    return {
        endpoint: /^[a-z]+:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`,
        host: new URL(/^[a-z]+:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`).host,
        username: decoded.slice(0, colon),
        password,
        expiresAt: data.expiresAt,
    };
}

;// CONCATENATED MODULE: ./packages/ecr/src/repository.ts
// Finding the target repository, and creating it when asked to.



async function ensureRepository(client, settings, logger, signal) {
    try {
        const { repositories } = await client.send(new client_ecr_dist_cjs/* DescribeRepositoriesCommand */.pE_({
            repositoryNames: [settings.name],
            ...(settings.registryId ? { registryId: settings.registryId } : {}),
        }), { abortSignal: signal });
        const found = repositories?.[0];
        if (found)
            return info(found, false);
    }
    catch (error) {
        if (!isAwsError(error, 'RepositoryNotFoundException')) {
            throw new src/* UserError */.yo(`Could not read ECR repository "${settings.name}" (${errors_describeAwsError(error)}).`, {
                title: 'ECR',
                cause: error,
            });
        }
    }
    if (!settings.create) {
        throw new src/* UserError */.yo(`ECR repository "${settings.name}" does not exist. Create it, or set create-repository: true to let this action create it.`, { title: 'ECR' });
    }
    try {
        const { repository } = await client.send(new client_ecr_dist_cjs/* CreateRepositoryCommand */.WTe({
            repositoryName: settings.name,
            ...(settings.registryId ? { registryId: settings.registryId } : {}),
            imageTagMutability: settings.tagMutability,
            imageScanningConfiguration: { scanOnPush: settings.scanOnPush },
            encryptionConfiguration: {
                encryptionType: settings.encryption,
                ...(settings.encryption === 'KMS' && settings.kmsKey ? { kmsKey: settings.kmsKey } : {}),
            },
        }), { abortSignal: signal });
        if (!repository)
            throw new Error('CreateRepository returned no repository');
        logger.info(`Created ECR repository ${settings.name} (tags ${settings.tagMutability.toLowerCase()}, scan on push ${settings.scanOnPush ? 'on' : 'off'}, ${settings.encryption} encryption).`);
        return info(repository, true);
    }
    catch (error) {
        if (isAwsError(error, 'RepositoryAlreadyExistsException')) {
            // Another job created it between our two calls: use it.
            return ensureRepository(client, { ...settings, create: false }, logger, signal);
        }
        throw new src/* UserError */.yo(`Could not create ECR repository "${settings.name}" (${errors_describeAwsError(error)}).`, {
            title: 'ECR',
            cause: error,
        });
    }
}
function info(repository, created) {
    return {
        name: repository.repositoryName,
        registryId: repository.registryId,
        uri: repository.repositoryUri,
        mutability: repository.imageTagMutability === 'IMMUTABLE' ? 'IMMUTABLE' : 'MUTABLE',
        scanOnPush: repository.imageScanningConfiguration?.scanOnPush === true,
        created,
    };
}

;// CONCATENATED MODULE: ./packages/ecr/src/images.ts
// Reading images (manifests) from ECR's API.



/** Every manifest type ECR stores; asking for all of them stops ECR from converting between formats. */
const MANIFEST_MEDIA_TYPES = [
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.docker.distribution.manifest.v2+json',
];
/** One BatchGetImage for every id: a tag or digest that does not exist is simply absent from the result. */
async function lookupImages(client, repository, ids, signal) {
    const imageIds = [
        ...[...new Set(ids.tags ?? [])].map((imageTag) => ({ imageTag })),
        ...[...new Set(ids.digests ?? [])].map((imageDigest) => ({ imageDigest })),
    ];
    const result = { tags: new Map(), digests: new Map() };
    if (imageIds.length === 0)
        return result;
    let answer;
    try {
        answer = await client.send(new client_ecr_dist_cjs/* BatchGetImageCommand */.P8n({
            repositoryName: repository.name,
            ...(repository.registryId ? { registryId: repository.registryId } : {}),
            imageIds,
            acceptedMediaTypes: MANIFEST_MEDIA_TYPES,
        }), { abortSignal: signal });
    }
    catch (error) {
        throw new src/* UserError */.yo(`Could not read images of ECR repository "${repository.name}" (${errors_describeAwsError(error)}).`, {
            title: 'ECR',
            cause: error,
        });
    }
    for (const image of answer.images ?? []) {
        const digest = image.imageId?.imageDigest;
        if (!digest || !image.imageManifest)
            continue;
        const stored = { digest, manifest: image.imageManifest, mediaType: image.imageManifestMediaType };
        if (image.imageId?.imageTag !== undefined)
            result.tags.set(image.imageId.imageTag, stored);
        else
            result.digests.set(digest, stored);
    }
    const unexpected = (answer.failures ?? []).filter((f) => f.failureCode !== 'ImageNotFound' && f.failureCode !== 'ImageTagDoesNotMatchDigest');
    if (unexpected.length > 0) {
        const first = unexpected[0];
        throw new src/* UserError */.yo(`ECR could not return image ${first.imageId?.imageTag ?? first.imageId?.imageDigest ?? ''} of "${repository.name}": ${first.failureCode} (${first.failureReason ?? 'no reason given'}).`, { title: 'ECR' });
    }
    return result;
}

;// CONCATENATED MODULE: ./packages/ecr/src/promote.ts
// Promotion: new tags on an image that already exists, by manifest. No layer moves and nothing is rebuilt, so the
// image production runs is byte for byte the image staging tested. The number of API calls does not depend on
// the image's size: one BatchGetImage, then one PutImage per tag that must change.




function describeSource(source) {
    return 'tag' in source ? `tag "${source.tag}"` : `digest ${source.digest}`;
}
async function promote(client, repository, source, tags, logger, signal) {
    const found = await lookupImages(client, repository, {
        tags: ['tag' in source ? source.tag : undefined, ...tags].filter((t) => t !== undefined),
        digests: 'digest' in source ? [source.digest] : [],
    }, signal);
    const image = 'tag' in source ? found.tags.get(source.tag) : found.digests.get(source.digest);
    if (!image) {
        throw new src/* UserError */.yo(`The source image (${describeSource(source)}) does not exist in ECR repository "${repository.name}": it was never pushed there, or it has expired. Build and push it first (for example in the staging pipeline), then promote it.`, { title: 'Source image not found' });
    }
    const unchanged = tags.filter((tag) => found.tags.get(tag)?.digest === image.digest);
    const toAdd = tags.filter((tag) => !unchanged.includes(tag));
    const conflicts = toAdd.filter((tag) => found.tags.has(tag));
    if (repository.mutability === 'IMMUTABLE' && conflicts.length > 0) {
        // Checked before any PutImage, so a conflict leaves every tag as it was.
        throw immutableConflict(repository, conflicts, found.tags.get(conflicts[0]).digest, image.digest);
    }
    const added = [];
    for (const tag of toAdd) {
        try {
            await client.send(new client_ecr_dist_cjs/* PutImageCommand */.SUU({
                repositoryName: repository.name,
                registryId: repository.registryId,
                imageManifest: image.manifest,
                ...(image.mediaType ? { imageManifestMediaType: image.mediaType } : {}),
                imageTag: tag,
                imageDigest: image.digest,
            }), { abortSignal: signal });
            added.push(tag);
            const moved = found.tags.get(tag);
            logger.info(moved ? `Moved tag ${tag} from ${moved.digest} to ${image.digest}.` : `Tagged ${image.digest} as ${tag}.`);
        }
        catch (error) {
            if (isAwsError(error, 'ImageAlreadyExistsException')) {
                unchanged.push(tag);
            }
            else if (isAwsError(error, 'ImageTagAlreadyExistsException')) {
                throw immutableConflict(repository, [tag], undefined, image.digest);
            }
            else {
                throw new src/* UserError */.yo(`Could not tag ${image.digest} as "${tag}" (${errors_describeAwsError(error)}).`, {
                    title: 'ECR',
                    cause: error,
                });
            }
        }
    }
    for (const tag of unchanged)
        logger.info(`Tag ${tag} already points at ${image.digest}.`);
    return { digest: image.digest, mediaType: image.mediaType, added, unchanged };
}
function immutableConflict(repository, tags, otherDigest, digest) {
    return new src/* UserError */.yo(`Tag ${tags.map((t) => `"${t}"`).join(', ')} already points at ${otherDigest ?? 'another image'} in the immutable repository "${repository.name}", so it cannot be moved to ${digest}. Use a new tag, or make the repository's tags mutable.`, { title: 'Immutable tag' });
}

;// CONCATENATED MODULE: ./packages/ecr/src/scan.ts
// Waiting for ECR's image scan and judging its findings against a severity threshold.



const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'];
/** Counts at or above the threshold (CRITICAL is the highest). */
function findingsAtOrAbove(counts, threshold) {
    const limit = SEVERITIES.indexOf(threshold);
    const result = {};
    for (const severity of SEVERITIES.slice(0, limit + 1)) {
        const count = counts[severity] ?? 0;
        if (count > 0)
            result[severity] = count;
    }
    return result;
}
function addCounts(a, b) {
    const result = { ...a };
    for (const severity of SEVERITIES) {
        if (b[severity])
            result[severity] = (result[severity] ?? 0) + b[severity];
    }
    return result;
}
function formatCounts(counts) {
    const parts = SEVERITIES.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${counts[s]} ${s}`);
    return parts.length > 0 ? parts.join(', ') : 'no findings';
}
/** The platform images of an index (attestations excluded), or the image itself. Only images are scanned. */
function scannedDigests(digest, manifest) {
    if (!manifest)
        return [digest];
    try {
        const parsed = JSON.parse(manifest);
        if (!Array.isArray(parsed.manifests))
            return [digest];
        return parsed.manifests.filter((m) => m.platform?.os !== 'unknown').map((m) => m.digest);
    }
    catch {
        return [digest];
    }
}
/**
 * Waits for the scan of each image to finish, then fails when any finding is at or above `threshold`.
 * Polls at `pollMs` until `timeoutMs`; only a change of status is logged.
 */
async function checkScanFindings(client, repository, digests, threshold, options) {
    const deadline = options.clock.now() + options.timeoutMs;
    let counts = {};
    for (const digest of digests) {
        let lastStatus = '';
        for (;;) {
            let status;
            let found;
            try {
                const answer = await client.send(new client_ecr_dist_cjs/* DescribeImageScanFindingsCommand */.TQ0({
                    repositoryName: repository.name,
                    ...(repository.registryId ? { registryId: repository.registryId } : {}),
                    imageId: { imageDigest: digest },
                }), { abortSignal: options.signal });
                status = answer.imageScanStatus?.status;
                found = answer.imageScanFindings?.findingSeverityCounts;
                if (status === 'FAILED') {
                    throw new src/* UserError */.yo(`The ECR scan of ${digest} failed (${answer.imageScanStatus?.description ?? 'no reason given'}), so fail-on-severity cannot be checked.`, { title: 'Image scan' });
                }
            }
            catch (error) {
                if (error instanceof src/* UserError */.yo)
                    throw error;
                if (!isAwsError(error, 'ScanNotFoundException')) {
                    throw new src/* UserError */.yo(`Could not read the scan findings of ${digest} (${errors_describeAwsError(error)}).`, {
                        title: 'Image scan',
                        cause: error,
                    });
                }
                status = 'NOT_STARTED';
            }
            if (status === 'COMPLETE' || status === 'ACTIVE') {
                counts = addCounts(counts, found ?? {});
                options.logger.info(`Scan of ${digest}: ${formatCounts(found ?? {})}.`);
                break;
            }
            if (status !== lastStatus) {
                options.logger.info(`Scan of ${digest}: ${status?.toLowerCase().replace(/_/g, ' ') ?? 'pending'}…`);
                lastStatus = status ?? '';
            }
            if (options.clock.now() >= deadline) {
                throw new src/* UserError */.yo(`The ECR scan of ${digest} did not finish in time (last status ${status ?? 'unknown'}). Turn on scan-on-push for the repository, or raise scan-timeout.`, { title: 'Image scan' });
            }
            // Never sleep past the deadline: the last look comes right at it.
            await options.clock.sleep(Math.min(options.pollMs ?? 5000, Math.max(0, deadline - options.clock.now())), options.signal);
        }
    }
    return { counts, blocking: findingsAtOrAbove(counts, threshold) };
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./packages/ecr/src/build.ts
// Building and pushing with `docker buildx`. Every child process gets an argument array, never a shell string, so
// build arguments and labels reach Docker literally whatever characters they hold; secrets travel in the child's
// environment, never on its command line.




/** The environment variable a build secret travels in. */
function secretVariable(id) {
    return `ECS_SHIP_BUILD_SECRET_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}
/** The `docker` arguments for the build: pure, so the exact command line is tested without Docker. */
function buildxArguments(settings) {
    const args = ['buildx', 'build', '--push', '--metadata-file', settings.metadataFile];
    if (settings.file)
        args.push('--file', settings.file);
    if (settings.platforms.length > 0)
        args.push('--platform', settings.platforms.join(','));
    if (settings.target)
        args.push('--target', settings.target);
    for (const [key, value] of settings.buildArgs)
        args.push('--build-arg', `${key}=${value}`);
    for (const id of settings.secrets.keys())
        args.push('--secret', `id=${id},env=${secretVariable(id)}`);
    for (const [key, value] of settings.labels)
        args.push('--label', `${key}=${value}`);
    for (const name of settings.imageNames)
        args.push('--tag', name);
    for (const source of settings.cacheFrom)
        args.push('--cache-from', source);
    for (const destination of settings.cacheTo)
        args.push('--cache-to', destination);
    if (settings.provenance !== undefined)
        args.push(`--provenance=${settings.provenance}`);
    args.push(settings.context);
    return args;
}
/** The environment for the build: the caller's, plus one variable per build secret. */
function buildEnvironment(settings, base = process.env) {
    const env = { ...base };
    for (const [id, value] of settings.secrets)
        env[secretVariable(id)] = value;
    return env;
}
/**
 * An ECR registry cache next to the image (`<uri>:buildcache`). ECR needs the cache written as an image
 * manifest with OCI media types.
 */
function defaultCache(repositoryUri) {
    const ref = `${repositoryUri}:buildcache`;
    return {
        from: `type=registry,ref=${ref}`,
        to: `type=registry,ref=${ref},mode=max,image-manifest=true,oci-mediatypes=true`,
    };
}
/** Runs `docker <args>` and streams its output to the log; rejects with a UserError on a non-zero exit. */
function runDocker(args, options) {
    return new Promise((resolve, reject) => {
        if (options.signal?.aborted)
            return reject((0,src/* abortReason */.Js)(options.signal));
        const child = (0,external_node_child_process_.spawn)('docker', args, {
            env: options.env ?? process.env,
            stdio: ['pipe', 'pipe', 'pipe'],
        });
        const tail = [];
        const forward = (chunk) => {
            for (const line of chunk.toString('utf8').split(/\r?\n/)) {
                if (line.trim() === '')
                    continue;
                tail.push(line);
                if (tail.length > 20)
                    tail.shift();
                if (!options.quiet)
                    options.logger.info(line);
            }
        };
        child.stdout.on('data', forward);
        child.stderr.on('data', forward);
        const onAbort = () => child.kill('SIGINT');
        options.signal?.addEventListener('abort', onAbort, { once: true });
        child.on('error', (error) => {
            options.signal?.removeEventListener('abort', onAbort);
            reject(error.code === 'ENOENT'
                ? new src/* UserError */.yo('docker is not installed or not on PATH. Build mode needs Docker with buildx on the runner.', {
                    title: 'Docker',
                })
                : error);
        });
        child.on('close', (code, signal) => {
            options.signal?.removeEventListener('abort', onAbort);
            if (options.signal?.aborted)
                return reject((0,src/* abortReason */.Js)(options.signal));
            if (code === 0)
                return resolve();
            const last = tail.filter((line) => /error|fail/i.test(line)).pop() ?? tail[tail.length - 1] ?? '';
            reject(new src/* UserError */.yo(`docker ${args.slice(0, 2).join(' ')} failed (${signal ? `signal ${signal}` : `exit code ${code}`})${last ? `: ${last.trim()}` : ''}`, { title: 'Docker' }));
        });
        child.stdin.end(options.stdin ?? '');
    });
}
/** `docker login` with the password on stdin, never on the command line. */
async function dockerLogin(host, username, password, options) {
    await runDocker(['login', '--username', username, '--password-stdin', host], { ...options, stdin: password });
}
async function dockerLogout(host, options) {
    await runDocker(['logout', host], options);
}
/** The pushed digest from buildx's `--metadata-file`. */
async function readBuildDigest(metadataFile) {
    let metadata;
    try {
        metadata = JSON.parse(await (0,promises_.readFile)(metadataFile, 'utf8'));
    }
    catch (error) {
        throw new src/* UserError */.yo(`docker buildx wrote no readable metadata file (${error.message}); cannot tell which digest was pushed.`, { title: 'Docker' });
    }
    const digest = metadata['containerimage.digest'];
    if (typeof digest !== 'string' || !isDigest(digest)) {
        throw new src/* UserError */.yo('docker buildx reported no image digest in its metadata file; was the image pushed?', {
            title: 'Docker',
        });
    }
    return digest;
}

// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
var external_node_zlib_default = /*#__PURE__*/__webpack_require__.n(external_node_zlib_);
;// CONCATENATED MODULE: ./packages/ecr/src/oci-layout.ts
// Reading an OCI image layout (a directory, or a tar of one as `docker buildx build --output type=oci` writes).









const INDEX_TYPES = new Set([
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
]);
const MANIFEST_TYPES = new Set([
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.v2+json',
]);
function sha256(data) {
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(data).digest('hex')}`;
}
/** An opened layout: blobs are read from disk by digest. */
class OciLayout {
    root;
    index;
    indexBytes;
    cleanup;
    constructor(root, index, indexBytes, cleanup) {
        this.root = root;
        this.index = index;
        this.indexBytes = indexBytes;
        this.cleanup = cleanup;
    }
    /** Opens a layout directory, or extracts a layout tar (optionally gzipped) into a temporary directory first. */
    static async open(path, scratch = (0,external_node_os_.tmpdir)()) {
        let info;
        try {
            info = await (0,promises_.stat)(path);
        }
        catch {
            throw new src/* UserError */.yo(`The OCI archive "${path}" does not exist.`, { title: 'OCI layout' });
        }
        let root = path;
        let cleanup;
        if (!info.isDirectory()) {
            root = await (0,promises_.mkdtemp)((0,external_node_path_.join)(scratch, 'oci-layout-'));
            cleanup = () => (0,promises_.rm)(root, { recursive: true, force: true });
            try {
                await extractLayout(path, root);
            }
            catch (error) {
                await cleanup();
                throw error instanceof src/* UserError */.yo
                    ? error
                    : new src/* UserError */.yo(`"${path}" is not a readable tar of an OCI image layout (${error.message}).`, {
                        title: 'OCI layout',
                    });
            }
        }
        let marker;
        let indexBytes;
        let index;
        try {
            marker = JSON.parse(await (0,promises_.readFile)((0,external_node_path_.join)(root, 'oci-layout'), 'utf8'));
            indexBytes = await (0,promises_.readFile)((0,external_node_path_.join)(root, 'index.json'));
            index = JSON.parse(indexBytes.toString('utf8'));
        }
        catch {
            await cleanup?.();
            throw new src/* UserError */.yo(`"${path}" is not an OCI image layout (it needs an oci-layout file and an index.json). Write one with docker buildx build --output type=oci,dest=<file>.`, { title: 'OCI layout' });
        }
        if (marker.imageLayoutVersion !== '1.0.0' || !Array.isArray(index.manifests) || index.manifests.length === 0) {
            await cleanup?.();
            throw new src/* UserError */.yo(`"${path}" is not an OCI image layout 1.0.0 with at least one manifest.`, {
                title: 'OCI layout',
            });
        }
        return new OciLayout(root, index, indexBytes, cleanup);
    }
    blobPath(digest) {
        const [algorithm, hex] = digest.split(':');
        if (algorithm !== 'sha256' || !hex || !/^[a-f0-9]{64}$/.test(hex)) {
            throw new src/* UserError */.yo(`The OCI layout names an unsupported digest "${digest}".`, { title: 'OCI layout' });
        }
        return (0,external_node_path_.join)(this.root, 'blobs', algorithm, hex);
    }
    /** A small blob (a manifest or config), checked against its digest and size. */
    async readVerified(descriptor) {
        let bytes;
        try {
            bytes = await (0,promises_.readFile)(this.blobPath(descriptor.digest));
        }
        catch {
            throw new src/* UserError */.yo(`The OCI layout is missing blob ${descriptor.digest}.`, { title: 'OCI layout' });
        }
        if (sha256(bytes) !== descriptor.digest || bytes.length !== descriptor.size) {
            throw new src/* UserError */.yo(`Blob ${descriptor.digest} in the OCI layout does not match its digest or size.`, {
                title: 'OCI layout',
            });
        }
        return bytes;
    }
    /** Checks a (possibly large) blob on disk against its descriptor by streaming it. */
    async verifyBlob(descriptor) {
        const path = this.blobPath(descriptor.digest);
        let size;
        try {
            size = (await (0,promises_.stat)(path)).size;
        }
        catch {
            throw new src/* UserError */.yo(`The OCI layout is missing blob ${descriptor.digest}.`, { title: 'OCI layout' });
        }
        const hash = (0,external_node_crypto_.createHash)('sha256');
        await (0,external_node_stream_promises_.pipeline)((0,external_node_fs_.createReadStream)(path), hash);
        if (`sha256:${hash.digest('hex')}` !== descriptor.digest || size !== descriptor.size) {
            throw new src/* UserError */.yo(`Blob ${descriptor.digest} in the OCI layout does not match its digest or size.`, {
                title: 'OCI layout',
            });
        }
    }
    /** Reads `length` bytes of a blob from `offset`. */
    async readRange(digest, offset, length) {
        const handle = await (0,promises_.open)(this.blobPath(digest), 'r');
        try {
            const buffer = Buffer.alloc(length);
            const { bytesRead } = await handle.read(buffer, 0, length, offset);
            return buffer.subarray(0, bytesRead);
        }
        finally {
            await handle.close();
        }
    }
    /**
     * The image to push: the layout's single top-level manifest, or, when the layout lists several, index.json
     * itself as the image index that ties them together.
     */
    rootImage() {
        const manifests = this.index.manifests;
        if (manifests.length === 1)
            return { descriptor: manifests[0] };
        return {
            descriptor: {
                mediaType: this.index.mediaType ?? 'application/vnd.oci.image.index.v1+json',
                digest: sha256(this.indexBytes),
                size: this.indexBytes.length,
            },
            bytes: this.indexBytes,
        };
    }
    async close() {
        await this.cleanup?.();
    }
}
/** Extracts only the layout's own files (oci-layout, index.json, blobs/<algorithm>/<hex>) from a tar. */
async function extractLayout(file, into) {
    const tar = await __webpack_require__.e(/* import() */ 118).then(__webpack_require__.t.bind(__webpack_require__, 6118, 19));
    const head = Buffer.alloc(2);
    const handle = await (0,promises_.open)(file, 'r');
    await handle.read(head, 0, 2, 0);
    await handle.close();
    const gzipped = head[0] === 0x1f && head[1] === 0x8b;
    const extract = tar.extract();
    const done = new Promise((resolve, reject) => {
        extract.on('entry', (header, stream, next) => {
            const name = header.name.replace(/^\.\//, '');
            const wanted = header.type === 'file' &&
                (name === 'oci-layout' || name === 'index.json' || /^blobs\/[a-z0-9]+\/[a-f0-9]{32,128}$/.test(name));
            if (!wanted) {
                stream.on('end', next);
                stream.resume();
                return;
            }
            const target = (0,external_node_path_.join)(into, name);
            (0,promises_.mkdir)((0,external_node_path_.dirname)(target), { recursive: true })
                .then(() => (0,external_node_stream_promises_.pipeline)(stream, (0,external_node_fs_.createWriteStream)(target)))
                .then(() => next(), reject);
        });
        extract.on('finish', resolve);
        extract.on('error', reject);
    });
    const source = (0,external_node_fs_.createReadStream)(file);
    if (gzipped)
        await Promise.all([(0,external_node_stream_promises_.pipeline)(source, (0,external_node_zlib_.createGunzip)(), extract), done]);
    else
        await Promise.all([(0,external_node_stream_promises_.pipeline)(source, extract), done]);
}

;// CONCATENATED MODULE: ./packages/ecr/src/distribution.ts
// A client for the OCI distribution API (`/v2/...`), the registry side of ECR: blobs, uploads and manifests.
// It authenticates with HTTP basic auth from the ECR token, and follows a Bearer challenge when a registry asks for
// one. It counts what it sends, so that a repeated push can show it uploaded nothing.

const ACCEPT_MANIFESTS = [
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');
class RegistryClient {
    endpoint;
    auth;
    signal;
    stats = {
        blobsUploaded: 0,
        bytesUploaded: 0,
        blobsSkipped: 0,
        blobsMounted: 0,
        manifestsPut: 0,
        requests: 0,
    };
    bearer = new Map();
    constructor(
    /** `https://host[:port]` as ECR's proxyEndpoint names it. */
    endpoint, auth, signal) {
        this.endpoint = endpoint;
        this.auth = auth;
        this.signal = signal;
    }
    async hasBlob(repository, digest) {
        const response = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`, repository);
        if (response.status === 200)
            return true;
        if (response.status === 404)
            return false;
        throw await this.failure(response, `check blob ${digest}`);
    }
    /** Mounts a blob from another repository of the same registry; false when the registry started an upload instead. */
    async mountBlob(repository, digest, from) {
        const response = await this.request('POST', `/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`, repository, { scope: `repository:${repository}:pull,push repository:${from}:pull` });
        if (response.status === 201) {
            this.stats.blobsMounted += 1;
            return { mounted: true };
        }
        if (response.status === 202)
            return { mounted: false, location: response.headers.get('location') ?? undefined };
        throw await this.failure(response, `mount blob ${digest} from ${from}`);
    }
    async startUpload(repository) {
        const response = await this.request('POST', `/v2/${repository}/blobs/uploads/`, repository);
        const location = response.headers.get('location');
        if (response.status !== 202 || !location)
            throw await this.failure(response, 'start a blob upload');
        return location;
    }
    /**
     * Uploads a blob in one PUT, or in chunks of `chunkSize` (PATCH with Content-Range, then a closing PUT).
     * `read(offset, length)` supplies the bytes.
     */
    async uploadBlob(repository, digest, size, read, chunkSize, location) {
        let url = location ?? (await this.startUpload(repository));
        if (size <= chunkSize) {
            const body = await read(0, size);
            const response = await this.request('PUT', withDigest(url, digest), repository, {
                body,
                headers: { 'content-type': 'application/octet-stream' },
            });
            if (response.status !== 201)
                throw await this.failure(response, `upload blob ${digest}`);
            this.stats.bytesUploaded += body.length;
        }
        else {
            for (let offset = 0; offset < size; offset += chunkSize) {
                const body = await read(offset, Math.min(chunkSize, size - offset));
                const response = await this.request('PATCH', url, repository, {
                    body,
                    headers: {
                        'content-type': 'application/octet-stream',
                        'content-range': `${offset}-${offset + body.length - 1}`,
                    },
                });
                if (response.status !== 202)
                    throw await this.failure(response, `upload a chunk of blob ${digest}`);
                this.stats.bytesUploaded += body.length;
                url = response.headers.get('location') ?? url;
            }
            const response = await this.request('PUT', withDigest(url, digest), repository);
            if (response.status !== 201)
                throw await this.failure(response, `finish the upload of blob ${digest}`);
        }
        this.stats.blobsUploaded += 1;
    }
    /** The digest a tag or digest reference resolves to, or undefined when the registry has no such manifest. */
    async manifestDigest(repository, reference) {
        const response = await this.request('HEAD', `/v2/${repository}/manifests/${reference}`, repository, {
            headers: { accept: ACCEPT_MANIFESTS },
        });
        if (response.status === 404)
            return undefined;
        if (response.status !== 200)
            throw await this.failure(response, `look up ${repository}:${reference}`);
        return response.headers.get('docker-content-digest') ?? undefined;
    }
    async getManifest(repository, reference) {
        const response = await this.request('GET', `/v2/${repository}/manifests/${reference}`, repository, {
            headers: { accept: ACCEPT_MANIFESTS },
        });
        if (response.status === 404)
            return undefined;
        if (response.status !== 200)
            throw await this.failure(response, `read ${repository}:${reference}`);
        return {
            bytes: response.body,
            mediaType: response.headers.get('content-type') ?? '',
        };
    }
    async getBlob(repository, digest) {
        const response = await this.request('GET', `/v2/${repository}/blobs/${digest}`, repository);
        if (response.status !== 200)
            throw await this.failure(response, `read blob ${digest}`);
        return response.body;
    }
    /** Puts a manifest under a tag or its digest; returns the digest the registry computed. */
    async putManifest(repository, reference, bytes, mediaType) {
        const response = await this.request('PUT', `/v2/${repository}/manifests/${reference}`, repository, {
            body: bytes,
            headers: { 'content-type': mediaType },
        });
        if (response.status !== 201)
            throw await this.failure(response, `put manifest ${repository}:${reference}`);
        this.stats.manifestsPut += 1;
        return response.headers.get('docker-content-digest') ?? '';
    }
    async request(method, pathOrUrl, repository, options = {}) {
        const url = new URL(pathOrUrl, this.endpoint);
        const scope = options.scope ?? `repository:${repository}:pull,push`;
        const send = async (authorization) => {
            this.stats.requests += 1;
            const response = await fetch(url, {
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
            throw new src/* UserError */.yo(`The registry ${url.host} refused the ECR credentials (HTTP 401). Check that the role may push to "${repository}".`, { title: 'Registry' });
        }
        return response;
    }
    /** The token flow a registry asks for with `WWW-Authenticate: Bearer realm=...,service=...,scope=...`. */
    async fetchBearer(challenge, scope) {
        const params = Object.fromEntries([...challenge.slice(7).matchAll(/([a-zA-Z]+)="([^"]*)"/g)].map((m) => [m[1].toLowerCase(), m[2]]));
        if (!params.realm)
            throw new src/* UserError */.yo('The registry asked for a Bearer token without naming a realm.', { title: 'Registry' });
        const realm = new URL(params.realm);
        if (params.service)
            realm.searchParams.set('service', params.service);
        for (const part of (params.scope ?? scope).split(' '))
            realm.searchParams.append('scope', part);
        this.stats.requests += 1;
        const response = await fetch(realm, { headers: { authorization: this.basic() }, signal: this.signal });
        if (!response.ok) {
            throw new src/* UserError */.yo(`The registry's token service refused the ECR credentials (HTTP ${response.status}).`, {
                title: 'Registry',
            });
        }
        const body = (await response.json());
        const token = body.token ?? body.access_token;
        if (!token)
            throw new src/* UserError */.yo('The registry token service answered without a token.', { title: 'Registry' });
        return token;
    }
    basic() {
        return `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString('base64')}`;
    }
    /** A failure with the registry's own error code and message (`{"errors":[{"code","message"}]}`) when it gave one. */
    async failure(response, what) {
        let detail = '';
        try {
            const body = JSON.parse(response.body.toString('utf8'));
            const first = body.errors?.[0];
            if (first)
                detail = `: ${[first.code, first.message].filter(Boolean).join(' ')}`;
        }
        catch {
            // No JSON body (HEAD answers have none).
        }
        return new src/* UserError */.yo(`The registry could not ${what} (HTTP ${response.status}${detail}).`, { title: 'Registry' });
    }
}
function withDigest(location, digest) {
    return `${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`;
}

;// CONCATENATED MODULE: ./packages/ecr/src/push-archive.ts
// Pushing a prebuilt OCI image layout over the distribution API, without any Docker daemon: blobs the registry
// already has are skipped (HEAD), others are mounted from a sibling repository where possible or uploaded
// (monolithic, or chunked when large); then the manifests go up, platform manifests before the index that names
// them, each checked against its digest.


async function pushArchive(registry, layout, options, logger) {
    const root = layout.rootImage();
    const bytes = root.bytes ?? (await layout.readVerified(root.descriptor));
    const manifest = push_archive_parse(bytes, root.descriptor.digest);
    const mediaType = root.descriptor.mediaType ?? manifest.mediaType;
    if (!mediaType || (!INDEX_TYPES.has(mediaType) && !MANIFEST_TYPES.has(mediaType))) {
        throw new src/* UserError */.yo(`The OCI layout's top manifest has an unsupported media type (${mediaType ?? 'none'}).`, {
            title: 'OCI layout',
        });
    }
    const digest = root.descriptor.digest;
    const platforms = (manifest.manifests ?? [])
        .map((m) => m.platform)
        .filter((p) => p && p.os !== 'unknown')
        .map((p) => [p.os, p.architecture, p.variant].filter(Boolean).join('/'));
    const current = new Map();
    for (const tag of options.tags)
        current.set(tag, await registry.manifestDigest(options.repository, tag));
    const unchanged = options.tags.filter((tag) => current.get(tag) === digest);
    const conflicts = options.tags.filter((tag) => current.get(tag) !== undefined && current.get(tag) !== digest);
    if (options.mutability === 'IMMUTABLE' && conflicts.length > 0) {
        throw new src/* UserError */.yo(`Tag ${conflicts.map((t) => `"${t}"`).join(', ')} already points at ${current.get(conflicts[0])} in the immutable repository "${options.repository}", so it cannot be moved to ${digest}. Use a new tag.`, { title: 'Immutable tag' });
    }
    if (options.skipExisting && unchanged.length === options.tags.length) {
        logger.info(`${options.repository} already has ${digest} under ${options.tags.join(', ')}; nothing to push.`);
        return { digest, mediaType, manifest: bytes, pushed: false, unchanged, platforms };
    }
    const done = new Set();
    await pushImage(registry, layout, options, root.descriptor, bytes, done, logger);
    for (const tag of options.tags) {
        if (current.get(tag) === digest)
            continue;
        const answered = await registry.putManifest(options.repository, tag, bytes, mediaType);
        if (answered && answered !== digest) {
            throw new src/* UserError */.yo(`The registry stored ${options.repository}:${tag} as ${answered}, not ${digest}.`, {
                title: 'Registry',
            });
        }
        logger.info(`Tagged ${digest} as ${tag}.`);
    }
    return { digest, mediaType, manifest: bytes, pushed: true, unchanged, platforms };
}
async function pushImage(registry, layout, options, descriptor, bytes, done, logger) {
    const manifest = push_archive_parse(bytes, descriptor.digest);
    const mediaType = descriptor.mediaType ?? manifest.mediaType ?? '';
    if (INDEX_TYPES.has(mediaType)) {
        for (const child of manifest.manifests ?? []) {
            if (done.has(child.digest))
                continue;
            await pushImage(registry, layout, options, child, await layout.readVerified(child), done, logger);
        }
    }
    else {
        for (const blob of [manifest.config, ...(manifest.layers ?? [])]) {
            if (!blob || done.has(blob.digest))
                continue;
            await pushBlob(registry, layout, options, blob, logger);
            done.add(blob.digest);
        }
    }
    const answered = await registry.putManifest(options.repository, descriptor.digest, bytes, mediaType);
    if (answered && answered !== descriptor.digest) {
        throw new src/* UserError */.yo(`The registry computed ${answered} for manifest ${descriptor.digest}.`, { title: 'Registry' });
    }
    done.add(descriptor.digest);
}
async function pushBlob(registry, layout, options, blob, logger) {
    await layout.verifyBlob(blob);
    if (await registry.hasBlob(options.repository, blob.digest)) {
        registry.stats.blobsSkipped += 1;
        logger.debug(`Blob ${blob.digest} is already in ${options.repository}.`);
        return;
    }
    let location;
    for (const from of options.mountFrom) {
        const mount = await registry.mountBlob(options.repository, blob.digest, from);
        if (mount.mounted) {
            logger.info(`Mounted ${blob.digest} from ${from}.`);
            return;
        }
        location = mount.location;
    }
    await registry.uploadBlob(options.repository, blob.digest, blob.size, (offset, length) => layout.readRange(blob.digest, offset, length), options.chunkSize, location);
    logger.info(`Uploaded ${blob.digest} (${blob.size} bytes${blob.size > options.chunkSize ? ', in chunks' : ''}).`);
}
function push_archive_parse(bytes, digest) {
    if (sha256(bytes) !== digest) {
        throw new src/* UserError */.yo(`Manifest ${digest} in the OCI layout does not match its digest.`, { title: 'OCI layout' });
    }
    try {
        return JSON.parse(bytes.toString('utf8'));
    }
    catch {
        throw new src/* UserError */.yo(`Manifest ${digest} in the OCI layout is not JSON.`, { title: 'OCI layout' });
    }
}

;// CONCATENATED MODULE: ./packages/ecr/src/revision.ts
const REVISION_KEY = 'org.opencontainers.image.revision';
/** The revision the image records, or undefined when it records none (or it cannot be read). */
async function imageRevision(manifestText, sources) {
    try {
        let manifest = JSON.parse(manifestText);
        if (manifest.annotations?.[REVISION_KEY])
            return manifest.annotations[REVISION_KEY];
        if (Array.isArray(manifest.manifests)) {
            const platform = manifest.manifests.find((m) => m.platform?.os !== 'unknown');
            if (platform?.annotations?.[REVISION_KEY])
                return platform.annotations[REVISION_KEY];
            const text = platform && (await sources.manifest(platform.digest));
            if (!text)
                return undefined;
            manifest = JSON.parse(text);
            if (manifest.annotations?.[REVISION_KEY])
                return manifest.annotations[REVISION_KEY];
        }
        if (!manifest.config)
            return undefined;
        const config = await sources.blob(manifest.config.digest);
        if (!config)
            return undefined;
        const parsed = JSON.parse(config.toString('utf8'));
        return parsed.config?.Labels?.[REVISION_KEY];
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./packages/ecr/src/publish.ts
// Publishing an image to ECR from start to end, for the build-push-ecr action and the release pipeline alike: find
// (or create) the repository, then build, push an OCI archive or promote, and optionally hold the result to a scan
// threshold.














/** The scan found something at or above the threshold; the image is published all the same, as `result` says. */
class ScanThresholdError extends src/* UserError */.yo {
    result;
    threshold;
    constructor(message, result, threshold) {
        super(message, { title: 'Image scan' });
        this.result = result;
        this.threshold = threshold;
    }
}
async function publishImage(settings, deps) {
    const { ecr, logger, signal } = deps;
    const repository = await ensureRepository(ecr, settings.repository, logger, signal);
    deps.checkRepository?.(repository);
    const origin = settings.origin;
    let outcome;
    if (origin.mode === 'promote')
        outcome = await promoteImage(repository, origin.source, settings, deps);
    else if (origin.mode === 'push-archive')
        outcome = await pushFromArchive(repository, origin.archive, settings, deps);
    else
        outcome = await buildImage(repository, origin.build, settings, deps);
    const result = {
        mode: origin.mode,
        repository,
        digest: outcome.digest,
        imageRef: imageReference(repository.uri, outcome.digest),
        tags: settings.tags,
        pushed: outcome.pushed,
        notes: outcome.notes,
        ...(outcome.stats ? { stats: outcome.stats } : {}),
    };
    if (settings.failOnSeverity)
        await holdToScanThreshold(result, outcome, settings.failOnSeverity, settings, deps);
    return result;
}
async function holdToScanThreshold(result, outcome, threshold, settings, deps) {
    const { repository } = result;
    const manifest = outcome.manifest ??
        (await lookupImages(deps.ecr, repository, { digests: [outcome.digest] }, deps.signal)).digests.get(outcome.digest)
            ?.manifest;
    const check = await checkScanFindings(deps.ecr, repository, scannedDigests(outcome.digest, manifest), threshold, {
        clock: deps.clock,
        logger: deps.logger,
        signal: deps.signal,
        timeoutMs: settings.scanTimeoutMs,
    });
    result.scan = formatCounts(check.counts);
    if (Object.keys(check.blocking).length > 0) {
        throw new ScanThresholdError(`The ECR scan of ${outcome.digest} found ${formatCounts(check.blocking)}, at or above fail-on-severity ${threshold}. Fix the findings or raise the threshold.`, result, threshold);
    }
}
async function promoteImage(repository, source, settings, deps) {
    const result = await promote(deps.ecr, repository, source, settings.tags, deps.logger, deps.signal);
    return {
        digest: result.digest,
        pushed: false,
        notes: [
            `Promoted ${describeSource(source)} by manifest: ${result.added.length} tag(s) added, ${result.unchanged.length} already in place.`,
        ],
    };
}
function credentials(repository, deps) {
    return getRegistryCredentials(deps.ecr, {
        registryId: repository.registryId,
        protect: deps.protect,
        signal: deps.signal,
    });
}
async function pushFromArchive(repository, archive, settings, deps) {
    const { logger } = deps;
    const auth = await credentials(repository, deps);
    const registry = new RegistryClient(auth.endpoint, auth, deps.signal);
    const layout = await OciLayout.open(archive.path, deps.scratchDir);
    try {
        const result = await pushArchive(registry, layout, {
            repository: repository.name,
            tags: settings.tags,
            chunkSize: archive.chunkSize,
            mountFrom: archive.mountFrom,
            skipExisting: settings.skipExisting,
            mutability: repository.mutability,
        }, logger);
        const s = registry.stats;
        logger.info(`Blobs: ${s.blobsUploaded} uploaded (${s.bytesUploaded} bytes), ${s.blobsSkipped} already there, ${s.blobsMounted} mounted; ${s.manifestsPut} manifests put.`);
        return {
            digest: result.digest,
            manifest: result.manifest.toString('utf8'),
            pushed: result.pushed,
            notes: [
                result.platforms.length > 0 ? `Platforms: ${result.platforms.join(', ')}.` : 'Single-platform image.',
                result.pushed ? 'Pushed from the OCI archive.' : 'The registry already had this image under every tag.',
            ],
            stats: s,
        };
    }
    finally {
        await layout.close();
    }
}
async function buildImage(repository, build, settings, deps) {
    const { logger, signal } = deps;
    const auth = await credentials(repository, deps);
    if (settings.skipExisting) {
        const reused = await reuseExisting(repository, auth, settings, deps);
        if (reused)
            return reused;
    }
    deps.beforeLogin?.(auth.host);
    let scratch;
    try {
        await dockerLogin(auth.host, auth.username, auth.password, { logger, signal });
        scratch = await (0,promises_.mkdtemp)((0,external_node_path_.join)(deps.scratchDir, 'buildx-'));
        const cache = defaultCache(repository.uri);
        const useDefaultCache = repository.mutability === 'MUTABLE';
        if (!useDefaultCache && (build.cacheFrom === undefined || build.cacheTo === undefined)) {
            logger.info('The repository is immutable, so the default registry cache (a moving tag) is not used.');
        }
        const metadataFile = (0,external_node_path_.join)(scratch, 'metadata.json');
        const buildSettings = {
            ...build,
            cacheFrom: build.cacheFrom ?? (useDefaultCache ? [cache.from] : []),
            cacheTo: build.cacheTo ?? (useDefaultCache ? [cache.to] : []),
            imageNames: settings.tags.map((tag) => `${repository.uri}:${tag}`),
            metadataFile,
        };
        logger.startGroup(`docker buildx build (${build.platforms.join(', ') || 'default platform'})`);
        try {
            await runDocker(buildxArguments(buildSettings), { env: buildEnvironment(buildSettings), logger, signal });
        }
        finally {
            logger.endGroup();
        }
        const digest = await readBuildDigest(metadataFile);
        return { digest, pushed: true, notes: [`Built ${(0,src/* code */.aY)(build.context)} and pushed it.`] };
    }
    finally {
        if (scratch)
            await (0,promises_.rm)(scratch, { recursive: true, force: true });
        // Also after a failed login, which is simpler than tracking it: logging out of nothing is harmless.
        if (deps.logoutAfterBuild)
            await logout(auth.host, logger);
    }
}
async function logout(host, logger) {
    try {
        // Not tied to the run's signal: the credentials must go even when the build was cancelled.
        await dockerLogout(host, { logger, quiet: true });
        logger.info(`Removed the Docker credentials for ${host}.`);
    }
    catch (error) {
        logger.warning(`Could not remove the Docker credentials for ${host}: ${error.message}`);
    }
}
/**
 * skip-existing: when the first tag (the commit SHA by default) is already in the repository, reuse that image,
 * provided its revision label names this commit; the other tags are then added by manifest.
 */
async function reuseExisting(repository, auth, settings, deps) {
    const { ecr, logger, signal } = deps;
    const first = settings.tags[0];
    const existing = (await lookupImages(ecr, repository, { tags: [first] }, signal)).tags.get(first);
    if (!existing)
        return undefined;
    const registry = new RegistryClient(auth.endpoint, auth, signal);
    const revision = await imageRevision(existing.manifest, {
        manifest: async (digest) => (await lookupImages(ecr, repository, { digests: [digest] }, signal)).digests.get(digest)?.manifest,
        blob: (digest) => registry.getBlob(repository.name, digest).catch(() => undefined),
    });
    if (revision !== undefined && settings.revision && revision !== settings.revision) {
        throw new src/* UserError */.yo(`${repository.name}:${first} already exists but was built from revision ${revision}, not ${settings.revision}. Use another tag, or set skip-existing: false to rebuild.`, { title: 'Existing image' });
    }
    const notes = [
        revision === undefined
            ? `Reused the existing ${(0,src/* code */.aY)(first)} image; it records no ${(0,src/* code */.aY)(REVISION_KEY)}, so its revision could not be checked.`
            : `Reused the existing ${(0,src/* code */.aY)(first)} image, built from ${revision}.`,
    ];
    if (revision === undefined)
        logger.warning(notes[0].replace(/`/g, ''), 'Existing image');
    else
        logger.info(`${repository.name}:${first} already exists (revision ${revision}); not rebuilding.`);
    if (settings.tags.length > 1) {
        await promote(ecr, repository, { digest: existing.digest }, settings.tags.slice(1), logger, signal);
    }
    return { digest: existing.digest, manifest: existing.manifest, pushed: false, notes };
}

;// CONCATENATED MODULE: ./packages/ecr/src/index.ts
// ECR for the suite. Light, SDK-free parts are also exported on their own (`@ecs-ship/ecr/names`,
// `@ecs-ship/ecr/docker`) so that an action can validate inputs and clean up without loading the AWS SDK.















;// CONCATENATED MODULE: ./packages/probe/src/json-path.ts
/** Parses a path into steps, or returns a problem in plain words. */
function parseJsonPath(path) {
    let text = path.trim();
    if (text === '$')
        return { steps: [] };
    if (text.startsWith('$.'))
        text = text.slice(2);
    else if (text.startsWith('$['))
        text = text.slice(1);
    if (text === '')
        return { problem: `JSON path "${path}" is empty` };
    const steps = [];
    const token = /(?:^|\.)([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\['((?:[^'\\]|\\.)*)'\]/y;
    let position = 0;
    while (position < text.length) {
        token.lastIndex = position;
        const match = token.exec(text);
        if (!match || (match[1] !== undefined && position > 0 && text[position] !== '.')) {
            return { problem: `JSON path "${path}" cannot be read at "${text.slice(position)}" (use a.b[0].c or a["key"])` };
        }
        if (match[1] !== undefined)
            steps.push(match[1]);
        else if (match[2] !== undefined)
            steps.push(Number(match[2]));
        else
            steps.push((match[3] ?? match[4] ?? '').replace(/\\(.)/g, '$1'));
        position = token.lastIndex;
    }
    return { steps };
}
/** The value at `steps`, or `found: false` when the path does not exist in `value`. */
function readJsonPath(value, steps) {
    let current = value;
    for (const step of steps) {
        if (typeof step === 'number') {
            if (!Array.isArray(current) || step >= current.length)
                return { found: false };
            current = current[step];
        }
        else {
            if (current === null || typeof current !== 'object' || Array.isArray(current))
                return { found: false };
            if (!Object.prototype.hasOwnProperty.call(current, step))
                return { found: false };
            current = current[step];
        }
    }
    return { found: true, value: current };
}
/** Structural equality for JSON values (objects compared key by key, arrays in order). */
function jsonEqual(a, b) {
    if (a === b)
        return true;
    if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object')
        return false;
    if (Array.isArray(a) !== Array.isArray(b))
        return false;
    if (Array.isArray(a) && Array.isArray(b))
        return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
    const left = a;
    const right = b;
    const keys = Object.keys(left);
    return (keys.length === Object.keys(right).length && keys.every((key) => key in right && jsonEqual(left[key], right[key])));
}
/** A value as it appears in a failure message, cut short. */
function showValue(value, limit = 80, scrub = (text) => text) {
    const text = scrub(value === undefined ? 'undefined' : JSON.stringify(value));
    return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

;// CONCATENATED MODULE: ./packages/probe/src/status.ts
/** Any 2xx answer: what a check expects unless it says otherwise. */
const DEFAULT_STATUS = [{ from: 200, to: 299 }];
/**
 * Reads one status expectation: `200`, `"2xx"`, `"200-204"` or `"200"`. Returns the range or a problem.
 * Codes must lie between 100 and 599.
 */
function parseStatus(value) {
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
    if (text === undefined)
        return { problem: `status ${JSON.stringify(value)} is not a code, a class such as 2xx or a range such as 200-299` };
    let range;
    let match;
    if ((match = /^([1-5])xx$/i.exec(text)))
        range = { from: Number(match[1]) * 100, to: Number(match[1]) * 100 + 99 };
    else if ((match = /^(\d{3})\s*-\s*(\d{3})$/.exec(text)))
        range = { from: Number(match[1]), to: Number(match[2]) };
    else if (/^\d{3}$/.test(text))
        range = { from: Number(text), to: Number(text) };
    if (!range)
        return { problem: `status "${text}" is not a code, a class such as 2xx or a range such as 200-299` };
    if (range.from < 100 || range.to > 599 || range.from > range.to) {
        return { problem: `status "${text}" is outside 100-599 or its range is reversed` };
    }
    return range;
}
function statusAccepted(status, ranges) {
    return ranges.some((range) => status >= range.from && status <= range.to);
}
function describeStatus(ranges) {
    return ranges
        .map((r) => r.from === r.to
        ? String(r.from)
        : r.from % 100 === 0 && r.to === r.from + 99
            ? `${r.from / 100}xx`
            : `${r.from}-${r.to}`)
        .join(', ');
}

;// CONCATENATED MODULE: ./packages/probe/src/check-spec.ts


const CHECK_KEYS = ['name', 'url', 'method', 'headers', 'body', 'expect', 'verify-version'];
const EXPECT_KEYS = ['status', 'body-contains', 'body-matches', 'json', 'headers', 'max-latency-ms'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const MAX_LATENCY_LIMIT_MS = 600_000;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Header names whose literal values are credentials, masked like values read from the environment. */
const SENSITIVE_HEADER = /authorization|cookie|token|secret|password|api[-_]?key|signature|credential|session/i;
function check_spec_validateChecks(value, options) {
    const problems = [];
    const checks = [];
    if (!Array.isArray(value)) {
        problems.push({
            problem: `it must be a YAML list of checks, but it is ${describeType(value)}`,
            fix: 'Write one "- name: ... url: ..." entry per check',
        });
        return { checks, problems };
    }
    if (value.length === 0) {
        problems.push({ problem: 'the list of checks is empty', fix: 'Give at least one check' });
    }
    const maxChecks = options.maxChecks ?? 1000;
    if (value.length > maxChecks) {
        problems.push({
            problem: `${value.length} checks are more than the limit of ${maxChecks}`,
            fix: 'Split them over several steps',
        });
    }
    const names = new Map();
    value.forEach((entry, index) => {
        const check = validateCheck(entry, index, options, problems);
        if (!check)
            return;
        const earlier = names.get(check.name);
        if (earlier !== undefined) {
            problems.push({
                problem: `${label(index, check.name)}: the name is already used by check ${earlier + 1}`,
                fix: 'Give each check its own name',
            });
            return;
        }
        names.set(check.name, index);
        checks.push(check);
    });
    return { checks: problems.length > 0 ? [] : checks, problems };
}
function validateCheck(entry, index, options, problems) {
    // A bare URL is shorthand for a check with only that URL.
    const spec = typeof entry === 'string' ? { url: entry } : asRecord(entry);
    if (!spec) {
        problems.push({
            problem: `check ${index + 1} must be a mapping with at least "url", but it is ${describeType(entry)}`,
            fix: 'Write each check as "- name: ...\\n  url: ..."',
        });
        return undefined;
    }
    const givenName = typeof spec.name === 'string' ? spec.name.trim() : undefined;
    const where = label(index, givenName);
    const before = problems.length;
    const fail = (problem, fix) => void problems.push({ problem: `${where}: ${problem}`, fix });
    rejectUnknownKeys(spec, CHECK_KEYS, '', fail);
    if (spec.name !== undefined && (typeof spec.name !== 'string' || givenName === '' || /[\r\n]/.test(spec.name))) {
        fail('"name" must be a non-empty single-line string', 'Give the check a short name such as "api health"');
    }
    const url = validateUrl(spec.url, options.baseUrl, fail);
    let method = 'GET';
    if (spec.method !== undefined) {
        const upper = typeof spec.method === 'string' ? spec.method.trim().toUpperCase() : '';
        if (METHODS.includes(upper))
            method = upper;
        else
            fail(`"method" ${JSON.stringify(spec.method)} is not supported`, `Use one of ${METHODS.join(', ')}`);
    }
    const secrets = [];
    const headers = validateHeaders(spec.headers, options.env, secrets, fail);
    if (url && (url.username || url.password)) {
        // Credentials in the URL become a Basic Authorization header, so the URL itself can be shown.
        const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
        headers.push({
            name: 'Authorization',
            value: `Basic ${Buffer.from(credentials).toString('base64')}`,
            secret: true,
        });
        if (url.password)
            secrets.push(decodeURIComponent(url.password));
        url.username = '';
        url.password = '';
    }
    let body;
    if (spec.body !== undefined) {
        if (method === 'GET' || method === 'HEAD') {
            fail(`a ${method} request carries no body`, 'Use method: POST (or PUT, PATCH) or remove "body"');
        }
        else {
            body = validateBody(spec.body, options.env, headers, secrets, fail);
        }
    }
    const expect = validateExpectations(spec.expect, fail);
    let verifyVersion = true;
    if (spec['verify-version'] !== undefined) {
        if (typeof spec['verify-version'] === 'boolean')
            verifyVersion = spec['verify-version'];
        else
            fail('"verify-version" must be true or false', 'Write verify-version: false to skip the version check here');
    }
    if (problems.length > before || !url || !expect)
        return undefined;
    // A credential in the query (api_key=..., X-Amz-Signature=...) is masked and not shown in the report.
    const shown = new URL(url);
    for (const [key, value] of url.searchParams) {
        if (value.length > 0 && SENSITIVE_HEADER.test(key)) {
            secrets.push(value);
            shown.searchParams.set(key, '***');
        }
    }
    const displayUrl = shown.toString();
    return {
        name: givenName ?? `${method} ${displayUrl}`,
        url,
        displayUrl,
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        expect,
        verifyVersion,
        secrets: [...headers.filter((h) => h.secret).map((h) => h.value), ...secrets],
    };
}
/**
 * A path is appended to the base URL's own path (`https://host/shop` + `/health` = `https://host/shop/health`), as
 * people expect from a base URL; an absolute URL stands on its own.
 */
function resolveAgainst(baseUrl, text) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(text))
        return new URL(text);
    const base = new URL(baseUrl.href);
    base.search = '';
    base.hash = '';
    const [path = '', query] = text.split(/\?(.*)/s, 2);
    const joined = new URL(`${base.href.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
    if (query !== undefined)
        joined.search = query;
    return joined;
}
function validateUrl(value, baseUrl, fail) {
    if (value === undefined || value === null || value === '') {
        fail('"url" is missing', 'Give the URL to request, such as https://app.example.com/health');
        return undefined;
    }
    if (typeof value !== 'string') {
        fail(`"url" must be a string, not ${describeType(value)}`, 'Give the URL to request, such as https://app.example.com/health');
        return undefined;
    }
    const text = value.trim();
    let url;
    try {
        url = baseUrl ? resolveAgainst(baseUrl, text) : new URL(text);
    }
    catch {
        fail(`"url" ${JSON.stringify(shorten(text))} is not a valid URL`, baseUrl
            ? 'Give an absolute URL or a path such as /health'
            : 'Give an absolute URL such as https://app.example.com/health, or set base-url for paths');
        return undefined;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        fail(`"url" ${JSON.stringify(shorten(text))} uses ${url.protocol} but only http: and https: are supported`, 'Use an http:// or https:// URL');
        return undefined;
    }
    if (!url.hostname) {
        fail(`"url" ${JSON.stringify(shorten(text))} has no host`, 'Give a URL such as https://app.example.com/health');
        return undefined;
    }
    return url;
}
function validateHeaders(value, env, secrets, fail) {
    const headers = [];
    if (value === undefined)
        return headers;
    const map = asRecord(value);
    if (!map) {
        fail(`"headers" must be a mapping of header name to value, not ${describeType(value)}`, 'Write headers: { X-Name: value }');
        return headers;
    }
    for (const [name, raw] of Object.entries(map)) {
        if (!HEADER_NAME.test(name)) {
            fail(`header name ${JSON.stringify(name)} is not a valid HTTP header name`, 'Use letters, digits and hyphens');
            continue;
        }
        const resolved = resolveValue(raw, env, `header "${name}"`, fail);
        if (resolved === undefined)
            continue;
        if (/[\r\n\0]/.test(resolved.value)) {
            fail(`header "${name}" has a line break or NUL in its value`, 'Give a single-line value');
            continue;
        }
        headers.push({ name, value: resolved.value, secret: resolved.fromEnv || SENSITIVE_HEADER.test(name) });
        if (resolved.raw !== undefined)
            secrets.push(resolved.raw);
        // "Bearer <token>": the token alone must be masked too, wherever it shows up without its scheme.
        const credential = /^[A-Za-z-]+\s+(\S{4,})$/.exec(resolved.value);
        if (credential && (resolved.fromEnv || SENSITIVE_HEADER.test(name)))
            secrets.push(credential[1]);
    }
    return headers;
}
/**
 * A value written literally (string, number, boolean) or read from the environment with `{ env: NAME }`,
 * optionally with a `prefix` such as "Bearer ". Values from the environment are secrets.
 */
function resolveValue(raw, env, what, fail) {
    if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean')
        return { value: String(raw), fromEnv: false };
    const ref = asRecord(raw);
    if (!ref || typeof ref.env !== 'string') {
        fail(`${what} must be a string or { env: NAME }, not ${describeType(raw)}`, "Write the value, or { env: NAME } to read it from the step's env");
        return undefined;
    }
    const unknown = Object.keys(ref).filter((key) => key !== 'env' && key !== 'prefix');
    if (unknown.length > 0) {
        fail(`${what} has unknown key "${unknown[0]}"`, 'Use only env and prefix');
        return undefined;
    }
    if (!ENV_NAME.test(ref.env)) {
        fail(`${what}: ${JSON.stringify(ref.env)} is not an environment variable name`, 'Use a name such as API_TOKEN');
        return undefined;
    }
    if (ref.prefix !== undefined && typeof ref.prefix !== 'string') {
        fail(`${what}: "prefix" must be a string`, 'Write prefix: "Bearer "');
        return undefined;
    }
    const value = env[ref.env];
    if (value === undefined || value === '') {
        fail(`${what} reads environment variable ${ref.env}, which is not set`, `Set ${ref.env} in the step's env: block`);
        return undefined;
    }
    return { value: `${ref.prefix ?? ''}${value}`, fromEnv: true, raw: value };
}
function validateBody(value, env, headers, secrets, fail) {
    const ref = asRecord(value);
    if (typeof value === 'string')
        return value;
    if (ref && typeof ref.env === 'string' && Object.keys(ref).every((key) => key === 'env' || key === 'prefix')) {
        const resolved = resolveValue(value, env, '"body"', fail);
        if (resolved)
            secrets.push(resolved.value);
        return resolved?.value;
    }
    if (ref || Array.isArray(value)) {
        if (!headers.some((h) => h.name.toLowerCase() === 'content-type')) {
            headers.push({ name: 'Content-Type', value: 'application/json', secret: false });
        }
        return JSON.stringify(value);
    }
    fail(`"body" must be a string, a mapping or list (sent as JSON) or { env: NAME }, not ${describeType(value)}`, 'Correct "body"');
    return undefined;
}
function validateExpectations(value, fail) {
    const expect = { status: DEFAULT_STATUS, bodyContains: [], bodyMatches: [], json: [], headers: [] };
    if (value === undefined || value === null)
        return expect;
    const spec = asRecord(value);
    if (!spec) {
        fail(`"expect" must be a mapping, not ${describeType(value)}`, `Use keys among ${EXPECT_KEYS.join(', ')}`);
        return undefined;
    }
    let ok = rejectUnknownKeys(spec, EXPECT_KEYS, 'expect.', fail);
    const bad = (problem, fix) => {
        ok = false;
        fail(problem, fix);
    };
    if (spec.status !== undefined) {
        const ranges = [];
        for (const item of Array.isArray(spec.status) ? spec.status : [spec.status]) {
            const parsed = parseStatus(item);
            if ('problem' in parsed)
                bad(`expect.${parsed.problem}`, 'Use codes such as 200, classes such as 2xx or ranges such as 200-204');
            else
                ranges.push(parsed);
        }
        if (Array.isArray(spec.status) && spec.status.length === 0)
            bad('expect.status is an empty list', 'Give at least one status');
        expect.status = ranges;
    }
    for (const [key, target] of [
        ['body-contains', expect.bodyContains],
        ['body-matches', undefined],
    ]) {
        const raw = spec[key];
        if (raw === undefined)
            continue;
        const items = Array.isArray(raw) ? raw : [raw];
        for (const item of items) {
            if (typeof item !== 'string' || item === '') {
                bad(`expect.${key} must be a non-empty string or a list of them`, `Correct expect.${key}`);
            }
            else if (target) {
                target.push(item);
            }
            else {
                try {
                    expect.bodyMatches.push({ pattern: new RegExp(item), source: item });
                }
                catch (error) {
                    bad(`expect.body-matches ${JSON.stringify(item)} is not a valid regular expression (${error.message})`, 'Correct the pattern');
                }
            }
        }
    }
    if (spec.json !== undefined) {
        const map = asRecord(spec.json);
        if (!map)
            bad(`expect.json must be a mapping of JSON path to expected value, not ${describeType(spec.json)}`, 'Write json: { status: ok, build.sha: abc }');
        for (const [path, expected] of Object.entries(map ?? {})) {
            const parsed = parseJsonPath(path);
            if ('problem' in parsed)
                bad(`expect.json: ${parsed.problem}`, 'Write paths such as status, build.sha or items[0].id');
            else
                expect.json.push({ path, expected });
        }
    }
    if (spec.headers !== undefined) {
        const map = asRecord(spec.headers);
        if (!map)
            bad(`expect.headers must be a mapping of header name to value, not ${describeType(spec.headers)}`, 'Write headers: { Content-Type: application/json }');
        for (const [name, raw] of Object.entries(map ?? {})) {
            const expectation = headerExpectation(raw);
            if (!HEADER_NAME.test(name))
                bad(`expect.headers: ${JSON.stringify(name)} is not a valid header name`, 'Use letters, digits and hyphens');
            else if (typeof expectation === 'string')
                bad(`expect.headers "${name}": ${expectation}`, 'Write the exact value, or { matches: <regex> }');
            else
                expect.headers.push({ name, expectation });
        }
    }
    const latency = spec['max-latency-ms'];
    if (latency !== undefined) {
        if (typeof latency !== 'number' || !Number.isInteger(latency) || latency < 1 || latency > MAX_LATENCY_LIMIT_MS) {
            bad(`expect.max-latency-ms ${JSON.stringify(latency)} is not a whole number between 1 and ${MAX_LATENCY_LIMIT_MS}`, 'Give the limit in milliseconds, such as 500');
        }
        else {
            expect.maxLatencyMs = latency;
        }
    }
    return ok ? expect : undefined;
}
function headerExpectation(raw) {
    if (typeof raw === 'string' || typeof raw === 'number')
        return { equals: String(raw) };
    const spec = asRecord(raw);
    if (spec && Object.keys(spec).length === 1 && typeof spec.matches === 'string') {
        try {
            return { matches: new RegExp(spec.matches), source: spec.matches };
        }
        catch (error) {
            return `${JSON.stringify(spec.matches)} is not a valid regular expression (${error.message})`;
        }
    }
    return `must be a string or { matches: <regex> }, not ${describeType(raw)}`;
}
function rejectUnknownKeys(spec, allowed, prefix, fail) {
    let ok = true;
    for (const key of Object.keys(spec)) {
        if (allowed.includes(key))
            continue;
        ok = false;
        const hint = allowed.find((candidate) => near(candidate, key));
        fail(`unknown key "${prefix}${key}"${hint ? ` (did you mean "${prefix}${hint}"?)` : ''}`, `Use only ${allowed.map((k) => prefix + k).join(', ')}${prefix === '' ? ' (expectations go under expect:)' : ''}`);
    }
    return ok;
}
/** Close enough to be a typo: at most two edits apart (a swap of neighbours counts as one), ignoring case. */
function near(a, b) {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    if (Math.abs(x.length - y.length) > 2)
        return false;
    // Optimal string alignment distance.
    const d = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= x.length; i++) {
        for (let j = 1; j <= y.length; j++) {
            const cost = x[i - 1] === y[j - 1] ? 0 : 1;
            let best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
                best = Math.min(best, d[i - 2][j - 2] + 1);
            d[i][j] = best;
        }
    }
    return d[x.length][y.length] <= Math.min(2, Math.floor(Math.min(x.length, y.length) / 3));
}
function label(index, name) {
    return name ? `check ${index + 1} ("${shorten(name)}")` : `check ${index + 1}`;
}
function asRecord(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value)
        ? value
        : undefined;
}
function describeType(value) {
    if (value === null || value === undefined)
        return 'empty';
    if (Array.isArray(value))
        return 'a list';
    if (typeof value === 'object')
        return 'a mapping';
    return `the ${typeof value} ${JSON.stringify(shorten(String(value)))}`;
}
function shorten(text, limit = 60) {
    return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

;// CONCATENATED MODULE: ./packages/probe/src/parse-checks.ts


/** Reads checks written as YAML (inline or from a file) and validates them strictly. */
function parseChecks(text, options) {
    let value;
    try {
        // Duplicate keys are an error: a check that says `url:` twice is a mistake, not a choice.
        value = parse(text, { uniqueKeys: true, prettyErrors: true });
    }
    catch (error) {
        const message = error instanceof YAMLParseError ? error.message.split('\n')[0] : String(error);
        return {
            checks: [],
            problems: [
                {
                    problem: `it is not valid YAML (${message})`,
                    fix: 'Correct the YAML: a list of "- name: ... url: ..." entries',
                },
            ],
        };
    }
    return validateChecks(value, options);
}

;// CONCATENATED MODULE: ./packages/probe/src/version.ts
/**
 * Version verification: after a deploy, an old task may still answer with a healthy 200. A check passes only when
 * the response shows the expected version, so the old one cannot pass.
 */
const HEX = /^[0-9a-f]+$/i;
/** Git abbreviates commits to at least 7 hex digits; shorter prefixes would match by chance. */
const MIN_SHA_PREFIX = 7;
/**
 * Whether a version seen in a response is the expected one. Exact match, or for commit ids (hex) a match of
 * the shorter against the start of the longer when it has at least 7 digits, since apps often report `abc1234`
 * while the pipeline knows the full SHA.
 */
function versionsMatch(seen, expected) {
    const a = seen.trim();
    const b = expected.trim();
    if (a === b)
        return true;
    if (!HEX.test(a) || !HEX.test(b))
        return false;
    const [short, long] = a.length <= b.length ? [a, b] : [b, a];
    return short.length >= MIN_SHA_PREFIX && long.toLowerCase().startsWith(short.toLowerCase());
}
/**
 * Looks for the expected version in a body: the exact text, or, for a commit id, any hex word of at least
 * 7 digits that matches it as above. Returns the text found, if any.
 */
function findVersionInBody(body, expected) {
    const wanted = expected.trim();
    if (wanted !== '' && body.includes(wanted))
        return wanted;
    if (!HEX.test(wanted) || wanted.length < MIN_SHA_PREFIX)
        return undefined;
    for (const match of body.matchAll(/\b[0-9a-f]{7,64}\b/gi)) {
        if (versionsMatch(match[0], wanted))
            return match[0];
    }
    return undefined;
}

;// CONCATENATED MODULE: ./packages/probe/src/evaluate.ts



/**
 * `scrub` removes secrets from response text before it is quoted (and cut short) in a message: a service that
 * echoes a credential must not leak it, not even a prefix of it.
 */
function evaluateResponse(response, check, version, scrub = (text) => text) {
    const failures = [];
    const show = (value) => showValue(value, 80, scrub);
    const { expect } = check;
    if (!statusAccepted(response.status, expect.status)) {
        failures.push(`status ${response.status}, expected ${describeStatus(expect.status)}${bodyHint(response, scrub)}`);
    }
    if (expect.maxLatencyMs !== undefined && response.latencyMs > expect.maxLatencyMs) {
        failures.push(`took ${Math.round(response.latencyMs)} ms, over max-latency-ms ${expect.maxLatencyMs}`);
    }
    for (const text of expect.bodyContains) {
        if (!response.body.includes(text))
            failures.push(`body does not contain ${JSON.stringify(text)}`);
    }
    for (const { pattern, source } of expect.bodyMatches) {
        if (!pattern.test(response.body))
            failures.push(`body does not match /${source}/`);
    }
    const json = lazyJson(response.body, scrub);
    for (const { path, expected } of expect.json) {
        const parsed = json();
        if (!parsed.ok) {
            failures.push(`body is not JSON (${parsed.why}), so JSON path ${path} cannot be checked`);
            break;
        }
        const found = lookup(parsed.value, path);
        if (!found.found)
            failures.push(`JSON path ${path} not found in the body`);
        else if (!jsonEqual(found.value, expected)) {
            failures.push(`JSON ${path} is ${show(found.value)}, expected ${show(expected)}`);
        }
    }
    for (const { name, expectation } of expect.headers) {
        const actual = headerValue(response.headers, name);
        if (actual === undefined)
            failures.push(`response header ${name} is missing`);
        else if ('equals' in expectation && actual !== expectation.equals) {
            failures.push(`response header ${name} is ${show(actual)}, expected ${show(expectation.equals)}`);
        }
        else if ('matches' in expectation && !expectation.matches.test(actual)) {
            failures.push(`response header ${name} is ${show(actual)}, which does not match /${expectation.source}/`);
        }
    }
    const verdict = { failures };
    if (version.expected === undefined || !check.verifyVersion) {
        // Nothing is required, but a header or JSON field that shows the version is still worth reporting.
        if (version.source.kind !== 'body') {
            const seen = versionOf(response, version.source, json, '');
            if (seen.value !== undefined)
                verdict.versionSeen = seen.value;
        }
    }
    else {
        const seen = versionOf(response, version.source, json, version.expected);
        if (seen.value !== undefined)
            verdict.versionSeen = seen.value;
        if (seen.problem)
            failures.push(seen.problem);
        else if (seen.value !== undefined && !versionsMatch(seen.value, version.expected)) {
            failures.push(`version ${show(seen.value)} (${seen.where}) is not the expected ${show(version.expected)}: ` +
                'an older or other version is answering');
        }
    }
    return verdict;
}
function versionOf(response, source, json, expected) {
    switch (source.kind) {
        case 'header': {
            const value = headerValue(response.headers, source.name);
            return value === undefined
                ? { problem: `the response has no ${source.name} header to show its version (version-header)` }
                : { value, where: `header ${source.name}` };
        }
        case 'json': {
            const parsed = json();
            if (!parsed.ok)
                return { problem: `body is not JSON (${parsed.why}), so version-json-path ${source.path} cannot be read` };
            const found = lookup(parsed.value, source.path);
            if (!found.found)
                return { problem: `the body has no ${source.path} to show its version (version-json-path)` };
            if (found.value === null || typeof found.value === 'object') {
                return {
                    problem: `JSON ${source.path} is ${showValue(found.value)}, not a version string (version-json-path)`,
                };
            }
            return { value: String(found.value), where: `JSON ${source.path}` };
        }
        case 'body': {
            const found = findVersionInBody(response.body, expected);
            return found === undefined
                ? { problem: `the body does not show the expected version ${showValue(expected)}` }
                : { value: found, where: 'body' };
        }
    }
}
/** The start of an error body, which often says why (`no healthy upstream`, `502 Bad Gateway`). */
function bodyHint(response, scrub) {
    const type = headerValue(response.headers, 'content-type') ?? '';
    if (type !== '' && !/text|json|xml|html/i.test(type))
        return '';
    const text = scrub(response.body
        .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim());
    if (text === '')
        return '';
    return ` (body: ${text.length > 80 ? `${text.slice(0, 79)}…` : text})`;
}
function headerValue(headers, name) {
    const value = headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
}
function lazyJson(body, scrub) {
    let result;
    return () => {
        if (!result) {
            try {
                result = { ok: true, value: JSON.parse(body) };
            }
            catch {
                const start = scrub(body.trim()).slice(0, 40);
                result = { ok: false, why: start === '' ? 'it is empty' : `it starts with ${JSON.stringify(start)}` };
            }
        }
        return result;
    };
}
function lookup(value, path) {
    const parsed = parseJsonPath(path);
    return 'problem' in parsed ? { found: false } : readJsonPath(value, parsed.steps);
}

;// CONCATENATED MODULE: ./packages/probe/src/network-errors.ts
/**
 * Network failures in plain words. Node reports them as codes (ECONNREFUSED, ENOTFOUND, SELF_SIGNED_CERT_IN_CHAIN);
 * the person reading a failed deploy needs to know what happened and, for TLS, what to do about it.
 */
const UNTRUSTED_CA = new Set([
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);
function describeNetworkError(error, url) {
    const err = error;
    const code = err?.code ?? '';
    const host = url.hostname;
    const where = `${host}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
    if (UNTRUSTED_CA.has(code)) {
        return (`TLS certificate of ${host} is not trusted (${code}): it is signed by an unknown certificate authority; ` +
            'if the service uses a private CA, give its certificate file in NODE_EXTRA_CA_CERTS');
    }
    switch (code) {
        case 'ECONNREFUSED':
            return `connection refused by ${where} (nothing is listening there)`;
        case 'ENOTFOUND':
            return `DNS lookup failed: host ${host} not found`;
        case 'EAI_AGAIN':
            return `DNS lookup of ${host} failed temporarily (EAI_AGAIN)`;
        case 'ECONNRESET':
            return `connection reset by ${where} before a complete response`;
        case 'EPIPE':
            return `connection to ${where} closed while sending the request`;
        case 'ETIMEDOUT':
            return `connection to ${where} timed out`;
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
            return `${where} is unreachable from this runner (${code})`;
        case 'CERT_HAS_EXPIRED':
            return `TLS certificate of ${host} has expired`;
        case 'CERT_NOT_YET_VALID':
            return `TLS certificate of ${host} is not valid yet`;
        case 'ERR_TLS_CERT_ALTNAME_INVALID':
            return `TLS certificate does not cover the host name ${host}${err?.reason ? ` (${err.reason})` : ''}`;
        case 'EPROTO':
        case 'ERR_SSL_WRONG_VERSION_NUMBER':
            return `TLS handshake with ${where} failed (does it speak plain HTTP? then use an http:// URL)`;
        case 'HPE_INVALID_CONSTANT':
        case 'HPE_INVALID_VERSION':
        case 'HPE_INVALID_STATUS':
            return `${where} did not answer with HTTP (does it expect TLS? then use an https:// URL)`;
        default: {
            const message = err?.message ?? String(error);
            return `request to ${where} failed: ${message}${code && !message.includes(code) ? ` (${code})` : ''}`;
        }
    }
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
;// CONCATENATED MODULE: ./packages/probe/src/http.ts




/**
 * One HTTP exchange with node:http(s): redirects followed up to a limit (with loop detection), TLS verified
 * against Node's trust store (which includes NODE_EXTRA_CA_CERTS), one deadline for the whole exchange, and
 * network errors turned into plain words.
 */
/** Bodies are kept up to this size for the checks; the rest is read and dropped so the connection can be reused. */
const MAX_BODY_BYTES = 1024 * 1024;
/** A request that got no usable answer; the message is plain words (connection refused, DNS, TLS, timeout, loop). */
class NetworkError extends Error {
    constructor(message) {
        super(message);
        this.name = 'NetworkError';
    }
}
/** Keep-alive agents shared by every request of a run, sized to the concurrency. */
function createAgents(maxSockets) {
    const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets };
    const agents = { http: new (external_node_http_default()).Agent(options), https: new (external_node_https_default()).Agent(options) };
    return { ...agents, destroy: () => (agents.http.destroy(), agents.https.destroy()) };
}
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
async function send(url, options) {
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const timer = setTimeout(() => controller.abort(new TimeoutAbort()), options.timeoutMs);
    try {
        return await follow(url, options, controller.signal);
    }
    catch (error) {
        if (options.signal?.aborted)
            throw options.signal.reason;
        if (controller.signal.reason instanceof TimeoutAbort) {
            throw new NetworkError(`no complete response from ${hostPort(url)} within ${formatSeconds(options.timeoutMs)} (request-timeout-seconds)`);
        }
        if (error instanceof NetworkError)
            throw error;
        throw new NetworkError(describeNetworkError(error, url));
    }
    finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onOuterAbort);
    }
}
class TimeoutAbort extends Error {
}
async function follow(start, options, signal) {
    const chain = [start];
    let url = start;
    let method = options.method;
    let body = options.body;
    let headers = options.headers;
    for (;;) {
        const response = await exchange(url, method, headers, body, options, signal);
        const location = response.headers.location;
        if (!REDIRECT_STATUSES.has(response.status) || !location)
            return { ...response, url, chain };
        let next;
        try {
            next = new URL(location, url);
        }
        catch {
            throw new NetworkError(`${url} redirected to an invalid location ${JSON.stringify(location)}`);
        }
        if (chain.some((seen) => seen.href === next.href)) {
            throw new NetworkError(`redirect loop: ${[...chain, next].map((u) => u.href).join(' → ')}`);
        }
        if (chain.length > options.maxRedirects) {
            throw new NetworkError(`more than ${options.maxRedirects} redirects (max-redirects): ${[...chain, next].map((u) => u.href).join(' → ')}`);
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
            throw new NetworkError(`${url} redirected to ${next.protocol} URL, which cannot be followed`);
        }
        // Browsers' rules: 303 (and 301/302 after a POST) continue as GET without the body.
        if ((response.status === 303 && method !== 'HEAD') ||
            ((response.status === 301 || response.status === 302) && method === 'POST')) {
            method = 'GET';
            body = undefined;
        }
        // Headers the user set (credentials among them) never travel to another origin.
        if (next.origin !== url.origin)
            headers = [];
        chain.push(next);
        url = next;
    }
}
function exchange(url, method, headers, body, options, signal) {
    return new Promise((resolve, reject) => {
        const outgoing = {
            'user-agent': options.userAgent ?? 'ecs-ship-smoke-test',
            accept: '*/*',
            'accept-encoding': 'gzip, deflate, br',
        };
        for (const header of headers)
            outgoing[header.name.toLowerCase()] = header.value;
        if (body !== undefined)
            outgoing['content-length'] = String(Buffer.byteLength(body));
        const isHttps = url.protocol === 'https:';
        const request = (isHttps ? (external_node_https_default()) : (external_node_http_default())).request(url, {
            method,
            headers: outgoing,
            agent: isHttps ? options.agents.https : options.agents.http,
            signal,
        });
        request.on('error', reject);
        request.on('response', (response) => {
            const chunks = [];
            let kept = 0;
            const stream = decoder(response.headers['content-encoding'], response);
            stream.on('data', (chunk) => {
                if (kept >= MAX_BODY_BYTES)
                    return;
                chunks.push(chunk);
                kept += chunk.length;
            });
            stream.on('error', (error) => reject(error));
            if (stream !== response)
                response.on('error', reject);
            response.on('aborted', () => reject(new Error('response aborted')));
            stream.on('end', () => resolve({
                status: response.statusCode ?? 0,
                headers: response.headers,
                body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8'),
            }));
        });
        request.end(body);
    });
}
function decoder(encoding, response) {
    switch (encoding?.trim().toLowerCase()) {
        case 'gzip':
        case 'x-gzip':
            return response.pipe(external_node_zlib_default().createGunzip());
        case 'deflate':
            return response.pipe(external_node_zlib_default().createInflate());
        case 'br':
            return response.pipe(external_node_zlib_default().createBrotliDecompress());
        default:
            return response;
    }
}
function hostPort(url) {
    return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}
function formatSeconds(ms) {
    return `${Number((ms / 1000).toFixed(3))} s`;
}

;// CONCATENATED MODULE: ./packages/probe/src/limiter.ts

/** At most `size` tasks at a time, served in arrival order; waiting stops when the signal aborts. */
class Limiter {
    size;
    active = 0;
    waiting = [];
    constructor(size) {
        this.size = size;
    }
    async run(task, signal) {
        await this.acquire(signal);
        try {
            return await task();
        }
        finally {
            this.release();
        }
    }
    acquire(signal) {
        if (signal?.aborted)
            return Promise.reject((0,src/* abortReason */.Js)(signal));
        if (this.active < this.size) {
            this.active++;
            return Promise.resolve();
        }
        return new Promise((resolve, reject) => {
            const grant = () => {
                signal?.removeEventListener('abort', onAbort);
                this.active++;
                resolve();
            };
            const onAbort = () => {
                const index = this.waiting.indexOf(grant);
                if (index !== -1)
                    this.waiting.splice(index, 1);
                reject((0,src/* abortReason */.Js)(signal));
            };
            signal?.addEventListener('abort', onAbort, { once: true });
            this.waiting.push(grant);
        });
    }
    release() {
        this.active--;
        this.waiting.shift()?.();
    }
}

// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __webpack_require__(8474);
// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __webpack_require__(643);
;// CONCATENATED MODULE: ./packages/probe/src/stats.ts
/** Nearest-rank percentile of sorted values (p in 0..100). */
function percentile(sorted, p) {
    if (sorted.length === 0)
        return 0;
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
function latencyStats(values) {
    if (values.length === 0)
        return undefined;
    const sorted = [...values].sort((a, b) => a - b);
    return {
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        max: round(sorted[sorted.length - 1]),
        count: sorted.length,
    };
}
function round(ms) {
    return Math.round(ms * 10) / 10;
}

;// CONCATENATED MODULE: ./packages/probe/src/engine.ts






const DEFAULT_INITIAL_BACKOFF_MS = 500;
const DEFAULT_MAX_BACKOFF_MS = 5_000;
const DEFAULT_STREAK_INTERVAL_MS = 250;
async function runChecks(checks, settings, context) {
    const started = context.clock.now();
    const agents = createAgents(settings.concurrency);
    const limiter = new Limiter(settings.concurrency);
    // Every waiting request and sleep listens for cancellation: one inner signal, without the listener limit,
    // follows the caller's, so that hundreds of checks do not trip Node's leak warning on the caller's signal.
    const inner = new AbortController();
    (0,external_node_events_.setMaxListeners)(0, inner.signal);
    const outer = context.signal;
    const onAbort = () => inner.abort(outer?.reason);
    if (outer?.aborted)
        onAbort();
    else
        outer?.addEventListener('abort', onAbort, { once: true });
    const runContext = { ...context, signal: inner.signal };
    try {
        const results = await Promise.all(checks.map((check) => new CheckRun(check, settings, runContext, agents, limiter).run()));
        const versionsSeen = [...new Set(results.flatMap((r) => (r.versionSeen !== undefined ? [r.versionSeen] : [])))];
        return {
            result: results.every((r) => r.result === 'passed') ? 'passed' : 'failed',
            ...(settings.expectVersion !== undefined ? { expectedVersion: settings.expectVersion } : {}),
            versionsSeen,
            durationMs: context.clock.now() - started,
            checks: results,
        };
    }
    finally {
        outer?.removeEventListener('abort', onAbort);
        agents.destroy();
    }
}
class CheckRun {
    check;
    settings;
    context;
    agents;
    limiter;
    statusCodes = {};
    /** Failures seen before the check became healthy: shown even when it passed, so that retries hide nothing. */
    warmupFailures = new Map();
    version;
    versionSeen;
    constructor(check, settings, context, agents, limiter) {
        this.check = check;
        this.settings = settings;
        this.context = context;
        this.agents = agents;
        this.limiter = limiter;
        this.version = { expected: settings.expectVersion, source: settings.versionSource };
    }
    async run() {
        const { clock, logger } = this.context;
        const started = clock.now();
        const deadline = started + this.settings.waitForHealthyMs;
        let backoff = this.settings.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS;
        let attempts = 0;
        let streak = 0;
        let lastFailure;
        // A healthy check's latency is that of its passing answers; a failed one shows every answer it got.
        const passingLatencies = [];
        const answeredLatencies = [];
        for (;;) {
            const exchange = await this.request();
            attempts++;
            logger.debug(`${this.check.name}: attempt ${attempts}: ${exchange.status ?? 'no response'} in ${Math.round(exchange.latencyMs)} ms` +
                (exchange.failures.length > 0 ? `: ${exchange.failures.join('; ')}` : ''));
            if (exchange.status !== undefined)
                answeredLatencies.push(exchange.latencyMs);
            if (exchange.failures.length === 0) {
                passingLatencies.push(exchange.latencyMs);
                streak++;
                if (streak >= this.settings.consecutiveSuccesses)
                    break;
                await clock.sleep(this.settings.streakIntervalMs ?? DEFAULT_STREAK_INTERVAL_MS, this.context.signal);
                continue;
            }
            streak = 0;
            const failure = exchange.failures.join('; ');
            this.warmupFailures.set(failure, (this.warmupFailures.get(failure) ?? 0) + 1);
            const remaining = deadline - clock.now();
            if (remaining <= 0) {
                const waited = this.settings.waitForHealthyMs;
                const failureText = waited > 0
                    ? `not healthy within wait-for-healthy-seconds (${engine_seconds(waited)}, ${attempts} attempts); last failure: ${failure}`
                    : attempts > 1
                        ? `failed on attempt ${attempts}: ${failure}`
                        : failure;
                return this.finish('failed', started, attempts, answeredLatencies, failureText);
            }
            if (failure !== lastFailure) {
                logger.info(`${this.check.name}: ${failure}; retrying for up to ${engine_seconds(remaining)}`);
                lastFailure = failure;
            }
            // A service that says when to come back (Retry-After on 429/503) is believed, within the warm-up window.
            await clock.sleep(Math.min(Math.max(backoff, exchange.retryAfterMs ?? 0), remaining), this.context.signal);
            backoff = Math.min(backoff * 2, this.settings.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
        }
        if (this.settings.samples <= 1)
            return this.finish('passed', started, attempts, passingLatencies);
        const latencies = [];
        const failures = [];
        for (let i = 0; i < this.settings.samples; i++) {
            const exchange = await this.request();
            if (exchange.status !== undefined)
                latencies.push(exchange.latencyMs);
            if (exchange.failures.length > 0)
                failures.push(exchange.failures.join('; '));
        }
        const errorRate = failures.length / this.settings.samples;
        const samples = {
            count: this.settings.samples,
            failed: failures.length,
            errorRate,
        };
        if (errorRate > this.settings.maxErrorRate) {
            const failureText = `${failures.length} of ${this.settings.samples} sampled requests failed (${percent(errorRate)}, ` +
                `max-error-rate ${percent(this.settings.maxErrorRate)}); most common: ${mostCommon(failures)}`;
            return this.finish('failed', started, attempts, latencies, failureText, samples);
        }
        return this.finish('passed', started, attempts, latencies, undefined, samples);
    }
    /** One request through the concurrency limit, judged against the check. Never throws except on cancellation. */
    async request() {
        const { clock } = this.context;
        return this.limiter.run(async () => {
            const began = external_node_perf_hooks_.performance.now();
            try {
                const response = await send(this.check.url, {
                    method: this.check.method,
                    headers: this.check.headers,
                    ...(this.check.body !== undefined ? { body: this.check.body } : {}),
                    timeoutMs: this.settings.requestTimeoutMs,
                    maxRedirects: this.settings.maxRedirects,
                    agents: this.agents,
                    ...(this.context.signal ? { signal: this.context.signal } : {}),
                    ...(this.settings.userAgent ? { userAgent: this.settings.userAgent } : {}),
                });
                const latencyMs = external_node_perf_hooks_.performance.now() - began;
                this.count(String(response.status));
                const verdict = evaluateResponse({ ...response, latencyMs }, this.check, this.version, (text) => this.scrub(text));
                if (verdict.versionSeen !== undefined)
                    this.versionSeen = verdict.versionSeen;
                const retryAfterMs = response.status === 429 || response.status === 503 ? retryAfter(response.headers, clock) : undefined;
                return {
                    status: response.status,
                    latencyMs,
                    failures: verdict.failures.map((f) => this.scrub(f)),
                    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
                };
            }
            catch (error) {
                if (!(error instanceof NetworkError))
                    throw error;
                this.count('error');
                const message = this.scrub(error.message);
                return { latencyMs: external_node_perf_hooks_.performance.now() - began, failures: [message], networkError: message };
            }
        }, this.context.signal);
    }
    count(key) {
        this.statusCodes[key] = (this.statusCodes[key] ?? 0) + 1;
    }
    /** A response may echo a credential back; keep it out of every message. */
    scrub(text) {
        let result = text;
        for (const secret of this.check.secrets)
            if (secret.length >= 4)
                result = result.split(secret).join('***');
        return result;
    }
    finish(result, started, attempts, latencies, failure, samples) {
        const stats = latencyStats(latencies);
        const line = `${result === 'passed' ? '✓' : '✗'} ${this.check.name}: ${result}${attempts > 1 ? ` after ${attempts} attempts` : ''}${stats ? ` (p50 ${stats.p50} ms, p95 ${stats.p95} ms)` : ''}${failure ? `: ${failure}` : ''}`;
        this.context.logger.info(line);
        return {
            name: this.check.name,
            url: this.check.displayUrl,
            method: this.check.method,
            result,
            attempts,
            statusCodes: this.statusCodes,
            ...(stats ? { latencyMs: stats } : {}),
            ...(samples ? { samples } : {}),
            ...(this.versionSeen !== undefined ? { versionSeen: this.versionSeen } : {}),
            ...(failure ? { failure } : {}),
            ...(result === 'passed' && this.warmupFailures.size > 0
                ? { failedBeforeHealthy: [...this.warmupFailures].map(([text, count]) => ({ failure: text, count })) }
                : {}),
            durationMs: this.context.clock.now() - started,
        };
    }
}
/** `Retry-After` as delay-seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
function retryAfter(headers, clock) {
    const value = headers['retry-after']?.trim();
    if (!value)
        return undefined;
    if (/^\d+$/.test(value))
        return Number(value) * 1000;
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - clock.now());
}
function engine_seconds(ms) {
    return `${Number((ms / 1000).toFixed(1))} s`;
}
function percent(rate) {
    return `${Number((rate * 100).toFixed(1))}%`;
}
function mostCommon(items) {
    const counts = new Map();
    for (const item of items)
        counts.set(item, (counts.get(item) ?? 0) + 1);
    let best = '';
    let bestCount = 0;
    for (const [item, count] of counts)
        if (count > bestCount)
            [best, bestCount] = [item, count];
    return bestCount > 1 ? `${best} (${bestCount} times)` : best;
}

;// CONCATENATED MODULE: ./packages/probe/src/summary.ts

/**
 * The job summary: the verdict, the version seen, a table per check and, where checks were sampled, a latency
 * chart (Mermaid `xychart-beta`, which GitHub renders). Header values never appear: only the report's own fields do.
 */
/** A chart with more bars than this is unreadable; the slowest checks are shown. */
const CHART_MAX_CHECKS = 20;
function renderSummary(report) {
    const failed = report.checks.filter((c) => c.result === 'failed');
    const parts = [
        heading(report.result === 'passed'
            ? `Smoke test passed: ${report.checks.length} ${plural(report.checks.length, 'check')}`
            : `Smoke test failed: ${failed.length} of ${report.checks.length} ${plural(report.checks.length, 'check')}`),
        versionLine(report),
        table(['Check', 'Result', 'Attempts', 'Status codes', 'p50', 'p95', 'Max', 'What failed'], report.checks.map((c) => [
            `${c.name}<br>${code(`${c.method} ${c.url}`)}`,
            c.result === 'passed' ? '✅ passed' : '❌ failed',
            c.attempts,
            statusCodes(c),
            ms(c.latencyMs?.p50),
            ms(c.latencyMs?.p95),
            ms(c.latencyMs?.max),
            whatFailed(c),
        ])),
    ];
    const chart = latencyChart(report.checks);
    if (chart)
        parts.push(chart);
    parts.push(`_Finished in ${formatDuration(report.durationMs)}._`);
    if (failed.length > 0) {
        parts.push(details('Failure detail', failed.map((c) => `${c.name}: ${c.failure ?? 'failed'}`).join('\n'), true));
    }
    return `${parts.join('\n\n')}\n`;
}
function versionLine(report) {
    // When checks disagree (an old task still answering behind one route), say which check saw which version.
    const byVersion = new Map();
    for (const check of report.checks) {
        if (check.versionSeen !== undefined)
            byVersion.set(check.versionSeen, [...(byVersion.get(check.versionSeen) ?? []), check.name]);
    }
    const seen = byVersion.size === 0
        ? 'none'
        : byVersion.size === 1
            ? code([...byVersion.keys()][0])
            : [...byVersion].map(([version, names]) => `${code(version)} (${listNames(names)})`).join(', ');
    if (report.expectedVersion === undefined) {
        return byVersion.size > 0 ? `**Version seen:** ${seen}` : '_No version was expected (expect-version)._';
    }
    return `**Version seen:** ${seen} — **expected:** ${code(report.expectedVersion)}`;
}
function listNames(names) {
    const shown = names.slice(0, 3).map(escapeHtml).join(', ');
    return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}
function whatFailed(check) {
    if (check.failure)
        return escapeHtml(check.failure);
    if (!check.failedBeforeHealthy)
        return '';
    const failures = check.failedBeforeHealthy.map((f) => (f.count > 1 ? `${f.failure} (×${f.count})` : f.failure));
    return `_before healthy:_ ${escapeHtml(failures.join('; '))}`;
}
function statusCodes(check) {
    return Object.entries(check.statusCodes)
        .map(([status, count]) => (count > 1 ? `${status} ×${count}` : status))
        .join(', ');
}
function ms(value) {
    return value === undefined ? '' : `${Math.round(value)} ms`;
}
/** Bars for p95 and a line for p50, per sampled check, the slowest first. */
function latencyChart(checks) {
    const sampled = checks.filter((c) => c.samples && c.samples.count > 1 && c.latencyMs);
    if (sampled.length === 0)
        return undefined;
    const shown = [...sampled].sort((a, b) => b.latencyMs.p95 - a.latencyMs.p95).slice(0, CHART_MAX_CHECKS);
    const top = Math.max(1, ...shown.map((c) => c.latencyMs.max));
    const lines = [
        '```mermaid',
        'xychart-beta',
        `    title "Latency per check (ms): bars p95, line p50"`,
        `    x-axis [${shown.map((c) => JSON.stringify(chartLabel(c.name))).join(', ')}]`,
        `    y-axis "ms" 0 --> ${Math.ceil(top * 1.1)}`,
        `    bar [${shown.map((c) => Math.round(c.latencyMs.p95)).join(', ')}]`,
        `    line [${shown.map((c) => Math.round(c.latencyMs.p50)).join(', ')}]`,
        '```',
    ];
    const note = sampled.length > shown.length
        ? `\n\n_The chart shows the ${shown.length} slowest of ${sampled.length} sampled checks._`
        : '';
    return `${lines.join('\n')}${note}`;
}
/** Mermaid labels cannot hold quotes or brackets; keep them short too. */
function chartLabel(name) {
    const clean = name.replace(/["[\]`]/g, "'");
    return clean.length > 24 ? `${clean.slice(0, 23)}…` : clean;
}
function plural(n, word) {
    return n === 1 ? word : `${word}s`;
}

;// CONCATENATED MODULE: ./packages/probe/src/index.ts
// Smoke checks: validate checks, probe them over HTTP(S) with warm-up, samples and version verification, report.














// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-rds/dist-cjs/index.js
var client_rds_dist_cjs = __webpack_require__(7202);
;// CONCATENATED MODULE: ./packages/rds/src/snapshot.ts
// A snapshot before a migration: create it, then poll until RDS reports it `available`. Anything else (a failed
// snapshot, a timeout, an error from RDS) is an error, so that the migration never runs without its snapshot.



/**
 * A tag with a value unique to one request. CreateDBSnapshot takes no client token: when RDS takes the snapshot and
 * the answer is lost, the SDK's retry is refused with "already exists" for the snapshot the first attempt made. The
 * tag tells that snapshot (ours: wait for it) from one somebody else took under the same name (an error).
 */
const REQUEST_TAG_KEY = 'ecs-ship:request-id';
/** Statuses from which a snapshot can still become available. */
const IN_PROGRESS = new Set(['creating', 'pending', 'copying', 'modifying', 'upgrading', 'backing-up']);
/** What a snapshot status means for the wait. */
function assessSnapshot(status) {
    if (status === 'available')
        return { state: 'available' };
    if (IN_PROGRESS.has(status))
        return { state: 'waiting' };
    return { state: 'failed', status };
}
async function createSnapshotAndWait(client, request, { logger, clock, signal }) {
    const { source, snapshotId } = request;
    const what = sourceName(source);
    const started = clock.now();
    logger.info(`Creating snapshot ${snapshotId} of ${what}`);
    let view = await createOrFindOwn(client, request, signal);
    if (view.foundEarlierAttempt) {
        logger.info(`The answer to the first request was lost; snapshot ${snapshotId} is the one that request started.`);
    }
    let lastReported = '';
    for (;;) {
        const assessment = assessSnapshot(view.status);
        const report = `${view.status}${view.progress !== undefined ? ` (${view.progress}%)` : ''}`;
        if (report !== lastReported) {
            logger.info(`Snapshot ${snapshotId}: ${report}`);
            lastReported = report;
        }
        if (assessment.state === 'available') {
            const durationMs = clock.now() - started;
            logger.info(`Snapshot ${snapshotId} is available after ${(0,src/* formatDuration */.a3)(durationMs)}`);
            return { snapshotId, arn: view.arn, status: view.status, durationMs };
        }
        if (assessment.state === 'failed') {
            throw new src/* UserError */.yo(`Snapshot ${snapshotId} of ${what} ended in status "${assessment.status}"; the migration was not run.`, { title: 'Snapshot failed' });
        }
        const elapsed = clock.now() - started;
        if (elapsed >= request.timeoutMs) {
            throw new src/* UserError */.yo(`Snapshot ${snapshotId} of ${what} was still "${view.status}" after ${(0,src/* formatDuration */.a3)(elapsed)}; the migration was not run. Raise "snapshot-timeout-minutes" if the database needs longer.`, { title: 'Snapshot timed out' });
        }
        await clock.sleep(Math.min(request.pollIntervalMs, request.timeoutMs - elapsed), signal);
        try {
            view = await describe(client, source.kind, snapshotId, signal);
        }
        catch (error) {
            if (signal?.aborted)
                throw (0,src/* abortReason */.Js)(signal);
            throw new src/* UserError */.yo(`Could not read snapshot ${snapshotId}: ${describeError(error)}`, {
                title: 'Snapshot failed',
                cause: error,
            });
        }
    }
}
/** Creates the snapshot, or finds the one this request's lost first attempt created; anything else is an error. */
async function createOrFindOwn(client, request, signal) {
    const { source, snapshotId } = request;
    const requestId = (0,external_node_crypto_.randomUUID)();
    try {
        return await create(client, request, requestId, signal);
    }
    catch (error) {
        if (signal?.aborted)
            throw (0,src/* abortReason */.Js)(signal);
        if (isAlreadyExists(error)) {
            const existing = await describe(client, source.kind, snapshotId, signal).catch(() => undefined);
            if (existing?.tags?.[REQUEST_TAG_KEY] === requestId)
                return { ...existing, foundEarlierAttempt: true };
        }
        const what = sourceName(source);
        throw new src/* UserError */.yo(`Could not create snapshot ${snapshotId} of ${what}: ${describeError(error)}`, {
            title: 'Snapshot failed',
            cause: error,
        });
    }
}
function sourceName(source) {
    return `DB ${source.kind} ${source.identifier}`;
}
/** DBSnapshotAlreadyExists (instances) or DBClusterSnapshotAlreadyExistsFault (clusters), by code or class name. */
function isAlreadyExists(error) {
    return error instanceof Error && /SnapshotAlreadyExists/.test(error.name);
}
async function create(client, request, requestId, signal) {
    const Tags = [
        ...Object.entries(request.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
        { Key: REQUEST_TAG_KEY, Value: requestId },
    ];
    if (request.source.kind === 'instance') {
        const { DBSnapshot } = await client.send(new client_rds_dist_cjs/* CreateDBSnapshotCommand */.SQw({
            DBInstanceIdentifier: request.source.identifier,
            DBSnapshotIdentifier: request.snapshotId,
            Tags,
        }), { abortSignal: signal });
        return {
            status: DBSnapshot?.Status ?? 'creating',
            progress: DBSnapshot?.PercentProgress,
            arn: DBSnapshot?.DBSnapshotArn,
        };
    }
    const { DBClusterSnapshot } = await client.send(new client_rds_dist_cjs/* CreateDBClusterSnapshotCommand */.Iv4({
        DBClusterIdentifier: request.source.identifier,
        DBClusterSnapshotIdentifier: request.snapshotId,
        Tags,
    }), { abortSignal: signal });
    return {
        status: DBClusterSnapshot?.Status ?? 'creating',
        progress: DBClusterSnapshot?.PercentProgress,
        arn: DBClusterSnapshot?.DBClusterSnapshotArn,
    };
}
async function describe(client, kind, snapshotId, signal) {
    if (kind === 'instance') {
        const { DBSnapshots } = await client.send(new client_rds_dist_cjs/* DescribeDBSnapshotsCommand */.KKI({ DBSnapshotIdentifier: snapshotId }), {
            abortSignal: signal,
        });
        const snapshot = DBSnapshots?.[0];
        return {
            status: snapshot?.Status ?? 'missing',
            progress: snapshot?.PercentProgress,
            arn: snapshot?.DBSnapshotArn,
            tags: tagMap(snapshot?.TagList),
        };
    }
    const { DBClusterSnapshots } = await client.send(new client_rds_dist_cjs/* DescribeDBClusterSnapshotsCommand */.cWV({ DBClusterSnapshotIdentifier: snapshotId }), { abortSignal: signal });
    const snapshot = DBClusterSnapshots?.[0];
    return {
        status: snapshot?.Status ?? 'missing',
        progress: snapshot?.PercentProgress,
        arn: snapshot?.DBClusterSnapshotArn,
        tags: tagMap(snapshot?.TagList),
    };
}
function tagMap(list) {
    return Object.fromEntries((list ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}
/** An AWS error as one line: its code and message. */
function describeError(error) {
    if (error instanceof Error) {
        const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
        return `${name}${error.message}`;
    }
    return String(error);
}

;// CONCATENATED MODULE: ./packages/rds/src/index.ts



;// CONCATENATED MODULE: ./packages/slack/src/status.ts
/** The pipeline events a message can announce. */
const STATUSES = ['started', 'succeeded', 'failed', 'cancelled', 'rolled-back'];
/** What the `status` input accepts: our statuses, plus the values of GitHub's `job.status`. */
const STATUS_INPUT_VALUES = [...STATUSES, 'success', 'failure'];
/** `job.status` says `success`/`failure`/`cancelled`; the message speaks of the deployment. */
function normalizeStatus(value) {
    if (value === 'success')
        return 'succeeded';
    if (value === 'failure')
        return 'failed';
    return value;
}
const LOOKS = {
    started: { emoji: ':rocket:', verb: 'started', alarming: false },
    succeeded: { emoji: ':white_check_mark:', verb: 'succeeded', alarming: false },
    failed: { emoji: ':x:', verb: 'failed', alarming: true },
    cancelled: { emoji: ':no_entry_sign:', verb: 'cancelled', alarming: false },
    // A rollback means the new version did not make it: the people on call want to know.
    'rolled-back': { emoji: ':rewind:', verb: 'rolled back', alarming: true },
};
function statusLook(status) {
    return LOOKS[status];
}

;// CONCATENATED MODULE: ./packages/slack/src/limits.ts
/**
 * Slack's Block Kit limits (see FACTS.md). A message over any of them is refused whole with `invalid_blocks`, so
 * everything we send is cut to fit first, with a visible mark where text was cut.
 */
const limits_LIMITS = {
    blocks: 50,
    sectionText: 3000,
    headerText: 150,
    fieldsPerSection: 10,
    fieldText: 2000,
    contextElements: 10,
    actionsElements: 25,
    /** Context elements carry text objects, whose own limit is the section's. */
    contextElementText: 3000,
    /** Slack truncates a longer notification text; we cut it ourselves so the cut is visible. */
    fallbackText: 3000,
};
const TRUNCATED = '… (truncated)';
/**
 * Cuts text to at most `max` characters (UTF-16 code units, as Slack counts them), ending with "(truncated)" when cut.
 * A cut never splits a surrogate pair, and never leaves an open code block behind in mrkdwn.
 */
function fit(text, max) {
    if (text.length <= max)
        return text;
    const closing = '\n```';
    let head = cut(text, max - TRUNCATED.length);
    // Close a code block we cut through, so that the mark is not swallowed by it.
    if (insideCodeBlock(head))
        head = `${cut(text, max - TRUNCATED.length - closing.length)}${closing}`;
    return `${head}${TRUNCATED}`.slice(0, max);
}
function cut(text, length) {
    const head = text.slice(0, Math.max(0, length));
    return /[\uD800-\uDBFF]$/.test(head) ? head.slice(0, -1) : head;
}
function insideCodeBlock(text) {
    return text.split('```').length % 2 === 0;
}

;// CONCATENATED MODULE: ./packages/slack/src/details.ts
/**
 * The `details` input: outputs of this suite's other steps, as JSON, turned into typed sections. A workflow passes
 * `${{ toJSON(steps.deploy.outputs) }}` (one step) or an object of them keyed by a name of its choice
 * (`{"deploy": ..., "smoke": ...}`). Step outputs are strings, so values that hold JSON (task-definition-arns,
 * report) are parsed again. Each group is recognised by the outputs it carries, not by its name.
 */
/** The output names of the suite's actions, by the section they make. */
const SIGNATURES = [
    ['deploy', ['task-definition-arns', 'previous-task-definition-arns', 'deployment-ids', 'failure-reason', 'changed']],
    ['smoke', ['report', 'failed-checks', 'version-seen']],
    ['image', ['image-ref', 'digest', 'image', 'pushed']],
    ['migration', ['task-arn', 'exit-code', 'stop-code', 'snapshot-id', 'log-url']],
    ['release', ['tag', 'tag-sha', 'release-url', 'release-id', 'deployment-id']],
];
/** Outputs whose value is itself a JSON object: their presence marks one step's outputs, not a group of steps. */
const OBJECT_OUTPUTS = ['task-definition-arns', 'previous-task-definition-arns', 'deployment-ids', 'report'];
const FIX = 'Pass ${{ toJSON(steps.<id>.outputs) }}, or a JSON object of them such as {"deploy": ..., "smoke": ...}';
function parseDetails(value) {
    const top = asObject(value);
    if (!top)
        return { problem: 'it is not a JSON object', fix: FIX };
    const groups = [];
    const grouped = Object.keys(top).length > 0 &&
        Object.values(top).every((v) => asObject(v) !== undefined) &&
        !OBJECT_OUTPUTS.some((key) => key in top);
    if (!grouped) {
        groups.push(['', top]);
    }
    else {
        for (const [name, group] of Object.entries(top)) {
            groups.push([name, asObject(group)]);
        }
    }
    return { value: groups.map(([name, outputs]) => toSection(name, outputs)) };
}
function toSection(name, outputs) {
    const kind = SIGNATURES.find(([, names]) => names.some((n) => n in outputs))?.[0];
    const text = (key) => scalar(outputs[key]);
    const title = name ? humanize(name) : '';
    switch (kind) {
        case 'deploy':
            return {
                kind,
                title: title || 'Deployment',
                result: text('result'),
                failureReason: text('failure-reason'),
                changed: text('changed'),
                services: serviceChanges(outputs),
            };
        case 'smoke': {
            const report = maybeJson(outputs.report);
            const reportObject = asObject(report);
            const seen = listOf(outputs['version-seen']);
            return {
                kind,
                title: title || 'Smoke tests',
                result: text('result'),
                failedChecks: listOf(outputs['failed-checks']),
                checks: smokeChecks(report),
                versionsSeen: seen.length > 0 ? seen : listOf(reportObject?.versionsSeen),
                expectedVersion: scalar(reportObject?.expectedVersion),
            };
        }
        case 'image':
            return {
                kind,
                title: title || 'Image',
                image: text('image'),
                digest: text('digest'),
                imageRef: text('image-ref'),
                tags: listOf(outputs.tags),
                pushed: text('pushed'),
            };
        case 'migration':
            return {
                kind,
                title: title || 'Migration',
                taskArn: text('task-arn'),
                exitCode: text('exit-code'),
                stopCode: text('stop-code'),
                snapshotId: text('snapshot-id'),
                logUrl: text('log-url'),
                durationSeconds: text('duration-seconds'),
            };
        case 'release':
            return {
                kind,
                title: title || 'Release',
                tag: text('tag'),
                tagSha: text('tag-sha'),
                releaseUrl: text('release-url'),
                releaseId: text('release-id'),
                deploymentId: text('deployment-id'),
            };
        default:
            return {
                kind: 'other',
                title: title || 'Details',
                entries: Object.entries(outputs)
                    .map(([key, v]) => [key, scalar(v) ?? JSON.stringify(v)])
                    .filter(([, v]) => v !== ''),
            };
    }
}
/** task-definition-arns and friends are JSON objects keyed by service (or a single ARN for one service). */
function serviceChanges(outputs) {
    const current = keyed(outputs['task-definition-arns']);
    const previous = keyed(outputs['previous-task-definition-arns']);
    const deployments = keyed(outputs['deployment-ids']);
    const names = [...new Set([...Object.keys(current), ...Object.keys(previous), ...Object.keys(deployments)])];
    return names.map((service) => ({
        service,
        taskDefinition: current[service],
        previousTaskDefinition: previous[service],
        deploymentId: deployments[service],
    }));
}
function keyed(value) {
    const parsed = maybeJson(value);
    const object = asObject(parsed);
    if (object) {
        return Object.fromEntries(Object.entries(object)
            .map(([k, v]) => [k, scalar(v)])
            .filter((e) => e[1] !== undefined));
    }
    const single = scalar(parsed);
    return single ? { [serviceOf(single)]: single } : {};
}
/** `arn:aws:ecs:...:task-definition/web:12` → `web`, the family standing in for the service's name. */
function serviceOf(arn) {
    return revisionOf(arn).split(':')[0] ?? arn;
}
/** `arn:aws:ecs:...:task-definition/web:12` → `web:12`. */
function revisionOf(arn) {
    const slash = arn.lastIndexOf('task-definition/');
    return slash >= 0 ? arn.slice(slash + 'task-definition/'.length) : arn;
}
/**
 * The smoke-test report: `{checks: [...]}` or a bare array. Field names are read loosely (name/url, passed/ok/result,
 * latency under `latency` or at the top), so that a report that gains fields still renders.
 */
function smokeChecks(report) {
    const object = asObject(report);
    const list = Array.isArray(report) ? report : Array.isArray(object?.checks) ? object.checks : [];
    return list.flatMap((entry, index) => {
        const check = asObject(entry);
        if (!check)
            return [];
        const latency = asObject(check.latency) ?? asObject(check.latencyMs) ?? check;
        const result = scalar(check.result ?? check.status)?.toLowerCase();
        const passed = typeof check.passed === 'boolean'
            ? check.passed
            : typeof check.ok === 'boolean'
                ? check.ok
                : result === 'passed' || result === 'pass'
                    ? true
                    : result === 'failed' || result === 'fail'
                        ? false
                        : undefined;
        const codes = check.statusCodes ?? check.statuses ?? check.statusCode;
        return [
            {
                name: scalar(check.name) ?? scalar(check.url) ?? `check ${index + 1}`,
                passed,
                attempts: number(check.attempts),
                statusCodes: codeList(codes),
                p50: number(latency.p50 ?? latency.p50Ms),
                p95: number(latency.p95 ?? latency.p95Ms),
                max: number(latency.max ?? latency.maxMs),
                detail: scalar(check.detail ?? check.failure ?? check.error ?? check.reason),
            },
        ];
    });
}
/** Status codes as a list or as counts by code (`{"200": 5, "503": 1}`). */
function codeList(value) {
    if (Array.isArray(value))
        return [...new Set(value.map((v) => String(v)))];
    const object = asObject(value);
    if (object)
        return Object.entries(object).map(([code, count]) => `${code}×${String(count)}`);
    const one = scalar(value);
    return one ? [one] : [];
}
function listOf(value) {
    const parsed = maybeJson(value);
    if (Array.isArray(parsed))
        return parsed.map((v) => scalar(v) ?? JSON.stringify(v)).filter(Boolean);
    const text = scalar(parsed);
    return text
        ? text
            .split(/[\n,]/)
            .map((s) => s.trim())
            .filter(Boolean)
        : [];
}
function maybeJson(value) {
    if (typeof value !== 'string')
        return value;
    const text = value.trim();
    if (!/^[[{]/.test(text))
        return value;
    try {
        return JSON.parse(text);
    }
    catch {
        return value;
    }
}
function asObject(value) {
    const parsed = maybeJson(value);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
        ? parsed
        : undefined;
}
function scalar(value) {
    if (typeof value === 'string')
        return value.trim() === '' ? undefined : value.trim();
    if (typeof value === 'number' || typeof value === 'boolean')
        return String(value);
    return undefined;
}
function number(value) {
    const n = typeof value === 'string' ? Number(value) : value;
    return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}
function humanize(name) {
    const words = name.replace(/[-_]+/g, ' ').trim();
    return words.charAt(0).toUpperCase() + words.slice(1);
}

;// CONCATENATED MODULE: ./packages/slack/src/run-context.ts
function runContextFromEnv(env) {
    const value = (name) => (env[name]?.trim() ? env[name].trim() : undefined);
    return {
        serverUrl: (value('GITHUB_SERVER_URL') ?? 'https://github.com').replace(/\/+$/, ''),
        repository: value('GITHUB_REPOSITORY'),
        // A pull request's head branch says more than its merge ref (refs/pull/12/merge).
        branch: value('GITHUB_HEAD_REF') ?? value('GITHUB_REF_NAME') ?? value('GITHUB_REF')?.replace(/^refs\/(heads|tags)\//, ''),
        sha: value('GITHUB_SHA'),
        actor: value('GITHUB_ACTOR'),
        workflow: value('GITHUB_WORKFLOW'),
        runId: value('GITHUB_RUN_ID'),
        runAttempt: value('GITHUB_RUN_ATTEMPT'),
    };
}
function repositoryUrl(run) {
    return run.repository ? `${run.serverUrl}/${run.repository}` : undefined;
}
function commitUrl(run) {
    return run.repository && run.sha ? `${run.serverUrl}/${run.repository}/commit/${run.sha}` : undefined;
}
function runUrl(run) {
    if (!run.repository || !run.runId)
        return undefined;
    const attempt = run.runAttempt && run.runAttempt !== '1' ? `/attempts/${run.runAttempt}` : '';
    return `${run.serverUrl}/${run.repository}/actions/runs/${run.runId}${attempt}`;
}

;// CONCATENATED MODULE: ./packages/slack/src/blocks.ts
/** The small part of Block Kit this package writes and checks. */
const header = (text) => ({
    type: 'header',
    text: { type: 'plain_text', text, emoji: true },
});
const section = (text) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const fieldsSection = (fields) => ({
    type: 'section',
    fields: fields.map((text) => ({ type: 'mrkdwn', text })),
});
const context = (elements) => ({
    type: 'context',
    elements: elements.map((text) => ({ type: 'mrkdwn', text })),
});
const divider = () => ({ type: 'divider' });

;// CONCATENATED MODULE: ./packages/slack/src/fit.ts


/**
 * A heading and as many whole lines as fit in `max` characters; when lines are left out, a last line says how
 * many, so a reader knows the list goes on.
 */
function fitLines(head, lines, max) {
    let text = head;
    for (let i = 0; i < lines.length; i++) {
        const next = `${text}\n${lines[i]}`;
        const rest = lines.length - i - 1;
        // Keep room for the note about the lines after this one.
        const reserve = rest > 0 ? noteFor(rest + 1).length + 1 : 0;
        if (next.length + reserve <= max) {
            text = next;
            continue;
        }
        // A first line too long on its own is cut rather than dropped.
        if (i === 0) {
            const cut = fit(next, max - reserve);
            return rest > 0 ? `${cut}\n${noteFor(rest)}` : cut;
        }
        return fit(`${text}\n${noteFor(lines.length - i)}`, max);
    }
    return text;
}
function noteFor(count) {
    return `_${TRUNCATED.replace('… ', '')}: ${count} more line${count === 1 ? '' : 's'} not shown_`;
}
/** At most 50 blocks: the last slot says how many were left out. */
function fitBlocks(blocks) {
    if (blocks.length <= limits_LIMITS.blocks)
        return blocks;
    const kept = blocks.slice(0, limits_LIMITS.blocks - 1);
    const left = blocks.length - kept.length;
    return [...kept, context([`_(truncated): ${left} more block${left === 1 ? '' : 's'} not shown_`])];
}

;// CONCATENATED MODULE: ./packages/slack/src/mrkdwn.ts
/** Slack's mrkdwn: only `&`, `<` and `>` need escaping; `<url|text>` makes a link. */
function mrkdwn_escape(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/** A link, or the plain escaped text when there is no URL. The `|` in a label would end it early. */
function mrkdwn_link(text, url) {
    if (!url)
        return mrkdwn_escape(text);
    return `<${url.replace(/[<>|]/g, encodeURIComponent)}|${mrkdwn_escape(text).replace(/\|/g, '¦')}>`;
}
function bold(text) {
    return `*${text}*`;
}
/** Inline code. Backticks inside would end it, so they become quotes. */
function mrkdwn_code(text) {
    return `\`${mrkdwn_escape(text).replace(/`/g, "'")}\``;
}
/** A code block for text that keeps its lines, such as a failure reason or a log excerpt. */
function codeBlock(text) {
    return `\`\`\`${mrkdwn_escape(text).replace(/```/g, "'''")}\`\`\``;
}

;// CONCATENATED MODULE: ./packages/slack/src/message.ts








function buildMessage(input, run, now) {
    const look = statusLook(input.status);
    const headline = input.title ?? defaultHeadline(input);
    const mentions = look.alarming ? input.mentions : [];
    const reasons = failureReasons(input.details);
    // A text that repeats a failure reason the details already give would say the same thing twice.
    const text = input.text && !reasons.includes(input.text.trim()) ? input.text : undefined;
    const blocks = [header(fit(`${look.emoji} ${headline}`, limits_LIMITS.headerText))];
    const contextLine = contextElements(run, input.startedAt, now);
    if (contextLine.length > 0)
        blocks.push(context(contextLine));
    const intro = [mentions.join(' '), text ?? ''].filter((part) => part.trim() !== '').join('\n');
    if (intro)
        blocks.push(section(fit(intro, limits_LIMITS.sectionText)));
    if (reasons.length > 0) {
        blocks.push(section(fitLines(bold('Why it failed'), reasons.map(codeBlock), limits_LIMITS.sectionText)));
    }
    for (let i = 0; i < input.fields.length; i += limits_LIMITS.fieldsPerSection) {
        const chunk = input.fields.slice(i, i + limits_LIMITS.fieldsPerSection);
        blocks.push(fieldsSection(chunk.map(([label, value]) => fit(`${bold(mrkdwn_escape(label))}\n${value}`, limits_LIMITS.fieldText))));
    }
    const sections = detailBlocks(input.details);
    if (sections.length > 0)
        blocks.push(divider(), ...sections);
    // The mentions stay whole at the end of the notification text, however much of the rest is cut: they make it ring.
    const calls = mentions.length > 0 ? ` — ${mentions.join(' ')}` : '';
    const fallback = [`${look.emoji} ${headline}${origin(run)}`, reasons[0], text]
        .filter((part) => !!part && part.trim() !== '')
        .join(' — ');
    return { text: `${fit(fallback, limits_LIMITS.fallbackText - calls.length)}${calls}`, blocks: fitBlocks(blocks) };
}
/** ` (acme/shop 4f6a0e1)`: which of many repositories posting to one channel a notification is about. */
function origin(run) {
    const parts = [run.repository, run.sha?.slice(0, 7)].filter(Boolean);
    return parts.length > 0 ? ` (${parts.join(' ')})` : '';
}
function defaultHeadline(input) {
    const parts = [`Deployment ${statusLook(input.status).verb}`, input.environment, input.service];
    return parts.filter((p) => !!p && p.trim() !== '').join(' · ');
}
/** Repository, branch, commit, actor, run and duration: each a context element, at most 10. */
function contextElements(run, startedAt, now) {
    const elements = [];
    if (run.repository)
        elements.push(mrkdwn_link(run.repository, repositoryUrl(run)));
    if (run.branch)
        elements.push(`:twisted_rightwards_arrows: ${mrkdwn_code(run.branch)}`);
    if (run.sha)
        elements.push(`:label: ${mrkdwn_link(run.sha.slice(0, 7), commitUrl(run))}`);
    if (run.actor)
        elements.push(`:bust_in_silhouette: ${mrkdwn_escape(run.actor)}`);
    const runLink = runUrl(run);
    if (runLink)
        elements.push(`:gear: ${mrkdwn_link(run.workflow ? `${run.workflow} #${run.runId}` : `Run ${run.runId}`, runLink)}`);
    if (startedAt !== undefined && now >= startedAt)
        elements.push(`:stopwatch: ${(0,src/* formatDuration */.a3)(now - startedAt)}`);
    return elements.slice(0, limits_LIMITS.contextElements).map((text) => fit(text, limits_LIMITS.contextElementText));
}
/** The reasons the details give for a failure: the deploy's own words first, then failed checks. */
function failureReasons(details) {
    const reasons = [];
    for (const section of details) {
        if (section.kind === 'deploy' && section.failureReason)
            reasons.push(section.failureReason);
        if (section.kind === 'smoke') {
            const failed = section.checks.filter((c) => c.passed === false);
            if (failed.length > 0) {
                for (const check of failed)
                    reasons.push(`Smoke check ${check.name} failed${check.detail ? `: ${check.detail}` : ''}`);
            }
            else if (section.failedChecks.length > 0) {
                reasons.push(`Smoke checks failed: ${section.failedChecks.join(', ')}`);
            }
        }
        if (section.kind === 'migration' && section.exitCode && section.exitCode !== '0') {
            reasons.push(`Migration task exited with code ${section.exitCode}${section.stopCode ? ` (${section.stopCode})` : ''}`);
        }
    }
    return reasons;
}
const HEADINGS = {
    image: 'Image',
    migration: 'Migration',
    deploy: 'What changed',
    smoke: 'What was checked',
    release: 'Release',
    other: 'Details',
};
function detailBlocks(details) {
    const counts = new Map();
    for (const d of details)
        counts.set(d.kind, (counts.get(d.kind) ?? 0) + 1);
    return details.flatMap((detail) => {
        const many = (counts.get(detail.kind) ?? 0) > 1;
        const heading = detail.kind === 'other'
            ? detail.title
            : `${HEADINGS[detail.kind]}${many && detail.title ? ` (${detail.title})` : ''}`;
        const { summary, lines } = message_describe(detail);
        if (lines.length === 0 && !summary)
            return [];
        const head = `${bold(mrkdwn_escape(heading))}${summary ? ` — ${summary}` : ''}`;
        return [section(fitLines(head, lines, limits_LIMITS.sectionText))];
    });
}
function message_describe(detail) {
    switch (detail.kind) {
        case 'deploy':
            return describeDeploy(detail);
        case 'smoke':
            return describeSmoke(detail);
        case 'image':
            return {
                lines: [
                    detail.imageRef ? `• ${mrkdwn_code(detail.imageRef)}` : detail.image ? `• ${mrkdwn_code(detail.image)}` : '',
                    detail.imageRef || !detail.digest ? '' : `• digest ${mrkdwn_code(detail.digest)}`,
                    detail.tags.length > 0 ? `• tags ${detail.tags.map(mrkdwn_code).join(', ')}` : '',
                    detail.pushed === 'false' ? '• reused: the registry already had this image' : '',
                ].filter(Boolean),
            };
        case 'migration':
            return {
                summary: detail.exitCode !== undefined ? `exit code ${mrkdwn_escape(detail.exitCode)}` : undefined,
                lines: [
                    detail.snapshotId ? `• snapshot ${mrkdwn_code(detail.snapshotId)} taken first` : '',
                    detail.stopCode ? `• stop code ${mrkdwn_code(detail.stopCode)}` : '',
                    detail.durationSeconds ? `• took ${(0,src/* formatDuration */.a3)(Number(detail.durationSeconds) * 1000)}` : '',
                    detail.taskArn || detail.logUrl
                        ? `• ${mrkdwn_link('task logs', detail.logUrl)}${detail.taskArn ? ` (${mrkdwn_code(taskId(detail.taskArn))})` : ''}`
                        : '',
                ].filter(Boolean),
            };
        case 'release':
            return {
                lines: [
                    detail.tag ? `• tag ${detail.releaseUrl ? mrkdwn_link(detail.tag, detail.releaseUrl) : mrkdwn_code(detail.tag)}` : '',
                    !detail.tag && detail.releaseUrl ? `• ${mrkdwn_link('release', detail.releaseUrl)}` : '',
                    detail.tagSha ? `• tag object ${mrkdwn_code(detail.tagSha.slice(0, 7))}` : '',
                    detail.deploymentId ? `• GitHub deployment ${mrkdwn_code(detail.deploymentId)}` : '',
                ].filter(Boolean),
            };
        case 'other':
            return { lines: detail.entries.map(([key, value]) => `• ${mrkdwn_escape(key)}: ${mrkdwn_code(value)}`) };
    }
}
function describeDeploy(detail) {
    const lines = detail.services.map((s) => {
        const now = s.taskDefinition ? mrkdwn_code(revisionOf(s.taskDefinition)) : 'no revision reported';
        const was = s.previousTaskDefinition ? ` (was ${mrkdwn_code(revisionOf(s.previousTaskDefinition))})` : '';
        return `• ${bold(mrkdwn_escape(s.service))}: ${now}${was}`;
    });
    if (detail.changed === 'false')
        lines.push('• nothing changed: the services already ran these revisions');
    return { summary: detail.result ? mrkdwn_escape(detail.result) : undefined, lines };
}
function describeSmoke(detail) {
    const lines = detail.checks.map((check) => {
        const mark = check.passed === undefined ? ':grey_question:' : check.passed ? ':white_check_mark:' : ':x:';
        const facts = [
            check.statusCodes.length > 0 ? `HTTP ${check.statusCodes.join(', ')}` : '',
            check.attempts !== undefined ? `${check.attempts} attempt${check.attempts === 1 ? '' : 's'}` : '',
            latency('p50', check.p50),
            latency('p95', check.p95),
            latency('max', check.max),
        ].filter(Boolean);
        const detailLine = check.passed === false && check.detail ? `\n      ↳ ${mrkdwn_escape(check.detail)}` : '';
        return `${mark} ${mrkdwn_code(check.name)}${facts.length > 0 ? ` — ${facts.join(' · ')}` : ''}${detailLine}`;
    });
    if (detail.checks.length === 0 && detail.failedChecks.length > 0) {
        lines.push(`:x: failed: ${detail.failedChecks.map(mrkdwn_code).join(', ')}`);
    }
    if (detail.versionsSeen.length > 0 || detail.expectedVersion) {
        const seen = detail.versionsSeen.length > 0 ? detail.versionsSeen.map(mrkdwn_code).join(', ') : 'none';
        lines.push(`• version seen: ${seen}${detail.expectedVersion ? ` (expected ${mrkdwn_code(detail.expectedVersion)})` : ''}`);
    }
    return { summary: detail.result ? mrkdwn_escape(detail.result) : undefined, lines };
}
function latency(label, ms) {
    return ms === undefined ? '' : `${label} ${Math.round(ms)} ms`;
}
function taskId(arn) {
    return arn.split('/').pop() ?? arn;
}

;// CONCATENATED MODULE: ./packages/slack/src/payload-check.ts

/** Block types Slack accepts in messages. */
const MESSAGE_BLOCK_TYPES = new Set([
    'actions',
    'context',
    'divider',
    'file',
    'header',
    'image',
    'input',
    'markdown',
    'rich_text',
    'section',
    'video',
]);
/**
 * The problems Slack would refuse a payload for (`invalid_payload` / `invalid_blocks`), as readable lines with
 * the path of each: checked before anything is sent, so a bad custom payload fails the step at once instead of
 * being retried against Slack.
 */
function payloadProblems(value) {
    const problems = [];
    if (!isObject(value))
        return ['the payload is not a JSON object'];
    const { text, blocks, attachments } = value;
    if (text !== undefined && typeof text !== 'string')
        problems.push('"text" is not a string');
    const hasText = typeof text === 'string' && text.trim() !== '';
    const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
    const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
    if (!hasText && !hasBlocks && !hasAttachments)
        problems.push('it has neither "text" nor "blocks"');
    if (attachments !== undefined && !Array.isArray(attachments))
        problems.push('"attachments" is not an array');
    if (blocks !== undefined) {
        if (!Array.isArray(blocks)) {
            problems.push('"blocks" is not an array');
        }
        else {
            if (blocks.length > LIMITS.blocks)
                problems.push(`"blocks" has ${blocks.length} blocks; Slack allows ${LIMITS.blocks}`);
            blocks.forEach((block, i) => problems.push(...blockProblems(block, `blocks[${i}]`)));
        }
    }
    return problems;
}
function blockProblems(block, path) {
    if (!isObject(block))
        return [`${path} is not an object`];
    const type = block.type;
    if (typeof type !== 'string')
        return [`${path} has no "type"`];
    if (!MESSAGE_BLOCK_TYPES.has(type))
        return [`${path} has an unknown type "${type}"`];
    const problems = [];
    if (block.block_id !== undefined && (typeof block.block_id !== 'string' || block.block_id.length > 255)) {
        problems.push(`${path}.block_id must be a string of at most 255 characters`);
    }
    switch (type) {
        case 'header':
            problems.push(...textProblems(block.text, `${path}.text`, LIMITS.headerText, ['plain_text']));
            break;
        case 'section':
            if (block.text === undefined && block.fields === undefined) {
                problems.push(`${path} needs "text" or "fields"`);
            }
            if (block.text !== undefined)
                problems.push(...textProblems(block.text, `${path}.text`, LIMITS.sectionText));
            if (block.fields !== undefined) {
                if (!Array.isArray(block.fields) || block.fields.length === 0) {
                    problems.push(`${path}.fields must be a non-empty array`);
                }
                else {
                    if (block.fields.length > LIMITS.fieldsPerSection) {
                        problems.push(`${path}.fields has ${block.fields.length} fields; Slack allows ${LIMITS.fieldsPerSection}`);
                    }
                    block.fields.forEach((field, i) => problems.push(...textProblems(field, `${path}.fields[${i}]`, LIMITS.fieldText)));
                }
            }
            break;
        case 'context':
            if (!Array.isArray(block.elements) || block.elements.length === 0) {
                problems.push(`${path}.elements must be a non-empty array`);
            }
            else if (block.elements.length > LIMITS.contextElements) {
                problems.push(`${path}.elements has ${block.elements.length} elements; Slack allows ${LIMITS.contextElements}`);
            }
            else {
                block.elements.forEach((element, i) => {
                    // Images are context elements too; only text elements carry text to check.
                    if (isObject(element) && element.type === 'image')
                        return;
                    problems.push(...textProblems(element, `${path}.elements[${i}]`, LIMITS.contextElementText));
                });
            }
            break;
        case 'actions':
            if (!Array.isArray(block.elements) || block.elements.length === 0) {
                problems.push(`${path}.elements must be a non-empty array`);
            }
            else if (block.elements.length > LIMITS.actionsElements) {
                problems.push(`${path}.elements has ${block.elements.length} elements; Slack allows ${LIMITS.actionsElements}`);
            }
            break;
        case 'image':
            if (typeof block.alt_text !== 'string' || (typeof block.image_url !== 'string' && !isObject(block.slack_file))) {
                problems.push(`${path} needs "image_url" (or "slack_file") and "alt_text"`);
            }
            break;
    }
    return problems;
}
function textProblems(value, path, max, types = ['plain_text', 'mrkdwn']) {
    if (!isObject(value))
        return [`${path} is not a text object`];
    if (typeof value.type !== 'string' || !types.includes(value.type)) {
        return [`${path}.type must be ${types.join(' or ')}`];
    }
    if (typeof value.text !== 'string' || value.text.length === 0)
        return [`${path}.text must be a non-empty string`];
    if (value.text.length > max)
        return [`${path}.text has ${value.text.length} characters; Slack allows ${max}`];
    return [];
}
function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}
/** The input reader's validator for a custom payload: the first problems, named, or the payload. */
function validatePayload(value) {
    const problems = payloadProblems(value);
    if (problems.length === 0) {
        const payload = value;
        return { value: { ...payload, text: typeof payload.text === 'string' ? payload.text : '' } };
    }
    const shown = problems.slice(0, 3).join('; ');
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
    return {
        problem: `Slack would refuse this payload: ${shown}${more}`,
        fix: 'Fix the Block Kit payload (Block Kit Builder shows the errors), or leave "payload" empty to send the generated message',
    };
}

;// CONCATENATED MODULE: ./packages/slack/src/explain.ts
/**
 * Slack's webhook errors in words a person can act on. The body of an error answer is a short code such as
 * `channel_not_found`; anything else it holds is left out, so that no echo of the request reaches the log.
 */
const EXPLANATIONS = {
    invalid_payload: 'Slack could not read the message (invalid_payload): it is not JSON, or has neither text nor blocks',
    missing_text_or_fallback_or_attachments: 'Slack refused an empty message (missing_text_or_fallback_or_attachments): give it text, blocks or attachments',
    invalid_blocks: 'Slack refused the blocks (invalid_blocks): a block breaks a Block Kit rule; check the custom payload',
    invalid_blocks_format: 'Slack refused the blocks (invalid_blocks_format): "blocks" must be an array of block objects',
    too_many_attachments: 'Slack refused the message (too_many_attachments): send at most 100 attachments',
    action_prohibited: "Slack refused the message (action_prohibited): the workspace's admins restricted this webhook; ask them, or use another webhook",
    posting_to_general_channel_denied: 'Slack refused the message (posting_to_general_channel_denied): only admins may post to this channel; use a webhook for another channel',
    no_service: 'Slack does not know this webhook (no_service): it was revoked or mistyped; create a new incoming webhook and update the secret',
    no_team: 'Slack does not know the workspace of this webhook (no_team): create a new incoming webhook and update the secret',
    team_disabled: "Slack refused the message (team_disabled): the webhook's workspace is disabled",
    channel_not_found: "Slack cannot find the webhook's channel (channel_not_found): it was deleted or made private; create a webhook for an existing channel",
    channel_is_archived: "The webhook's channel is archived (channel_is_archived): unarchive it, or create a webhook for another channel",
    user_not_found: 'Slack cannot find the user this webhook posts to (user_not_found): create a new webhook',
};
/** A Slack error code from a response body, when the body is one; never the body itself otherwise. */
function errorCode(body) {
    const text = body.trim();
    return /^[a-z][a-z0-9_]{1,63}$/.test(text) ? text : undefined;
}
function explainHttpError(status, body) {
    const code = errorCode(body);
    if (code && EXPLANATIONS[code])
        return `${EXPLANATIONS[code]} (HTTP ${status})`;
    const suffix = code ? ` (${code})` : '';
    if (status === 429)
        return `Slack is rate limiting this webhook (HTTP 429)${suffix}`;
    if (status >= 500)
        return `Slack had a server error (HTTP ${status})${suffix}`;
    if (status === 404)
        return `Slack does not know this webhook (HTTP 404)${suffix}: check the webhook URL secret`;
    if (status === 410)
        return `The webhook's channel is gone or archived (HTTP 410)${suffix}`;
    if (status === 401 || status === 403)
        return `Slack refused this webhook (HTTP ${status})${suffix}: check the webhook URL secret`;
    return `Slack refused the message (HTTP ${status})${suffix}`;
}
/**
 * A connection failure in plain words, from the error's code: fetch errors mention the address they tried, and
 * the webhook's path is a secret, so nothing of the original message is used.
 */
function explainRequestError(error, host, timeoutMs) {
    const code = findCode(error);
    switch (code) {
        case 'ECONNREFUSED':
            return `the connection to ${host} was refused`;
        case 'ECONNRESET':
        case 'UND_ERR_SOCKET':
            return `the connection to ${host} was reset`;
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return `${host} could not be resolved (DNS ${code})`;
        case 'ETIMEDOUT':
        case 'UND_ERR_CONNECT_TIMEOUT':
            return `connecting to ${host} timed out`;
        case 'TimeoutError':
            return `${host} did not answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`;
        case 'CERT_HAS_EXPIRED':
        case 'DEPTH_ZERO_SELF_SIGNED_CERT':
        case 'SELF_SIGNED_CERT_IN_CHAIN':
        case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
        case 'ERR_TLS_CERT_ALTNAME_INVALID':
            return `the TLS certificate of ${host} was not accepted (${code})`;
        default:
            return `the request to ${host} failed${code ? ` (${code})` : ''}`;
    }
}
/** The first error code along the cause chain (fetch wraps the socket's error in `cause`). */
function findCode(error) {
    for (let current = error, depth = 0; current && depth < 6; depth++) {
        const e = current;
        if (e.name === 'TimeoutError')
            return 'TimeoutError';
        if (typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code))
            return e.code;
        current = e.original ?? e.cause;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./packages/slack/src/delivery.ts


/**
 * Posts a payload to an incoming webhook with `@slack/webhook`. 429 waits for Retry-After (when it is within
 * maxWaitMs), 5xx and connection failures are retried with exponential backoff, other 4xx end at once with an
 * explanation. Never throws for a failed delivery (the caller decides whether that fails the step); throws
 * CancelledError when the signal aborts.
 */
async function deliver(url, payload, options) {
    const { clock, logger, signal } = options;
    const host = safeHost(url);
    const timeoutMs = options.timeoutMs ?? 10_000;
    const post = await webhookPoster(url, timeoutMs, signal);
    const maxAttempts = options.retries + 1;
    let last = { delivered: false, attempts: 0 };
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        if (signal?.aborted)
            throw (0,src/* abortReason */.Js)(signal);
        const outcome = await post(payload);
        if (signal?.aborted)
            throw (0,src/* abortReason */.Js)(signal);
        if (outcome.kind === 'ok') {
            if (attempt > 1)
                logger.info(`Slack accepted the message on attempt ${attempt}.`);
            return { delivered: true, statusCode: outcome.status, attempts: attempt };
        }
        let waitMs;
        if (outcome.kind === 'http') {
            const problem = explainHttpError(outcome.status, outcome.body);
            last = {
                delivered: false,
                statusCode: outcome.status,
                attempts: attempt,
                errorCode: errorCode(outcome.body),
                problem,
            };
            const retryable = outcome.status === 429 || outcome.status >= 500;
            if (!retryable)
                return last;
            if (outcome.status === 429) {
                waitMs = outcome.retryAfterMs ?? 1000;
                if (waitMs > options.maxWaitMs) {
                    return {
                        ...last,
                        problem: `${problem}: Slack asked to wait ${Math.ceil(waitMs / 1000)} s, longer than the longest wait allowed (${Math.round(options.maxWaitMs / 1000)} s)`,
                    };
                }
            }
            else {
                waitMs = backoff(attempt, options);
            }
        }
        else {
            const problem = `Could not reach Slack: ${explainRequestError(outcome.error, host, timeoutMs)}`;
            last = { delivered: false, attempts: attempt, problem };
            waitMs = backoff(attempt, options);
        }
        if (attempt === maxAttempts)
            break;
        logger.info(`${last.problem}; retrying in ${delivery_formatSeconds(waitMs)} (attempt ${attempt + 1} of ${maxAttempts}).`);
        await clock.sleep(waitMs, signal);
    }
    const tries = `${last.attempts} attempt${last.attempts === 1 ? '' : 's'}`;
    return { ...last, problem: `${last.problem} (gave up after ${tries})` };
}
function backoff(attempt, options) {
    return Math.min(options.maxWaitMs, (options.baseDelayMs ?? 1000) * 2 ** (attempt - 1));
}
function delivery_formatSeconds(ms) {
    return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
/** The host alone: the path of a webhook URL is its secret. */
function safeHost(url) {
    try {
        return new URL(url).host;
    }
    catch {
        return 'Slack';
    }
}
/**
 * One IncomingWebhook for the whole delivery, with the library's own retry off (it retries neither 429 nor with
 * bounded waits) and a fetch that keeps the last response's Retry-After, which the library's error drops.
 */
async function webhookPoster(url, timeoutMs, signal) {
    const { IncomingWebhook, IncomingWebhookHTTPError } = await __webpack_require__.e(/* import() */ 443).then(__webpack_require__.t.bind(__webpack_require__, 4443, 23));
    const seen = {};
    // Read through a function: the fetch callback sets it, which the compiler's narrowing cannot see.
    const lastSeen = () => seen.response;
    const lastError = () => seen.error;
    const fetchWithSignal = async (target, init) => {
        const signals = [init?.signal, signal].filter((s) => s !== undefined);
        try {
            const response = await globalThis.fetch(target, {
                ...init,
                signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
            });
            seen.response = response;
            return response;
        }
        catch (error) {
            // Kept as thrown: the library may rewrap it and lose the socket's error code on the way.
            seen.error = error;
            throw error;
        }
    };
    const webhook = new IncomingWebhook(url, { fetch: fetchWithSignal, timeout: timeoutMs, retryConfig: { retries: 0 } });
    return async (payload) => {
        seen.response = undefined;
        seen.error = undefined;
        try {
            await webhook.send(payload);
            return { kind: 'ok', status: lastSeen()?.status ?? 200 };
        }
        catch (error) {
            if (signal?.aborted)
                throw (0,src/* abortReason */.Js)(signal);
            const http = unwrap(error, IncomingWebhookHTTPError);
            if (http) {
                return {
                    kind: 'http',
                    status: http.statusCode,
                    body: http.body,
                    retryAfterMs: delivery_retryAfter(lastSeen()?.headers.get('retry-after') ?? null),
                };
            }
            if (error instanceof src/* CancelledError */.cc)
                throw error;
            return { kind: 'network', error: lastError() ?? error };
        }
    };
}
/** p-retry wraps client errors in an AbortError whose `originalError` is the library's error. */
function unwrap(error, type) {
    if (error instanceof type)
        return error;
    const inner = error?.originalError;
    return inner instanceof type ? inner : undefined;
}
/** Retry-After in seconds, or an HTTP date. */
function delivery_retryAfter(header, now = Date.now()) {
    if (!header)
        return undefined;
    const text = header.trim();
    if (/^\d+(\.\d+)?$/.test(text))
        return Math.round(Number(text) * 1000);
    const date = Date.parse(text);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

;// CONCATENATED MODULE: ./packages/slack/src/index.ts
// Message building is light (the action's input checks use it); delivery loads @slack/webhook only when it sends.













;// CONCATENATED MODULE: ./packages/pipeline/src/clients.ts




/**
 * One client per AWS service (and per region for Logs), created on first use and reused for the whole release.
 * Endpoints come only from the standard AWS_ENDPOINT_URL* variables; the SDK's adaptive retry rides out throttling.
 */
class AwsClients {
    region;
    ecsClient;
    ecrClient;
    rdsClient;
    logsClients = new Map();
    constructor(region) {
        this.region = region;
    }
    ecs() {
        return (this.ecsClient ??= new dist_cjs/* ECSClient */.Zgc({ region: this.region, retryMode: 'adaptive', maxAttempts: 8 }));
    }
    ecr() {
        return (this.ecrClient ??= new client_ecr_dist_cjs/* ECRClient */.S70({ region: this.region, retryMode: 'adaptive', maxAttempts: 8 }));
    }
    rds() {
        return (this.rdsClient ??= new client_rds_dist_cjs/* RDSClient */.rYe({ region: this.region, retryMode: 'adaptive', maxAttempts: 8 }));
    }
    logs(region) {
        const key = region ?? this.region;
        let client = this.logsClients.get(key);
        if (!client)
            this.logsClients.set(key, (client = new client_cloudwatch_logs_dist_cjs/* CloudWatchLogsClient */.TFr({ region: key, retryMode: 'adaptive' })));
        return client;
    }
    destroy() {
        for (const client of [this.ecsClient, this.ecrClient, this.rdsClient, ...this.logsClients.values()])
            client?.destroy();
    }
}

;// CONCATENATED MODULE: ./packages/pipeline/src/image.ts
// How the release obtains its image when the config says build or push-archive: the config's image section turned
// into what the ecr package's publisher takes. Checked before the release changes anything, like the rest of the
// config: paths that do not exist and build secrets whose variables are not set stop the release at once.




const MIB = 1024 * 1024;
const DEFAULT_CHUNK_MIB = 16;
const DEFAULT_SCAN_TIMEOUT_MINUTES = 10;
const SOURCE_KEY = 'org.opencontainers.image.source';
/** Build contexts buildx fetches itself; only local ones are checked on disk. */
const REMOTE_CONTEXT = /^(?:https?:\/\/|git@|git:\/\/|ssh:\/\/)/;
/**
 * The build or archive to publish, with paths resolved against the workspace. Undefined for `promote`. `environment`
 * names the config entry in messages; `env` gives the workspace, the repository (for the source label) and the
 * values of build secrets, which are masked the moment they are read.
 */
function prepareImageOrigin(image, environment, sha, env) {
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const key = (name) => `environments.${environment}.image.${name}`;
    const local = (name, path, isWanted, what) => {
        const absolute = (0,external_node_path_.resolve)(workspace, path);
        if (!isWanted(absolute)) {
            throw new src/* UserError */.yo(`The release config's ${key(name)} "${path}" is not ${what} in the workspace. Check the path (relative to the workspace).`);
        }
        return absolute;
    };
    if (image.source === 'push-archive') {
        return {
            mode: 'push-archive',
            archive: {
                path: local('archive', image.archive, external_node_fs_.existsSync, 'a file or directory'),
                mountFrom: image['mount-from'] ?? [],
                chunkSize: (image['chunk-size-mib'] ?? DEFAULT_CHUNK_MIB) * MIB,
            },
        };
    }
    if (image.source !== 'build')
        return undefined;
    const context = image.context;
    const secrets = new Map();
    for (const [id, variable] of Object.entries(image['secret-env'] ?? {})) {
        const value = env[variable];
        if (!value) {
            throw new src/* UserError */.yo(`The build secret "${id}" in ${key('secret-env')} reads the variable ${variable}, which is not set. Set ${variable} in the step's env, or remove the secret.`);
        }
        (0,src/* addMask */.eu)(value);
        secrets.set(id, value);
    }
    // The revision and source labels let a later run check what an image was built from (skip-existing).
    const labels = new Map([[REVISION_KEY, sha]]);
    if (env.GITHUB_REPOSITORY) {
        labels.set(SOURCE_KEY, `${(env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')}/${env.GITHUB_REPOSITORY}`);
    }
    for (const [name, value] of Object.entries(image.labels ?? {}))
        labels.set(name, value);
    return {
        mode: 'build',
        build: {
            context: REMOTE_CONTEXT.test(context) ? context : local('context', context, isDirectory, 'a directory'),
            ...(image.file ? { file: local('file', image.file, external_node_fs_.existsSync, 'a file') } : {}),
            platforms: image.platforms ?? [],
            buildArgs: new Map(Object.entries(image['build-args'] ?? {})),
            secrets,
            ...(image.target ? { target: image.target } : {}),
            labels: new Map([...labels].filter(([, value]) => value !== '')),
            ...(image['cache-from'] ? { cacheFrom: image['cache-from'] } : {}),
            ...(image['cache-to'] ? { cacheTo: image['cache-to'] } : {}),
            ...(image.provenance !== undefined ? { provenance: String(image.provenance) } : {}),
        },
    };
}
/** What the publisher is asked to do for this release: the repository must exist (the release never creates one). */
function publishSettings(image, origin, tags, sha) {
    return {
        repository: {
            name: image.repository,
            create: false,
            tagMutability: 'MUTABLE',
            scanOnPush: false,
            encryption: 'AES256',
        },
        tags,
        origin,
        skipExisting: image['skip-existing'] ?? true,
        revision: sha,
        ...(image['fail-on-severity'] ? { failOnSeverity: image['fail-on-severity'] } : {}),
        scanTimeoutMs: (image['scan-timeout-minutes'] ?? DEFAULT_SCAN_TIMEOUT_MINUTES) * 60_000,
    };
}
function isDirectory(path) {
    try {
        return (0,external_node_fs_.statSync)(path).isDirectory();
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: ./packages/pipeline/src/templates.ts
function renderTemplate(template, values) {
    const iso = values.at.toISOString();
    const filled = {
        env: values.env,
        date: iso.slice(0, 10),
        time: iso.slice(11, 19).replace(/:/g, ''),
        sha: values.sha,
        sha7: values.sha.slice(0, 7),
        run: values.run ?? 'local',
    };
    return template.replace(/\{([^{}]*)\}/g, (whole, key) => filled[key] ?? whole);
}

;// CONCATENATED MODULE: ./packages/pipeline/src/release.ts
/**
 * The release: notify start → image → snapshot and migration → deploy → smoke → (rollback on failure) → tag and
 * deployment record → notify the outcome. Every stage drives the same packages as the single-purpose actions. A failure
 * stops the stages after it, rolls the services back when the deploy had changed them, sends the final notification,
 * and is reported with the stage and the reason.
 */











const TITLES = {
    notify: 'Notify start',
    image: 'Image',
    migrate: 'Snapshot and migration',
    deploy: 'Deploy',
    smoke: 'Smoke tests',
    rollback: 'Rollback',
    tag: 'Tag and record',
    'notify-outcome': 'Notify outcome',
};
/** Fails the stage it is thrown from, with a one-line reason. */
class StageFailure extends Error {
}
async function runRelease(options, context) {
    const { logger, clock } = context;
    const target = options.config.environments[options.environment];
    if (!target) {
        const known = Object.keys(options.config.environments).join(', ');
        throw new src/* UserError */.yo(`Environment "${options.environment}" is not in the release config (it has ${known}).`);
    }
    const checks = prepareChecks(target, context.env);
    const wantsImage = options.stages.includes('image');
    const origin = wantsImage
        ? prepareImageOrigin(target.image, options.environment, options.sha, context.env)
        : undefined;
    const region = target.region ?? context.env.AWS_REGION ?? context.env.AWS_DEFAULT_REGION;
    if (!region)
        throw new src/* UserError */.yo('No AWS region: set "region" for the environment in the config, or AWS_REGION.');
    const wants = (stage) => options.stages.includes(stage);
    if (wants('tag') && (target.tag || target['deployment-record']) && !context.github && !options.dryRun) {
        throw new src/* UserError */.yo('Tagging and deployment records need a GitHub token and GITHUB_REPOSITORY.');
    }
    const aws = context.aws ?? new AwsClients(region);
    const report = {
        environment: options.environment,
        sha: options.sha,
        result: options.dryRun ? 'planned' : 'succeeded',
        taskDefinitionArns: {},
        stages: [],
        startedAt: clock.now(),
        finishedAt: clock.now(),
    };
    const at = new Date(clock.now());
    const fill = (template) => renderTemplate(template, { env: options.environment, sha: options.sha, at, run: options.runId });
    let smoke;
    const stage = async (key, run) => {
        const record = {
            key,
            title: TITLES[key],
            result: 'succeeded',
            detail: '',
            links: [],
            startedAt: clock.now(),
        };
        report.stages.push(record);
        logger.startGroup(`${record.title} (${options.environment})`);
        try {
            await run(record);
        }
        catch (error) {
            record.result = 'failed';
            record.detail = error instanceof Error ? error.message : String(error);
            report.failedStage ??= key;
            report.failureReason ??= record.detail;
            if (report.result !== 'rolled-back')
                report.result = 'failed';
            if (!(error instanceof StageFailure) && !(error instanceof src/* UserError */.yo))
                logger.debug(String(error.stack));
        }
        finally {
            record.finishedAt = clock.now();
            logger.endGroup();
        }
    };
    const skip = (key, why) => report.stages.push({ key, title: TITLES[key], result: 'skipped', detail: why, links: [] });
    const failed = () => report.result === 'failed' || report.result === 'rolled-back';
    try {
        if (wants('notify') && !options.dryRun)
            await stage('notify', (r) => notify(r, 'started', target, options, report, context, smoke));
        if (!wants('image'))
            skip('image', 'not among the stages asked for');
        else
            await stage('image', (r) => imageStage(r, target, origin, options, report, aws, context, fill));
        if (!target.migration)
            skip('migrate', 'no migration in the config');
        else if (!wants('migrate') || options.dryRun)
            skip('migrate', options.dryRun ? 'dry run' : 'not among the stages asked for');
        else if (failed())
            skip('migrate', 'an earlier stage failed');
        else
            await stage('migrate', (r) => migrateStage(r, target, options, report, aws, context, fill));
        if (!wants('deploy'))
            skip('deploy', 'not among the stages asked for');
        else if (failed())
            skip('deploy', 'an earlier stage failed');
        else
            await stage('deploy', (r) => deployStage(r, target, options, report, aws, context));
        if (!target.smoke || !checks)
            skip('smoke', 'no smoke checks in the config');
        else if (!wants('smoke') || options.dryRun)
            skip('smoke', options.dryRun ? 'dry run' : 'not among the stages asked for');
        else if (failed())
            skip('smoke', 'an earlier stage failed');
        else
            await stage('smoke', async (r) => {
                smoke = await smokeStage(r, target, checks, options, context);
            });
        // Services this release changed go back to what they ran before, except those ECS already rolled back.
        if (failed() && report.deploy && servicesToRollBack(report).size > 0) {
            await stage('rollback', (r) => rollbackStage(r, target, report, aws, context));
        }
        if (!target.tag && !target['deployment-record'])
            skip('tag', 'no tag or deployment record in the config');
        else if (!wants('tag') || options.dryRun)
            skip('tag', options.dryRun ? 'dry run' : 'not among the stages asked for');
        else if (failed())
            skip('tag', 'the release failed: nothing is tagged');
        else
            await stage('tag', (r) => tagStage(r, target, options, report, context, fill));
    }
    finally {
        if (wants('notify') && !options.dryRun) {
            const status = report.result === 'rolled-back' ? 'rolled-back' : failed() ? 'failed' : 'succeeded';
            await stage('notify-outcome', (r) => notify(r, status, target, options, report, context, smoke));
        }
        if (!context.aws)
            aws.destroy();
        report.finishedAt = clock.now();
    }
    logger.info(report.result === 'succeeded' || report.result === 'planned'
        ? `Release of ${options.sha.slice(0, 7)} to ${options.environment}: ${report.result}.`
        : `Release of ${options.sha.slice(0, 7)} to ${options.environment} ${report.result} at ${report.failedStage}: ${report.failureReason}`);
    return report;
}
/** Smoke checks are validated before anything changes, like every other part of the config. */
function prepareChecks(target, env) {
    if (!target.smoke)
        return undefined;
    const baseUrl = target.smoke['base-url'] ? new URL(target.smoke['base-url']) : undefined;
    const { checks, problems } = check_spec_validateChecks(target.smoke.checks, { env, ...(baseUrl ? { baseUrl } : {}) });
    if (problems.length > 0) {
        throw new src/* UserError */.yo(`The smoke checks in the config are not valid: ${problems.map((p) => `${p.problem} (${p.fix})`).join('; ')}`);
    }
    return checks;
}
async function imageStage(record, target, origin, options, report, aws, context, fill) {
    const { image } = target;
    if (origin)
        return publishStage(record, image, origin, options, report, aws, context, fill);
    const repository = await ensureRepository(aws.ecr(), { name: image.repository, create: false, tagMutability: 'MUTABLE', scanOnPush: false, encryption: 'AES256' }, context.logger, context.signal);
    const from = fill(image.from);
    const tags = options.dryRun ? [] : image.tags.map(fill);
    const promoted = await promote(aws.ecr(), repository, { tag: from }, tags, context.logger, context.signal);
    report.imageRef = `${repository.uri}@${promoted.digest}`;
    record.detail = options.dryRun
        ? `${repository.name}:${from} exists (${promoted.digest.slice(0, 19)}…)`
        : `promoted ${repository.name}:${from} to ${tags.join(', ')} without rebuilding (${promoted.digest.slice(0, 19)}…)`;
    if (options.dryRun)
        record.result = 'planned';
}
/** The build and push-archive sources: the same publisher as the build-push-ecr action. */
async function publishStage(record, image, origin, options, report, aws, context, fill) {
    const settings = publishSettings(image, origin, image.tags.map(fill), options.sha);
    const scratchDir = context.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)();
    if (options.dryRun)
        return planPublish(record, image, origin, settings.tags, settings.skipExisting, report, aws, context, scratchDir);
    const result = await publishImage(settings, {
        ecr: aws.ecr(),
        logger: context.logger,
        clock: context.clock,
        signal: context.signal,
        protect: src/* addMask */.eu,
        scratchDir,
        // The root action has no post step, so the registry credentials go as soon as the build is done.
        logoutAfterBuild: true,
    });
    report.imageRef = result.imageRef;
    const short = `${result.digest.slice(0, 19)}…`;
    const what = origin.mode === 'build'
        ? result.pushed
            ? `built ${image.context} and pushed it as ${result.tags.join(', ')}`
            : `${image.repository}:${result.tags[0]} already exists for this commit: reused, not rebuilt`
        : result.pushed
            ? `pushed ${image.archive} as ${result.tags.join(', ')}`
            : `${image.repository} already had ${image.archive} under ${result.tags.join(', ')}`;
    record.detail = `${what} (${short})${result.scan ? `; scan: ${result.scan}` : ''}`;
}
/** A dry run reads, never writes: the image the release would deploy, pinned by digest where it can be known. */
async function planPublish(record, image, origin, tags, skipExisting, report, aws, context, scratchDir) {
    const repository = await ensureRepository(aws.ecr(), { name: image.repository, create: false, tagMutability: 'MUTABLE', scanOnPush: false, encryption: 'AES256' }, context.logger, context.signal);
    record.result = 'planned';
    if (origin.mode === 'push-archive') {
        const layout = await OciLayout.open(origin.archive.path, scratchDir);
        try {
            const digest = layout.rootImage().descriptor.digest;
            report.imageRef = imageReference(repository.uri, digest);
            record.detail = `would push ${image.archive} (${digest.slice(0, 19)}…) as ${tags.join(', ')}`;
        }
        finally {
            await layout.close();
        }
        return;
    }
    const first = tags[0];
    const existing = skipExisting
        ? (await lookupImages(aws.ecr(), repository, { tags: [first] }, context.signal)).tags.get(first)
        : undefined;
    if (existing) {
        report.imageRef = imageReference(repository.uri, existing.digest);
        record.detail = `would reuse ${repository.name}:${first} (${existing.digest.slice(0, 19)}…)`;
    }
    else {
        // Not built yet, so no digest: the plan shows the image by its first tag.
        report.imageRef = `${repository.uri}:${first}`;
        record.detail = `would build ${image.context} and push it as ${tags.join(', ')}`;
    }
}
async function migrateStage(record, target, options, report, aws, context, fill) {
    const migration = target.migration;
    const parts = [];
    if (migration.snapshot) {
        const snapshot = migration.snapshot;
        const result = await createSnapshotAndWait(aws.rds(), {
            source: snapshot['db-instance']
                ? { kind: 'instance', identifier: snapshot['db-instance'] }
                : { kind: 'cluster', identifier: snapshot['db-cluster'] },
            snapshotId: fill(snapshot.id),
            timeoutMs: snapshot['timeout-minutes'] * 60_000,
            pollIntervalMs: 5000,
            tags: { 'ecs-ship:environment': options.environment, 'ecs-ship:sha': options.sha },
        }, { logger: context.logger, clock: context.clock, signal: context.signal });
        parts.push(`snapshot ${result.snapshotId} available`);
    }
    const result = await runOneOffTask({ ecs: aws.ecs(), logs: (region) => aws.logs(region), region: aws.region }, {
        cluster: target.cluster,
        taskDefinition: { kind: 'reference', reference: migration['task-definition'] },
        container: migration.container,
        image: report.imageRef,
        command: migration.command,
        environment: new Map(Object.entries(migration.environment)),
        launchType: migration['launch-type'],
        capacityProviderStrategy: [],
        network: migration.subnets.length > 0
            ? {
                subnets: migration.subnets,
                securityGroups: migration['security-groups'],
                assignPublicIp: migration['assign-public-ip'],
            }
            : undefined,
        startedBy: `ecs-ship/${options.runId ?? 'release'}`.slice(0, 36),
        timeoutMs: migration['timeout-minutes'] * 60_000,
        pollIntervalMs: migration['poll-interval-seconds'] * 1000,
        streamLogs: true,
    }, { logger: context.logger, clock: context.clock, signal: context.signal });
    if (result.logUrl)
        record.links.push({ text: 'migration logs', url: result.logUrl });
    parts.push(`task ${result.taskId} exited ${result.exitCode ?? 'without an exit code'}`);
    record.detail = parts.join('; ');
    if (!result.outcome.passed)
        throw new StageFailure(result.outcome.summary);
}
function deployOptions(target, imageRef, mode) {
    const containers = [...new Set(target.services.flatMap((s) => s.containers ?? []))];
    return {
        cluster: target.cluster,
        services: target.services.map((s) => s.name),
        images: new Map(imageRef ? containers.map((c) => [c, imageRef]) : []),
        imageForEssentialContainer: imageRef && containers.length === 0 ? imageRef : undefined,
        environment: new Map(),
        forceNewDeployment: false,
        circuitBreaker: target.deploy['circuit-breaker'],
        alarms: target.deploy.alarms,
        wait: true,
        timeoutMs: target.deploy['timeout-minutes'] * 60_000,
        pollIntervalMs: target.deploy['poll-interval-seconds'] * 1000,
        onTimeout: 'rollback',
        waitForRollback: true,
        mode,
        rollbackTo: new Map(),
    };
}
async function deployStage(record, target, options, report, aws, context) {
    if (!report.imageRef)
        throw new StageFailure('No image to deploy: run the image stage too.');
    const result = await deployServices(deployOptions(target, report.imageRef, options.dryRun ? 'plan' : 'deploy'), {
        ecs: aws.ecs(),
        logger: context.logger,
        clock: context.clock,
        signal: context.signal,
    });
    report.deploy = result;
    // What now runs: the new revisions only when the deploy held.
    if (result.result === 'succeeded' || result.result === 'unchanged') {
        for (const service of result.services)
            if (service.taskDefinition)
                report.taskDefinitionArns[service.service] = service.taskDefinition;
    }
    record.detail = `${result.services.length} service(s): ${result.result}`;
    if (result.result === 'planned')
        record.result = 'planned';
    else if (result.result === 'rolled-back') {
        report.result = 'rolled-back';
        throw new StageFailure(result.failureReason ?? 'ECS rolled the deployment back');
    }
    else if (result.result !== 'succeeded' && result.result !== 'unchanged') {
        throw new StageFailure(result.failureReason ?? `the deployment ended ${result.result}`);
    }
}
async function smokeStage(record, target, checks, options, context) {
    const smoke = target.smoke;
    const result = await runChecks(checks, {
        waitForHealthyMs: smoke['wait-for-healthy-seconds'] * 1000,
        consecutiveSuccesses: smoke['consecutive-successes'],
        samples: 1,
        concurrency: 10,
        requestTimeoutMs: smoke['request-timeout-seconds'] * 1000,
        maxRedirects: 5,
        maxErrorRate: 0,
        expectVersion: smoke['expect-version'] ? options.sha : undefined,
        versionSource: smoke['version-header']
            ? { kind: 'header', name: smoke['version-header'] }
            : smoke['version-json-path']
                ? { kind: 'json', path: smoke['version-json-path'] }
                : { kind: 'body' },
    }, { logger: context.logger, clock: context.clock, signal: context.signal });
    const failedChecks = result.checks.filter((c) => c.result === 'failed');
    record.detail = `${result.checks.length - failedChecks.length} of ${result.checks.length} checks passed`;
    if (failedChecks.length > 0) {
        throw new StageFailure(failedChecks.map((c) => `${c.name}: ${c.failure ?? 'failed'}`).join('; '));
    }
    return result;
}
async function rollbackStage(record, target, report, aws, context) {
    const previous = servicesToRollBack(report);
    const options = {
        ...deployOptions(target, undefined, 'rollback'),
        services: [...previous.keys()],
        rollbackTo: previous,
    };
    const result = await deployServices(options, {
        ecs: aws.ecs(),
        logger: context.logger,
        clock: context.clock,
        signal: context.signal,
    });
    report.rollback = result;
    record.detail = `${previous.size} service(s) back on their previous revisions: ${result.result}`;
    if (result.result !== 'succeeded' && result.result !== 'unchanged') {
        throw new StageFailure(result.failureReason ?? `the rollback ended ${result.result}`);
    }
    report.result = 'rolled-back';
}
/** Services the deploy moved to a new revision that are not already healthy again on their previous one. */
function servicesToRollBack(report) {
    return new Map((report.deploy?.services ?? []).flatMap((s) => s.previousTaskDefinition && s.deploymentId && !s.rollback?.healthy ? [[s.service, s.previousTaskDefinition]] : []));
}
async function tagStage(record, target, options, report, context, fill) {
    const { client, repository } = context.github;
    const details = { image: report.imageRef, 'task-definitions': report.taskDefinitionArns };
    const deployment = target['deployment-record']
        ? { environment: options.environment, state: 'success', environmentUrl: target['deployment-record'].url }
        : undefined;
    if (target.tag) {
        const outcome = await publishRelease(client, {
            repository,
            sha: options.sha,
            tag: { kind: 'name', name: fill(target.tag.template) },
            release: target.tag.release ? { generateNotes: true, prerelease: false, makeLatest: 'auto' } : undefined,
            deployment,
            details,
            runUrl: options.runUrl,
        }, context.logger);
        report.tag = outcome.tag.tag;
        record.detail = `tagged ${outcome.tag.tag}${outcome.deployment ? `, deployment ${outcome.deployment.id} recorded` : ''}`;
        if (outcome.release?.url)
            record.links.push({ text: `release ${outcome.tag.tag}`, url: outcome.release.url });
    }
    else if (deployment) {
        const result = await recordDeployment(client, repository, {
            ...deployment,
            sha: options.sha,
            tag: '',
            logUrl: options.runUrl,
            description: `Released ${options.sha.slice(0, 7)} to ${options.environment}`,
            payload: { tag: '', ...details },
        }, context.logger);
        record.detail = `deployment ${result.id} recorded`;
    }
}
async function notify(record, status, target, options, report, context, smoke) {
    const variable = target.slack?.['webhook-env'];
    const url = variable ? context.env[variable] : undefined;
    if (!url) {
        record.result = 'skipped';
        record.detail = variable ? `${variable} is not set` : 'no Slack webhook in the config';
        return;
    }
    const outputs = {};
    if (report.imageRef)
        outputs.image = { 'image-ref': report.imageRef };
    if (report.deploy) {
        outputs.deploy = {
            result: report.deploy.result,
            'failure-reason': report.deploy.failureReason ?? '',
            'task-definition-arns': Object.fromEntries(report.deploy.services.flatMap((s) => (s.taskDefinition ? [[s.service, s.taskDefinition]] : []))),
            'previous-task-definition-arns': Object.fromEntries(report.deploy.services.flatMap((s) => s.previousTaskDefinition ? [[s.service, s.previousTaskDefinition]] : [])),
        };
    }
    if (smoke)
        outputs.smoke = {
            result: smoke.result,
            report: smoke,
            'failed-checks': smoke.checks.filter((c) => c.result === 'failed').map((c) => c.name),
        };
    if (report.tag)
        outputs.release = { tag: report.tag };
    const details = parseDetails(outputs);
    // A deploy failure is told by the deploy details themselves; any other failure needs saying.
    const text = (status === 'failed' || status === 'rolled-back') && !outputs.deploy?.['failure-reason']
        ? report.failureReason
        : undefined;
    const payload = buildMessage({
        status,
        environment: options.environment,
        service: target.services.map((s) => s.name).join(', '),
        text,
        fields: [],
        details: 'value' in details ? details.value : [],
        mentions: [],
        startedAt: report.startedAt,
    }, { ...runContextFromEnv(context.env), sha: options.sha }, context.clock.now());
    const result = await deliver(url, payload, {
        retries: 3,
        maxWaitMs: 30_000,
        clock: context.clock,
        logger: context.logger,
        signal: context.signal,
    });
    // A notification never fails a release: an undelivered one is a warning.
    record.result = result.delivered ? 'succeeded' : 'warning';
    record.detail = result.delivered
        ? `Slack accepted the ${status} message`
        : `not delivered: ${result.problem ?? 'unknown problem'}`;
}

;// CONCATENATED MODULE: ./packages/pipeline/src/summary.ts


const summary_RESULT_ICON = {
    succeeded: '✅',
    failed: '❌',
    'rolled-back': '↩️',
    planned: '📝',
    skipped: '⏭️',
    warning: '⚠️',
};
/** The whole release at a glance: the outcome, each stage with its duration and result, links, and a timeline. */
function summary_releaseSummary(report) {
    const parts = [];
    const outcome = report.result === 'succeeded' || report.result === 'planned'
        ? report.result
        : `${report.result} at ${report.failedStage}`;
    parts.push((0,src/* heading */.R_)(`${summary_RESULT_ICON[report.result]} Release of ${(0,src/* code */.aY)(report.sha.slice(0, 7))} to ${report.environment}: ${outcome}`));
    if (report.failureReason)
        parts.push(`> ${report.failureReason}`);
    parts.push((0,src/* table */.tp)(['Stage', 'Result', 'Duration', 'What happened'], report.stages.map((stage) => [
        stage.title,
        `${summary_RESULT_ICON[stage.result] ?? ''} ${stage.result}`,
        duration(stage),
        stage.detail,
    ])));
    const facts = [];
    if (report.imageRef)
        facts.push(`- Image: ${(0,src/* code */.aY)(report.imageRef)}`);
    for (const [service, arn] of Object.entries(report.taskDefinitionArns))
        facts.push(`- ${service}: ${(0,src/* code */.aY)(arn.replace(/^.*:task-definition\//, ''))}`);
    if (report.tag)
        facts.push(`- Tag: ${(0,src/* code */.aY)(report.tag)}`);
    for (const stage of report.stages)
        for (const l of stage.links)
            facts.push(`- ${(0,src/* link */.nf)(l.text, l.url)}`);
    if (facts.length > 0)
        parts.push(facts.join('\n'));
    const timeline = summary_gantt(report);
    if (timeline)
        parts.push((0,src/* heading */.R_)('Timeline', 3), timeline);
    if (report.deploy)
        parts.push((0,src/* details */.zH)('Deployment details', deploySummary(report.deploy)));
    if (report.rollback)
        parts.push((0,src/* details */.zH)('Rollback details', deploySummary(report.rollback)));
    return `${parts.join('\n\n')}\n`;
}
function duration(stage) {
    return stage.startedAt !== undefined && stage.finishedAt !== undefined
        ? (0,src/* formatDuration */.a3)(stage.finishedAt - stage.startedAt)
        : '';
}
/** A Mermaid gantt of the stages that ran; GitHub renders it in the job summary. */
function summary_gantt(report) {
    const ran = report.stages.filter((s) => s.startedAt !== undefined && s.finishedAt !== undefined);
    if (ran.length === 0)
        return undefined;
    const lines = ['```mermaid', 'gantt', '  dateFormat x', '  axisFormat %M:%S', `  section ${report.environment}`];
    for (const stage of ran) {
        const tag = stage.result === 'failed' ? 'crit, ' : stage.result === 'succeeded' ? 'done, ' : '';
        const end = Math.max(stage.finishedAt, stage.startedAt + 1);
        lines.push(`  ${stage.title.replace(/:/g, '')} :${tag}${stage.startedAt}, ${end}`);
    }
    lines.push('```');
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./packages/pipeline/src/index.ts
// A whole release from a config file, driving the same packages as the single-purpose actions.







;// CONCATENATED MODULE: ./actions/release/src/run.ts






async function run(settings) {
    const config = readConfig(settings.configPath);
    const repository = parseRepository(process.env.GITHUB_REPOSITORY ?? '');
    // getOctokit reads the API base from GITHUB_API_URL.
    const signal = (0,src/* cancellationSignal */.w6)();
    const github = settings.githubToken && repository ? { client: (0,lib_github/* getOctokit */.Q)(settings.githubToken), repository } : undefined;
    // GitHub's 5xx answers and dropped connections are ridden out; its writes are safe to repeat (422 "already there").
    if (github)
        retryTransientFailures(github.client, { clock: src/* systemClock */.ml, logger: src/* runnerLogger */.hB, signal });
    const serverUrl = process.env.GITHUB_SERVER_URL ?? 'https://github.com';
    const runId = process.env.GITHUB_RUN_ID;
    const runUrl = runId && repository ? `${serverUrl}/${repository.owner}/${repository.repo}/actions/runs/${runId}` : undefined;
    const report = await runRelease({
        environment: settings.environment,
        sha: settings.sha,
        config,
        stages: settings.stages,
        dryRun: settings.dryRun,
        runUrl,
        runId,
    }, { logger: src/* runnerLogger */.hB, clock: src/* systemClock */.ml, signal, env: process.env, github });
    setOutputs({
        result: report.result,
        'failed-stage': report.failedStage,
        'failure-reason': report.failureReason,
        'image-ref': report.imageRef,
        'task-definition-arns': report.taskDefinitionArns,
        tag: report.tag,
    });
    await appendSummary(summary_releaseSummary(report));
    if (report.result === 'failed' || report.result === 'rolled-back') {
        throw new src/* UserError */.yo(`The release ${report.result} at the ${report.failedStage} stage: ${report.failureReason}`, {
            title: `Release to ${settings.environment} ${report.result}`,
        });
    }
}
function readConfig(path) {
    const absolute = (0,external_node_path_.resolve)(process.env.GITHUB_WORKSPACE ?? process.cwd(), path);
    try {
        return loadConfig(absolute, undefined);
    }
    catch (error) {
        if (error instanceof ConfigError)
            throw new src/* UserError */.yo(error.message.replace(absolute, path));
        const code = error.code;
        if (code === 'ENOENT')
            throw new src/* UserError */.yo(`Input "config": the file "${path}" does not exist. Add the release config, or point "config" at it.`);
        throw error;
    }
}


/***/ })

};
