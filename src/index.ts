import { run } from './main.js'
import { post } from './post.js'
import { isPost, markPostStep } from './state.js'

// The runner runs this file twice: as the main step, and (with the state main saved) as post.
// The marker is saved before main does anything, so a main step that fails still gets a post
// step that cleans up rather than one that runs main again.
if (isPost()) {
  await post()
} else {
  markPostStep()
  await run()
}
