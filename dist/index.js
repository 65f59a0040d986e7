'use strict';

const main = require('./main.js');
require('node:path');
require('node:fs');
require('os');
require('crypto');
require('fs');
require('node:crypto');
require('node:os');
require('node:timers/promises');

// The runner runs this file twice: as the main step, and (with the state main saved) as post.
// The marker is saved before main does anything, so a main step that fails still gets a post
// step that cleans up rather than one that runs main again.
// run() and post() report their own failures (core.setFailed, or a warning from cleanup) and
// do not reject; were one to, Node's default for an unhandled rejection still ends the step
// with exit code 1. (No top-level await: dist/ is CommonJS, see rollup.config.mjs.)
const missing = main.isPost() ? undefined : main.missingCommandFiles(process.env);
if (missing) {
    main.setFailed(missing);
}
else if (main.isPost()) {
    void main.post();
}
else {
    main.markPostStep();
    void main.run();
}
