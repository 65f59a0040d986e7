/**
 * Jobs that share one home at the same time (several runner instances under one account), run
 * as the runner runs them: each job has its own RUNNER_TEMP, main and post steps interleave,
 * and a job killed with its runner loses its RUNNER_TEMP without a post step.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parse as parseToml } from 'smol-toml'
import { canStandInHost, makeRunnerDir, runAction, runPost } from '../support/action-runner.js'
import { warningsOf } from '../support/annotations.js'
import type { RunResult } from '../support/action-runner.js'
import { seeded, seedFrom } from '../support/random.js'

const R0 = 'https://upm.example.com/npm/'
const R1 = 'https://packages.example.org/'

/** Another team's file: a comment, CRLF, a key Unity reads, and an entry for R0. */
const ORIGINAL =
  '# shared by the build machines\r\ncacheRoot = "D:/upm-cache"\r\n\r\n' +
  '[npmAuth."https://upm.example.com/npm/"]  # team A\r\n_auth = "dGVhbUE6c2VjcmV0"\r\nemail = "team-a@example.com"\r\n'

const configOf = (home: string): string => path.join(home, '.upmconfig.toml')

function newHome(original?: string): string {
  const home = path.join(makeRunnerDir(), 'shared-home')
  fs.mkdirSync(home)
  if (original !== undefined) fs.writeFileSync(configOf(home), original)
  return home
}

function registries(tables: [string, string][]): string {
  return tables.map(([url, token]) => `[npmAuth.${JSON.stringify(url)}]\ntoken = ${JSON.stringify(token)}\n`).join('\n')
}

/** Each registry's credential in the file (token, or _auth), or undefined; {} when there is no file. */
function credentials(home: string): Record<string, string | undefined> {
  if (!fs.existsSync(configOf(home))) return {}
  const doc = parseToml(fs.readFileSync(configOf(home), 'utf8')) as { npmAuth?: Record<string, { token?: string; _auth?: string }> }
  return Object.fromEntries(Object.entries(doc.npmAuth ?? {}).map(([url, t]) => [url, t.token ?? t._auth]))
}

/** A job's main step on the shared home, in a runner folder of its own. */
async function main(home: string, tables: [string, string][], run = '1'): Promise<RunResult> {
  const result = await runAction({ env: { HOME: home, GITHUB_RUN_ID: run }, inputs: { registries: registries(tables) } })
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  return result
}

async function post(job: RunResult): Promise<RunResult> {
  const result = await runPost(job)
  expect(result.code).toBe(0)
  expect(warningsOf(result)).toEqual([])
  return result
}

/** A job killed together with its runner: no post step, and the runner empties its RUNNER_TEMP. */
function kill(job: RunResult): void {
  fs.rmSync(job.runnerTemp, { recursive: true, force: true })
  fs.mkdirSync(job.runnerTemp)
}

describe('the three ways jobs sharing a home broke each other', () => {
  test('same registry, same token: A main, B main, A post leaves the entry for B', async () => {
    const home = newHome(ORIGINAL)
    const a = await main(home, [[R0, 'shared']])
    const b = await main(home, [[R0, 'shared']])
    await post(a)
    expect(credentials(home)[R0]).toBe('shared')
    await post(b)
    expect(fs.readFileSync(configOf(home), 'utf8')).toBe(ORIGINAL)
    expect(fs.readdirSync(home)).toEqual(['.upmconfig.toml'])
  })

  test('different tokens: A main, B main, A post, B post gives the original back, and no token stays', async () => {
    const home = newHome(ORIGINAL)
    const a = await main(home, [[R0, 'tok-A']])
    const b = await main(home, [[R0, 'tok-B']])
    await post(a)
    expect(credentials(home)[R0]).toBe('tok-B')
    await post(b)
    expect(fs.readFileSync(configOf(home), 'utf8')).toBe(ORIGINAL)
  })

  test('different tokens, the newest leaving first: the entry goes back to the job still running', async () => {
    const home = newHome()
    const a = await main(home, [[R0, 'tok-A']])
    const b = await main(home, [[R0, 'tok-B']])
    const left = await post(b)
    expect(left.stdout).toContain(`[npmAuth."${R0}"] now holds the value of the newest job still using it`)
    expect(credentials(home)[R0]).toBe('tok-A')
    await post(a)
    expect(fs.readdirSync(home)).toEqual([])
  })

  test('a job killed with its runner is swept by the next run on the file, whatever registry that writes', async () => {
    const home = newHome(ORIGINAL)
    const killed = await main(home, [[R0, 'tok-killed']])
    kill(killed)
    const other = await main(home, [[R1, 'tok-other']])
    expect(other.stdout).toContain('ended without cleaning up: 1 of their entries or keys were put back')
    expect(credentials(home)).toEqual({ [R0]: 'dGVhbUE6c2VjcmV0', [R1]: 'tok-other' })
    await post(other)
    expect(fs.readFileSync(configOf(home), 'utf8')).toBe(ORIGINAL)
    expect(fs.readdirSync(home)).toEqual(['.upmconfig.toml'])
  })
})

