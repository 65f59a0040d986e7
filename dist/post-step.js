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

void main.postStep();
