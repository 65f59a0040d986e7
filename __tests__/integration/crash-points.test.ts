/**
 * A run killed at each point of a change to a shared home (src/shared-file/shared-change.ts has
 * the table): the bundled action is killed with SIGKILL right after the chosen rename or unlink
 * (support/kill-at.cjs), its job then ends as a killed job does (the runner empties its
 * RUNNER_TEMP), and the runs that come after must leave no token of an ended job, give back every
 * original byte for byte, and pull nothing from a live job.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parse as parseToml } from 'smol-toml'
import { makeRunnerDir, runAction, runPost } from '../support/action-runner.js'
import type { RunOptions, RunResult } from '../support/action-runner.js'
import { warningsOf } from '../support/annotations.js'

const R0 = 'https://upm.example.com/npm/'
const R1 = 'https://packages.example.org/'
const ORIGINAL =
  '# shared by the build machines\r\ncacheRoot = "D:/upm-cache"\r\n\r\n' +
  '[npmAuth."https://upm.example.com/npm/"]  # team A\r\n_auth = "dGVhbUE6c2VjcmV0"\r\nemail = "team-a@example.com"\r\n'
const TEAM_A = 'dGVhbUE6c2VjcmV0'

const configOf = (home: string): string => path.join(home, '.upmconfig.toml')

function newHome(): string {
  const home = path.join(makeRunnerDir(), 'shared-home')
  fs.mkdirSync(home)
  fs.writeFileSync(configOf(home), ORIGINAL)
  return home
}

function credential(home: string, url: string): string | undefined {
  const doc = parseToml(fs.readFileSync(configOf(home), 'utf8')) as { npmAuth?: Record<string, { token?: string; _auth?: string }> }
  const table = doc.npmAuth?.[url]
  return table?.token ?? table?._auth
}

async function main(home: string, url: string, token: string, options: Pick<RunOptions, 'killAt'> = {}): Promise<RunResult> {
  const result = await runAction({ env: { HOME: home }, inputs: { 'registry-url': url, token }, ...options })
  if (!options.killAt) {
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
  }
  return result
}

async function post(job: RunResult, options: Pick<RunOptions, 'killAt'> = {}): Promise<RunResult> {
  const result = await runPost(job, options)
  if (!options.killAt) {
    expect(result.code).toBe(0)
    expect(warningsOf(result)).toEqual([])
  }
  return result
}

function expectKilled(result: RunResult): void {
  expect(result.signal).toBe('SIGKILL')
}

/** The job ends the way a killed job does: the runner empties its RUNNER_TEMP. */
function endJob(job: RunResult): void {
  fs.rmSync(job.runnerTemp, { recursive: true, force: true })
  fs.mkdirSync(job.runnerTemp)
}

function expectOriginalBack(home: string): void {
  expect(fs.readFileSync(configOf(home), 'utf8')).toBe(ORIGINAL)
  expect(fs.readdirSync(home)).toEqual(['.upmconfig.toml'])
}

/** Each point of a change: the ledger with the change in flight, the file, the ledger after (renamed, or deleted by the last job). */
const POINTS: [string, string][] = [
  ['the ledger is written with the change in flight', '.ledger:1'],
  ['the file is replaced', '.upmconfig.toml:1'],
  ['the ledger is written again without it', '.ledger:2']
]

describe.each(POINTS)('main killed right after %s, while another live job holds the entry', (_point, killAt) => {
  test("no run takes the live job's value for the original, and the original comes back after both", async () => {
    const home = newHome()
    const live = await main(home, R0, 'tok-live')
    const killed = await main(home, R0, 'tok-killed', { killAt })
    expectKilled(killed)
    endJob(killed)

    const other = await main(home, R1, 'tok-other')
    expect(credential(home, R0)).toBe('tok-live')
    await post(other)
    expect(credential(home, R0)).toBe('tok-live')
    await post(live)
    expectOriginalBack(home)
  })
})

describe.each(POINTS)('post killed right after %s', (_point, killAt) => {
  test('the ended job leaves no token, and the original comes back byte for byte', async () => {
    const home = newHome()
    const job = await main(home, R0, 'tok-ended')
    expectKilled(await post(job, { killAt }))
    endJob(job)

    const next = await main(home, R1, 'tok-next')
    expect(credential(home, R0)).toBe(TEAM_A)
    await post(next)
    expectOriginalBack(home)
  })

  test('with another job still using the entry, it gets that job value, and the original after it', async () => {
    const home = newHome()
    const live = await main(home, R0, 'tok-live')
    const job = await main(home, R0, 'tok-ended')
    expectKilled(await post(job, { killAt }))
    endJob(job)

    const next = await main(home, R1, 'tok-next')
    expect(credential(home, R0)).toBe('tok-live')
    await post(next)
    await post(live)
    expectOriginalBack(home)
  })
})

test('a run that finds a change in flight says what it did about it', async () => {
  const home = newHome()
  const killed = await main(home, R0, 'tok-killed', { killAt: '.upmconfig.toml:1' })
  expectKilled(killed)
  const next = await main(home, R1, 'tok-next')
  expect(next.stdout).toContain(
    `A run of upm-auth on ${configOf(home)} was stopped between its two writes; the file had been written, so the list of jobs using it was brought up to date.`
  )
  // The killed job is still live (its record is there): its post step cleans up as usual.
  await post(killed)
  await post(next)
  expectOriginalBack(home)
})

describe('the writes before the pair', () => {
  test('main killed right after its restore record is written, before its path is saved or the ledger names it: nothing changed', async () => {
    const home = newHome()
    const killed = await main(home, R0, 'tok-killed', { killAt: 'chmod:.json:1' })
    expectKilled(killed)
    expect(fs.readdirSync(killed.runnerTemp).filter(name => name.startsWith('upm-auth-restore-'))).toHaveLength(1)
    expect(killed.state).toEqual({})
    // The runner still runs the post step: it has no record path, so nothing to clean up; the file was never touched.
    const left = await post(killed)
    expect(left.stdout).toContain('Nothing to clean up')
    endJob(killed)
    expect(fs.readFileSync(configOf(home), 'utf8')).toBe(ORIGINAL)
    const next = await main(home, R1, 'tok-next')
    await post(next)
    expectOriginalBack(home)
  })

  test('main killed right after creating the lock, before its record is in it: the next run takes the empty lock over', async () => {
    const home = newHome()
    const killed = await main(home, R0, 'tok-killed', { killAt: 'open:.lock:1' })
    expectKilled(killed)
    expect(fs.readFileSync(`${configOf(home)}.lock`, 'utf8')).toBe('')
    endJob(killed)
    const next = await main(home, R1, 'tok-next')
    expect(next.stdout).toMatch(/Took over the lock .*: it was left without a complete record by a holder that died/)
    await post(next)
    expectOriginalBack(home)
  }, 30_000)
})
