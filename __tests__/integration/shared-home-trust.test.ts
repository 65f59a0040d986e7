/**
 * What a run trusts next to a shared config file: a ledger or lock only when this account wrote
 * it, and another host's jobs only by that host's runs. The bundled action, run the way the runner
 * runs it.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { canStandInHost, makeRunnerDir, runAction, runPost } from '../support/action-runner.js'
import type { RunOptions, RunResult } from '../support/action-runner.js'
import { warningsOf } from '../support/annotations.js'
import { hostId } from '../../src/shared-file/host.js'

const R0 = 'https://upm.example.com/npm/'
const R1 = 'https://packages.example.org/'
const ORIGINAL = '[npmAuth."https://upm.example.com/npm/"]\n_auth = "dGVhbUE6c2VjcmV0"\nemail = "team-a@example.com"\n'

const configOf = (home: string): string => path.join(home, '.upmconfig.toml')
const ledgerOf = (home: string): string => `${configOf(home)}.ledger`
const lockOf = (home: string): string => `${configOf(home)}.lock`

function newHome(): string {
  const home = path.join(makeRunnerDir(), 'shared-home')
  fs.mkdirSync(home)
  fs.writeFileSync(configOf(home), ORIGINAL)
  return home
}

function run(home: string, url: string, token: string, options: Partial<RunOptions> = {}): Promise<RunResult> {
  return runAction({ env: { HOME: home }, inputs: { 'registry-url': url, token }, ...options })
}

async function ok(result: Promise<RunResult>): Promise<RunResult> {
  const done = await result
  expect(done.stderr).toBe('')
  expect(done.code).toBe(0)
  return done
}

/** A ledger item as this version writes it, to plant variations of. */
async function realLedger(
  home: string
): Promise<{ job: RunResult; ledger: { items: Record<string, unknown>[] } & Record<string, unknown> }> {
  const job = await ok(run(home, R0, 'tok-real'))
  return { job, ledger: JSON.parse(fs.readFileSync(ledgerOf(home), 'utf8')) as never }
}

describe('a ledger another hand wrote is refused whole, and nothing is written', () => {
  const plants: [string, (ledger: { items: Record<string, unknown>[] }) => unknown][] = [
    ['holders that are not a list (a raw TypeError before)', l => ({ ...l, items: [{ ...l.items[0], holders: 'x' }] })],
    [
      'a holder whose job is any existing path',
      l => ({ ...l, items: [{ ...l.items[0], holders: [{ ...holder(l), job: '/etc/hostname' }] }] })
    ],
    [
      'a key this action never writes (caFile)',
      l => ({ ...l, items: [{ ...l.items[0], kind: 'key', name: 'caFile', holders: [{ ...holder(l), value: '/tmp/evil.pem' }] }] })
    ],
    [
      'a table whose value is for another URL',
      l => ({
        ...l,
        items: [{ ...l.items[0], holders: [{ ...holder(l), value: { url: 'https://evil.example/', token: 't', alwaysAuth: true } }] }]
      })
    ],
    [
      'a table value with a key Unity would read (a second credential)',
      l => ({ ...l, items: [{ ...l.items[0], holders: [{ ...holder(l), value: { url: R0, token: 't', _auth: 'x', alwaysAuth: true } }] }] })
    ],
    ['a lead that is not line breaks', l => ({ ...l, items: [{ ...l.items[0], lead: '[npmAuth."https://evil.example/"]\n' }] })]
  ]
  const holder = (l: { items: Record<string, unknown>[] }): Record<string, unknown> => (l.items[0].holders as Record<string, unknown>[])[0]

  test.each(plants)('%s', async (_name, plant) => {
    const home = newHome()
    const { job, ledger } = await realLedger(home)
    fs.writeFileSync(ledgerOf(home), JSON.stringify(plant(ledger)))
    const before = fs.readFileSync(configOf(home))
    const next = await run(home, R1, 'tok-next')
    expect(next.code).toBe(1)
    expect(next.stdout).toContain(`::error::${ledgerOf(home)} is not a list of jobs this version of upm-auth wrote.`)
    expect(next.stdout).toContain('delete it, then run again')
    expect(next.stdout).not.toMatch(/TypeError|tok-real|evil/)
    expect(fs.readFileSync(configOf(home))).toEqual(before)
    // The post step warns the same way and leaves the file too.
    const left = await runPost(job)
    expect(left.code).toBe(0)
    expect(warningsOf(left)).toEqual([expect.stringContaining(`${ledgerOf(home)} is not a list of jobs this version of upm-auth wrote.`)])
    expect(fs.readFileSync(configOf(home))).toEqual(before)
  })

  const posixRoot = process.platform !== 'win32' && process.getuid?.() === 0
  ;(posixRoot ? test : test.skip)('a ledger of another account (uid 4242) is refused, naming the owner', async () => {
    const home = newHome()
    await realLedger(home)
    fs.chownSync(ledgerOf(home), 4242, 4242)
    const before = fs.readFileSync(configOf(home))
    const next = await run(home, R1, 'tok-next')
    expect(next.code).toBe(1)
    expect(next.stdout).toContain(`is not this account's own: it belongs to the account with uid 4242, not to this one (uid 0)`)
    expect(fs.readFileSync(configOf(home))).toEqual(before)
  })

  ;(process.platform !== 'win32' ? test : test.skip)('a ledger that group or others may write is refused', async () => {
    const home = newHome()
    await realLedger(home)
    fs.chmodSync(ledgerOf(home), 0o620)
    const next = await run(home, R1, 'tok-next')
    expect(next.code).toBe(1)
    expect(next.stdout).toContain('its mode 0620 lets other accounts write it')
  })
})

