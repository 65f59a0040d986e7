/**
 * Stress, bounded so the suite stays quick on a small shared machine: jobs sharing one home
 * (parallel jobs on a self-hosted runner) and processes killed at random moments. These
 * print what they measured; their assertions are about correctness, never about time. The
 * kill moments come from a seed, printed in the test's name: UPM_AUTH_STRESS_SEED=<seed>
 * draws the same moments again (where a kill lands still depends on the machine's speed).
 */
import fs from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import TOML from 'toml'
import { parse as parseToml } from 'smol-toml'
import { runAction, runPost } from '../support/action-runner.js'
import { warningsOf } from '../support/annotations.js'
import type { RunResult } from '../support/action-runner.js'
import { tempDir } from '../support/fixtures.js'
import { seeded, seedFrom } from '../support/random.js'

const PARALLEL_JOBS = 32
const KILLED_RUNS = 40
const SEED = seedFrom('UPM_AUTH_STRESS_SEED')

const TEAM = 'https://upm.example.com/team/'
const ORIGINAL = `# shared by every job on this machine\ncacheRoot = "/srv/upm"\n\n[npmAuth."${TEAM}"]\ntoken = "team-token"\nalwaysAuth = true\n`

type Doc = { cacheRoot?: string; npmAuth?: Record<string, { token?: string }> }

/** Parses with both TOML parsers: a file only one of them accepts is broken for somebody. */
function parseBoth(text: string): Doc {
  const doc = parseToml(text) as Doc
  expect(JSON.parse(JSON.stringify(TOML.parse(text)))).toEqual(JSON.parse(JSON.stringify(doc)))
  return doc
}

function sharedHome(content: string): { home: string; config: string } {
  const home = tempDir('shared-home-').path
  const config = path.join(home, '.upmconfig.toml')
  fs.writeFileSync(config, content)
  return { home, config }
}

const cleanupAfter: string[] = []
afterAll(() => {
  for (const dir of cleanupAfter) fs.rmSync(dir, { recursive: true, force: true })
})

function remember(...runs: RunResult[]): void {
  cleanupAfter.push(...runs.map(r => r.dir))
}

test(`${PARALLEL_JOBS} parallel jobs writing different registries into one file lose nothing, and their posts give the file back`, async () => {
  const { home, config } = sharedHome(ORIGINAL)
  cleanupAfter.push(home)
  const url = (i: number): string => `https://upm.example.com/job-${i}/`

  const started = performance.now()
  const mains = await Promise.all(
    Array.from({ length: PARALLEL_JOBS }, (_, i) =>
      runAction({ env: { HOME: home }, inputs: { 'registry-url': url(i), token: `job-${i}-token` }, timeoutMs: 120_000 })
    )
  )
  const mainMs = performance.now() - started
  remember(...mains)
  expect(mains.map(m => m.code)).toEqual(mains.map(() => 0))

  const text = fs.readFileSync(config, 'utf8')
  const doc = parseBoth(text)
  const present = Array.from({ length: PARALLEL_JOBS }, (_, i) => i).filter(i => doc.npmAuth?.[url(i)]?.token === `job-${i}-token`)
  expect(present).toHaveLength(PARALLEL_JOBS)
  expect(Object.keys(doc.npmAuth ?? {})).toHaveLength(PARALLEL_JOBS + 1)
  expect(text.startsWith(ORIGINAL)).toBe(true)
  // The jobs are live: beside the file, only the ledger of who uses its entries.
  expect(fs.readdirSync(home).sort()).toEqual(['.upmconfig.toml', '.upmconfig.toml.ledger'])

  const postStarted = performance.now()
  const posts = await Promise.all(mains.map(main => runPost(main, { timeoutMs: 120_000 })))
  const postMs = performance.now() - postStarted
  expect(posts.map(p => [p.code, warningsOf(p)])).toEqual(posts.map(() => [0, []]))
  expect(fs.readFileSync(config, 'utf8')).toBe(ORIGINAL)
  expect(fs.readdirSync(home)).toEqual(['.upmconfig.toml'])

  console.log(
    `parallel: ${PARALLEL_JOBS} jobs into one file in ${(mainMs / 1000).toFixed(1)} s: ${present.length}/${PARALLEL_JOBS} entries present ` +
      `(plus the existing one, kept); ${PARALLEL_JOBS} parallel posts in ${(postMs / 1000).toFixed(1)} s gave the original file back byte for byte`
  )
}, 300_000)

