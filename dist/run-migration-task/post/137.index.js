export const id = 137;
export const ids = [137];
export const modules = {

/***/ 8137:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  stopTaskIfRunning: () => (/* reexport */ stopTaskIfRunning)
});

// UNUSED EXPORTS: DESCRIBE_SERVICES_LIMIT, DESCRIBE_SERVICE_DEPLOYMENTS_LIMIT, LogFollower, OVERALL_RESULTS, Observer, ProgressLog, READ_ONLY_FIELDS, STOP_REASON_CANCELLED, STOP_REASON_TIMEOUT, assess, chooseContainer, chunk, decideOutcome, deployServices, deploySummary, deploymentConfiguration, deploymentView, describeAwsError, describeServices, diffTaskDefinitions, eventView, formatDiff, gantt, imagesOf, isFinal, isTransient, isUnsupported, logConsoleUrl, logLocation, normaliseTaskDefinition, overallResult, prepare, prepareTaskDefinition, recentEvents, registrationInput, renderTaskDefinition, revisionName, runOneOffTask, runTaskInput, sameTaskDefinition, serviceDeploymentView, serviceSnapshot, startTask, taskDurationMs, taskIdOf, unwrapDefinitionFile, unwrapTemplate

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
function compare_sameTaskDefinition(a, b) {
    return JSON.stringify(normaliseTaskDefinition(a)) === JSON.stringify(normaliseTaskDefinition(b));
}
/** The differences between two definitions, after normalisation, leaf by leaf. */
function compare_diffTaskDefinitions(before, after) {
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
function compare_formatDiff(changes) {
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



// EXTERNAL MODULE: ./packages/action-kit/src/index.ts + 8 modules
var src = __webpack_require__(1375);
;// CONCATENATED MODULE: ./packages/ecs/src/deploy/prepare.ts
/**
 * Everything checked and computed before the first change: the cluster and services exist and can be deployed
 * this way, every container named exists, and each service's new definition is rendered and compared with the one
 * it runs. Only read calls happen here, so a mistake found here changes nothing in AWS.
 */






const SUPPORTED_CONTROLLER = 'this action rolls out services that use the ECS (rolling update) deployment controller; deploy CODE_DEPLOY services with CodeDeploy and EXTERNAL ones with their own tool';
async function prepare_prepare(ecs, options, signal) {
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
        const answer = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: reference, include: ['TAGS'] }), {
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
    const answer = await ecs.send(new DescribeClustersCommand({ clusters: [cluster] }), { abortSignal: signal });
    const found = answer.clusters?.find((c) => c.clusterName === cluster || c.clusterArn === cluster);
    if (!found || found.status === 'INACTIVE') {
        const region = await ecs.config.region();
        throw new UserError(`Input "cluster": cluster "${cluster}" does not exist in ${region}${found ? ' (it is INACTIVE)' : ''}. Check the name and the AWS region.`);
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
    const history = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service: service.serviceName, status: ['SUCCESSFUL'] }), { abortSignal: signal });
    const revisionArns = (history.serviceDeployments ?? [])
        .map((brief) => brief.targetServiceRevisionArn)
        .filter((arn) => Boolean(arn));
    if (revisionArns.length === 0)
        return undefined;
    const revisions = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: revisionArns.slice(0, 20) }), {
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
    throw new UserError(`${problems.map((p) => p[0].toUpperCase() + p.slice(1)).join('; ')}. ${fix}; nothing was changed.`);
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
async function register_registerTaskDefinition(ecs, input, signal) {
    const command = new RegisterTaskDefinitionCommand(input);
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
        const { taskDefinition, tags } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: input.family, include: ['TAGS'] }), { abortSignal: signal });
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
        failureReason: failureReason(services),
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
        throw new CancelledError('The job was cancelled before anything was changed.');
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
        const answer = await ecs.send(new UpdateServiceCommand({
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
    const took = formatDuration(now - target.startedAt);
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
            report.reason = `not finished after ${formatDuration(options.timeoutMs)}: ${assessment.reason}`;
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
    const answer = await ecs.send(new UpdateServiceCommand({
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
function failureReason(reports) {
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
    parts.push(heading(`ECS ${verb} to ${code(report.cluster)}: ${RESULT_ICON[report.result] ?? ''} ${report.result}`));
    if (report.failureReason)
        parts.push(`> ${report.failureReason.replace(/\n/g, ' ')}`);
    if (report.mode === 'plan') {
        parts.push(table(['Service', 'Running', 'Would change', 'Images'], report.services.map((s) => [
            s.service,
            revisionName(s.previousTaskDefinition),
            s.diff?.length ? `${s.diff.length} value(s)` : 'nothing',
            summary_images(s),
        ])));
        for (const s of report.services) {
            const diff = s.diff?.length ? formatDiff(s.diff) : '(no change)';
            parts.push(`${heading(`${s.service}: task-definition diff against ${revisionName(s.previousTaskDefinition)}`, 3)}\n\n\`\`\`diff\n${diff.replace(/```/g, "'''")}\n\`\`\``);
        }
        return `${parts.join('\n\n')}\n`;
    }
    parts.push(table(['Service', 'Revision before', 'Revision after', 'Images', 'Result', 'Duration', 'Reason'], report.services.map((s) => [
        s.service,
        revisionName(s.previousTaskDefinition),
        revisionName(s.taskDefinition),
        summary_images(s),
        `${RESULT_ICON[s.result] ?? ''} ${s.result}`,
        s.startedAt !== undefined && s.finishedAt !== undefined ? formatDuration(s.finishedAt - s.startedAt) : '',
        [s.reason, s.rollback ? `Rollback: ${s.rollback.reason}` : undefined].filter(Boolean).join(' — '),
    ])));
    const withEvents = report.services.filter((s) => s.events.length > 0);
    if (withEvents.length > 0) {
        parts.push(heading('Service events', 3));
        for (const s of withEvents) {
            const lines = s.events.map((e) => `${new Date(e.createdAt).toISOString().slice(11, 19)}  ${e.message}`);
            parts.push(details(`${s.service}: ${s.events.length} event(s)`, lines.join('\n'), true));
        }
    }
    const timeline = gantt(report);
    if (timeline)
        parts.push(heading('Timeline', 3), timeline);
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
function container_chooseContainer(containers, requested, family) {
    const names = containers.map((c) => c.name ?? '');
    if (requested !== undefined) {
        if (names.includes(requested))
            return requested;
        throw new UserError(`Input "container": task definition ${family} has no container "${requested}". Use one of: ${names.join(', ')}.`);
    }
    const essential = containers.filter((c) => c.essential !== false).map((c) => c.name ?? '');
    if (essential.length === 1)
        return essential[0];
    throw new UserError(`Input "container": task definition ${family} has ${essential.length} essential containers (${essential.join(', ') || 'none'}), so the one whose exit code decides is not clear. Set "container" to one of: ${names.join(', ')}.`);
}
/**
 * The CloudWatch stream the `awslogs` driver writes a task's container to: `<prefix>/<container>/<task id>`.
 * Without a stream prefix the stream is named after the Docker container id, which cannot be known in advance.
 */
function container_logLocation(container, taskId) {
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
function container_logConsoleUrl(region, group, stream) {
    const part = (text) => encodeURIComponent(text).replace(/%/g, '$25');
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${part(group)}/log-events/${part(stream)}`;
}
/** The 32-hex id at the end of a task ARN (`arn:aws:ecs:<region>:<account>:task/<cluster>/<id>`). */
function container_taskIdOf(taskArn) {
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
async function task_definition_prepareTaskDefinition(ecs, spec, logger) {
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
        const answer = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: reference, include: ['TAGS'] }));
        if (!answer.taskDefinition)
            throw new Error('no task definition in the answer');
        current = answer.taskDefinition;
        tags = answer.tags;
    }
    catch (error) {
        throw new UserError(`Input "task-definition": cannot read task definition ${reference}: ${task_definition_describeAwsError(error)}. Check the family or ARN and the region.`, { cause: error });
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
        throw new UserError(`Could not register ${what}: ${task_definition_describeAwsError(error)}`, { cause: error });
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
function task_definition_describeAwsError(error) {
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
function run_task_runTaskInput(spec, taskDefinitionArn, container, clientToken) {
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
async function run_task_startTask(ecs, input) {
    let answer;
    try {
        answer = await ecs.send(new RunTaskCommand(input));
    }
    catch (error) {
        throw new UserError(`RunTask failed: ${describeAwsError(error)}`, { title: 'Migration not started', cause: error });
    }
    const failures = answer.failures ?? [];
    if (failures.length > 0) {
        const reasons = failures
            .map((f) => [f.reason, f.detail].filter(Boolean).join(' ') + (f.arn ? ` (${f.arn})` : ''))
            .join('; ');
        throw new UserError(`ECS did not start the migration task: ${reasons}`, { title: 'Migration not started' });
    }
    const task = answer.tasks?.[0];
    if (!task?.taskArn)
        throw new UserError('ECS did not start the migration task and gave no reason.');
    return task;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./packages/ecs/src/task/log-follower.ts
// Follows one CloudWatch log stream from its head. The stream does not exist until the container writes
// (ResourceNotFoundException until then); each poll reads every new page, following nextForwardToken until it comes
// back unchanged, so that no line is lost or printed twice.



/** A safety stop for one poll; the next poll carries on from the same token. */
const MAX_PAGES_PER_POLL = 500;
class log_follower_LogFollower {
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
                answer = await this.client.send(new GetLogEventsCommand({
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
        const guard = lines.some((line) => line.includes('::')) ? randomBytes(16).toString('hex') : undefined;
        if (guard)
            this.logger.info(`::stop-commands::${guard}`);
        for (const line of lines)
            this.logger.info(line);
        if (guard)
            this.logger.info(`::${guard}::`);
    }
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(212);
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
        throw abortReason(signal);
    // RunTask gets no abort signal: once sent, the task may exist, and it must be known so it can be stopped.
    const started = await startTask(clients.ecs, runTaskInput(spec, prepared.arn, prepared.container, randomUUID()));
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
            await clients.ecs.send(new StopTaskCommand({ cluster: spec.cluster, task: taskArn, reason }));
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
                logger.info(`The task has not stopped after ${formatDuration(spec.timeoutMs)}; stopping it.`);
                await stop(STOP_REASON_TIMEOUT);
                task = (await describeTask(clients.ecs, spec.cluster, taskArn).catch(() => undefined)) ?? task;
                await drainLogs();
                break;
            }
            try {
                await clock.sleep(Math.max(0, Math.min(nextTick - clock.now(), remaining)), signal);
            }
            catch (error) {
                if (!(error instanceof CancelledError) && !signal?.aborted)
                    throw error;
                await stop(STOP_REASON_CANCELLED);
                throw error instanceof CancelledError ? error : abortReason(signal);
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
                    throw new UserError(`ECS no longer reports task ${taskArn}; its outcome is unknown.`);
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
            summary: `The migration did not finish within ${formatDuration(spec.timeoutMs)}; task ${taskId} was stopped. Raise "timeout-minutes" if it needs longer.`,
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
    await ecs.send(new dist_cjs/* StopTaskCommand */.PP1({ cluster, task: taskArn, reason }));
    return 'stopped';
}

;// CONCATENATED MODULE: ./packages/ecs/src/task/index.ts
// The one-off task runner (run-migration-task and the release pipeline's migration step).








;// CONCATENATED MODULE: ./packages/ecs/src/index.ts
// Task-definition rendering, the service-deployment engine and the one-off task runner.





/***/ })

};