describe('writes that are not a live job', () => {
  test('a cleanup: false run while a job holds the entry becomes the new original', async () => {
    const home = newHome(ORIGINAL)
    const job = await main(home, [[R0, 'tok-job']])
    const keep = await runAction({ env: { HOME: home }, inputs: { 'registry-url': R0, token: 'tok-kept', cleanup: 'false' } })
    expect(keep.code).toBe(0)
    expect(credentials(home)[R0]).toBe('tok-kept')
    await post(job)
    expect(credentials(home)).toEqual({ [R0]: 'tok-kept' })
    expect(fs.readdirSync(home)).toEqual(['.upmconfig.toml'])
  })

  test('an edit by hand while a job holds the entry is what stays after the job', async () => {
    const home = newHome(ORIGINAL)
    const job = await main(home, [[R0, 'tok-job']])
    const edited = fs.readFileSync(configOf(home), 'utf8').replace('token = "tok-job"', 'token = "by-hand"')
    fs.writeFileSync(configOf(home), edited)
    const left = await post(job)
    expect(left.stdout).toContain(`[npmAuth."${R0}"] left as it is: another job or step wrote a newer entry since`)
    expect(fs.readFileSync(configOf(home), 'utf8')).toBe(edited)
  })
})

test('replacing a different credential of a live job of another run warns, without a secret', async () => {
  const home = newHome()
  await main(home, [[R0, 'tok-run-1']], '1')
  const sameRun = await main(home, [[R0, 'tok-leg-2']], '1')
  expect(warningsOf(sameRun)).toEqual([])
  const otherRun = await main(home, [[R0, 'tok-run-2']], '2')
  expect(warningsOf(otherRun)).toEqual([
    expect.stringContaining(
      `The entry [npmAuth."${R0}"] held a different value written by a job of another workflow run that is still running.`
    )
  ])
  expect(otherRun.stdout).not.toMatch(/tok-run-1|tok-leg-2/)
  const sameToken = await main(home, [[R0, 'tok-run-2']], '3')
  expect(warningsOf(sameToken)).toEqual([])
})

test('a job the ledger does not know (the ledger deleted by hand) changed nothing by its record: cleanup says so and leaves the file', async () => {
  const home = newHome(ORIGINAL)
  const job = await main(home, [[R0, 'tok-job']])
  const written = fs.readFileSync(configOf(home), 'utf8')
  fs.rmSync(`${configOf(home)}.ledger`)
  const left = await post(job)
  expect(left.stdout).toContain('holds nothing this job wrote')
  expect(fs.readFileSync(configOf(home), 'utf8')).toBe(written)
  expect(fs.existsSync(job.state.restoreFile)).toBe(false)
})

test('the ledger is 0600 and holds secrets only while a job is live', async () => {
  const home = newHome()
  const job = await main(home, [[R0, 'tok-live']])
  const ledger = `${configOf(home)}.ledger`
  expect(fs.statSync(ledger).mode & 0o777).toBe(0o600)
  expect(fs.readFileSync(ledger, 'utf8')).toContain('tok-live')
  expect(job.stdout).not.toContain('.ledger')
  await post(job)
  expect(fs.existsSync(ledger)).toBe(false)
})