test(`${KILLED_RUNS} runs killed at random moments leave the old or the new file, never a broken one (seed ${SEED}: UPM_AUTH_STRESS_SEED=${SEED} to draw the same moments)`, async () => {
  const random = seeded(SEED)
  const KILLED = 'https://upm.example.com/killed/'
  // Padding makes the write take long enough that some kills land inside it (limit: 1 MiB).
  const padding = `# ${'padding '.repeat(12)}\n`.repeat(4000)
  const { home, config } = sharedHome(`${ORIGINAL}\n${padding}`)
  cleanupAfter.push(home)
  const run = (token: string, timeoutMs?: number): Promise<RunResult> =>
    runAction({ env: { HOME: home }, inputs: { 'registry-url': KILLED, token }, timeoutMs })

  // Uninterrupted runs set the scale for the random kill moments: the slowest of three, as
  // run times on a shared machine vary.
  let runMs = 0
  for (let i = 0; i < 3; i++) {
    const measureStart = performance.now()
    const measure = await run('token-start')
    runMs = Math.max(runMs, performance.now() - measureStart)
    remember(measure)
    expect(measure.code).toBe(0)
  }

  let current = 'token-start'
  const tally = { killed: 0, finished: 0, newEntry: 0, oldEntry: 0, tookOverLock: 0 }
  // Distinct leftovers seen after a run: temp files by name, locks by content (each holder's differs).
  const tempsLeft = new Set<string>()
  const locksLeft = new Set<string>()
  for (let i = 0; i < KILLED_RUNS; i++) {
    const token = `token-${i}`
    const result = await run(token, random() * runMs * 1.2)
    remember(result)
    if (result.signal === 'SIGKILL') tally.killed++
    else {
      expect(result.code).toBe(0)
      tally.finished++
    }
    if (result.stdout.includes('Took over the lock')) tally.tookOverLock++

    const text = fs.readFileSync(config, 'utf8')
    const doc = parseBoth(text)
    expect(doc.cacheRoot).toBe('/srv/upm')
    expect(doc.npmAuth?.[TEAM]?.token).toBe('team-token')
    expect(text).toContain(padding)
    const holds = doc.npmAuth?.[KILLED]?.token
    expect([current, token]).toContain(holds)
    if (holds === token) tally.newEntry++
    else tally.oldEntry++
    current = holds as string

    for (const name of fs.readdirSync(home)) {
      if (name.endsWith('.tmp')) tempsLeft.add(name)
      if (name === '.upmconfig.toml.lock') locksLeft.add(fs.readFileSync(path.join(home, name), 'utf8'))
    }
  }

  // The next run recovers: it takes over a dead holder's lock and removes leftover temp files.
  const finalStart = performance.now()
  const final = await run('token-final')
  const finalMs = performance.now() - finalStart
  remember(final)
  if (final.stdout.includes('Took over the lock')) tally.tookOverLock++
  expect(final.code).toBe(0)
  expect(parseBoth(fs.readFileSync(config, 'utf8')).npmAuth?.[KILLED]?.token).toBe('token-final')
  expect(fs.readdirSync(home).sort()).toEqual(['.upmconfig.toml', '.upmconfig.toml.ledger'])
  expect(tally.killed + tally.finished).toBe(KILLED_RUNS)

  console.log(
    `kills (seed ${SEED}): ${KILLED_RUNS} runs with SIGKILL at a random moment in 0-${Math.round(runMs * 1.2)} ms (the slowest of 3 whole runs took ${Math.round(runMs)} ms): ` +
      `${tally.killed} killed, ${tally.finished} finished first; the file parsed after every run and held the new entry ` +
      `${tally.newEntry} times, the old one ${tally.oldEntry} times; killed runs left ${tempsLeft.size} temp files (killed mid-write) and ` +
      `${locksLeft.size} locks (${[...locksLeft].filter(l => l === '').length} of them empty), later runs took over ${tally.tookOverLock} dead holders' locks; the recovering run took ${Math.round(finalMs)} ms and left nothing behind`
  )
}, 300_000)
