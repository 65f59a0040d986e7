import * as core from '@actions/core'
import { run } from './main.js'
import { missingCommandFiles } from './runner-files.js'
import { post } from './post.js'
import { isPost, markPostStep } from './state.js'

// The runner runs this file twice: as the main step, and (with the state main saved) as post.
// The marker is saved before main does anything, so a main step that fails still gets a post
// step that cleans up rather than one that runs main again.
// run() and post() report their own failures (core.setFailed, or a warning from cleanup) and
// do not reject; were one to, Node's default for an unhandled rejection still ends the step
// with exit code 1. (No top-level await: dist/ is CommonJS, see rollup.config.mjs.)
const missing = isPost() ? undefined : missingCommandFiles(process.env)
if (missing) {
  core.setFailed(missing)
} else if (isPost()) {
  void post()
} else {
  markPostStep()
  void run()
}
