export const id = 359;
export const ids = [359];
export const modules = {

/***/ 359:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 22 modules
var github = __webpack_require__(2413);
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

// EXTERNAL MODULE: ./packages/github-release/src/ref-name.ts
var ref_name = __webpack_require__(7074);
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
    const problem = (0,ref_name/* tagNameProblem */.p)(chosen.tag);
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
        ['Tag', `${(0,src/* link */.nf)(tag.tag, `${base}/tree/${refPath(tag.tag)}`)} ${tag.created ? '(created)' : '(already there)'}`],
        ['Commit', (0,src/* link */.nf)((0,src/* code */.aY)(tag.commitSha.slice(0, 7)), `${base}/commit/${tag.commitSha}`)],
        ['Tag object', (0,src/* code */.aY)(tag.tagSha)],
    ];
    if (outcome.previousTag)
        rows.push(['Previous version', (0,src/* code */.aY)(outcome.previousTag)]);
    rows.push([
        'Release',
        release
            ? `${(0,src/* link */.nf)(`release ${tag.tag}`, release.url)} ${release.created ? '(published)' : '(already there)'}`
            : missing,
    ]);
    rows.push([
        'Deployment',
        deployment
            ? `${(0,src/* link */.nf)(`#${deployment.id}`, `${base}/deployments/${encodeURIComponent(deployment.environment)}`)} to ${(0,src/* code */.aY)(deployment.environment)}: ${deployment.state}` +
                (deployment.created ? '' : ' (already recorded)') +
                (deployment.deactivated.length > 0 ? `; ${deployment.deactivated.length} earlier marked inactive` : '')
            : missing,
    ]);
    const title = (0,src/* heading */.R_)(`Release ${(0,src/* code */.aY)(tag.tag)}${failure ? ' (incomplete)' : ''}`);
    const failed = failure ? `\n**Failed:** ${failure}\n` : '';
    return `${title}\n\n${(0,src/* table */.tp)([' ', ' '], rows)}\n${failed}`;
}
/** A ref name in a URL path: each part encoded, the slashes kept (`releases/v1.0.0`). */
function refPath(name) {
    return name.split('/').map(encodeURIComponent).join('/');
}

;// CONCATENATED MODULE: ./packages/github-release/src/index.ts














;// CONCATENATED MODULE: ./actions/tag-release/src/run.ts




/** Tags the commit, publishes the release and records the deployment; then writes outputs and the job summary. */
async function run(settings) {
    const repository = parseRepository(process.env.GITHUB_REPOSITORY ?? '');
    if (!repository) {
        throw new src/* UserError */.yo(`GITHUB_REPOSITORY is "${process.env.GITHUB_REPOSITORY ?? ''}", not owner/name. Run the action in a GitHub Actions workflow.`);
    }
    const serverUrl = process.env.GITHUB_SERVER_URL || 'https://github.com';
    const runId = process.env.GITHUB_RUN_ID;
    const runUrl = runId ? `${serverUrl}/${repository.owner}/${repository.repo}/actions/runs/${runId}` : undefined;
    // getOctokit reads the API base from GITHUB_API_URL (GitHub Enterprise, or a local stand-in).
    const client = (0,github/* getOctokit */.Q)(settings.token);
    retryTransientFailures(client, { clock: src/* systemClock */.ml, logger: src/* runnerLogger */.hB, signal: (0,src/* cancellationSignal */.w6)() });
    const progress = {};
    let outcome;
    try {
        outcome = await publishRelease(client, {
            repository,
            sha: settings.sha,
            tag: settings.tag,
            message: settings.message,
            release: settings.release,
            deployment: settings.deployment,
            // The release body and the deployment payload are read by more people than the log: no masked value goes there.
            details: redactDeep(settings.details),
            runUrl,
        }, src/* runnerLogger */.hB, progress);
    }
    catch (error) {
        // What was done before the failure is real (a tag, a release): say so in the outputs and the summary.
        if (progress.tag) {
            setReleaseOutputs(progress);
            const reason = error instanceof Error ? error.message : String(error);
            await appendSummary(releaseSummary(progress, repository, serverUrl, reason));
        }
        throw error;
    }
    setReleaseOutputs(outcome);
    await appendSummary(releaseSummary(outcome, repository, serverUrl));
}
function setReleaseOutputs(outcome) {
    setOutputs({
        tag: outcome.tag.tag,
        'tag-sha': outcome.tag.tagSha,
        'release-url': outcome.release?.url,
        'release-id': outcome.release?.id,
        'deployment-id': outcome.deployment?.id,
    });
}
function redactDeep(value) {
    if (typeof value === 'string')
        return (0,src/* redact */.E$)(value);
    if (Array.isArray(value))
        return value.map(redactDeep);
    if (typeof value === 'object' && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([key, inner]) => [(0,src/* redact */.E$)(key), redactDeep(inner)]));
    }
    return value;
}


/***/ })

};
