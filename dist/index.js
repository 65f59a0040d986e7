'use strict';

const main = require('./main.js');
require('os');
require('crypto');
require('fs');
require('node:path');
require('node:fs');
require('node:crypto');
require('node:os');
require('node:timers/promises');

const missing = main.missingCommandFiles(process.env);
if (missing) {
    main.setFailed(missing);
}
else {
    void main.run();
}
