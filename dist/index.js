import { i as isPost, p as post, m as markPostStep, r as run } from './main.js';
import 'node:path';
import 'node:fs';
import 'os';
import 'crypto';
import 'fs';
import 'node:crypto';
import 'node:os';
import 'node:timers/promises';

// The runner runs this file twice: as the main step, and (with the state main saved) as post.
// The marker is saved before main does anything, so a main step that fails still gets a post
// step that cleans up rather than one that runs main again.
if (isPost()) {
    await post();
}
else {
    markPostStep();
    await run();
}
