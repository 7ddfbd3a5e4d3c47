export const id = 449;
export const ids = [449];
export const modules = {

/***/ 8449:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DEFAULT_SNAPSHOT_ID_TEMPLATE: () => (/* reexport */ snapshot_id/* DEFAULT_SNAPSHOT_ID_TEMPLATE */.I3),
  REQUEST_TAG_KEY: () => (/* reexport */ REQUEST_TAG_KEY),
  SNAPSHOT_ID_PLACEHOLDERS: () => (/* reexport */ snapshot_id/* SNAPSHOT_ID_PLACEHOLDERS */.Kj),
  assessSnapshot: () => (/* reexport */ assessSnapshot),
  createSnapshotAndWait: () => (/* reexport */ createSnapshotAndWait),
  renderSnapshotId: () => (/* reexport */ snapshot_id/* renderSnapshotId */.KY)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-rds/dist-cjs/index.js
var dist_cjs = __webpack_require__(7202);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./packages/action-kit/src/index.ts + 9 modules
var src = __webpack_require__(8300);
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
        const { DBSnapshot } = await client.send(new dist_cjs.CreateDBSnapshotCommand({
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
    const { DBClusterSnapshot } = await client.send(new dist_cjs.CreateDBClusterSnapshotCommand({
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
        const { DBSnapshots } = await client.send(new dist_cjs.DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: snapshotId }), {
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
    const { DBClusterSnapshots } = await client.send(new dist_cjs.DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: snapshotId }), { abortSignal: signal });
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

// EXTERNAL MODULE: ./packages/rds/src/snapshot-id.ts
var snapshot_id = __webpack_require__(3269);
;// CONCATENATED MODULE: ./packages/rds/src/index.ts




/***/ })

};
