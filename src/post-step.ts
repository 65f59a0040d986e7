// The post step (action.yml `runs.post`, `post-if: always()`): cleans up what the main step
// recorded, or says there is nothing to clean up (also when the main step was cancelled before
// it recorded anything), then revokes the tokens its `login` minted. postStep() never rejects
// and never fails the job: it warns. Imported, not bundled in: the code only the post step runs
// (post.ts, shared-file/leave.ts) is a chunk of its own, which a main step never loads.
void import('./post.js').then(({ postStep }) => postStep())