describe('locks that used to block every run', () => {
  /** A lock record planted as some holder would have left it. */
  function plantLock(home: string, record: Record<string, unknown>): void {
    fs.writeFileSync(lockOf(home), JSON.stringify({ token: 'planted', created: Date.now(), ...record }))
  }

  test("a dead holder's pid now used by a live process (pid reuse) is taken over at once", async () => {
    const home = newHome()
    // pid 1 lives; the holder that wrote this lock started at another time.
    plantLock(home, { pid: 1, hostname: os.hostname(), host: hostId(), pidStart: '1', pidNamespace: ownPidNamespace() })
    const started = Date.now()
    const result = await ok(run(home, R0, 'tok', { timeoutMs: 30_000 }))
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(result.stdout).toMatch(/Took over the lock .*: its holder, process 1, has ended \(that pid is another process now\)/)
  }, 40_000)

  test('a host with the same host name (another machine) does not count as this host: its lock is judged by its age', async () => {
    const home = newHome()
    plantLock(home, {
      pid: 1,
      hostname: os.hostname(),
      host: `${os.hostname()}/another-boot`,
      pidNamespace: ownPidNamespace(),
      created: Date.now() - 60_000
    })
    const result = await ok(run(home, R0, 'tok', { timeoutMs: 30_000 }))
    expect(result.stdout).toMatch(new RegExp(`Took over the lock .*: it was taken \\d+ s ago by process 1 on ${os.hostname()}`))
  }, 40_000)

  ;(process.platform !== 'win32' && process.getuid?.() === 0 ? test : test.skip)(
    "another account's lock fails at once, naming its owner",
    async () => {
      const home = newHome()
      plantLock(home, { pid: 1, hostname: 'x', host: 'x' })
      fs.chownSync(lockOf(home), 4242, 4242)
      const started = Date.now()
      const result = await run(home, R0, 'tok', { timeoutMs: 30_000 })
      expect(Date.now() - started).toBeLessThan(10_000)
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(
        `its lock file ${lockOf(home)} is not one this account's runs took: it belongs to the account with uid 4242, not to this one (uid 0).`
      )
      expect(fs.readFileSync(configOf(home), 'utf8')).toBe(ORIGINAL)
    },
    40_000
  )

  test("a breaker's guard left by a killed breaker is removed with the other leftovers", async () => {
    const home = newHome()
    const guard = `${lockOf(home)}.break`
    fs.writeFileSync(guard, '')
    const old = new Date(Date.now() - 60_000)
    fs.utimesSync(guard, old, old)
    await ok(run(home, R0, 'tok'))
    expect(fs.existsSync(guard)).toBe(false)
  })
})

function ownPidNamespace(): string | undefined {
  try {
    return fs.readlinkSync('/proc/self/ns/pid')
  } catch {
    return undefined
  }
}

describe('hosts that share one home', () => {
  const standIn = canStandInHost()
  const onHost = standIn ? test : test.skip
  if (!standIn) test('standing in a second host needs root and unshare: the tests below are skipped here', () => undefined)

  /** Host A cannot see host B's RUNNER_TEMP: hide B's while A runs. */
  async function unseen<T>(job: RunResult, work: () => Promise<T>): Promise<T> {
    const hidden = `${job.runnerTemp}.elsewhere`
    fs.renameSync(job.runnerTemp, hidden)
    try {
      return await work()
    } finally {
      fs.renameSync(hidden, job.runnerTemp)
    }
  }

  onHost('a run on this host does not sweep a live job of another host, whose record it cannot see', async () => {
    const home = newHome()
    const onB = await ok(run(home, R0, 'tok-host-b', { hostname: 'build-b' }))
    await unseen(onB, async () => {
      const onA = await ok(run(home, R1, 'tok-host-a'))
      expect(fs.readFileSync(configOf(home), 'utf8')).toContain('tok-host-b')
      await ok(runPost(onA))
      expect(fs.readFileSync(configOf(home), 'utf8')).toContain('tok-host-b')
    })
    await ok(runPost(onB))
    expect(fs.readFileSync(configOf(home), 'utf8')).toBe(ORIGINAL)
  })

  onHost("a job of another host killed with its runner is swept by that host's next run, not by this host's", async () => {
    const home = newHome()
    const onB = await ok(run(home, R0, 'tok-host-b', { hostname: 'build-b' }))
    fs.rmSync(onB.runnerTemp, { recursive: true })
    const onA = await ok(run(home, R1, 'tok-host-a'))
    expect(fs.readFileSync(configOf(home), 'utf8')).toContain('tok-host-b')
    await ok(runPost(onA))
    const nextOnB = await ok(run(home, R1, 'tok-b-again', { hostname: 'build-b' }))
    expect(fs.readFileSync(configOf(home), 'utf8')).not.toContain('tok-host-b')
    await ok(runPost(nextOnB))
    expect(fs.readFileSync(configOf(home), 'utf8')).toBe(ORIGINAL)
  })
})
