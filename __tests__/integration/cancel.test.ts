/**
 * A cancelled job: the runner sends the main step SIGINT, then runs the post step with
 * whatever state the main step saved. Wherever the signal lands, the post step must leave
 * the file as it was before the job, and no temporary file holding the secret may stay.
 */
import fs from 'node:fs'
import path from 'node:path'
import { makeRunnerDir, runAction, runPost } from '../support/action-runner.js'
import { warningsOf } from '../support/annotations.js'

const URL = 'https://upm.example.com/npm/'
const CANCELLED_RUNS = 30
// Padding makes the write take long enough that some signals land inside it.
const ORIGINAL =
  `cacheRoot = "/srv/upm"\n\n[npmAuth."https://team.example.com/"]\ntoken = "team-token"\n\n` + `# ${'padding '.repeat(12)}\n`.repeat(4000)

test(`${CANCELLED_RUNS} main steps cancelled with SIGINT at random moments: each post step gives the file back`, async () => {
  const timed = makeRunnerDir()
  fs.writeFileSync(path.join(timed, 'home', '.upmconfig.toml'), ORIGINAL)
  const started = performance.now()
  expect((await runAction({ dir: timed, inputs: { 'registry-url': URL, token: 'tok-timing' } })).code).toBe(0)
  const runMs = performance.now() - started

  const tally = { cancelled: 0, finished: 0, beforeStart: 0, leftToken: 0 }
  for (let i = 0; i < CANCELLED_RUNS; i++) {
    const dir = makeRunnerDir()
    const config = path.join(dir, 'home', '.upmconfig.toml')
    fs.writeFileSync(config, ORIGINAL)
    const secret = `tok-cancelled-${i}`
    const at = Math.round(runMs * (0.3 + Math.random() * 0.8))
    const main = await runAction({ dir, inputs: { 'registry-url': URL, token: secret }, timeoutMs: at, killSignal: 'SIGINT' })
    if (main.code === 0) tally.finished++
    else tally.cancelled++
    // Cancelled before the step saved anything (Node still loading, or before the merge): the
    // post step, an entry of its own, finds nothing to clean up and must not run the main step.
    if (!main.state.restoreFile) tally.beforeStart++
    const post = await runPost(main)
    expect(post.code).toBe(0)
    expect(warningsOf(post)).toEqual([])
    const text = fs.readFileSync(config, 'utf8')
    if (text.includes(secret)) tally.leftToken++
    expect({ run: i, signalAt: at, same: text === ORIGINAL }).toEqual({ run: i, signalAt: at, same: true })
    // No temporary file (it would hold the secret) and no ledger; a lock left by the cancelled step
    // holds no secret, and the next run takes it over.
    expect(fs.readdirSync(path.dirname(config)).filter(name => name !== '.upmconfig.toml.lock')).toEqual(['.upmconfig.toml'])
  }
  console.log(
    `cancel: ${CANCELLED_RUNS} main steps sent SIGINT at 30-110% of a whole run (${Math.round(runMs)} ms): ` +
      `${tally.cancelled} cancelled (${tally.beforeStart} before the step had recorded anything), ${tally.finished} finished first; ` +
      `the post step left a token ${tally.leftToken} times`
  )
}, 300_000)

test('a merge that would take the file over the size a read accepts is refused before writing, so cleanup can always read it', async () => {
  const dir = makeRunnerDir()
  const config = path.join(dir, 'home', '.upmconfig.toml')
  // Just under 1 MiB: the read accepts it; one more table would take it over.
  const line = `# ${'x'.repeat(97)}\n`
  const original = line.repeat(Math.floor((1024 * 1024 - 10) / line.length))
  fs.writeFileSync(config, original)
  const main = await runAction({ dir, inputs: { 'registry-url': URL, token: 'tok-too-big' } })
  expect(main.code).toBe(1)
  expect(main.stdout).toMatch(/::error::.*\.upmconfig\.toml would grow to 1\.00 MB, over the 1 MB .* it was left as it was/)
  expect(fs.readFileSync(config, 'utf8')).toBe(original)
  // No ledger, no restore record: the write that did not happen is not recorded anywhere.
  expect(fs.readdirSync(path.dirname(config)).sort()).toEqual(['.upmconfig.toml'])
  expect(fs.readdirSync(main.runnerTemp)).toEqual([])
  expect(main.state).toEqual({ restoreFile: '' })
})
