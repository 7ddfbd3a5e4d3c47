export const id = 330;
export const ids = [330];
export const modules = {

/***/ 2330:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   appendSummary: () => (/* binding */ appendSummary),
/* harmony export */   exportVariable: () => (/* binding */ exportVariable),
/* harmony export */   getState: () => (/* binding */ getState),
/* harmony export */   saveState: () => (/* binding */ saveState),
/* harmony export */   setOutputs: () => (/* binding */ setOutputs)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6421);
/* harmony import */ var _commands_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2595);
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
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(name, (0,_commands_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(stringify(value)));
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
    let text = (0,_commands_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(markdown);
    if (Buffer.byteLength(text) > SUMMARY_LIMIT) {
        text = `${Buffer.from(text).subarray(0, SUMMARY_LIMIT).toString('utf8')}\n\n_(summary truncated to the 1 MiB limit)_\n`;
    }
    await _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .summary */ .z.addRaw(text, true).write();
}
function saveState(name, value) {
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(name, value);
}
function getState(name) {
    return _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(name);
}
function exportVariable(name, value) {
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .exportVariable */ .dN(name, value);
}


/***/ })

};
