/**
 * A seeded kill torture in the spirit of the December review: jobs sharing one home, main steps in
 * parallel, then post steps in parallel, with random kills in both (SIGKILL, SIGTERM or SIGINT at
 * a random moment, or SIGKILL right after a chosen rename inside a change) and runner deaths (a job
 * that ends with no post step). After every round's main steps: nothing was pulled from a job still
 * live. After every round: the file parses, and once one more job has run, every original is back
 * byte for byte and nothing else is left.
 *
 * CI runs a few rounds; `npm run torture` runs more (UPM_AUTH_TORTURE_ROUNDS, UPM_AUTH_TORTURE_JOBS,
 * UPM_AUTH_TORTURE_SEED to replay) and prints its counts.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parse as parseToml } from 'smol-toml'
import { makeRunnerDir, runAction, runPost } from '../support/action-runner.js'
import type { RunOptions, RunResult } from '../support/action-runner.js'
import { seeded, seedFrom } from '../support/random.js'

const ROUNDS = Number(process.env.UPM_AUTH_TORTURE_ROUNDS ?? 4)
const JOBS = Number(process.env.UPM_AUTH_TORTURE_JOBS ?? 5)
const SEED = seedFrom('UPM_AUTH_TORTURE_SEED')

const R0 = 'https://upm.example.com/npm/'
const R1 = 'https://packages.example.org/'
const ORIGINAL =
  '# shared\r\ncacheRoot = "D:/upm-cache"\r\n\r\n[npmAuth."https://upm.example.com/npm/"]  # team A\r\n_auth = "dGVhbUE6c2VjcmV0"\r\n'
const SIGNALS: NodeJS.Signals[] = ['SIGKILL', 'SIGTERM', 'SIGINT']
const KILL_POINTS = ['.ledger:1', '.upmconfig.toml:1', '.ledger:2']

/** How a step is killed: right after a rename inside its change, by a signal at a random moment, or not. */
interface Kill {
  kind: 'inside' | 'timed' | 'none'
  options: Pick<RunOptions, 'timeoutMs' | 'killSignal' | 'killAt'>
}

interface Counts {
  seed: number
  rounds: number
  mains: number
  posts: number
  killedInMain: number
  killedInPost: number
  killedInsideAChange: number
  runnerDeaths: number
  violations: string[]
}

test(`seeded kill torture: ${ROUNDS} rounds of ${JOBS} jobs sharing a home (replay with UPM_AUTH_TORTURE_SEED=${SEED})`, async () => {
  const random = seeded(SEED)
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]
  const counts: Counts = {
    seed: SEED,
    rounds: 0,
    mains: 0,
    posts: 0,
    killedInMain: 0,
    killedInPost: 0,
    killedInsideAChange: 0,
    runnerDeaths: 0,
    violations: []
  }
  const home = path.join(makeRunnerDir(), 'shared-home')
  fs.mkdirSync(home)
  const config = path.join(home, '.upmconfig.toml')
  fs.writeFileSync(config, ORIGINAL)

  const credentials = (): Record<string, string | undefined> => {
    const doc = parseToml(fs.readFileSync(config, 'utf8')) as { npmAuth?: Record<string, { token?: string; _auth?: string }> }
    return Object.fromEntries(Object.entries(doc.npmAuth ?? {}).map(([url, t]) => [url, t.token ?? t._auth]))
  }
  /** A random kill for a step, or none. */
  const killFor = (): Kill => {
    const roll = random()
    if (roll < 0.2) return { kind: 'inside', options: { killAt: pick(KILL_POINTS), timeoutMs: 30_000 } }
    if (roll < 0.45) return { kind: 'timed', options: { timeoutMs: Math.floor(random() * 150), killSignal: pick(SIGNALS) } }
    return { kind: 'none', options: { timeoutMs: 30_000 } }
  }
  const killed = (result: RunResult): boolean => result.signal !== null || result.code !== 0

  for (let round = 0; round < ROUNDS; round++) {
    const jobs = [...Array(JOBS).keys()].map(j => ({
      urls: pick([[R0], [R1], [R0, R1]]),
      token: pick(['tok-shared', `tok-${round}-${j}`]),
      main: killFor(),
      post: random() < 0.15 ? ({ kind: 'runner death' } as const) : killFor()
    }))
    const mains = await Promise.all(
      jobs.map(job => {
        const registries = job.urls.map(url => `[npmAuth.${JSON.stringify(url)}]\ntoken = ${JSON.stringify(job.token)}\n`).join('\n')
        return runAction({ env: { HOME: home }, inputs: { registries }, ...job.main.options })
      })
    )
    counts.mains += mains.length
    // Nothing pulled from a live job: a registry that a job whose main step finished wrote holds a token of this round.
    const now = credentials()
    for (const [i, main] of mains.entries()) {
      if (killed(main)) {
        counts.killedInMain++
        if (jobs[i].main.kind === 'inside') counts.killedInsideAChange++
        continue
      }
      for (const url of jobs[i].urls) {
        const written = jobs
          .filter((job, k) => job.urls.includes(url) && (!killed(mains[k]) || job.main.kind !== 'none'))
          .map(job => job.token)
        if (!written.includes(now[url] ?? ''))
          counts.violations.push(`seed ${SEED} round ${round}: ${url} holds ${now[url]} while job ${i} (${jobs[i].token}) is live`)
      }
    }
    await Promise.all(
      mains.map(async (main, i) => {
        const step = jobs[i].post
        if (!killed(main) && step.kind !== 'runner death') {
          const left = await runPost(main, step.options)
          counts.posts++
          if (killed(left)) {
            counts.killedInPost++
            if (step.kind === 'inside') counts.killedInsideAChange++
          }
        } else if (!killed(main)) counts.runnerDeaths++
        // However the job ended, the runner empties its RUNNER_TEMP.
        fs.rmSync(main.runnerTemp, { recursive: true, force: true })
      })
    )
    // Every job has ended: one more job sweeps what the killed ones left, and then the original is back.
    const sweep = await runAction({ env: { HOME: home }, inputs: { 'registry-url': R1, token: 'tok-sweep' } })
    const swept = await runPost(sweep)
    if (sweep.code !== 0 || swept.code !== 0)
      counts.violations.push(`seed ${SEED} round ${round}: the sweeping job failed: ${sweep.stdout}${swept.stdout}`)
    const text = fs.readFileSync(config, 'utf8')
    if (text !== ORIGINAL) counts.violations.push(`seed ${SEED} round ${round}: the original is not back:\n${text}`)
    const left = fs.readdirSync(home).filter(name => name !== '.upmconfig.toml')
    if (left.length > 0) counts.violations.push(`seed ${SEED} round ${round}: left next to the file: ${left.join(', ')}`)
    counts.rounds++
  }
  console.log(`kill torture: ${JSON.stringify(counts)}`)
  expect(counts.violations).toEqual([])
}, 600_000)
