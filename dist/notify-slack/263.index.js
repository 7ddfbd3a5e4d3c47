export const id = 263;
export const ids = [263];
export const modules = {

/***/ 9263:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

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
    core.saveState(name, value);
}
function getState(name) {
    return core.getState(name);
}
function exportVariable(name, value) {
    core.exportVariable(name, value);
}

// EXTERNAL MODULE: ./packages/slack/src/index.ts + 12 modules
var slack_src = __webpack_require__(5847);
;// CONCATENATED MODULE: ./actions/notify-slack/src/run.ts



async function run(settings) {
    const payload = messageFor(settings);
    const result = await (0,slack_src/* deliver */.cK)(settings.webhookUrl, payload, {
        retries: settings.retries,
        maxWaitMs: settings.retryMaxWaitMs,
        clock: src/* systemClock */.ml,
        logger: src/* runnerLogger */.hB,
        signal: (0,src/* cancellationSignal */.w6)(),
    });
    setOutputs({ delivered: result.delivered, 'status-code': result.statusCode });
    await appendSummary(summary(settings, payload, result));
    if (result.delivered) {
        src/* runnerLogger */.hB.info(`Slack accepted the ${settings.status} message (HTTP ${result.statusCode}).`);
        return;
    }
    // Rate limiting is the one refusal that more patience can overcome: say which inputs give it.
    const patience = result.statusCode === 429 ? ' Raise retries or retry-max-wait-seconds to keep trying longer.' : '';
    const message = `The Slack notification was not delivered. ${result.problem ?? 'Slack did not accept it'}.${patience}`;
    if (settings.failOnError)
        throw new src/* UserError */.yo(message, { title: 'Slack notification' });
    src/* runnerLogger */.hB.warning(`${message} The step still succeeds because fail-on-error is false.`, 'Slack notification');
}
function messageFor(settings) {
    if (settings.payload) {
        // A custom payload without text still needs a notification text; the text input (if any) fills it.
        const text = settings.payload.text || settings.text || '';
        return { ...settings.payload, text: (0,slack_src/* fit */.Uj)(text, slack_src/* LIMITS */.b1.fallbackText) };
    }
    return (0,slack_src/* buildMessage */.Y6)({
        status: settings.status,
        environment: settings.environment,
        service: settings.service,
        title: settings.title,
        text: settings.text,
        fields: settings.fields,
        details: settings.details,
        mentions: settings.mentions,
        startedAt: settings.startedAt,
    }, (0,slack_src/* runContextFromEnv */.wX)(process.env), Date.now());
}
function summary(settings, payload, result) {
    const heading = `### ${result.delivered ? 'Slack notified' : 'Slack notification not delivered'}`;
    const row = [
        settings.status,
        result.delivered ? 'yes' : 'no',
        result.statusCode ?? 'no answer',
        result.attempts,
        settings.payload ? 'custom payload' : `${payload.blocks?.length ?? 0} blocks`,
    ];
    const facts = (0,src/* table */.tp)(['Status', 'Delivered', 'HTTP status', 'Attempts', 'Message'], [row]);
    const problem = result.delivered ? '' : `\n\n**Why:** ${result.problem ?? 'unknown'}`;
    return `${heading}\n\n${facts}${problem}\n\nNotification text: ${(0,src/* code */.aY)(payload.text.slice(0, 300))}\n`;
}


/***/ })

};
