export const id = 389;
export const ids = [389];
export const modules = {

/***/ 6389:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./packages/action-kit/src/index.ts + 8 modules
var src = __webpack_require__(1125);
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
    lib_core/* saveState */.LZ(name, value);
}
function getState(name) {
    return core.getState(name);
}
function exportVariable(name, value) {
    core.exportVariable(name, value);
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecr/dist-cjs/index.js
var dist_cjs = __webpack_require__(8249);
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
function describeAwsError(error) {
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
        const answer = await client.send(new dist_cjs/* GetAuthorizationTokenCommand */.Eu6(options.registryId ? { registryIds: [options.registryId] } : {}), { abortSignal: options.signal });
        data = answer.authorizationData?.[0];
    }
    catch (error) {
        throw new src/* UserError */.yo(`Could not get ECR registry credentials (${describeAwsError(error)}). Check that the role may call ecr:GetAuthorizationToken.`, { title: 'ECR', cause: error });
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
        const { repositories } = await client.send(new dist_cjs/* DescribeRepositoriesCommand */.pE_({
            repositoryNames: [settings.name],
            ...(settings.registryId ? { registryId: settings.registryId } : {}),
        }), { abortSignal: signal });
        const found = repositories?.[0];
        if (found)
            return info(found, false);
    }
    catch (error) {
        if (!isAwsError(error, 'RepositoryNotFoundException')) {
            throw new src/* UserError */.yo(`Could not read ECR repository "${settings.name}" (${describeAwsError(error)}).`, {
                title: 'ECR',
                cause: error,
            });
        }
    }
    if (!settings.create) {
        throw new src/* UserError */.yo(`ECR repository "${settings.name}" does not exist. Create it, or set create-repository: true to let this action create it.`, { title: 'ECR' });
    }
    try {
        const { repository } = await client.send(new dist_cjs/* CreateRepositoryCommand */.WTe({
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
        throw new src/* UserError */.yo(`Could not create ECR repository "${settings.name}" (${describeAwsError(error)}).`, {
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
        answer = await client.send(new dist_cjs/* BatchGetImageCommand */.P8n({
            repositoryName: repository.name,
            ...(repository.registryId ? { registryId: repository.registryId } : {}),
            imageIds,
            acceptedMediaTypes: MANIFEST_MEDIA_TYPES,
        }), { abortSignal: signal });
    }
    catch (error) {
        throw new src/* UserError */.yo(`Could not read images of ECR repository "${repository.name}" (${describeAwsError(error)}).`, {
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
            await client.send(new dist_cjs/* PutImageCommand */.SUU({
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
                throw new src/* UserError */.yo(`Could not tag ${image.digest} as "${tag}" (${describeAwsError(error)}).`, {
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
                const answer = await client.send(new dist_cjs/* DescribeImageScanFindingsCommand */.TQ0({
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
                    throw new src/* UserError */.yo(`Could not read the scan findings of ${digest} (${describeAwsError(error)}).`, {
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
// EXTERNAL MODULE: ./packages/ecr/src/reference.ts
var reference = __webpack_require__(2691);
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
    if (typeof digest !== 'string' || !(0,reference/* isDigest */.Bc)(digest)) {
        throw new src/* UserError */.yo('docker buildx reported no image digest in its metadata file; was the image pushed?', {
            title: 'Docker',
        });
    }
    return digest;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
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
    const manifest = parse(bytes, root.descriptor.digest);
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
    const manifest = parse(bytes, descriptor.digest);
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
function parse(bytes, digest) {
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

;// CONCATENATED MODULE: ./packages/ecr/src/clients.ts

/**
 * The run's one ECR client. Region and endpoint come only from the standard variables (AWS_REGION,
 * AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_ECR); the SDK retries throttling itself in adaptive mode.
 */
function createEcrClient() {
    return new dist_cjs/* ECRClient */.S70({ retryMode: 'adaptive' });
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
        imageRef: (0,reference/* imageReference */.rA)(repository.uri, outcome.digest),
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















;// CONCATENATED MODULE: ./actions/build-push-ecr/src/run.ts
// The action's work, once every input is valid: publish the image with the ecr package, then report outputs and a
// summary. The runner-facing parts live here: masking, the post step's state, outputs and the summary.




async function run(settings, logger = src/* runnerLogger */.hB) {
    let result;
    try {
        result = await publishImage(publishSettings(settings), {
            ecr: createEcrClient(),
            logger,
            clock: src/* systemClock */.ml,
            signal: (0,src/* cancellationSignal */.w6)(),
            protect: src/* addMask */.eu,
            scratchDir: process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(),
            checkRepository: (repository) => {
                const registryHost = repository.uri.split('/')[0];
                if (settings.repository.host && settings.repository.host !== registryHost) {
                    throw new src/* UserError */.yo(`Input "repository": the URI names registry ${settings.repository.host}, but repository ${repository.name} lives in ${registryHost}. Give the repository by name, or configure credentials for the account and region of that registry.`);
                }
            },
            // Saved before logging in, so that the post step removes the credentials even if this step fails half way.
            beforeLogin: (host) => saveState('registry', host),
        });
    }
    catch (error) {
        if (error instanceof ScanThresholdError) {
            await report(error.result, `${error.result.scan} (fails at ${error.threshold})`);
        }
        throw error;
    }
    await report(result, result.scan);
}
function publishSettings(settings) {
    return {
        repository: {
            name: settings.repository.name,
            ...(settings.repository.registryId ? { registryId: settings.repository.registryId } : {}),
            create: settings.createRepository,
            tagMutability: settings.tagMutability,
            scanOnPush: settings.scanOnPush,
            encryption: settings.encryption,
            ...(settings.kmsKey ? { kmsKey: settings.kmsKey } : {}),
        },
        tags: settings.tags,
        origin: origin(settings),
        skipExisting: settings.skipExisting,
        revision: settings.revision,
        ...(settings.failOnSeverity ? { failOnSeverity: settings.failOnSeverity } : {}),
        scanTimeoutMs: settings.scanTimeoutMs,
    };
}
function origin(settings) {
    if (settings.mode === 'promote')
        return { mode: 'promote', source: settings.source };
    if (settings.mode === 'push-archive')
        return { mode: 'push-archive', archive: settings.archive };
    return { mode: 'build', build: settings.build };
}
async function report(result, scan) {
    const { repository } = result;
    setOutputs({
        image: repository.uri,
        digest: result.digest,
        'image-ref': result.imageRef,
        tags: result.tags.join(','),
        pushed: result.pushed,
    });
    const rows = [
        ['Mode', result.mode],
        ['Image', (0,src/* code */.aY)(result.imageRef)],
        ['Tags', result.tags.map(src/* code */.aY).join(', ')],
        [
            'Pushed',
            result.pushed ? 'yes' : result.mode === 'promote' ? 'no (tagged by manifest)' : 'no (already in the registry)',
        ],
    ];
    if (repository.created)
        rows.push(['Repository', `created (${repository.mutability.toLowerCase()} tags)`]);
    if (result.stats) {
        const s = result.stats;
        rows.push([
            'Blobs',
            `${s.blobsUploaded} uploaded (${s.bytesUploaded} bytes), ${s.blobsSkipped} already there, ${s.blobsMounted} mounted`,
        ]);
    }
    if (scan)
        rows.push(['Scan', scan]);
    await appendSummary(`### build-push-ecr: ${repository.name}\n\n${(0,src/* table */.tp)(['Item', 'Result'], rows)}\n\n${result.notes.join(' ')}\n`);
    src/* runnerLogger */.hB.info(`Image: ${result.imageRef}`);
}


/***/ })

};
