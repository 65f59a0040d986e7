'use strict';

void Promise.resolve().then(() => require('./post.js')).then(({ postStep }) => postStep());
