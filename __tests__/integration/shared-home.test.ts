/**
 * Jobs that share one home at the same time (several runner instances under one account), run
 * as the runner runs them: each job has its own RUNNER_TEMP, main and post steps interleave,
 * and a job killed with its runner loses its RUNNER_TEMP without a post step.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parse as parseToml } from 'smol-toml'
import { makeRunnerDir, runAction, runPost } from '../support/action-runner.js'
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

describe('random interleavings of main, post and kill (model-based)', () => {
  const JOBS = 6
  const STEPS = 22
  const SEQUENCES = Number(process.env.UPM_AUTH_MODEL_SEQUENCES ?? 3)
  const firstSeed = seedFrom('UPM_AUTH_MODEL_SEED')

  for (let n = 0; n < SEQUENCES; n++) {
    const seed = firstSeed + n
    test(`sequence with seed ${seed} (run again with UPM_AUTH_MODEL_SEED=${seed} UPM_AUTH_MODEL_SEQUENCES=1)`, async () => {
      const random = seeded(seed)
      const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]
      const withOriginal = random() < 0.5
      const home = newHome(withOriginal ? ORIGINAL : undefined)
      const originals: Record<string, string | undefined> = credentials(home)
      const originalBytes = withOriginal ? ORIGINAL : undefined

      // The model: each registry's stack of live writers, oldest first.
      const stacks: Record<string, { job: number; token: string }[]> = { [R0]: [], [R1]: [] }
      const live = new Map<number, RunResult>()
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
      const leave = (job: number): void => {
        for (const url of [R0, R1]) stacks[url] = stacks[url].filter(w => w.job !== job)
        live.delete(job)
      }

      for (let step = 0; step < STEPS; step++) {
        const notStarted = [...Array(JOBS).keys()].filter(j => !started.has(j))
        const running = [...live.keys()]
        const action =
          running.length === 0 ? 'main' : notStarted.length === 0 ? pick(['post', 'post', 'kill']) : pick(['main', 'main', 'post', 'kill'])
        if (action === 'main') {
          const job = pick(notStarted)
          // Same and different tokens: two shared ones, and one of the job's own.
          const tables = pick([[R0], [R1], [R0, R1]]).map(
            url => [url, pick(['tok-shared-1', 'tok-shared-2', `tok-job-${job}`])] as [string, string]
          )
          started.add(job)
          trace.push(`main ${job} ${tables.map(([u, t]) => `${u === R0 ? 'R0' : 'R1'}=${t}`).join('+')}`)
          live.set(job, await main(home, tables))
          for (const [url, token] of tables) stacks[url].push({ job, token })
          // A kill is swept by any run: every writer in the model that is not live is gone.
          check()
        } else {
          const job = pick(running)
          trace.push(`${action} ${job}`)
          const result = live.get(job) as RunResult
          leave(job)
          if (action === 'kill') kill(result)
          else {
            await post(result)
            check()
          }
        }
      }
      for (const [job, result] of [...live]) {
        trace.push(`post ${job}`)
        leave(job)
        await post(result)
        check()
      }
      // Killed jobs may still be in the ledger when no run came after them: one more job sweeps them.
      await post(await main(home, [[R1, 'tok-last']]))
      if (originalBytes === undefined) expect(fs.existsSync(configOf(home))).toBe(false)
      else expect(fs.readFileSync(configOf(home), 'utf8')).toBe(originalBytes)
      expect(fs.readdirSync(home).filter(name => name !== '.upmconfig.toml')).toEqual([])
    }, 120_000)
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