describe('random interleavings of main, post, kills inside a change and runner deaths, on two hosts (model-based)', () => {
  const JOBS = 6
  const STEPS = 22
  const SEQUENCES = Number(process.env.UPM_AUTH_MODEL_SEQUENCES ?? 3)
  const firstSeed = seedFrom('UPM_AUTH_MODEL_SEED')
  /** A second host needs root and unshare (a UTS namespace); without them every job runs on this host. */
  const HOSTS = canStandInHost() ? ['', 'build-b'] : ['']
  /** Where a step is killed inside its change (src/shared-file/shared-change.ts). */
  const KILL_POINTS = ['.ledger:1', '.upmconfig.toml:1', '.ledger:2']

  for (let n = 0; n < SEQUENCES; n++) {
    const seed = firstSeed + n
    test(`sequence with seed ${seed} (run again with UPM_AUTH_MODEL_SEED=${seed} UPM_AUTH_MODEL_SEQUENCES=1)`, async () => {
      const random = seeded(seed)
      const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]
      const withOriginal = random() < 0.5
      const home = newHome(withOriginal ? ORIGINAL : undefined)
      const originals: Record<string, string | undefined> = credentials(home)
      const originalBytes = withOriginal ? ORIGINAL : undefined

      // The model: each registry's stack of writers the ledger holds, oldest first. A writer whose
      // job ended stays (dead) until a run on its own host sweeps it: no other host can see its record.
      type Writer = { job: number; token: string; host: string; dead: boolean }
      const stacks: Record<string, Writer[]> = { [R0]: [], [R1]: [] }
      const jobs = new Map<number, { result: RunResult; host: string }>()
      const live = new Set<number>()
      const started = new Set<number>()
      const trace: string[] = []
      const check = (): void => {
        const actual = credentials(home)
        for (const url of [R0, R1]) {
          const expected = stacks[url].at(-1)?.token ?? originals[url]
          if (actual[url] !== expected) {
            throw new Error(`seed ${seed}: after ${trace.join(', ')}: ${url} holds ${actual[url]}, the model says ${expected}`)
          }
        }
      }
      const sweep = (host: string): void => {
        for (const url of [R0, R1]) stacks[url] = stacks[url].filter(w => !(w.dead && w.host === host))
      }
      const leave = (job: number): void => {
        for (const url of [R0, R1]) stacks[url] = stacks[url].filter(w => w.job !== job)
      }
      const end = (job: number): void => {
        for (const url of [R0, R1]) for (const w of stacks[url]) if (w.job === job) w.dead = true
        live.delete(job)
        const { result } = jobs.get(job) as { result: RunResult }
        fs.rmSync(result.runnerTemp, { recursive: true, force: true })
        fs.mkdirSync(result.runnerTemp)
      }
      /** Runs `step` on `host`, with the live jobs of the other host's records out of its sight. */
      const onHost = async <T>(host: string, step: () => Promise<T>): Promise<T> => {
        const others = [...live].map(j => jobs.get(j) as { result: RunResult; host: string }).filter(j => j.host !== host)
        for (const other of others) fs.renameSync(other.result.runnerTemp, `${other.result.runnerTemp}.elsewhere`)
        try {
          return await step()
        } finally {
          for (const other of others) fs.renameSync(`${other.result.runnerTemp}.elsewhere`, other.result.runnerTemp)
        }
      }
      /** A killed step's change happened unless it was killed with the change still in flight, before the file. */
      const committed = (result: RunResult, killAt: string): boolean => {
        if (result.signal !== 'SIGKILL') return true
        if (killAt !== '.ledger:1') return true
        const ledger = `${configOf(home)}.ledger`
        return !fs.existsSync(ledger) || !('pending' in (JSON.parse(fs.readFileSync(ledger, 'utf8')) as object))
      }

      /**
       * A step killed inside its change leaves its lock, which a run on another host takes over only
       * after the 20 s bound for another host's lock (lock.test.ts tests that): so this host runs a
       * job of its own next, main then post, which takes the lock over at once and is modelled as any job.
       */
      const settleOnThisHost = async (): Promise<void> => {
        const tables: [string, string][] = [[R1, 'tok-settle']]
        trace.push('main+post settle R1=tok-settle')
        const settle = await onHost('', () => runAction({ env: { HOME: home }, inputs: { registries: registries(tables) } }))
        expect(settle.code).toBe(0)
        sweep('')
        stacks[R1].push({ job: -1, token: 'tok-settle', host: '', dead: false })
        check()
        await post(settle)
        sweep('')
        leave(-1)
        check()
      }

      for (let step = 0; step < STEPS; step++) {
        const notStarted = [...Array(JOBS).keys()].filter(j => !started.has(j))
        const running = [...live]
        if (notStarted.length === 0 && running.length === 0) break
        const action =
          running.length === 0
            ? pick(['main', 'main', 'main-killed'])
            : notStarted.length === 0
              ? pick(['post', 'post', 'post-killed', 'kill'])
              : pick(['main', 'main', 'main-killed', 'post', 'post-killed', 'kill'])
        if (action === 'main' || action === 'main-killed') {
          const job = pick(notStarted)
          // Kills inside a change on this host only: one on the other host leaves its lock, which this
          // host takes over only after the 20 s bound for another host's lock (tested in lock.test.ts).
          const killAt = action === 'main-killed' ? pick(KILL_POINTS) : undefined
          const host = killAt ? '' : pick(HOSTS)
          // Same and different tokens: two shared ones, and one of the job's own.
          const tables = pick([[R0], [R1], [R0, R1]]).map(
            url => [url, pick(['tok-shared-1', 'tok-shared-2', `tok-job-${job}`])] as [string, string]
          )
          started.add(job)
          trace.push(
            `${action} ${job}${host ? ` on ${host}` : ''}${killAt ? ` at ${killAt}` : ''} ${tables.map(([u, t]) => `${u === R0 ? 'R0' : 'R1'}=${t}`).join('+')}`
          )
          const result = await onHost(host, () =>
            runAction({
              env: { HOME: home, GITHUB_RUN_ID: '1' },
              inputs: { registries: registries(tables) },
              hostname: host || undefined,
              killAt
            })
          )
          jobs.set(job, { result, host })
          live.add(job)
          if (!killAt || result.signal !== 'SIGKILL') {
            expect(result.code).toBe(0)
            sweep(host)
            for (const [url, token] of tables) stacks[url].push({ job, token, host, dead: false })
            check()
          } else {
            if (committed(result, killAt)) {
              sweep(host)
              for (const [url, token] of tables) stacks[url].push({ job, token, host, dead: false })
            }
            // A main step killed: its job is taken to end with its runner, without a post step.
            end(job)
            await settleOnThisHost()
          }
        } else {
          const job = pick(running)
          const { result, host } = jobs.get(job) as { result: RunResult; host: string }
          if (action === 'kill') {
            trace.push(`kill ${job}`)
            end(job)
            continue
          }
          const killAt = action === 'post-killed' && host === '' ? pick(KILL_POINTS) : undefined
          trace.push(`${action} ${job}${killAt ? ` at ${killAt}` : ''}`)
          const left = await onHost(host, () => runPost(result, { killAt }))
          if (!killAt || left.signal !== 'SIGKILL') {
            expect(left.code).toBe(0)
            expect(warningsOf(left)).toEqual([])
            sweep(host)
            leave(job)
            live.delete(job)
            check()
          } else {
            if (committed(left, killAt)) {
              sweep(host)
              leave(job)
            }
            end(job)
            await settleOnThisHost()
          }
        }
      }
      for (const job of [...live]) {
        const { result, host } = jobs.get(job) as { result: RunResult; host: string }
        trace.push(`post ${job}`)
        await onHost(host, () => post(result))
        sweep(host)
        leave(job)
        live.delete(job)
        check()
      }
      // Ended jobs may still be in the ledger when no run of their host came after them: one more job on each host sweeps them.
      for (const host of HOSTS) {
        const last = await runAction({
          env: { HOME: home },
          inputs: { registries: registries([[R1, 'tok-last']]) },
          hostname: host || undefined
        })
        expect(last.code).toBe(0)
        await post(last)
      }
      if (originalBytes === undefined) expect(fs.existsSync(configOf(home))).toBe(false)
      else expect(fs.readFileSync(configOf(home), 'utf8')).toBe(originalBytes)
      expect(fs.readdirSync(home).filter(name => name !== '.upmconfig.toml')).toEqual([])
    }, 180_000)
  }
})

test('32 jobs at once on one registry with mixed tokens: every job sees a live writer, the original comes back', async () => {
  const home = newHome(ORIGINAL)
  const JOBS = 32
  const tokenOf = (i: number): string => (i % 3 === 0 ? 'tok-shared' : `tok-${i}`)
  const mains = await Promise.all([...Array(JOBS).keys()].map(i => main(home, [[R0, tokenOf(i)]])))
  const written = new Set([...Array(JOBS).keys()].map(tokenOf))
  expect(written.has(credentials(home)[R0] as string)).toBe(true)

  // Half leave at once; what the file holds is still the value of one of the jobs still running.
  await Promise.all(mains.slice(0, JOBS / 2).map(post))
  const stillRunning = new Set(mains.slice(JOBS / 2).map((_, k) => tokenOf(JOBS / 2 + k)))
  expect(stillRunning.has(credentials(home)[R0] as string)).toBe(true)

  await Promise.all(mains.slice(JOBS / 2).map(post))
  expect(fs.readFileSync(configOf(home), 'utf8')).toBe(ORIGINAL)
  expect(fs.readdirSync(home)).toEqual(['.upmconfig.toml'])
}, 120_000)
