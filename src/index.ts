import * as core from '@actions/core'
import { run } from './main.js'
import { missingCommandFiles } from './runner-files.js'

// The main step (action.yml `runs.main`). The post step has an entry of its own
// (post-step.ts): a main step cancelled before it could save anything must not be run again
// in its place, as a shared entry that tells the two apart by saved state would.
// run() reports its own failures (core.setFailed) and does not reject; were it to, Node's
// default for an unhandled rejection still ends the step with exit code 1. (No top-level
// await: dist/ is CommonJS, see rollup.config.mjs.)
const missing = missingCommandFiles(process.env)
if (missing) {
  core.setFailed(missing)
} else {
  void run()
}
