export const id = 392;
export const ids = [392];
export const modules = {

/***/ 392:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   run: () => (/* binding */ run)
/* harmony export */ });
/* harmony import */ var _ecs_ship_action_kit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(129);

async function run(_settings) {
    throw new _ecs_ship_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo('The release pipeline is not part of this build yet: use the six actions in a workflow.');
}


/***/ })

};
